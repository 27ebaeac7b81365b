"""The outbox against a real SMTP server that misbehaves on purpose: nothing lost, nothing sent twice."""

import socket
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import OutboxMessage

from helpers import ORGANISERS, VALID, free_port, submit
from mailserver import Mailbox, start_smtp


def queue_mails(app, count: int) -> list[int]:
    """Queue plain mails straight into the outbox, as a service function would."""
    with app.app_context():
        messages = [
            outbox.queue(
                outbox.Mail([f"agent{index}@example.gouv.fr"], f"Message {index}", f"Texte {index}", f"<p>{index}</p>"),
                "test",
            )
            for index in range(count)
        ]
        db.session.commit()
        return [message.id for message in messages]


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return found


def deliver(app, **options) -> outbox.DeliveryReport:
    with app.app_context():
        return outbox.deliver(**options)


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


@pytest.fixture
def mail_port():
    return free_port()


@pytest.fixture
def worker_app(make_app, mail_port):
    """An app whose mails only the outbox worker sends, to a server the test controls."""
    return make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, BLUEHATS_MAIL_DELIVERY="worker")


def test_submission_succeeds_with_the_server_down_and_mails_leave_once_it_is_back(make_app, mail_port):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, BLUEHATS_MAIL_DELIVERY="immediate")
    client = app.test_client()
    answer = submit(client)  # nothing listens on the mail port
    assert answer.status_code == 303
    assert client.get(answer.headers["Location"]).status_code == 200
    pending = rows(app)
    assert [message.status for message in pending] == ["pending", "pending"]
    assert pending[0].attempts == 1
    assert "ConnectionRefusedError" in pending[0].last_error
    assert pending[1].attempts == 0  # the batch stopped at the unreachable server

    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    try:
        runner = app.test_cli_runner()
        result = runner.invoke(args=["outbox", "deliver"])
        assert result.exit_code == 0, result.output
        assert "2 envoyés, 0 à réessayer, 0 en échec." in result.output
        again = runner.invoke(args=["outbox", "deliver"])
        assert "0 envoyé," in again.output
    finally:
        server.stop()
    assert len(mailbox.to(VALID["email"])) == 1
    for organiser in ORGANISERS:
        assert len(mailbox.to(organiser)) == 1
    assert [message.status for message in rows(app)] == ["sent", "sent"]


def test_worker_mode_leaves_delivery_to_the_worker(worker_app, mail_port):
    client = worker_app.test_client()
    assert submit(client).status_code == 303
    assert [(message.status, message.attempts) for message in rows(worker_app)] == [("pending", 0)] * 2
    listing = worker_app.test_cli_runner().invoke(args=["outbox", "list"]).output
    assert listing.count("\tpending\t0 essai\t") == 2


def test_an_unexpected_fault_while_mailing_never_reaches_the_speaker(make_app, mail_port, monkeypatch):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, BLUEHATS_MAIL_DELIVERY="immediate")

    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(outbox, "make_transport", broken)
    answer = submit(app.test_client())
    assert answer.status_code == 303
    assert [message.status for message in rows(app)] == ["pending", "pending"]


def test_console_mode_writes_the_mail_to_the_log(make_app, caplog):
    app = make_app(BLUEHATS_MAIL_DELIVERY="console")
    assert submit(app.test_client()).status_code == 303
    assert "Courriel (console)" in caplog.text
    assert f"To: Camille Dupont <{VALID['email']}>" in caplog.text
    assert [message.status for message in rows(app)] == ["sent", "sent"]


def test_one_connection_for_a_batch(worker_app, mail_port):
    queue_mails(worker_app, 5)
    mailbox = Mailbox()
    server = start_smtp(mailbox, mail_port)
    try:
        report = deliver(worker_app)
    finally:
        server.stop()
    assert report.sent == 5
    assert len(mailbox.messages) == 5
    assert len({envelope.mail_from for envelope in mailbox.envelopes}) == 1
    assert len({id(session) for session in mailbox.sessions}) == 1


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


class Silent:
    """A server that accepts connections and never says a word."""

    def __init__(self, port: int) -> None:
        self.listener = socket.create_server(("127.0.0.1", port))
        self.accepted: list[socket.socket] = []
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            self.accepted.append(connection)

    def stop(self) -> None:
        self.listener.close()
        for connection in self.accepted:
            connection.close()


def test_a_server_that_never_answers_does_not_hold_the_speaker(make_app, mail_port):
    app = make_app(
        MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_port, BLUEHATS_MAIL_DELIVERY="immediate", BLUEHATS_SMTP_TIMEOUT=1
    )
    silent = Silent(mail_port)
    try:
        answer = submit(app.test_client())
    finally:
        silent.stop()
    assert answer.status_code == 303
    assert silent.accepted, "the site did reach the server"
    first = rows(app)[0]
    assert first.status == "pending"
    assert "timed out" in first.last_error


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


def test_outbox_list_shows_the_queue(worker_app):
    queue_mails(worker_app, 2)
    result = worker_app.test_cli_runner().invoke(args=["outbox", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert "pending" in lines[0] and "agent0@example.gouv.fr" in lines[0] and "Message 0" in lines[0]


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
