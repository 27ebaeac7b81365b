"""A proposal's history: who did what, when; organisers' internal notes are lines of it too."""

from dataclasses import dataclass
from datetime import datetime

from .core import clock
from .core.vocabulary import Change
from .extensions import db
from .models import HistoryLine, Proposal


def record(proposal: Proposal, actor: str, action: Change, detail: str = "") -> HistoryLine:
    """Add a line to the history in the caller's transaction."""
    event = HistoryLine(proposal=proposal, actor=actor, action=action, detail=detail, at=clock.now())
    db.session.add(event)
    return event


@dataclass(frozen=True)
class Entry:
    """One line of the history as organisers read it: when, what, what it changed or said, who."""

    at: datetime
    what: str
    detail: str = ""
    who: str = ""


def timeline(proposal: Proposal) -> list[Entry]:
    """Return the proposal's arrival, its history lines (notes apart) and its mails, in the order they happened."""
    arrival = "Proposition reçue" + (" (champ piège rempli)" if proposal.honeypot else "")
    entries = [Entry(proposal.created_at, arrival, who=proposal.email)]
    for line in proposal.history:
        if line.action == Change.NOTE:
            continue
        # An edit's detail names the fields the speaker changed: « titre, durée ».
        detail = f"a changé : {line.detail}" if line.action == Change.EDITED and line.detail else line.detail
        entries.append(Entry(line.at, line.action.label, detail, line.actor))
    for message in proposal.messages:
        entries.append(
            Entry(message.sent_at or message.created_at, f"Courriel {message.status.label.lower()}", message.subject)
        )
    # Stable: what happened at the same instant keeps the order it was written in.
    return sorted(entries, key=lambda entry: entry.at)
