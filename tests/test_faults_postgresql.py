"""PostgreSQL restarted or unreachable during a rush: a clear 503, nothing half written, service back by itself."""

import http.client
import threading
from collections.abc import Iterator
from itertools import count

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from bluehats import create_app
from bluehats.extensions import db

from databases import PostgresCluster, postgresql_missing
from fault_checks import NOT_SAVED, assert_mailed_once, assert_nothing_half_written
from helpers import plain
from servers import flask_command, gunicorn, http_get, propose, site_environment, wait_for

UNAVAILABLE = "momentanément indisponible"


def migrate(url: str) -> None:
    """Apply every migration to a database."""
    app = create_app({"TESTING": True, "SECRET_KEY": "migrations", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="module")
def postgresql() -> Iterator[PostgresCluster]:
    """A PostgreSQL server of the test's own, migrated, that the tests may stop and start."""
    reason = postgresql_missing()
    if reason:
        pytest.skip(reason)
    cluster = PostgresCluster()
    try:
        cluster.start()
        migrate(cluster.url)
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def empty_postgresql(postgresql) -> PostgresCluster:
    """The throwaway server, running, with empty tables."""
    if not (postgresql.data / "postmaster.pid").exists():
        postgresql.start()
    tables = ", ".join(table.name for table in db.metadata.sorted_tables)
    engine = create_engine(postgresql.url)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return postgresql


class Rush:
    """Agents sending proposals one after another, in a few threads, until told to stop."""

    def __init__(self, port: int, agents: int = 4) -> None:
        self.port = port
        self.numbers = count()
        self.answers: list[tuple[int, object]] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run) for _ in range(agents)]
        for thread in self.threads:
            thread.start()

    def run(self) -> None:
        while not self.stopping.is_set():
            index = next(self.numbers)
            try:
                answer = propose(self.port, index, timeout=30)
            except (OSError, http.client.HTTPException, AttributeError) as error:  # AttributeError: no form
                answer = error
            self.answers.append((index, answer))

    def count(self, status: int, since: int = 0) -> int:
        """Count the answers with this status, from the since-th answer on."""
        return sum(getattr(answer, "status", None) == status for _, answer in self.answers[since:])

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)


@pytest.mark.slow
def test_postgresql_restarted_mid_rush_gives_503_then_serves_again_by_itself(tmp_path, empty_postgresql, smtp):
    cluster = empty_postgresql
    # The multi-host set-up: a worker sends the mails, so no mail is in flight when the server goes.
    environment = site_environment(tmp_path / "instance", cluster.url, smtp.port, FLASK_BLUEHATS_MAIL_DELIVERY="worker")
    with gunicorn(environment, tmp_path / "gunicorn.log", workers=2) as server:
        workers = server.workers()
        rush = Rush(server.port)
        try:
            wait_for(lambda: rush.count(303) >= 8, 60, "proposals stored before the restart")
            cluster.stop()
            down = len(rush.answers)
            wait_for(lambda: rush.count(503, since=down) >= 4, 30, "503 answers while the server is down")
            status, headers, body = http_get(server.port, "/programme")
            health, _, report = http_get(server.port, "/healthz")
            cluster.start()
            up = len(rush.answers)
            wait_for(lambda: rush.count(303, since=up) >= 8, 60, "proposals stored after the restart")
            health_after = http_get(server.port, "/healthz")[0]
        finally:
            rush.stop()
        assert server.workers() == workers, "gunicorn's workers were not restarted"

    assert (status, headers.get("Retry-After")) == (503, "30")
    assert "Service momentanément indisponible" in plain(body)
    assert (health, health_after) == (503, 200)
    assert '"status":"error"' in report.replace(" ", "")
    statuses = {getattr(answer, "status", answer) for _, answer in rush.answers}
    assert statuses <= {303, 503}, statuses  # never a 500, never a dropped connection
    titles = assert_nothing_half_written(cluster.url)
    for index, answer in rush.answers:
        title = f"Intervention {index}"
        if answer.status == 303:
            assert title in titles
        else:
            assert answer.headers["Retry-After"] == "30"
            assert UNAVAILABLE in plain(answer.body)
            assert "Traceback" not in answer.body
            if NOT_SAVED in plain(answer.body):
                assert title not in titles
                assert f'value="{title}"' in answer.body  # the form comes back as typed
            else:
                # The server went just after the commit: stored, and a resend within the quarter hour is
                # recognised as the same proposal.
                assert title in titles
    delivered = flask_command(environment, "outbox", "deliver")
    assert delivered.returncode == 0, delivered.stdout + delivered.stderr
    assert_mailed_once(smtp, titles)


def test_healthz_answers_503_while_the_database_is_unreachable_and_200_after(make_app, empty_postgresql):
    cluster = empty_postgresql
    client = make_app(SQLALCHEMY_DATABASE_URI=cluster.url).test_client()
    assert client.get("/healthz").status_code == 200
    cluster.stop()
    try:
        down = client.get("/healthz")
        page = client.get("/programme")
    finally:
        cluster.start()
    assert down.status_code == 503
    assert down.get_json()["status"] == "error"
    assert (page.status_code, page.headers["Retry-After"]) == (503, "30")
    assert UNAVAILABLE in plain(page.get_data(as_text=True))
    assert client.get("/healthz").status_code == 200
    assert client.get("/programme").status_code == 200
