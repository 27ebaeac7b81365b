"""What happens to a proposal: submitted, edited, withdrawn; each write with its mails, in one transaction."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text

from .. import history
from ..core import clock
from ..core.event import Event, cfp_state
from ..extensions import db
from ..mail import outbox
from ..mail.messages import organiser_notification, speaker_confirmation, withdrawal_confirmation
from ..models import OutboxMessage, Proposal, Status
from ..web.database import write_transaction

FIELD_LABELS = {
    "first_name": "prénom",
    "last_name": "nom",
    "email": "adresse électronique",
    "administration": "administration",
    "job_title": "fonction",
    "title": "titre",
    "abstract": "description",
    "kind": "type",
    "duration": "durée",
}
# The same address and title again within this window is a double click or a resend.
DUPLICATE_WINDOW = timedelta(minutes=15)


@dataclass
class Outcome:
    """A proposal after a write, and the mails queued with it."""

    proposal: Proposal
    messages: list[OutboxMessage]
    created: bool = True


def cfp_accepts(event: Event, now: datetime, preview: bool) -> bool:
    """Tell whether proposals are accepted now (or kept usable for a demonstration)."""
    return preview or cfp_state(event, now).is_open


def find_duplicate(email: str, title: str, now: datetime) -> Proposal | None:
    """Return the proposal this one repeats, if the same person sent the same title minutes ago."""
    # Only the id is selected (cheap, and usually there is none); the proposal is loaded if found.
    duplicate_id = db.session.scalar(
        select(Proposal.id)
        .where(
            func.lower(Proposal.email) == email.lower(),
            func.lower(Proposal.title) == title.lower(),
            Proposal.created_at >= now - DUPLICATE_WINDOW,
            Proposal.status != Status.WITHDRAWN,
        )
        .order_by(Proposal.id)
        .limit(1)
    )
    return db.session.get(Proposal, duplicate_id) if duplicate_id is not None else None


def submit_proposal(data: dict[str, Any], honeypot: str = "") -> Outcome:
    """Store a proposal and its two mails; a repeat returns the first, a filled honeypot stores spam."""
    now = clock.now()
    with write_transaction():
        if db.session.get_bind().dialect.name == "postgresql":
            # Two identical sends at the same instant: the second waits here for the first to commit, then
            # finds it. (SQLite needs nothing: BEGIN IMMEDIATE already lets one writer in at a time.)
            db.session.execute(
                text("SELECT pg_advisory_xact_lock(hashtext(:email))"), {"email": str(data["email"]).lower()}
            )
        duplicate = find_duplicate(str(data["email"]), str(data["title"]), now)
        if duplicate is not None:
            return Outcome(duplicate, [], created=False)
        proposal = Proposal(
            **data,
            status=Status.SPAM if honeypot else Status.SUBMITTED,
            honeypot=honeypot,
            consent_at=now,
            created_at=now,
            updated_at=now,
        )
        db.session.add(proposal)
        db.session.flush()  # the id names the reference and signs the private link
        messages = [] if honeypot else queue_mails(proposal, speaker_confirmation(proposal), "new")
        return Outcome(proposal, messages)


def queue_mails(proposal: Proposal, to_speaker, change: str) -> list[OutboxMessage]:
    """Queue the speaker's mail (if any) and the organisers' notice of a change."""
    messages = []
    if to_speaker is not None:
        messages.append(outbox.queue(to_speaker, f"speaker-{change}", proposal))
    notice = organiser_notification(proposal, change)
    if notice is not None:
        messages.append(outbox.queue(notice, f"organisers-{change}", proposal))
    return messages


def update_proposal(proposal_id: int, data: dict[str, Any]) -> Outcome | None:
    """Apply the speaker's edit and tell the organisers; None when the proposal cannot change."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SUBMITTED:
            return None
        changed = {name: value for name, value in data.items() if getattr(proposal, name) != value}
        if not changed:
            return Outcome(proposal, [], created=False)
        for name, value in changed.items():
            setattr(proposal, name, value)
        proposal.updated_at = clock.now()
        history.record(proposal, proposal.email, "edited", ", ".join(FIELD_LABELS[name] for name in changed))
        messages = queue_mails(proposal, None, "edited")
        return Outcome(proposal, messages, created=False)


def withdraw_proposal(proposal_id: int) -> Outcome | None:
    """Withdraw a proposal (kept for the record), confirm to the speaker, tell the organisers."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SUBMITTED:
            return None
        now = clock.now()
        proposal.status = Status.WITHDRAWN
        proposal.withdrawn_at = now
        proposal.updated_at = now
        history.record(proposal, proposal.email, "withdrawn")
        messages = queue_mails(proposal, withdrawal_confirmation(proposal), "withdrawn")
        return Outcome(proposal, messages, created=False)


def restore_spam(proposal_id: int, organiser: str) -> Outcome | None:
    """Make a proposal caught by the honeypot a real one, and send the mails it never got."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SPAM:
            return None
        proposal.status = Status.SUBMITTED
        history.record(proposal, organiser, "restored")
        messages = queue_mails(proposal, speaker_confirmation(proposal), "new")
        return Outcome(proposal, messages, created=False)


def add_note(proposal_id: int, organiser: str, text: str) -> None:
    """Add an organiser's internal note to a proposal's history."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is not None:
            history.record(proposal, organiser, "note", text.replace("\r\n", "\n").strip())
