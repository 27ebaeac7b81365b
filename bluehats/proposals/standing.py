"""Where a proposal stands for its speaker, and the speaker's own last edit (not the organisers' actions)."""

from datetime import datetime

from ..core.vocabulary import Change, Decision, Standing, Status
from ..decisions import answer_is_public
from ..models import Proposal


def standing(proposal: Proposal, now: datetime) -> Standing:
    """Return the proposal's state in the speaker's words: the decision only once its answer is public."""
    if proposal.status == Status.WITHDRAWN:
        return Standing.WITHDRAWN
    if proposal.status == Status.CANCELLED:
        return Standing.CANCELLED
    if answer_is_public(proposal, now):
        return Standing.ACCEPTED if proposal.decision == Decision.ACCEPTED else Standing.DECLINED
    return Standing.RECEIVED


def last_speaker_edit(proposal: Proposal) -> datetime | None:
    """Return when the speaker last edited the proposal (updated_at also moves with the organisers' actions)."""
    edits = [line.at for line in proposal.history if line.action == Change.EDITED]
    return max(edits) if edits else None
