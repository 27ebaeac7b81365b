"""Database engine settings: SQLite pragmas and write transactions that never fail on upgrade."""

from flask import Flask
from sqlalchemy import event

from .extensions import db

WRITE = "bluehats_write"

SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=15000",
)


def configure_engine(app: Flask) -> None:
    """Tune the engine for its dialect; PostgreSQL needs nothing here."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The driver's own implicit BEGIN is switched off, so that _sqlite_begin chooses the kind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in SQLITE_PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


def _sqlite_begin(connection) -> None:
    # A write transaction takes the write lock at once (BEGIN IMMEDIATE) and so waits on the
    # busy timeout; a read that later upgrades to a write would fail at once with
    # SQLITE_BUSY_SNAPSHOT under WAL when another writer committed in between.
    if connection.get_execution_options().get(WRITE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        connection.exec_driver_sql("BEGIN")


def begin_write() -> None:
    """Start the session's next transaction as a write transaction (ends any read before it)."""
    session = db.session()
    if session.in_transaction():
        session.commit()
    session.connection(execution_options={WRITE: True})
