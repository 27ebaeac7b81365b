"""Faults of the machine, survived: a worker killed mid-rush, the database restarted or locked, the disk full,
Redis gone. Each test starts the real component, injects the fault and looks from the outside."""

import asyncio
import errno
import http.client
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import count
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from bluehats import create_app
from bluehats.extensions import db

from helpers import ORGANISERS, VALID, plain, submit
from mailserver import Mailbox, start_smtp
from servers import (
    PostgresCluster,
    RedisServer,
    flask_command,
    gunicorn,
    http_get,
    postgresql_missing,
    propose,
    site_environment,
    wait_for,
)

UNAVAILABLE = "momentanément indisponible"
NOT_SAVED = "Votre proposition n’a pas pu être enregistrée"


def retry_after(headers) -> int:
    """Return the seconds a 503 asks the client to wait (at least the site's 30; the rate limiter may say more)."""
    return int(headers["Retry-After"])


def stored(url: str, query: str) -> list:
    """Read rows straight from the database, as an operator would."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(query)).all())
    finally:
        engine.dispose()


def assert_nothing_half_written(url: str) -> list[str]:
    """Check that every stored proposal has its two mails, and return the stored titles."""
    proposals = stored(
        url,
        "SELECT p.title, count(m.id) FROM proposal p LEFT JOIN outbox_message m ON m.proposal_id = p.id "
        "GROUP BY p.id, p.title",
    )
    assert all(mails == 2 for _, mails in proposals), proposals
    return [title for title, _ in proposals]


def assert_mailed_once(mailbox: Mailbox, titles: list[str]) -> None:
    """Check that each stored proposal's speaker and the organiser got exactly one mail for it."""
    message_ids = [message["Message-ID"] for message in mailbox.messages]
    assert len(message_ids) == len(set(message_ids)) == 2 * len(titles)
    for title in titles:
        index = title.removeprefix("Intervention ")
        assert len(mailbox.to(f"agent{index}@interieur.gouv.fr")) == 1, title
    assert len(mailbox.to("orga@numerique.gouv.fr")) == len(titles)


# --- A worker dies -------------------------------------------------------------------------------------------


