"""Refused, lost or slow deliveries: retried with backoff, kept with the server's message, never sent twice."""

import threading
from datetime import timedelta

import pytest

from bluehats.mail import outbox

from mailserver import Mailbox, start_smtp
from outbox_checks import deliver, queue_mails, rows


class Refusing(Mailbox):
    """Accepts every message but those to the given recipients, refused with the given reply."""

    def __init__(self, refusals: dict[str, str]) -> None:
        super().__init__()
        self.refusals = refusals

    async def handle_RCPT(self, server, session, envelope, address, options):
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


class Flaky(Mailbox):
    """Answers the DATA of the listed message numbers (1-based) with the given reply instead of accepting."""

    def __init__(self, replies: dict[int, str]) -> None:
        super().__init__()
        self.replies = replies
        self.seen = 0

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen in self.replies:
            return self.replies[self.seen]
        return await super().handle_DATA(server, session, envelope)


def test_temporary_refusals_are_retried_with_backoff(worker_app, mail_port, clock):
    [message_id] = queue_mails(worker_app, 1)
    mailbox = Flaky({1: "451 4.3.0 Try again later", 2: "421 4.3.2 Service shutting down"})
    server = start_smtp(mailbox, mail_port)
    try:
        first = deliver(worker_app)
        assert first.retried == 1
        [row] = rows(worker_app)
        assert (row.status, row.attempts) == ("pending", 1)
        assert "451" in row.last_error
        assert row.next_attempt_at == clock() + timedelta(minutes=1)
        # Not due yet: the watching worker waits.
        assert deliver(worker_app).retried == 0
        clock.advance(minutes=1)
        assert deliver(worker_app).retried == 1
        [row] = rows(worker_app)
        assert row.attempts == 2
        assert "421" in row.last_error
        assert row.next_attempt_at == clock() + timedelta(minutes=2)
        clock.advance(minutes=2)
        assert deliver(worker_app).sent == 1
    finally:
        server.stop()
    [row] = rows(worker_app)
    assert (row.status, row.attempts, row.id) == ("sent", 3, message_id)
    assert len(mailbox.messages) == 1


def test_by_hand_delivery_ignores_the_backoff(worker_app, mail_port, clock):
    queue_mails(worker_app, 1)
    assert deliver(worker_app).retried == 1  # server down
    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    try:
        assert deliver(worker_app).sent == 0  # the worker respects the backoff
        assert deliver(worker_app, force=True).sent == 1  # by hand, at once
    finally:
        server.stop()


def test_permanent_refusal_is_kept_with_the_servers_message_and_the_batch_goes_on(worker_app, mail_port):
    queue_mails(worker_app, 3)
    mailbox = Refusing({"agent1@example.gouv.fr": "550 5.1.1 User unknown"})
    server = start_smtp(mailbox, mail_port)
    try:
        report = deliver(worker_app)
        assert deliver(worker_app, force=True).sent == 0  # a failed row is never retried
    finally:
        server.stop()
    assert (report.sent, report.failed) == (2, 1)
    statuses = [(row.status, row.last_error) for row in rows(worker_app)]
    assert statuses[0] == ("sent", None)
    assert statuses[1][0] == "failed"
    assert "550 5.1.1 User unknown" in statuses[1][1]
    assert statuses[2] == ("sent", None)
    assert sorted(envelope.rcpt_tos[0] for envelope in mailbox.envelopes) == [
        "agent0@example.gouv.fr",
        "agent2@example.gouv.fr",
    ]


def test_connection_lost_mid_batch_keeps_the_rest_for_later(worker_app, mail_port, clock):
    queue_mails(worker_app, 4)
    mailbox = Flaky({2: "421 4.4.2 Connection dropped"})
    server = start_smtp(mailbox, mail_port)
    try:
        report = deliver(worker_app)
        assert (report.sent, report.retried) == (1, 1)
        assert [row.status for row in rows(worker_app)] == ["sent", "pending", "pending", "pending"]
        assert [row.attempts for row in rows(worker_app)] == [1, 1, 0, 0]
        clock.advance(minutes=1)
        assert deliver(worker_app).sent == 3
    finally:
        server.stop()
    assert sorted(envelope.rcpt_tos[0] for envelope in mailbox.envelopes) == [
        f"agent{index}@example.gouv.fr" for index in range(4)
    ]


