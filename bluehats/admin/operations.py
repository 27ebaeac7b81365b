"""What organisers write outside the decisions and the programme: opinions, notes, spam restored, mails, purges."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import func, select, update

from .. import history
from ..core import clock
from ..core.vocabulary import Change, MessageStatus, Notice, Opinion, Status
from ..extensions import db
from ..mail import messages as mails
from ..models import CoSpeaker, HistoryLine, OutboxMessage, Proposal, Review
from ..proposals.operations import queue_mails
from ..web.database import write_transaction

ERASED = "(effacé)"


def restore_spam(proposal_id: int, organiser: str) -> bool:
    """Make a proposal caught by the honeypot a real one, and send the mails it never got."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SPAM:
            return False
        proposal.status = Status.SUBMITTED
        history.record(proposal, organiser, Change.RESTORED)
        queue_mails(proposal, mails.speaker_confirmation(proposal), Notice.NEW)
        return True


def add_note(proposal_id: int, organiser: str, text: str) -> None:
    """Add an organiser's internal note to a proposal's history."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is not None:
            history.record(proposal, organiser, Change.NOTE, text.replace("\r\n", "\n").strip())


def move_mail(message_id: int, expected: MessageStatus, new_status: MessageStatus) -> bool | None:
    """Move one mail from a status to another; None if there is no such mail, False if it was not in `expected`."""
    if not 0 < message_id < 2**31:  # past the database's integers: no such mail (SQLite would overflow)
        return None
    with write_transaction():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            return None
        if message.status != expected:
            return False
        message.status = new_status
        message.next_attempt_at = clock.now()
        message.claimed_until = None
        return True


def retry_mail(message_id: int) -> bool | None:
    """Put a failed mail back in the queue (a worker or « flask outbox deliver » sends it)."""
    return move_mail(message_id, MessageStatus.FAILED, MessageStatus.PENDING)


def cancel_mail(message_id: int) -> bool | None:
    """Cancel a mail that has not left yet."""
    return move_mail(message_id, MessageStatus.PENDING, MessageStatus.CANCELLED)


def give_opinion(proposal_id: int, organiser_id: int, actor: str, opinion: Opinion, comment: str) -> bool:
    """Record or change an organiser's opinion until the answer is sent; return whether it was taken."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SUBMITTED or proposal.answered_at is not None:
            return False
        comment = comment.replace("\r\n", "\n").strip()
        review = db.session.scalars(
            select(Review).where(Review.proposal_id == proposal_id, Review.organiser_id == organiser_id)
        ).first()
        now = clock.now()
        if review is None:
            review = Review(proposal=proposal, organiser_id=organiser_id, created_at=now)
            db.session.add(review)
        review.opinion, review.comment, review.updated_at = opinion, comment, now
        history.record(proposal, actor, Change.OPINION, f"{opinion.label}{f' : {comment}' if comment else ''}")
        return True


def purgeable(cutoff: datetime) -> int:
    """Return how many proposals received before cutoff still hold personal data."""
    return db.session.scalar(select(func.count()).where(*purge_conditions(cutoff))) or 0


def purge_conditions(cutoff: datetime) -> tuple:
    """Return the rule of a purge: received before the cutoff, not purged yet."""
    return (Proposal.created_at < cutoff, Proposal.purged_at.is_(None))


def purge_before(cutoff: datetime, organiser: str, advance: Callable[[int], None] = lambda count: None) -> int:
    """Erase the personal data of the proposals received before cutoff, and their mails; return how many."""
    # What stays: the reference, kind, duration, dates, decision and opinions (without comments), for the figures.
    with write_transaction():
        proposals = list(db.session.scalars(select(Proposal).where(*purge_conditions(cutoff))))
        ids = [proposal.id for proposal in proposals]
        if not ids:
            return 0
        for proposal in proposals:  # the speaker's own lines name them by their address
            by_speaker = func.lower(HistoryLine.actor) == proposal.email.lower()
            db.session.execute(
                update(HistoryLine)
                .where(HistoryLine.proposal_id == proposal.id, by_speaker)
                .values(actor="la personne")
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            update(HistoryLine)
            .where(HistoryLine.proposal_id.in_(ids), HistoryLine.action.in_([Change.NOTE, Change.OPINION]))
            .values(detail=ERASED)
            .execution_options(synchronize_session=False)
        )
        db.session.execute(
            update(Review)
            .where(Review.proposal_id.in_(ids))
            .values(comment="")
            .execution_options(synchronize_session=False)
        )
        now = clock.now()
        for proposal in proposals:
            proposal.first_name = proposal.last_name = proposal.email = proposal.job_title = ""
            proposal.honeypot = proposal.abstract = ""
            proposal.title = proposal.administration = ERASED
            proposal.purged_at = now
            history.record(proposal, organiser, Change.PURGED)
        db.session.execute(OutboxMessage.__table__.delete().where(OutboxMessage.proposal_id.in_(ids)))
        db.session.execute(CoSpeaker.__table__.delete().where(CoSpeaker.proposal_id.in_(ids)))
        advance(len(ids))
        return len(ids)
