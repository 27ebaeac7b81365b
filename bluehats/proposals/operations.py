"""What a speaker does to a proposal: submit, edit, withdraw, confirm, renew the link; each write with its mails."""

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, func, select, text

from .. import history
from ..core import clock
from ..core.edition import Edition, cfp_state
from ..core.vocabulary import Change, Decision, Notice, Status
from ..decisions import answer_is_public
from ..editions import next_number, record_edition
from ..extensions import db
from ..mail import messages as mails
from ..mail import outbox
from ..mail.drafts import completed, new_proposal_drafts
from ..models import CoSpeaker, Proposal
from ..web.database import write_transaction
from ..web.links import new_link_secret
from ..web.templating import current_edition

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
    "preferred_day": "jour préféré",
    "cospeakers": "co-intervenant·es",
}
# The same address and title again within this window is a double click or a resend.
DUPLICATE_WINDOW = timedelta(minutes=15)


class Received(enum.Enum):
    """What became of a proposal sent through the form."""

    NEW = "new"  # stored, mails queued
    REPEATED = "repeated"  # this browser sent it minutes ago: the first one stands
    ELSEWHERE = "elsewhere"  # another browser sent the same address and title minutes ago: nothing stored


@dataclass(frozen=True)
class Submission:
    """The outcome of a submission: what happened and, for this browser only, which proposal it is."""

    received: Received
    proposal_id: int | None


def cfp_accepts(edition: Edition, now: datetime, preview: bool) -> bool:
    """Tell whether proposals are accepted now (or kept usable for a demonstration)."""
    return preview or cfp_state(edition, now).is_open


def can_edit(proposal: Proposal, accepting: bool) -> bool:
    """Tell whether the speaker may still edit or withdraw: a live proposal of the open call."""
    return (
        proposal.status == Status.SUBMITTED
        and proposal.purged_at is None
        and proposal.edition == current_edition().key
        and accepting
    )


def can_confirm(proposal: Proposal, now: datetime) -> bool:
    """Tell whether the speaker may confirm: accepted, answer public, not confirmed yet."""
    return (
        proposal.status == Status.SUBMITTED
        and proposal.decision == Decision.ACCEPTED
        and answer_is_public(proposal, now)
        and proposal.confirmed_at is None
    )


# Built once: a submission runs it while holding the write turn, which a rush of proposals queues on.
RECENT_TWIN = (
    select(Proposal.id)
    .where(
        Proposal.edition == bindparam("edition"),
        func.lower(Proposal.email) == bindparam("email"),
        func.lower(Proposal.title) == bindparam("title"),
        Proposal.created_at >= bindparam("since"),
        Proposal.status == Status.SUBMITTED,
    )
    .order_by(Proposal.id)
    .limit(1)
)


def recent_twin(edition_key: str, email: str, title: str, now: datetime) -> int | None:
    """Return the id of a live proposal with the same address and title sent minutes ago (spam never counts)."""
    parameters = {
        "edition": edition_key,
        "email": email.lower(),
        "title": title.lower(),
        "since": now - DUPLICATE_WINDOW,
    }
    return db.session.scalar(RECENT_TWIN, parameters)


