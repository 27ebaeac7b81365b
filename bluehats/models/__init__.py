"""The stored data (SQLAlchemy 2 typed models), one module per part of the site, all importable from here."""

from .columns import Code, UTCDateTime
from .editions import Break, EditionRecord, Setting
from .outbox import OutboxMessage
from .proposals import CoSpeaker, HistoryLine, Proposal
from .team import AccountToken, Organiser, Review

__all__ = [
    "AccountToken",
    "Break",
    "CoSpeaker",
    "Code",
    "EditionRecord",
    "HistoryLine",
    "Organiser",
    "OutboxMessage",
    "Proposal",
    "Review",
    "Setting",
    "UTCDateTime",
]
