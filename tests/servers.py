"""The site served as in production, for the tests and the benchmark: gunicorn, its environment, a visitor."""

import http.client
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from helpers import VALID, free_port

ROOT = Path(__file__).resolve().parents[1]


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


def wait_until_up(port: int, process: subprocess.Popen, log: Path, seconds: float = 30, path: str = "/healthz") -> None:
    """Wait for gunicorn to answer 200 at `path` (the site's /healthz by default)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        try:
            if http_get(port, path, timeout=2)[0] == 200:
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
    environment: dict[str, str],
    log: Path,
    workers: int = 4,
    access_log: Path | None = None,
    app: str = "app:app",
    threads: int | None = None,
    ready: str = "/healthz",
) -> Iterator[Gunicorn]:
    """Serve an app (the site by default) as gunicorn.conf.py sets it up, until `ready` answers; stop it after."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", str(workers)]
    if threads is not None:
        command += ["--threads", str(threads)]
    command += ["--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log or "/dev/null"), app]
    with log.open("w") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output)
        try:
            wait_until_up(port, process, log, path=ready)
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
