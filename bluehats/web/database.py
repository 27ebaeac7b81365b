"""Database engine settings, SQLite pragmas, and the one shape of a write: write_transaction()."""

import contextlib
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from ..extensions import db

WRITE = "bluehats_write"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    # 1 MB of page cache a connection instead of 2: the organisers' list, search and export of 10,000 proposals
    # take as long (the pages stay in the system's file cache), and a process peaks 1.5–2 MB lower (79.4 → 77.2–77.9).
    "PRAGMA cache_size=-1000",
)


class WriteLock:
    """One writer at a time on a SQLite file: a thread lock within the process, a file lock across processes.

    SQLite itself lets a second writer wait by sleeping and retrying (1, 2, 5 … 100 ms); under a rush of
    proposals those sleeps add up. Queuing on these locks wakes the next writer as soon as one commits.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.thread_lock = threading.Lock()
        self.fd: int | None = None
        self.pid: int | None = None

    def acquire(self) -> None:
        """Wait for the write turn."""
        self.thread_lock.acquire()
        try:
            if self.fd is None or self.pid != os.getpid():  # a worker opens its own file descriptor
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self.pid = os.getpid()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
        except BaseException:
            self.thread_lock.release()
            raise

    def release(self) -> None:
        """Give the write turn to the next writer."""
        assert self.fd is not None
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.thread_lock.release()


def configure_engine(app: Flask) -> None:
    """Tune the engine for its dialect; PostgreSQL needs nothing here."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_timeout = int(float(app.config["BLUEHATS_SQLITE_BUSY_TIMEOUT"]) * 1000)
    event.listen(engine, "connect", partial(_sqlite_connect, busy_timeout=busy_timeout))
    database = engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        # Just before SQLite opens (and would create) the file: not at start-up, only once it is used.
        event.listen(engine, "do_connect", lambda *_args: create_private_file(Path(database)))
    lock = WriteLock(Path(f"{database}.writelock")) if database and database != ":memory:" else None
    listen_for_writes(engine, lock)


def create_private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only from its first byte (SQLite gives its journals the same)."""
    if path.exists():
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):  # another worker made it first
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _sqlite_connect(dbapi_connection, _record, busy_timeout: int) -> None:
    # The driver's own implicit BEGIN is switched off, so that the begin event chooses the kind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    # Past this many milliseconds behind another program's lock, the write fails: the visitor gets a 503.
    cursor.execute(f"PRAGMA busy_timeout={busy_timeout}")
    cursor.close()


def listen_for_writes(engine: Engine, lock: WriteLock | None) -> None:
    """Begin write transactions with BEGIN IMMEDIATE, in turn; release the turn when the connection is back."""

    @event.listens_for(engine, "begin")
    def begin(connection) -> None:
        # A write transaction takes SQLite's write lock at once (BEGIN IMMEDIATE): a read that later
        # upgrades to a write would fail at once with SQLITE_BUSY_SNAPSHOT when another writer
        # committed in between.
        if not connection.get_execution_options().get(WRITE):
            connection.exec_driver_sql("BEGIN")
            return
        if lock is not None:
            lock.acquire()
            connection.connection.info[WRITE] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            release_turn(connection.connection.info)
            raise

    def release_turn(info: dict) -> None:
        if info.pop(WRITE, False):
            assert lock is not None
            lock.release()

    # The session hands its connection back to the pool once the transaction has committed or rolled back.
    event.listen(engine, "checkin", lambda _dbapi, record: record is not None and release_turn(record.info))
    event.listen(engine, "invalidate", lambda _dbapi, record, _error: release_turn(record.info))


AFTER_COMMIT = "bluehats.after_commit"


@contextmanager
def write_transaction() -> Iterator[Session]:
    """Run a block as one write transaction: begun as a write, committed at the end, rolled back on error.

    On SQLite the transaction starts with BEGIN IMMEDIATE, in turn with the other writers. What the block
    asked to run after the commit (after_commit) runs once the data is safely stored, never after a rollback.
    """
    session = db.session()
    if session.in_transaction():
        session.commit()  # ends a read transaction, which SQLite could not turn into a write
    session.info.pop(AFTER_COMMIT, None)
    session.connection(execution_options={WRITE: True})
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        session.info.pop(AFTER_COMMIT, None)
        raise
    for callback, items in session.info.pop(AFTER_COMMIT, {}).values():
        callback(items)


def after_commit(callback: Callable[[list[Any]], None], item: Any) -> None:
    """Once the write transaction under way commits, call `callback` once with every item given to it."""
    pending = db.session().info.setdefault(AFTER_COMMIT, {})
    pending.setdefault(callback, (callback, []))[1].append(item)
