"""The outbox: mails are rows written with what caused them, delivered after the commit."""

import enum
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import make_msgid

from flask import after_this_request, current_app, has_request_context
from sqlalchemy import Row, bindparam, insert, or_, select, update

from ..core import clock
from ..core.vocabulary import MessageStatus
from ..extensions import db
from ..models import OutboxMessage, Proposal
from ..web.database import after_commit, write_transaction
from .transports import PermanentFailure, TemporaryFailure, make_transport, parse_address

log = logging.getLogger(__name__)

BATCH_SIZE = 20
# One mail's slowest delivery: connecting, greeting, MAIL, RCPT, DATA, the text, each step waiting up to
# BLUEHATS_SMTP_TIMEOUT. A batch stops early (the rest released) rather than outlive its claim.
SMTP_STEPS = 6
MAX_ATTEMPTS = 12
MAX_BACKOFF = timedelta(hours=1)


class Attempt(enum.StrEnum):
    """What became of one attempt to send a mail."""

    SENT = "sent"
    FAILED = "failed"  # for good: the server refused it
    RETRY = "retry"  # a temporary failure: later, unless it was the last attempt
    RELEASED = "released"  # not tried: handed back for another run


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


# A Core insert on the table: the ORM's unit of work took 0.6 ms a mail to store what is written once and never
# read back in the same transaction, while a new proposal holds the write turn.
INSERT = insert(OutboxMessage.__table__).returning(OutboxMessage.__table__.c.id)


def queue(
    composed: Mail,
    purpose: str,
    proposal: Proposal | None = None,
    not_before: datetime | None = None,
    after_response: bool = False,
) -> int:
    """Add a mail to the outbox in the caller's transaction (the caller commits); return its id.

    after_response: deliver once the answer has left, so that its timing tells nothing (password reset).
    """
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parse_address(sender).domain or "bluehats.invalid"
    now = clock.now()
    if proposal is not None and proposal.id is None:
        db.session.flush()  # the row names its proposal
    values = {
        "message_id": make_msgid(idstring=purpose, domain=domain),
        "purpose": purpose,
        "sender": sender,
        "recipients": list(composed.recipients),
        "reply_to": composed.reply_to,
        "subject": composed.subject,
        "body_text": composed.text,
        "body_html": composed.html,
        "proposal_id": proposal.id if proposal is not None else None,
        "not_before": not_before or now,
        "next_attempt_at": now,
        "created_at": now,
    }
    message_id = db.session.execute(INSERT, values).scalar_one()
    after_commit(dispatch_after_response if after_response and has_request_context() else dispatch, message_id)
    return message_id


def dispatch(ids: list[int]) -> None:
    """Once the transaction that queued mails has committed, deliver them now unless a worker is in charge."""
    if current_app.config["BLUEHATS_MAIL_DELIVERY"] == "worker":
        return
    send_now(ids)


def send_now(ids: list[int]) -> None:
    """Deliver these messages now; a failure leaves them to the retries."""
    if not ids:
        return
    try:
        deliver(ids=ids)
    except Exception:
        db.session.rollback()
        log.exception("Delivery right after the commit failed; flask outbox deliver will send these mails")


def dispatch_after_response(ids: list[int]) -> None:
    """Like dispatch, once the server has sent the answer (when it closes it), in a context of its own."""
    if current_app.config["BLUEHATS_MAIL_DELIVERY"] == "worker":
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def send_then() -> None:
        with app.app_context():
            send_now(ids)

    @after_this_request
    def when_sent(response):
        response.call_on_close(send_then)
        return response


def claim_lease(count: int) -> timedelta:
    """Return how long a claim on `count` rows lasts: one mail at its slowest, then one SMTP timeout a mail.

    A healthy server takes milliseconds a mail; a worker killed mid-batch holds its rows this long at most
    before another worker (or flask outbox deliver) sends them.
    """
    return timedelta(seconds=float(current_app.config["BLUEHATS_SMTP_TIMEOUT"]) * (SMTP_STEPS + count))