def test_a_crash_after_the_server_accepted_resends_with_the_same_message_id(worker_app, mail_port, clock, monkeypatch):
    queue_mails(worker_app, 1)
    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    real_record = outbox.record

    def crash_before_marking_sent(message_id, outcome, error=None):
        if outcome == "sent":
            raise SystemExit("worker killed")
        real_record(message_id, outcome, error)

    try:
        monkeypatch.setattr(outbox, "record", crash_before_marking_sent)
        with pytest.raises(SystemExit):
            deliver(worker_app)
        monkeypatch.setattr(outbox, "record", real_record)
        assert deliver(worker_app, force=True).sent == 0  # still claimed by the dead worker
        clock.advance(minutes=11)  # its claim has lapsed
        assert deliver(worker_app).sent == 1
    finally:
        server.stop()
    assert len(mailbox.messages) == 2
    assert mailbox.messages[0]["Message-ID"] == mailbox.messages[1]["Message-ID"] == rows(worker_app)[0].message_id


def test_two_workers_at_once_never_send_a_row_twice(worker_app, mail_port):
    queue_mails(worker_app, 60)
    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    reports: list[outbox.DeliveryReport] = []
    barrier = threading.Barrier(2)

    def work():
        barrier.wait()
        for _ in range(5):
            reports.append(deliver(worker_app, limit=10))

    try:
        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    assert sum(report.sent for report in reports) == 60
    recipients = [envelope.rcpt_tos[0] for envelope in mailbox.envelopes]
    assert len(recipients) == len(set(recipients)) == 60
    assert {row.status for row in rows(worker_app)} == {"sent"}


def test_a_claim_lasts_what_its_batch_can_take_and_the_operator_sees_it(worker_app, mail_port, clock):
    queue_mails(worker_app, 2)
    with worker_app.app_context():
        outbox.claim(clock(), outbox.BATCH_SIZE)  # a worker claims both rows, then dies
    runner = worker_app.test_cli_runner()
    # One mail at its slowest (6 SMTP steps), then one step a mail: (6 + 2) × the test's 3-second timeout.
    held_until = (clock() + timedelta(seconds=24)).isoformat(timespec="seconds")
    listing = runner.invoke(args=["outbox", "list"]).output
    assert listing.count(f"réservé jusqu’à {held_until}") == 2
    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    try:
        by_hand = runner.invoke(args=["outbox", "deliver"]).output
        assert "0 envoyé," in by_hand
        assert f"2 courriels réservés par un autre envoi jusqu’à {held_until}" in by_hand
        clock.advance(seconds=25)
        assert "2 envoyés," in runner.invoke(args=["outbox", "deliver"]).output
    finally:
        server.stop()
    assert len(mailbox.messages) == 2


class Slow(Mailbox):
    """Takes two SMTP timeouts of the test's clock for each mail."""

    def __init__(self, clock, seconds: float) -> None:
        super().__init__()
        self.clock = clock
        self.seconds = seconds

    async def handle_DATA(self, server, session, envelope):
        self.clock.advance(seconds=self.seconds)
        return await super().handle_DATA(server, session, envelope)


def test_a_slow_server_never_keeps_a_batch_past_its_claim(worker_app, mail_port, clock):
    queue_mails(worker_app, outbox.BATCH_SIZE)
    mailbox = Slow(clock, seconds=2 * 3)
    server = start_smtp(mailbox, mail_port)
    try:
        first = deliver(worker_app)
        # The batch had one timeout a mail; at two a mail, about half of it went before the claim ran short.
        assert 0 < first.sent < outbox.BATCH_SIZE
        left = [row for row in rows(worker_app) if row.status == "pending"]
        assert {(row.attempts, row.claimed_until) for row in left} == {(0, None)}  # handed back, free to take
        later = [deliver(worker_app).sent for _ in range(3)]
    finally:
        server.stop()
    assert first.sent + sum(later) == outbox.BATCH_SIZE
    recipients = [envelope.rcpt_tos[0] for envelope in mailbox.envelopes]
    assert len(recipients) == len(set(recipients)) == outbox.BATCH_SIZE
