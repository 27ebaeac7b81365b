"""Real servers for the tests and the benchmark: gunicorn serving the site, nginx with deploy/nginx.conf before it."""

import http.client
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

from helpers import VALID, free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX_SITE = ROOT / "deploy/nginx.conf"
SITE_NAME = "127.0.0.1"  # the server_name the local nginx answers to, instead of the operator's


def get(port: int, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, http.client.HTTPMessage, bytes]:
    """Send one GET to a loopback port; return (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=dict(headers or {}))
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def wait_until_up(port: int, process: subprocess.Popen, log: Path, path: str = "/healthz", seconds: float = 30) -> None:
    """Wait until a server answers 200 on a path; fail with its log if it stops or stays silent."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped:\n{log.read_text()}")
        try:
            if get(port, path)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server this module started, and wait for it."""
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def site_env(folder: Path, database_url: str, **settings: str) -> dict[str, str]:
    """The site's environment for a real server: its own instance folder, limits lifted (one client address)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("FLASK_")}
    return {
        **env,
        "BLUEHATS_INSTANCE_PATH": str(folder / "instance"),
        "FLASK_SECRET_KEY": "servers-test-secret-key",
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_BLUEHATS_ORGANISER_EMAILS": '["orga@numerique.gouv.fr"]',
        "FLASK_BLUEHATS_CFP_DEADLINE": "2099-01-01T00:00:00+01:00",
        "FLASK_SESSION_COOKIE_SECURE": "false",
        "FLASK_RATELIMIT_ENABLED": "false",
        **settings,
    }


@contextmanager
def serve_site(env: Mapping[str, str], log: Path, workers: int = 2) -> Iterator[int]:
    """Serve the site with gunicorn and gunicorn.conf.py on a free port; yield the port."""
    port = free_port()
    env = {"FLASK_BLUEHATS_SITE_URL": f"http://127.0.0.1:{port}", **env}  # links in mails, trusted host
    command = [
        *(sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py"),
        *("--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log), "app:app"),
    ]
    with log.open("a") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=dict(env), stdout=output, stderr=output)
    try:
        wait_until_up(port, process, log)
        yield port
    finally:
        stop(process)


def nginx_config(folder: Path, port: int, upstream_port: int) -> str:
    """Return a whole nginx.conf: deploy/nginx.conf as an operator installs it, on this run's ports and folders."""
    site = NGINX_SITE.read_text(encoding="utf-8")
    # The operator's values in deploy/nginx.conf, and what they become here.
    for operators, local in {
        "listen 80": f"listen 127.0.0.1:{port}",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{upstream_port};",
        "server_name bluehats.example.gouv.fr;": f"server_name {SITE_NAME};",
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


def nginx_missing() -> str | None:
    """Say why nginx cannot run here, or None when it can."""
    if not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists():
        return "nginx est absent ; ./dev test l’installe quand il tourne en root (apt-get install nginx)"
    return None


@contextmanager
def serve_nginx(folder: Path, upstream_port: int) -> Iterator[int]:
    """Run nginx with deploy/nginx.conf in front of a site's port; yield nginx's port."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(folder, port, upstream_port), encoding="utf-8")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    log = folder / "error.log"
    command = [nginx, "-p", str(folder), "-c", str(config), "-e", str(log), "-g", "daemon off;"]
    check = subprocess.run([*command[:-2], "-t"], capture_output=True, text=True)
    assert check.returncode == 0, f"nginx -t refuses the configuration:\n{check.stderr}"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, process, log, path="/static/css/site.css")
        yield port
    finally:
        stop(process)


def propose(port: int, index: int) -> int:
    """One agent: open the form (own session), fill it, send it; return the answer's status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", "/proposer")
        page = connection.getresponse()
        html = page.read().decode()
        cookie = "; ".join(header.split(";")[0] for header in page.msg.get_all("Set-Cookie"))
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
        data = {
            **VALID,
            "email": f"agent{index}@interieur.gouv.fr",
            "title": f"Intervention {index}",
            "csrf_token": token,
        }
        connection.request(
            "POST",
            "/proposer",
            body=urlencode(data),
            headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
        )
        answer = connection.getresponse()
        answer.read()
        return answer.status
    finally:
        connection.close()