def submit_proposal(
    data: dict[str, Any],
    honeypot: str = "",
    sent_from_here: frozenset[int] = frozenset(),
    cospeakers: list[dict[str, str]] | None = None,
) -> Submission:
    """Store a proposal and its two mails, unless it repeats one sent minutes ago; a filled honeypot stores spam.

    A repeat is recognised as *this* browser's only when its id is among `sent_from_here`: anyone else who
    types the same address and title learns nothing about the first proposal and gets no link to it.
    """
    now = clock.now()
    edition = current_edition()
    # What needs no write turn is made before taking it: the turn is what a rush of proposals queues on.
    proposal = Proposal(
        **data,
        edition=edition.key,
        status=Status.SPAM if honeypot else Status.SUBMITTED,
        honeypot=honeypot,
        link_secret=new_link_secret(),
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    proposal.cospeakers = [CoSpeaker(position=index, **row) for index, row in enumerate(cospeakers or [])]
    drafts = [] if honeypot else new_proposal_drafts(proposal)
    with write_transaction():
        if db.session.get_bind().dialect.name == "postgresql":
            # Submissions to one edition take their numbers in turn, and two identical sends at the same instant
            # wait for each other: the second finds the first. (SQLite needs nothing: BEGIN IMMEDIATE already
            # lets one writer in at a time.)
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"number:{edition.key}"})
        if not honeypot:
            twin_id = recent_twin(edition.key, str(data["email"]), str(data["title"]), now)
            if twin_id is not None and twin_id in sent_from_here:
                return Submission(Received.REPEATED, twin_id)
            if twin_id is not None:
                return Submission(Received.ELSEWHERE, None)
        record_edition(edition)
        proposal.number = next_number(edition.key)
        proposal.reference = f"{edition.reference_prefix}{proposal.number:04d}"
        db.session.add(proposal)
        db.session.flush()  # the id names the private link
        for draft in completed(drafts, proposal):
            outbox.queue(draft.mail, draft.purpose, proposal)
        return Submission(Received.NEW, proposal.id)


def queue_mails(proposal: Proposal, to_speaker: outbox.Mail | None, change: Notice) -> None:
    """Queue the speaker's mail (if any) and the organisers' notice of a change."""
    if to_speaker is not None:
        outbox.queue(to_speaker, f"speaker-{change}", proposal)
    notice = mails.organiser_notification(proposal, change)
    if notice is not None:
        outbox.queue(notice, f"organisers-{change}", proposal)


def cospeaker_rows(proposal: Proposal) -> list[dict[str, str]]:
    """Return a proposal's co-speakers as the form's rows."""
    return [
        {name: getattr(co, name) for name in ("first_name", "last_name", "email", "administration")}
        for co in proposal.cospeakers
    ]


def update_proposal(
    proposal_id: int, data: dict[str, Any], accepting: bool, cospeakers: list[dict[str, str]] | None = None
) -> list[str] | None:
    """Apply the speaker's edit, mail them a copy and tell the organisers; return the changed fields' names.

    None when the proposal can no longer change.
    """
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or not can_edit(proposal, accepting):
            return None
        changed = {name: value for name, value in data.items() if getattr(proposal, name) != value}
        if cospeakers is not None and cospeakers != cospeaker_rows(proposal):
            changed["cospeakers"] = [CoSpeaker(position=index, **row) for index, row in enumerate(cospeakers)]
        if not changed:
            return []
        for name, value in changed.items():
            setattr(proposal, name, value)
        proposal.updated_at = clock.now()
        labels = [FIELD_LABELS[name] for name in changed]
        history.record(proposal, proposal.email, Change.EDITED, ", ".join(labels))
        queue_mails(proposal, mails.edit_confirmation(proposal, labels), Notice.EDITED)
        return labels


def withdraw_proposal(proposal_id: int, accepting: bool) -> bool:
    """Withdraw a proposal (kept for the record), confirm to the speaker, tell the organisers."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or not can_edit(proposal, accepting):
            return False
        now = clock.now()
        proposal.status = Status.WITHDRAWN
        proposal.withdrawn_at = now
        proposal.updated_at = now
        history.record(proposal, proposal.email, Change.WITHDRAWN)
        queue_mails(proposal, mails.withdrawal_confirmation(proposal), Notice.WITHDRAWN)
        return True


def confirm_participation(proposal_id: int) -> bool:
    """Record that an accepted speaker confirms; return whether it was recorded now."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or not can_confirm(proposal, clock.now()):
            return False
        proposal.confirmed_at = clock.now()
        history.record(proposal, proposal.email, Change.CONFIRMED)
        return True


def renew_private_link(proposal_id: int, actor: str) -> bool:
    """Revoke a proposal's private link: a new secret, the new link mailed to the speaker only."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.purged_at is not None or proposal.status == Status.SPAM:
            return False
        proposal.link_secret = new_link_secret()
        history.record(proposal, actor, Change.LINK_RENEWED)
        outbox.queue(mails.new_private_link(proposal), "speaker-link", proposal)
        return True
