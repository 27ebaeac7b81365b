"""nginx on deploy/nginx.conf, as an operator installs it, in front of a gunicorn of the tests."""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from helpers import free_port
from servers import ROOT, http_get, wait_for

NGINX_SITE = ROOT / "deploy/nginx.conf"


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
