"""Real servers the tests start and stop themselves: gunicorn, nginx on deploy/nginx.conf, PostgreSQL, Redis."""

import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import redis

from helpers import VALID, free_port

ROOT = Path(__file__).resolve().parents[1]
POSTGRESQL_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
NGINX_SITE = ROOT / "deploy/nginx.conf"


def wait_for(check, seconds: float, what: str, interval: float = 0.1) -> None:
    """Call check() until it is true, for at most `seconds`; fail saying what was awaited."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(interval)
    raise AssertionError(f"still waiting after {seconds} s: {what}")


def http_get(
    port: int, path: str, timeout: float = 10, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    """GET a path on a loopback port; return the status, the headers and the body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read().decode()
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    """Wait for gunicorn's /healthz to answer 200."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            if http_get(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()}")


def site_environment(instance: Path, database_url: str, smtp_port: int, **settings: str) -> dict[str, str]:
    """Return the environment of the site and its commands: this database, this SMTP server, the call open."""
    return {
        **os.environ,
        "BLUEHATS_INSTANCE_PATH": str(instance),
        "FLASK_SECRET_KEY": "real-servers-test",
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(smtp_port),
        "FLASK_BLUEHATS_MAIL_DELIVERY": "immediate",
        "FLASK_BLUEHATS_ORGANISER_EMAILS": '["orga@numerique.gouv.fr"]',
        "FLASK_BLUEHATS_CFP_DEADLINE": "2099-01-01T00:00:00+01:00",
        "FLASK_BLUEHATS_SITE_URL": "http://127.0.0.1",
        "FLASK_BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris",
        "FLASK_BLUEHATS_HOST": "Hébergeur de test, 1 rue de l’Exemple, 75001 Paris, 01 23 45 67 89",
        "FLASK_SESSION_COOKIE_SECURE": "false",
        # Every request comes from 127.0.0.1: lift the per-address limits, as a load test does.
        "FLASK_RATELIMIT_ENABLED": "false",
        **settings,
    }


@dataclass
class Gunicorn:
    """A running gunicorn: its port, its master process and its log."""

    port: int
    process: subprocess.Popen
    log: Path

    def workers(self) -> list[int]:
        """Return the pids of the master's children, its workers."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended while we looked
                continue
            if int(fields[1]) == self.process.pid:
                children.append(int(stat.parent.name))
        return sorted(children)


@contextmanager
def gunicorn(
    environment: dict[str, str], log: Path, workers: int = 4, access_log: Path | None = None
) -> Iterator[Gunicorn]:
    """Serve the real app with gunicorn's gthread workers, as gunicorn.conf.py sets it up; stop it after."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", str(workers)]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log or "/dev/null"), "app:app"]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
        try:
            wait_until_up(port, process, log)
            yield Gunicorn(port, process, log)
        finally:
            process.terminate()
            process.wait(timeout=30)


@dataclass
class Answer:
    """What a client got back."""

    status: int
    headers: dict[str, str]
    body: str


def propose(port: int, index: int, timeout: float = 60) -> Answer:
    """One agent: open the form (own session), fill it, send it; return the answer (title: Intervention <index>)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", "/proposer")
        page = connection.getresponse()
        html = page.read().decode()
        cookie = "; ".join(header.split(";")[0] for header in page.msg.get_all("Set-Cookie"))
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = {**VALID, "email": f"agent{index}@interieur.gouv.fr", "title": f"Intervention {index}"}
        connection.request(
            "POST",
            "/proposer",
            body=urlencode({**data, "csrf_token": token}),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        answer = connection.getresponse()
        return Answer(answer.status, dict(answer.getheaders()), answer.read().decode())
    finally:
        connection.close()


def flask_command(environment: dict[str, str], *arguments: str) -> subprocess.CompletedProcess:
    """Run a flask command of the site as an operator would, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def postgresql_missing() -> str | None:
    """Say why a throwaway PostgreSQL cluster cannot be made here, or None when it can."""
    if not POSTGRESQL_BIN:
        return "PostgreSQL's programs (initdb, pg_ctl) are not installed in /usr/lib/postgresql"
    if os.geteuid() != 0:
        return "a throwaway PostgreSQL cluster is run as the postgres user: the tests must run as root"
    if shutil.which("runuser") is None:
        return "runuser (util-linux) is missing"
    return None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own, on a free port, run as the postgres user; the machine's is left alone."""

    def __init__(self) -> None:
        self.bin = POSTGRESQL_BIN[-1]
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="bluehats-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres("initdb", "--auth=trust", "--username=postgres", "--no-sync", "-D", str(self.data))

    def _as_postgres(self, program: str, *arguments: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bin / program), *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends every session at once, as a restart by an administrator does."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class RedisServer:
    """A redis-server of the test's own on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, 10, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        """Tell whether the server answers PING."""
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def stored_keys(self) -> list[bytes]:
        """Return the keys stored in the server."""
        return redis.Redis(port=self.port, socket_timeout=2).keys("*")

    def stop(self) -> None:
        """Stop the server (SIGKILL: gone at once, as in a crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None


def nginx_missing() -> str | None:
    """Say why nginx cannot run here, or None when it can."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return "nginx est absent ; ./dev test l’installe quand il tourne en root (apt-get install nginx)"
    return None


def nginx_config(folder: Path, port: int, upstream_port: int) -> str:
    """Return a whole nginx.conf: deploy/nginx.conf as an operator installs it, on this run's ports and folders."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    # The operator's values in deploy/nginx.conf, and what they become here.
    for operators, local in {
        "listen 80": f"listen 127.0.0.1:{port}",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "server_name bluehats.example.gouv.fr;": "server_name 127.0.0.1;",
        "/var/cache/nginx/bluehats": str(folder / "cache"),
        "root /srv/bluehats;": f"root {ROOT};",
    }.items():
        assert operators in site, f"deploy/nginx.conf no longer has {operators!r}"
        site = site.replace(operators, local)
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n    ".join(f"{kind}_temp_path {folder / kind};" for kind in kinds)
    # The http block of Debian's /etc/nginx/nginx.conf, around the site file as sites-enabled/ includes it.
    return f"""
{"user root;" if os.geteuid() == 0 else ""}
worker_processes auto;
pid {folder / "nginx.pid"};
error_log {folder / "error.log"} warn;
events {{ worker_connections 1024; }}
http {{
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    {temp}
{site}
}}
"""


@contextmanager
def serve_nginx(folder: Path, upstream_port: int) -> Iterator[int]:
    """Run nginx with deploy/nginx.conf in front of a site's port; yield nginx's port, stop it after."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, upstream_port), encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    command = [nginx, "-p", str(folder), "-c", str(config), "-e", str(folder / "error.log")]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t refuses the configuration:\n{check.stderr}"
    process = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def answers() -> bool:
        assert process.poll() is None, (folder / "error.log").read_text()
        try:
            return http_get(port, "/static/css/site.css", timeout=2)[0] == 200
        except OSError:
            return False

    try:
        wait_for(answers, 30, f"nginx on port {port}")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
