"""A proposal's history: who did what, when; organisers' internal notes and opinions are lines of it too."""

from dataclasses import dataclass
from datetime import datetime

from .core import clock
from .core.vocabulary import Change
from .extensions import db
from .models import HistoryLine, Organiser, Proposal


def record(proposal: Proposal, actor: str, action: Change, detail: str = "") -> HistoryLine:
    """Add a line to the history in the caller's transaction."""
    event = HistoryLine(proposal=proposal, actor=actor, action=action, detail=detail, at=clock.now())
    db.session.add(event)
    return event


@dataclass(frozen=True)
class Entry:
    """One line of the history as the back office shows it."""

    at: datetime
    what: str
    detail: str
    who: str


def opinions_hidden(proposal: Proposal, viewer: Organiser) -> bool:
    """Tell whether the viewer does not see the others' opinions yet (their setting, and no opinion given)."""
    return viewer.hide_opinions and all(review.organiser_id != viewer.id for review in proposal.reviews)


def timeline(proposal: Proposal, viewer: Organiser) -> list[Entry]:
    """Return everything that happened to a proposal, oldest first: its arrival, lines of history, its mails."""
    hidden = opinions_hidden(proposal, viewer)
    arrival = "Proposition reçue" + (" (champ piège rempli)" if proposal.honeypot else "")
    entries = [Entry(proposal.created_at, arrival, "", proposal.email or "la personne")]
    for line in proposal.history:
        if line.action == Change.OPINION and hidden and line.actor != viewer.email:
            entries.append(Entry(line.at, "Avis donné", "masqué jusqu’à ce que vous donniez le vôtre", line.actor))
        else:
            # An edit's detail names the fields the speaker changed: « titre, durée ».
            detail = f"a changé : {line.detail}" if line.action == Change.EDITED and line.detail else line.detail
            entries.append(Entry(line.at, line.action.label, detail, line.actor))
    for message in proposal.messages:
        moment = message.sent_at or message.created_at
        detail = f"« {message.subject} », à {', '.join(message.recipients)}"
        entries.append(Entry(moment, f"Courriel {message.status.label.lower()}", detail, "le site"))
    return sorted(entries, key=lambda entry: entry.at)
