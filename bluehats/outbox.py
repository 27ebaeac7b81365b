"""The outbox: mails are rows written with what caused them, delivered after the commit."""

import email.policy
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache

from flask import current_app
from flask_mail import Connection
from sqlalchemy import Row, or_, select, update

from . import clock
from .database import begin_write
from .extensions import db
from .models import MessageStatus, OutboxMessage, Proposal

log = logging.getLogger(__name__)

BATCH_SIZE = 100
# A claimed row is left alone by other workers this long; after a crash it is tried again.
CLAIM_LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True)
class Mail:
    """A composed mail, not yet queued."""

    recipients: list[str]
    subject: str
    text: str
    html: str
    reply_to: str | None = None


@dataclass
class DeliveryReport:
    """What one delivery run did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "DeliveryReport") -> None:
        """Add another run's figures to these."""
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.errors += other.errors


class TemporaryFailure(Exception):
    """The server refused for now (4xx) or could not be reached: try again later."""

    def __init__(self, text: str, connection_lost: bool = False) -> None:
        super().__init__(text)
        self.connection_lost = connection_lost


class PermanentFailure(Exception):
    """The server refused for good (5xx): keep the error, never retry."""


def queue(
    composed: Mail,
    purpose: str,
    proposal: Proposal | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a mail to the outbox in the caller's transaction (the caller commits)."""
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parse_address(sender).domain or "bluehats.invalid"
    now = clock.now()
    message = OutboxMessage(
        message_id=make_msgid(idstring=purpose, domain=domain),
        purpose=purpose,
        sender=sender,
        recipients=list(composed.recipients),
        reply_to=composed.reply_to,
        subject=composed.subject,
        body_text=composed.text,
        body_html=composed.html,
        proposal=proposal,
        not_before=not_before or now,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(message)
    return message


def dispatch(messages: Iterable[OutboxMessage]) -> None:
    """After the commit, deliver the request's mails now unless a worker is in charge."""
    if current_app.config["BLUEHATS_MAIL_DELIVERY"] == "worker":
        return
    ids = [message.id for message in messages]
    if not ids:
        return
    try:
        deliver(ids=ids)
    except Exception:
        db.session.rollback()
        log.exception("Delivery right after the commit failed; flask outbox deliver will send these mails")


class ConsoleTransport:
    """Write mails to the log (development, BLUEHATS_MAIL_DELIVERY=console)."""

    def close(self) -> None:
        """Nothing to close."""

    def send(self, message: Row) -> str | None:
        """Log the message."""
        log.info(
            "Courriel (console)\nMessage-ID: %s\nTo: %s\nReply-To: %s\nSubject: %s\n\n%s",
            message.message_id,
            ", ".join(message.recipients),
            message.reply_to or "",
            message.subject,
            message.body_text,
        )
        return None


class TimeoutConnection(Connection):
    """Flask-Mail's connection, with the socket timeout it lacks."""

    def configure_host(self) -> smtplib.SMTP | smtplib.SMTP_SSL:
        """Open the SMTP connection with BLUEHATS_SMTP_TIMEOUT seconds for every network step."""
        timeout = current_app.config["BLUEHATS_SMTP_TIMEOUT"]
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


class SMTPTransport:
    """Send over one SMTP connection, opened on first use and reused for the batch."""

    def __init__(self) -> None:
        self.connection: TimeoutConnection | None = None

    def send(self, message: Row) -> str | None:
        """Send one message; classify the server's refusals as temporary or permanent."""
        try:
            if self.connection is None:
                # configure_host() directly: Flask-Mail's MAIL_SUPPRESS_SEND must not hide a real send.
                connection = TimeoutConnection(current_app.extensions["mail"])
                connection.host = connection.configure_host()
                self.connection = connection
            refused = self._send(message)
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise self._refusal(min(codes), describe(error.recipients)) from error
        except smtplib.SMTPResponseException as error:
            reason = error.smtp_error
            text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
            raise self._refusal(error.smtp_code, f"{error.smtp_code} {text}") from error
        except ValueError as error:  # the standard library refuses a header with a line break
            raise PermanentFailure(f"en-tête invalide : {error}") from error
        except (smtplib.SMTPException, OSError) as error:
            self.close(broken=True)
            raise TemporaryFailure(f"{type(error).__name__}: {error}", connection_lost=True) from error
        return describe(refused) if refused else None

    def _refusal(self, code: int, text: str) -> Exception:
        # smtplib resets the session after a refusal, except after 421, when the server hangs up.
        if code == 421:
            self.close(broken=True)
            return TemporaryFailure(text, connection_lost=True)
        return PermanentFailure(text) if code >= 500 else TemporaryFailure(text)

    def _send(self, message: Row) -> dict:
        assert self.connection is not None and self.connection.host is not None
        mime = as_mime(message)
        envelope_to = [address.addr_spec for address in mime["To"].addresses]
        return self.connection.host.sendmail(mime["From"].addresses[0].addr_spec, envelope_to, mime.as_bytes())

    def close(self, broken: bool = False) -> None:
        """Close the connection (politely unless it is already broken)."""
        if self.connection is None:
            return
        host, self.connection = self.connection.host, None
        if host is None:
            return
        try:
            host.close() if broken else host.quit()
        except (smtplib.SMTPException, OSError):
            host.close()


@lru_cache(maxsize=4096)
def parse_address(text: str) -> Address:
    """Parse « Name <address> » with the standard library's strict (and slow: cached) header parser."""
    return email.policy.default.header_factory("To", text).addresses[0]


def as_mime(message: Row) -> EmailMessage:
    """Build the MIME message: text and HTML parts, the stored Message-ID, headers quoted by the standard library."""
    mime = EmailMessage(policy=email.policy.SMTP)
    mime["Subject"] = message.subject
    mime["From"] = parse_address(message.sender)
    mime["To"] = [parse_address(recipient) for recipient in message.recipients]
    if message.reply_to:
        mime["Reply-To"] = parse_address(message.reply_to)
    mime["Date"] = format_datetime(message.created_at)
    mime["Message-ID"] = message.message_id  # the same on every attempt
    mime["Auto-Submitted"] = "auto-generated"
    mime.set_content(message.body_text)
    mime.add_alternative(message.body_html, subtype="html")
    return mime


def describe(refused: dict[str, tuple[int, bytes]]) -> str:
    """Describe refused recipients as the server answered."""
    return "; ".join(f"{who}: {code} {reason.decode(errors='replace')}" for who, (code, reason) in refused.items())


def make_transport() -> ConsoleTransport | SMTPTransport:
    """Return the transport the configuration asks for."""
    if current_app.config["BLUEHATS_MAIL_DELIVERY"] == "console":
        return ConsoleTransport()
    return SMTPTransport()


def claim(now: datetime, limit: int, ids: list[int] | None = None, force: bool = False) -> list[int]:
    """Claim due pending rows for this worker; rows claimed by another are skipped."""
    begin_write()
    query = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.not_before <= now,
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
        # PostgreSQL: concurrent workers skip each other's rows; SQLite: BEGIN IMMEDIATE serialises.
        .with_for_update(skip_locked=True)
    )
    if not force:
        query = query.where(OutboxMessage.next_attempt_at <= now)
    if ids is not None:
        query = query.where(OutboxMessage.id.in_(ids))
    claimed = list(db.session.scalars(query))
    if claimed:
        db.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(claimed)).values(claimed_until=now + CLAIM_LEASE)
        )
    db.session.commit()
    return claimed


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def record(message: Row, outcome: str, error: str | None = None) -> None:
    """Write one attempt's outcome (sent, failed, retry, released) in its own short transaction."""
    now = clock.now()
    values: dict = {"claimed_until": None}
    if outcome != "released":
        attempts = message.attempts + 1
        values |= {"attempts": attempts, "last_error": error}
        if outcome == "sent":
            values |= {"status": MessageStatus.SENT, "sent_at": now}
        elif outcome == "failed" or attempts >= MAX_ATTEMPTS:
            values["status"] = MessageStatus.FAILED
        else:
            values["next_attempt_at"] = now + backoff(attempts)
    begin_write()
    db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def deliver(ids: list[int] | None = None, force: bool = False, limit: int = BATCH_SIZE) -> DeliveryReport:
    """Send due pending messages over one connection; retry the temporary failures later."""
    report = DeliveryReport()
    claimed = claim(clock.now(), limit, ids=ids, force=force)
    if not claimed:
        return report
    # The claimed rows, read at once as plain rows; no transaction stays open while the server talks.
    messages = db.session.execute(
        select(OutboxMessage.__table__).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    ).all()
    db.session.commit()
    transport = make_transport()
    try:
        for position, message in enumerate(messages):
            try:
                note = transport.send(message)
            except PermanentFailure as error:
                record(message, "failed", str(error))
                report.failed += 1
                report.errors.append(f"{message.message_id}: {error}")
            except TemporaryFailure as error:
                record(message, "retry", str(error))
                report.retried += 1
                report.errors.append(f"{message.message_id}: {error}")
                if error.connection_lost:
                    # The server is unreachable: the rest of the batch waits for the next run.
                    for later in messages[position + 1 :]:
                        record(later, "released")
                    break
            else:
                record(message, "sent", note)
                report.sent += 1
    finally:
        transport.close()
    return report
