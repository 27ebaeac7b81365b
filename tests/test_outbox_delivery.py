"""Mails leave after the commit: with the server down, from the worker, to the log, one connection per batch."""

import socket
import threading

from bluehats.mail import outbox

from helpers import ORGANISERS, VALID, submit
from mailserver import Mailbox, start_smtp
from outbox_checks import deliver, queue_mails, rows


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


def test_outbox_list_shows_the_queue(worker_app):
    queue_mails(worker_app, 2)
    result = worker_app.test_cli_runner().invoke(args=["outbox", "list"])
    assert result.exit_code == 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    assert "pending" in lines[0] and "agent0@example.gouv.fr" in lines[0] and "Message 0" in lines[0]
