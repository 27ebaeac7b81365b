"""What organisers write outside the decisions and the programme: notes, spam restored, mails retried or cancelled."""

from .. import history
from ..core import clock
from ..core.vocabulary import Change, MessageStatus, Status
from ..extensions import db
from ..mail import messages as mails
from ..models import OutboxMessage, Proposal
from ..proposals.operations import queue_mails
from ..web.database import write_transaction


def restore_spam(proposal_id: int, organiser: str) -> bool:
    """Make a proposal caught by the honeypot a real one, and send the mails it never got."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.status != Status.SPAM:
            return False
        proposal.status = Status.SUBMITTED
        history.record(proposal, organiser, Change.RESTORED)
        queue_mails(proposal, mails.speaker_confirmation(proposal), "new")
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
