"""deploy/nginx.conf, run by a real nginx in front of the site under gunicorn: what it keeps, passes and refuses."""

import re
import socket
import time

import pytest

from proxy import nginx_missing, serve_nginx
from servers import gunicorn, http_get, propose, site_environment

MISSING = nginx_missing()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(MISSING is not None, reason=MISSING or "")]

PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
PUBLIC_PAGES = [
    "/",
    "/mentions-legales",
    "/donnees-personnelles",
    "/accessibilite",
    "/plan-du-site",
    "/programme",
    "/evenement.ics",
    "/editions",
    "/editions/osxp-2022/programme",
]


@pytest.fixture
def proxied(tmp_path, database_url, smtp):
    """nginx on deploy/nginx.conf before gunicorn, the site trusting one proxy; yield (nginx port, access log)."""
    log = tmp_path / "access.log"
    env = site_environment(tmp_path / "instance", database_url, smtp.port, FLASK_BLUEHATS_TRUSTED_PROXIES="1")
    with (
        gunicorn(env, tmp_path / "gunicorn.log", workers=2, access_log=log) as site,
        serve_nginx(tmp_path / "nginx", site.port) as port,
    ):
        yield port, log


def site_saw(log, method: str, path: str) -> int:
    """Count the requests gunicorn's access log shows for a method and path."""
    time.sleep(0.2)  # the access log is written once the answer has left
    return len(re.findall(rf'"{method} {re.escape(path)} HTTP', log.read_text()))


def test_nginx_answers_the_public_pages_from_its_cache(proxied):
    port, log = proxied
    for url in PUBLIC_PAGES:
        status, first, body = http_get(port, url)
        assert status == 200, url
        assert first["Cache-Control"] == PUBLIC
        assert first["X-Cache-Status"] == "MISS"
        status, again, cached = http_get(port, url)
        assert again["X-Cache-Status"] == "HIT", url
        assert cached == body
        assert site_saw(log, "GET", url) == 1, url
    _, headers, _ = http_get(port, "/")
    status, answer, body = http_get(port, "/", headers={"If-None-Match": headers["ETag"]})
    assert (status, answer["X-Cache-Status"], body) == (304, "HIT", "")
    assert site_saw(log, "GET", "/") == 1


def test_what_depends_on_the_visitor_always_reaches_the_site(proxied):
    port, log = proxied
    cookies = set()
    for _ in range(2):
        status, headers, _ = http_get(port, "/proposer")
        assert status == 200
        assert "no-store" in headers["Cache-Control"]
        assert "X-Cache-Status" not in headers
        cookies.add(headers["Set-Cookie"])
    assert len(cookies) == 2
    assert site_saw(log, "GET", "/proposer") == 2
    assert propose(port, 1).status == 303
    assert site_saw(log, "POST", "/proposer") == 1
    before = site_saw(log, "GET", "/healthz")  # gunicorn was waited for on /healthz
    http_get(port, "/healthz")
    http_get(port, "/healthz")
    assert site_saw(log, "GET", "/healthz") == before + 2


def test_nginx_serves_the_static_files_with_their_lifetimes(proxied):
    port, log = proxied
    _, _, page = http_get(port, "/")
    hashed = re.search(r'href="(/static/css/site.css\?v=[0-9a-f]{12})"', page).group(1)
    status, headers, _ = http_get(port, hashed)
    assert status == 200
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert headers["X-Content-Type-Options"] == "nosniff"
    _, headers, _ = http_get(port, "/static/css/site.css")
    assert headers["Cache-Control"] == "public, max-age=3600"
    assert http_get(port, "/static/absent.css")[0] == 404
    assert "/static/" not in log.read_text()


def test_a_forwarded_host_or_prefix_sent_by_a_visitor_never_reaches_the_site(proxied):
    port, _ = proxied
    forged = {"X-Forwarded-Host": "evil.example", "X-Forwarded-Prefix": "/evil", "Forwarded": "host=evil.example"}
    for url in ["/", "/proposer"]:
        status, _, body = http_get(port, url, headers=forged)
        assert status == 200
        assert "evil" not in body, url


def send_body(port: int, size: int) -> bytes:
    """POST a body of `size` bytes to the form; return the start of the answer (status line and headers)."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        head = (
            f"POST /proposer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n"
        )
        connection.sendall(head.encode())
        try:
            chunk = b"x" * 65536
            for _ in range(size // len(chunk)):
                connection.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # nginx answered before the end of the body, and closed
        answer = b""
        while data := connection.recv(65536):
            answer += data
    return answer


def test_a_body_of_20_mb_reaches_the_site_and_a_larger_one_stops_at_nginx(proxied):
    port, _ = proxied
    slides = send_body(port, 20 * 1024 * 1024)
    assert slides.startswith(b"HTTP/1.1 413")
    assert b"Content-Security-Policy" in slides  # the site's own answer (its form takes no file yet)
    too_large = send_body(port, 22 * 1024 * 1024)
    assert too_large.startswith(b"HTTP/1.1 413")
    assert b"Content-Security-Policy" not in too_large
    assert b"nginx" in too_large
