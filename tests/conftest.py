"""Shared fixtures: the app on a fresh database, a real SMTP server, a frozen clock."""

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import create_engine, text

import bluehats.core.clock
from bluehats import create_app
from bluehats.admin.accounts import add_organiser
from bluehats.core.clock import PARIS
from bluehats.extensions import db, limiter

from helpers import HOST, ORGANISER, ORGANISERS, PASSWORD, PUBLISHER, free_port, log_in
from mailserver import Mailbox, start_smtp

# CI explores the same examples on every run, so that a red run can be replayed; a developer's run explores anew.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

DATABASE_URL = os.environ.get("BLUEHATS_TEST_DATABASE_URL")
REDIS_URL = os.environ.get("BLUEHATS_TEST_REDIS_URL")
# A day while the call for talks is open (deadline: 18 October 2022, 00:00, Paris).
CFP_OPEN = datetime(2022, 10, 10, 14, 30, tzinfo=PARIS)


class FrozenClock:
    """The application's clock, set by the test."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment

    def set(self, moment: datetime) -> None:
        self.moment = moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FrozenClock:
    frozen = FrozenClock(CFP_OPEN)
    monkeypatch.setattr(bluehats.core.clock, "now", frozen)
    return frozen


@pytest.fixture
def smtp():
    """A real SMTP server, with the mailbox it fills."""
    mailbox = Mailbox()
    controller = start_smtp(mailbox)
    mailbox.port = controller.port
    mailbox.controller = controller
    yield mailbox
    controller.stop()


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file with every migration applied, copied for each test."""
    path = tmp_path_factory.mktemp("template") / "bluehats.sqlite"
    migrate_once(f"sqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def migrated_postgresql() -> str | None:
    """Apply the migrations once to the test PostgreSQL database, when there is one."""
    if not DATABASE_URL:
        return None
    engine = create_engine(DATABASE_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    migrate_once(DATABASE_URL)
    return DATABASE_URL


def migrate_once(url: str) -> None:
    """Apply every migration to a database, then close its connections."""
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        # Closing the last SQLite connection also checkpoints the WAL into the file that is copied.
        db.engine.dispose()


def base_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    """Return the configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "BLUEHATS_ORGANISER_EMAILS": ORGANISERS,
        "BLUEHATS_MAIL_DELIVERY": "console",
        "BLUEHATS_SMTP_TIMEOUT": 3,
        "SERVER_NAME": "bluehats.test",
        "BLUEHATS_SITE_URL": "http://bluehats.test",
        "RATELIMIT_STORAGE_URI": REDIS_URL or "memory://",
        "BLUEHATS_PUBLISHER": PUBLISHER,
        "BLUEHATS_HOST": HOST,
    }
    config.update(overrides)
    return config


def fresh_database(tmp_path: Path, migrated_sqlite: Path, migrated_postgresql: str | None) -> str:
    """Return the URL of an empty, migrated database for one test."""
    if migrated_postgresql:
        engine = create_engine(migrated_postgresql)
        with engine.begin() as connection:
            tables = ", ".join(table.name for table in db.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return migrated_postgresql
    path = tmp_path / "bluehats.sqlite"
    shutil.copy(migrated_sqlite, path)
    return f"sqlite:///{path}"


@pytest.fixture
def database_url(tmp_path, migrated_sqlite, migrated_postgresql) -> str:
    """The URL of an empty, migrated database for this test."""
    return fresh_database(tmp_path, migrated_sqlite, migrated_postgresql)


@pytest.fixture
def make_app(tmp_path, database_url, clock, monkeypatch):
    """Build an app on a fresh database with configuration overrides."""
    monkeypatch.setenv("BLUEHATS_INSTANCE_PATH", str(tmp_path / "instance"))
    url = database_url
    apps: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        app = create_app(base_config(url, **overrides))
        with app.app_context():
            limiter.reset()  # every test starts with fresh counters, in memory or in Redis
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app, smtp) -> Flask:
    """The app, mailing through the real SMTP server right after each commit."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BLUEHATS_MAIL_DELIVERY="immediate")


@pytest.fixture
def client(app):
    return app.test_client()


def pytest_report_header(config) -> str:
    """Say which backends the suite runs on."""
    database = "PostgreSQL" if DATABASE_URL else "SQLite"
    limiter = "Redis" if REDIS_URL else "memory"
    return f"bluehats backends: database={database}, rate limiter={limiter}"


@pytest.fixture
def organiser(app):
    """An organiser's account; return its address."""
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    return ORGANISER


@pytest.fixture
def admin(app, organiser):
    """A browser with an organiser logged in."""
    client = app.test_client()
    assert log_in(client).status_code == 303
    return client


@pytest.fixture
def mail_port():
    """A loopback port for an SMTP server that the test starts and stops itself."""
    return free_port()


@pytest.fixture
def worker_app(make_app, mail_port):
    """An app whose mails only the outbox worker sends, to a server the test controls."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, BLUEHATS_MAIL_DELIVERY="worker")
