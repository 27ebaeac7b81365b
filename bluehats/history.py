"""A proposal's history: who did what, when; organisers' internal notes are lines of it too."""

from .core import clock
from .core.vocabulary import Change
from .extensions import db
from .models import HistoryLine, Proposal


def record(proposal: Proposal, actor: str, action: Change, detail: str = "") -> HistoryLine:
    """Add a line to the history in the caller's transaction."""
    event = HistoryLine(proposal=proposal, actor=actor, action=action, detail=detail, at=clock.now())
    db.session.add(event)
    return event
