"""A gunicorn worker killed in the middle of a rush: no mail lost, none sent twice, the operator sends its claims."""

import asyncio
import http.client
import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from fault_checks import assert_mailed_once, assert_nothing_half_written, stored
from mailserver import Mailbox, start_smtp
from servers import flask_command, gunicorn, propose, site_environment, wait_for


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
