"""The editions the site has held: the current one recorded for the archive, numbers and settings per edition."""

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import bindparam, func, select

from .core.edition import Edition
from .core.vocabulary import Decision, Status
from .extensions import db
from .models import EditionRecord, Proposal
from .web.database import after_commit
from .web.templating import current_edition


@dataclass(frozen=True)
class ArchivedEdition:
    """An edition as the archive lists it."""

    key: str
    title: str
    name: str
    days: list[tuple[datetime, datetime]]
    place: str
    talks: int

    @property
    def start(self) -> datetime:
        """Return when its first day started."""
        return self.days[0][0]


def record_edition(edition: Edition) -> None:
    """Keep, in the caller's transaction, what the archive needs of an edition the site now holds."""
    days = [[day.start.isoformat(), day.end.isoformat()] for day in edition.days]
    recorded = (edition.key, edition.title, edition.name, str(days), edition.place)
    # Once stored, the same record is not read again by this process: every proposal records its edition, and
    # this read would run while it holds the write turn.
    known: set = current_app.extensions.setdefault("bluehats.recorded_editions", set())
    if recorded in known:
        return
    row = db.session.get(EditionRecord, edition.key)
    if row is None:
        row = EditionRecord(key=edition.key)
        db.session.add(row)
    if (row.title, row.name, row.days, row.place) != (edition.title, edition.name, days, edition.place):
        row.title, row.name, row.days, row.place = edition.title, edition.name, days, edition.place
        row.starts_at = edition.start
    after_commit(known.update, recorded)


NEXT_NUMBER = select(func.max(Proposal.number)).where(Proposal.edition == bindparam("edition"))


def next_number(edition_key: str) -> int:
    """Return the next proposal number of an edition (the caller holds the write turn)."""
    return (db.session.scalar(NEXT_NUMBER, {"edition": edition_key}) or 0) + 1


def setting_key(name: str, edition_key: str | None = None) -> str:
    """Return the key of an edition's setting (answer templates, programme publication)."""
    return f"{edition_key or current_edition().key}/{name}"


def archive() -> list[ArchivedEdition]:
    """Return every edition the site has held, the current one included, newest first, with its talks counted."""
    talks = dict(
        db.session.execute(
            select(Proposal.edition, func.count())
            .where(Proposal.status == Status.SUBMITTED, Proposal.decision == Decision.ACCEPTED)
            .where(Proposal.starts_at.is_not(None))
            .group_by(Proposal.edition)
        ).all()
    )
    found = {
        row.key: ArchivedEdition(
            key=row.key,
            title=row.title,
            name=row.name,
            days=[(datetime.fromisoformat(start), datetime.fromisoformat(end)) for start, end in row.days],
            place=row.place,
            talks=talks.get(row.key, 0),
        )
        for row in db.session.scalars(select(EditionRecord))
    }
    edition = current_edition()
    found[edition.key] = ArchivedEdition(
        key=edition.key,
        title=edition.title,
        name=edition.name,
        days=[(day.start, day.end) for day in edition.days],
        place=edition.place,
        talks=talks.get(edition.key, 0),
    )
    return sorted(found.values(), key=lambda item: item.start, reverse=True)


def find_edition(key: str) -> ArchivedEdition | None:
    """Return one edition of the archive by its short name."""
    return next((item for item in archive() if item.key == key), None)
