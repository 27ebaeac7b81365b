"""The Procfile run as a hosting platform runs it (honcho): release, then web and worker, on PostgreSQL and Redis."""

import os
import re
import signal
import subprocess
import sys
import time
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import redis
from sqlalchemy import create_engine, text

from helpers import ORGANISERS, free_port
from servers import ROOT, propose, wait_until_up

DATABASE_URL = os.environ.get("BLUEHATS_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("BLUEHATS_TEST_REDIS_URL")
WORKER_SENT = r"worker\.1\s*\| 2 envoyés,"
SCHEMA = "procfile"  # the release step migrates an empty schema of its own, beside the suite's


def why_not() -> str | None:
    """Say why the platform's services are not there, or None when they are."""
    if not (DATABASE_URL and REDIS_URL):
        return (
            "Procfile non lancé : il lui faut PostgreSQL et Redis "
            "(BLUEHATS_TEST_DATABASE_URL et BLUEHATS_TEST_REDIS_URL, voir le README)"
        )
    try:
        engine = create_engine(DATABASE_URL)
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means there is no database to run on
        return f"Procfile non lancé : PostgreSQL injoignable ({type(error).__name__})"
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError as error:
        return f"Procfile non lancé : Redis injoignable ({type(error).__name__})"
    return None


REASON = why_not()
pytestmark = [pytest.mark.slow, pytest.mark.skipif(REASON is not None, reason=REASON or "")]


def platform_database_url() -> str:
    """The test database as a platform announces it: postgres://, no driver, with this test's schema first."""
    parts = urlsplit(DATABASE_URL)
    options = quote(f"-csearch_path={SCHEMA}")
    return urlunsplit(("postgres", parts.netloc, parts.path, f"options={options}", ""))


@pytest.fixture
def schema():
    """An empty PostgreSQL schema for the release step to migrate, dropped afterwards."""
    engine = create_engine(DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}"))
    yield engine
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
    engine.dispose()


@pytest.fixture
def platform_env(tmp_path, smtp):
    """What a platform gives the processes: its add-ons' URLs, and the site's settings as the operator set them."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("FLASK_", "BLUEHATS_"))}
    return {
        **env,
        "PATH": f"{os.path.dirname(sys.executable)}{os.pathsep}{env['PATH']}",
        "DATABASE_URL": platform_database_url(),
        "REDIS_URL": REDIS_URL,
        "WEB_CONCURRENCY": "2",
        "BLUEHATS_INSTANCE_PATH": str(tmp_path / "instance"),
        "FLASK_SECRET_KEY": "procfile-test-secret-key",
        "FLASK_BLUEHATS_SITE_URL": "https://bluehats.example.gouv.fr",
        # The legal notice's publisher and host, required in production like the site's address.
        "FLASK_BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris",
        "FLASK_BLUEHATS_HOST": "Hébergeur de la plateforme, Paris",
        "FLASK_MAIL_SERVER": "127.0.0.1",
        "FLASK_MAIL_PORT": str(smtp.port),
        "FLASK_BLUEHATS_MAIL_DELIVERY": "worker",
        "FLASK_BLUEHATS_ORGANISER_EMAILS": ",".join(ORGANISERS),
        "FLASK_BLUEHATS_CFP_DEADLINE": "2099-01-01T00:00:00+01:00",
        "FLASK_SESSION_COOKIE_SECURE": "false",
    }


def honcho(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "honcho", "-f", str(ROOT / "Procfile"), "-d", str(ROOT), *arguments]


def test_release_then_web_and_worker_take_a_proposal_and_mail_it(platform_env, schema, smtp, tmp_path):
    release = subprocess.run(honcho("start", "release"), env=platform_env, capture_output=True, text=True, timeout=120)
    assert release.returncode == 0, release.stdout + release.stderr
    with schema.connect() as connection:
        tables = connection.execute(
            text("SELECT table_name FROM information_schema.tables WHERE table_schema = :schema"), {"schema": SCHEMA}
        ).scalars()
        assert {"proposal", "outbox_message", "alembic_version"} <= set(tables)

    port = free_port()
    log = tmp_path / "honcho.log"
    limits = redis.Redis.from_url(REDIS_URL)
    for key in limits.scan_iter("LIMITS*"):
        limits.delete(key)
    with log.open("w") as output:
        # Its own process group, so that whatever honcho leaves behind is stopped with it.
        processes = subprocess.Popen(
            honcho("start", "--port", str(port), "web", "worker"),
            env=platform_env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_up(port, processes, log)
        assert propose(port, 1).status == 303
        # The worker's report comes once both mails are accepted and marked sent.
        deadline = time.monotonic() + 30
        while not re.search(WORKER_SENT, log.read_text()) and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        processes.send_signal(signal.SIGINT)
        try:
            processes.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(processes.pid, signal.SIGKILL)
            processes.wait()

    output = log.read_text()
    assert len(smtp.to("agent1@interieur.gouv.fr")) == 1, output
    assert len(smtp.to(ORGANISERS[0])) == 1, output
    assert re.search(WORKER_SENT, output), output  # sent by the worker, not by web
    with schema.connect() as connection:
        statuses = connection.execute(text(f"SELECT status FROM {SCHEMA}.outbox_message")).scalars().all()
        titles = connection.execute(text(f"SELECT title FROM {SCHEMA}.proposal")).scalars().all()
    assert titles == ["Intervention 1"]
    assert statuses == ["sent", "sent"]
    assert list(limits.scan_iter("LIMITS*")), "web does not count its rate limits in REDIS_URL"
