"""The README's SQLite backup, taken while the site takes proposals, then restored: nothing committed is missing."""

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from itertools import count

import pytest

from servers import flask_command, gunicorn, propose, site_environment

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not shutil.which("sqlite3"), reason="sauvegarde non essayée : sqlite3 est absent (apt-get install sqlite3)"
    ),
]


class Speakers:
    """Agents sending proposals one after another, each answered proposal noted with the time of its answer."""

    def __init__(self, port: int, agents: int = 4) -> None:
        self.port = port
        self.numbers = count()
        self.answered: list[tuple[float, str]] = []
        self.failures: list[int] = []
        self.running = True
        self.threads = [threading.Thread(target=self.agent) for _ in range(agents)]

    def agent(self) -> None:
        while self.running:
            number = next(self.numbers)
            status = propose(self.port, number).status
            if status == 303:
                self.answered.append((time.monotonic(), f"Intervention {number}"))
            else:
                self.failures.append(status)

    def __enter__(self) -> "Speakers":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.running = False
        for thread in self.threads:
            thread.join(timeout=60)

    def wait_for(self, answered: int, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while len(self.answered) < answered and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(self.answered) >= answered, self.failures

    def answered_before(self, moment: float) -> set[str]:
        return {title for answered_at, title in self.answered if answered_at < moment}


def exported_titles(environment: dict[str, str]) -> list[str]:
    """List the proposals of the site's database with its command line, as an operator does after a restore."""
    export = flask_command(environment, "proposals", "export", "--format", "json")
    assert export.returncode == 0, export.stderr
    return [proposal["title"] for proposal in json.loads(export.stdout)]


def test_a_backup_taken_while_proposals_arrive_restores_every_committed_proposal(tmp_path, migrated_sqlite, smtp):
    live = tmp_path / "instance" / "bluehats.sqlite"
    live.parent.mkdir()
    shutil.copy(migrated_sqlite, live)
    backup = tmp_path / "sauvegardes" / "bluehats.sqlite"
    backup.parent.mkdir()
    # The mails stay in the outbox (worker mode): the rush is the database's alone.
    site = site_environment(live.parent, f"sqlite:///{live}", smtp.port, FLASK_BLUEHATS_MAIL_DELIVERY="worker")
    with gunicorn(site, tmp_path / "gunicorn.log", workers=2) as server, Speakers(server.port) as speakers:
        speakers.wait_for(20)
        started = time.monotonic()
        # The README's command: SQLite's online backup, a consistent copy while the site writes.
        subprocess.run(["sqlite3", str(live), f".backup '{backup}'"], check=True, timeout=60)
        committed = speakers.answered_before(started)
        speakers.wait_for(len(speakers.answered) + 10)
    assert speakers.failures == []
    assert len(committed) >= 20
    assert len(speakers.answered) > len(committed)  # the site went on taking proposals during and after the copy

    restored = tmp_path / "restauration" / "instance" / "bluehats.sqlite"
    restored.parent.mkdir(parents=True)
    shutil.copy(backup, restored)
    with sqlite3.connect(restored) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        # A proposal and its two mails were written in one transaction: the copy has both or neither.
        lonely = connection.execute(
            "SELECT count(*) FROM proposal WHERE (SELECT count(*) FROM outbox_message "
            "WHERE outbox_message.proposal_id = proposal.id) != 2"
        ).fetchone()
    connection.close()
    assert lonely == (0,)
    titles = exported_titles(site_environment(restored.parent, f"sqlite:///{restored}", smtp.port))
    assert committed <= set(titles)
    assert len(titles) == len(set(titles))
    assert os.path.getsize(backup) > 0
