"""A rush before the deadline: real gunicorn, 4 workers, 200 proposals at once from separate sessions."""

import http.client
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import create_engine, text

from helpers import VALID, free_port

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = 200


def wait_until_up(port: int, process: subprocess.Popen, log: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text()}")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
        finally:
            connection.close()
    raise RuntimeError(f"gunicorn did not answer:\n{log.read_text()}")


@pytest.fixture
def gunicorn(tmp_path, database_url, smtp):
    """Serve the real app with gunicorn's gthread workers, as gunicorn.conf.py sets it up."""
    port = free_port()
    env = {
        **os.environ,
        "BLUEHATS_INSTANCE_PATH": str(tmp_path / "instance"),
        "FLASK_SECRET_KEY": "concurrency-test",
        "FLASK_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(smtp.port),
        "FLASK_BLUEHATS_MAIL_DELIVERY": "immediate",
        "FLASK_BLUEHATS_SITE_URL": f"http://127.0.0.1:{port}",
        "FLASK_BLUEHATS_ORGANISER_EMAILS": '["orga@numerique.gouv.fr"]',
        "FLASK_BLUEHATS_CFP_DEADLINE": "2099-01-01T00:00:00+01:00",
        "FLASK_SESSION_COOKIE_SECURE": "false",
        # Every request comes from 127.0.0.1: lift the per-address limits, as a load test does.
        "FLASK_RATELIMIT_ENABLED": "false",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "--workers",
        "4",
        "--bind",
        f"127.0.0.1:{port}",
    ]
    log = tmp_path / "gunicorn.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [*command, "--access-logfile", "/dev/null", "app:app"], cwd=ROOT, env=env, stdout=output, stderr=output
        )
        try:
            wait_until_up(port, process, log)
            yield port
        finally:
            process.terminate()
            process.wait(timeout=30)


def propose(port: int, index: int) -> int:
    """One agent: open the form (own session), fill it, send it; return the answer's status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/proposer")
    page = connection.getresponse()
    html = page.read().decode()
    cookie = "; ".join(header.split(";")[0] for header in page.msg.get_all("Set-Cookie"))
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    data = {**VALID, "email": f"agent{index}@interieur.gouv.fr", "title": f"Intervention {index}", "csrf_token": token}
    connection.request(
        "POST",
        "/proposer",
        body=urlencode(data),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer.status


@pytest.mark.slow
def test_two_hundred_concurrent_proposals_are_each_stored_once_and_mailed_once(gunicorn, database_url, smtp):
    with ThreadPoolExecutor(max_workers=PROPOSALS) as pool:
        statuses = list(pool.map(lambda index: propose(gunicorn, index), range(PROPOSALS)))
    assert statuses == [303] * PROPOSALS

    engine = create_engine(database_url)
    with engine.connect() as connection:
        titles = connection.execute(text("SELECT title FROM proposal")).scalars().all()
        mails = connection.execute(text("SELECT status, count(*) FROM outbox_message GROUP BY status")).all()
    engine.dispose()
    assert sorted(titles) == sorted(f"Intervention {index}" for index in range(PROPOSALS))
    assert dict(mails) == {"sent": 2 * PROPOSALS}
    message_ids = [message["Message-ID"] for message in smtp.messages]
    assert len(message_ids) == len(set(message_ids)) == 2 * PROPOSALS
    for index in range(PROPOSALS):
        assert len(smtp.to(f"agent{index}@interieur.gouv.fr")) == 1
