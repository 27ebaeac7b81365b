"""SQLite locked by a backup, a full disk: a 503 with the form as typed, and the next proposal works."""

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from fault_checks import NOT_SAVED
from helpers import ORGANISERS, VALID, plain, submit


def retry_after(headers) -> int:
    """Return the seconds a 503 asks the client to wait (at least the site's 30; the rate limiter may say more)."""
    return int(headers["Retry-After"])


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