class HoldingMailbox(Mailbox):
    """Accepts every mail; while `holding` is set, keeps each sender waiting at RCPT, before any text is sent."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()
        self.waiting = 0

    async def handle_RCPT(self, server, session, envelope, address, options):
        if self.holding.is_set():
            self.waiting += 1
            try:
                for _ in range(600):  # 30 s at most
                    if not self.holding.is_set():
                        break
                    await asyncio.sleep(0.05)
            finally:
                self.waiting -= 1
        envelope.rcpt_tos.append(address)
        return "250 OK"


def smtp_connections(pid: int, smtp_port: int) -> int:
    """Count the connections a process has open to the SMTP server (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as lines:
            next(lines)
            for line in lines:
                fields = line.split()
                if int(fields[2].rsplit(":", 1)[1], 16) == smtp_port and fields[3] == "01":  # ESTABLISHED
                    inodes.add(fields[9])
    found = 0
    for descriptor in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(descriptor)
        except OSError:
            continue
        found += target.startswith("socket:[") and target[8:-1] in inodes
    return found


def attempt(port: int, index: int) -> int | None:
    """One agent's proposal; None when the worker serving it died under it."""
    try:
        return propose(port, index, timeout=30).status
    except (OSError, http.client.HTTPException):
        return None


def wait_until_still(read, seconds: float) -> int:
    """Wait until a count stops moving for one second (at most `seconds`), and return it."""
    deadline = time.monotonic() + seconds
    last = read()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = read()
        if now == last and now > 0:
            return now
        last = now
    raise AssertionError("the count never settled")


@pytest.mark.slow
def test_a_worker_killed_mid_rush_loses_no_mail_and_the_operator_sends_its_claims(tmp_path, database_url):
    rush = 120
    mailbox = HoldingMailbox()
    smtp = start_smtp(mailbox)
    # Claims outlive the test by far: only the operator's --reclaim can send what the dead worker held.
    environment = site_environment(tmp_path / "instance", database_url, smtp.port, FLASK_BLUEHATS_SMTP_TIMEOUT="30")
    try:
        with gunicorn(environment, tmp_path / "gunicorn.log") as server, ThreadPoolExecutor(32) as pool:
            answers = [pool.submit(attempt, server.port, index) for index in range(rush)]
            wait_for(lambda: sum(answer.done() for answer in answers) >= rush // 4, 60, "a quarter answered")
            # Every worker thread busy mailing waits at RCPT: none is between the server's "250" and its record.
            mailbox.holding.set()
            wait_until_still(lambda: mailbox.waiting, 20)
            victim = max(server.workers(), key=lambda pid: smtp_connections(pid, smtp.port))
            assert smtp_connections(victim, smtp.port) > 0
            os.kill(victim, signal.SIGKILL)
            killed_at = time.monotonic()
            wait_for(lambda: victim not in server.workers(), 10, "the killed worker gone")
            mailbox.holding.clear()
            statuses = [answer.result() for answer in answers]
        assert set(statuses) <= {303, None}
        assert statuses.count(None) >= 1, "the killed worker's visitors lost their connection"

        listing = flask_command(environment, "outbox", "list")
        assert "réservé jusqu’à" in listing.stdout, listing.stdout + listing.stderr
        by_hand = flask_command(environment, "outbox", "deliver")
        assert " par un autre envoi jusqu’à" in by_hand.stdout, by_hand.stdout + by_hand.stderr
        assert "--reclaim" in by_hand.stdout
        reclaimed = flask_command(environment, "outbox", "deliver", "--reclaim")
        assert reclaimed.returncode == 0, reclaimed.stdout + reclaimed.stderr
        assert time.monotonic() - killed_at < 120
    finally:
        mailbox.holding.clear()
        smtp.stop()

    titles = assert_nothing_half_written(database_url)
    answered = {f"Intervention {index}" for index, status in enumerate(statuses) if status == 303}
    assert answered <= set(titles)
    assert stored(database_url, "SELECT DISTINCT status FROM outbox_message") == [("sent",)]
    assert_mailed_once(mailbox, titles)
    assert "Aucun courriel en attente." in flask_command(environment, "outbox", "list").stdout


# --- The database restarts ------------------------------------------------------------------------------------


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


# --- SQLite locked by a backup, the disk full -----------------------------------------------------------------

LOCKER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")  # a backup copying the file under SQLite's write lock
print("locked", flush=True)
sys.stdin.read()
"""


def sqlite_copy(directory: Path, migrated_sqlite: Path) -> Path:
    """Copy the migrated SQLite template into a directory; return the file."""
    directory.mkdir(exist_ok=True)
    path = directory / "bluehats.sqlite"
    shutil.copy(migrated_sqlite, path)
    return path


def proposals_in(path: Path) -> list[str]:
    """Read the stored titles from a SQLite file, as an operator would."""
    with sqlite3.connect(path) as connection:
        return [title for (title,) in connection.execute("SELECT title FROM proposal ORDER BY id")]


def test_sqlite_locked_by_a_backup_gives_503_with_the_form_as_typed(make_app, smtp, tmp_path, migrated_sqlite):
    path = sqlite_copy(tmp_path / "site", migrated_sqlite)
    app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        BLUEHATS_SQLITE_BUSY_TIMEOUT=1,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
    )
    client = app.test_client()
    with subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as backup:
        assert backup.stdout.readline().strip() == "locked"
        started = time.monotonic()
        answer = submit(client, title="Pendant la sauvegarde")
        waited = time.monotonic() - started
        reading = client.get("/programme")
        backup.stdin.close()  # the backup ends
        backup.wait(timeout=10)
    page = plain(answer.get_data(as_text=True))
    assert answer.status_code == 503
    assert retry_after(answer.headers) >= 30
    assert 1 <= waited < 10
    assert NOT_SAVED in page
    assert 'value="Pendant la sauvegarde"' in page and VALID["abstract"] in page
    assert reading.status_code == 200  # reading goes on during the backup
    assert proposals_in(path) == []

    assert submit(client, title="Pendant la sauvegarde").status_code == 303
    assert proposals_in(path) == ["Pendant la sauvegarde"]
    assert len(smtp.to(VALID["email"])) == 1
    assert all(len(smtp.to(organiser)) == 1 for organiser in ORGANISERS)


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    """A 4 MB filesystem (tmpfs) mounted for the test."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small filesystem (tmpfs) needs root and mount")
    directory = tmp_path / "disk"
    directory.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(directory)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield directory
    finally:
        if subprocess.run(["umount", str(directory)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(directory)], check=True)


def fill(directory: Path) -> Path:
    """Write a file until the filesystem is full; return it."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as output:
        chunk = b"\0" * 65536
        while True:
            try:
                if output.write(chunk) == 0:
                    break
            except OSError as error:
                if error.errno != errno.ENOSPC:
                    raise
                if len(chunk) == 1:
                    break
                chunk = chunk[: len(chunk) // 16 or 1]
    return filler


def test_a_full_disk_gives_503_keeps_the_form_and_the_next_proposal_after_space_is_freed_works(
    small_disk, make_app, smtp, migrated_sqlite
):
    path = sqlite_copy(small_disk, migrated_sqlite)
    app = make_app(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
    )
    client = app.test_client()
    assert submit(client, title="Avant").status_code == 303
    filler = fill(small_disk)
    answer = submit(client, title="Disque plein", email="claude.martin@culture.gouv.fr")
    page = plain(answer.get_data(as_text=True))
    assert answer.status_code == 503
    assert retry_after(answer.headers) >= 30
    assert NOT_SAVED in page
    assert 'value="Disque plein"' in page and 'value="claude.martin@culture.gouv.fr"' in page
    assert VALID["abstract"] in page
    assert proposals_in(path) == ["Avant"]

    filler.unlink()
    assert submit(client, title="Disque plein", email="claude.martin@culture.gouv.fr").status_code == 303
    assert proposals_in(path) == ["Avant", "Disque plein"]
    assert len(smtp.to("claude.martin@culture.gouv.fr")) == 1


# --- Redis goes away ------------------------------------------------------------------------------------------


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A redis-server of the test's own, on a free port."""
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian package redis-server)")
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def limiter_keys(server: RedisServer) -> list[bytes]:
    return [key for key in server.stored_keys() if b"proposals.submit" in key]


def test_redis_gone_falls_back_to_per_process_limits_and_comes_back(make_app, database_url, redis_server, caplog):
    client = make_app(RATELIMIT_STORAGE_URI=redis_server.url, BLUEHATS_MAIL_DELIVERY="worker").test_client()
    answers: dict[str, int] = {}

    def send() -> int:
        title = f"Intervention {len(answers)}"
        answers[title] = submit(client, title=title).status_code
        return answers[title]

    assert send() == 303
    assert limiter_keys(redis_server)
    redis_server.stop()
    # The same limits, counted by this process alone: ten a minute go through, the eleventh waits.
    assert [send() for _ in range(11)] == [303] * 10 + [429]
    assert "falling back to in-memory storage" in caplog.text

    redis_server.start()
    # Flask-Limiter looks for its storage again after a growing pause (1, 2, 4 … 32 s): then counts in Redis.
    wait_for(lambda: send() == 303 and limiter_keys(redis_server), 40, "the limits counted in Redis again", 0.5)
    titles = {title for (title,) in stored(database_url, "SELECT title FROM proposal")}
    assert titles == {title for title, status in answers.items() if status == 303}