def claim(
    now: datetime, limit: int, ids: list[int] | None = None, force: bool = False, reclaim: bool = False
) -> list[int]:
    """Claim due pending rows for this worker; rows claimed by another are skipped, unless reclaiming."""
    with write_transaction():
        query = (
            select(OutboxMessage.id)
            .where(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.not_before <= now,
            )
            .order_by(OutboxMessage.id)
            .limit(limit)
            # PostgreSQL: concurrent workers skip each other's rows; SQLite: BEGIN IMMEDIATE serialises.
            .with_for_update(skip_locked=True)
        )
        if not force:
            query = query.where(OutboxMessage.next_attempt_at <= now)
        if not reclaim:
            query = query.where(or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        if ids is not None:
            query = query.where(OutboxMessage.id.in_(ids))
        claimed = list(db.session.scalars(query))
        if claimed:
            db.session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(claimed))
                .values(claimed_until=now + claim_lease(len(claimed)))
            )
        return claimed


def held_claims(now: datetime) -> list[Row]:
    """Return the pending rows another worker holds now (id, claimed_until), by the end of their claim."""
    return db.session.execute(
        select(OutboxMessage.id, OutboxMessage.claimed_until)
        .where(OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.claimed_until >= now)
        .order_by(OutboxMessage.claimed_until, OutboxMessage.id)
    ).all()


def backoff(attempts: int) -> timedelta:
    """Return the wait before the next attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


# On the table, not the mapped class: the ORM's bulk update took two thirds of a mail's recording.
RECORD = update(OutboxMessage.__table__).where(OutboxMessage.__table__.c.id == bindparam("row_id"))


def record(message: Row, outcome: Attempt, error: str | None = None) -> None:
    """Write one attempt's outcome (sent, failed, retry, released) in its own short transaction."""
    now = clock.now()
    values: dict = {"claimed_until": None}
    if outcome is not Attempt.RELEASED:
        attempts = message.attempts + 1
        values |= {"attempts": attempts, "last_error": error}
        if outcome is Attempt.SENT:
            values |= {"status": MessageStatus.SENT, "sent_at": now}
        elif outcome is Attempt.FAILED or attempts >= MAX_ATTEMPTS:
            values["status"] = MessageStatus.FAILED
        else:
            values["next_attempt_at"] = now + backoff(attempts)
    with write_transaction():
        db.session.execute(RECORD, {"row_id": message.id, **values})


def deliver(
    ids: list[int] | None = None, force: bool = False, limit: int = BATCH_SIZE, reclaim: bool = False
) -> DeliveryReport:
    """Send due pending messages over one connection; retry the temporary failures later.

    `reclaim` takes over rows claimed by a worker that is gone: only when no other worker runs.
    """
    report = DeliveryReport()
    now = clock.now()
    claimed = claim(now, limit, ids=ids, force=force, reclaim=reclaim)
    if not claimed:
        return report
    # The last moment a mail may start and still end within the claim, at its slowest.
    last_start = now + claim_lease(len(claimed)) - claim_lease(0)
    # The claimed rows, read at once as plain rows; no transaction stays open while the server talks.
    messages = db.session.execute(
        select(OutboxMessage.__table__).where(OutboxMessage.id.in_(claimed)).order_by(OutboxMessage.id)
    ).all()
    db.session.commit()
    transport = make_transport()
    try:
        for position, message in enumerate(messages):
            if clock.now() > last_start:
                # A slow server: the rest is handed back before another worker may take it.
                for later in messages[position:]:
                    record(later, Attempt.RELEASED)
                break
            try:
                note = transport.send(message)
            except PermanentFailure as error:
                record(message, Attempt.FAILED, str(error))
                report.failed += 1
                report.errors.append(f"{message.message_id}: {error}")
            except TemporaryFailure as error:
                record(message, Attempt.RETRY, str(error))
                report.retried += 1
                report.errors.append(f"{message.message_id}: {error}")
                if error.connection_lost:
                    # The server is unreachable: the rest of the batch waits for the next run.
                    for later in messages[position + 1 :]:
                        record(later, Attempt.RELEASED)
                    break
            else:
                record(message, Attempt.SENT, note)
                report.sent += 1
    finally:
        transport.close()
    return report
