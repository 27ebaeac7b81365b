"""The programme of an edition: accepted talks in order with their day and start time, and its publication."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from .core.clock import PARIS
from .core.dates import format_time
from .core.edition import Day, Edition
from .core.vocabulary import Decision, Status
from .editions import record_edition, setting_key
from .extensions import db
from .models import Break, Proposal, Setting
from .web.database import write_transaction
from .web.templating import current_edition

PUBLISHED_AT = "programme_published_at"
# Each talk's place typed by the organisers: {proposal id: (position, start)}.
Schedule = dict[int, tuple[int | None, datetime | None]]


def accepted_talks(edition_key: str | None = None) -> list[Proposal]:
    """Return an edition's accepted talks in programme order (unplaced ones last, oldest first)."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.edition == (edition_key or current_edition().key))
            .where(Proposal.status == Status.SUBMITTED, Proposal.decision == Decision.ACCEPTED)
            .order_by(Proposal.position.is_(None), Proposal.position, Proposal.starts_at, Proposal.id)
        )
    )


def scheduled_talks(edition_key: str | None = None) -> list[Proposal]:
    """Return the talks that have a start time, in time order: the programme as published."""
    talks = accepted_talks(edition_key)
    return sorted((talk for talk in talks if talk.starts_at), key=lambda talk: (talk.starts_at, talk.id))


def breaks(edition_key: str | None = None) -> list[Break]:
    """Return an edition's breaks in time order."""
    return list(
        db.session.scalars(
            select(Break).where(Break.edition == (edition_key or current_edition().key)).order_by(Break.starts_at)
        )
    )


def by_day(talks: list[Proposal], pauses: list[Break] | None = None) -> list[tuple[date, list[Proposal | Break]]]:
    """Group scheduled talks and breaks by their day in Paris, in time order."""
    days: dict[date, list[Proposal | Break]] = {}
    for item in [*(talk for talk in talks if talk.starts_at), *(pauses or [])]:
        assert item.starts_at is not None
        days.setdefault(item.starts_at.astimezone(PARIS).date(), []).append(item)
    return [
        (day, sorted(items, key=lambda item: (item.starts_at, isinstance(item, Proposal))))
        for day, items in sorted(days.items())
    ]


def parse_start(day: date, text: str) -> datetime | None:
    """Read « 9:30 », « 09h30 » or « 14 h » as a time of a day in Paris; None if unreadable."""
    cleaned = text.strip().lower().replace(" ", "").replace("h", ":")
    if not cleaned:
        return None
    hours, _, minutes = cleaned.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


def fits(day: Day, start: datetime, minutes: int) -> bool:
    """Tell whether a talk starting then fits within the day's hours."""
    return day.start <= start and start + timedelta(minutes=minutes) <= day.end


def save_schedule(entries: Schedule) -> None:
    """Store each talk's position and start time: {proposal id: (position, start)}."""
    with write_transaction():
        for talk in accepted_talks():
            if talk.id in entries:
                talk.position, talk.starts_at = entries[talk.id]


def auto_schedule(edition: Edition, gap_minutes: int = 0) -> None:
    """Give the talks consecutive start times from the first day's start, in their order, day after day."""
    with write_transaction():
        days = list(edition.days)
        start = days[0].start
        for position, talk in enumerate(accepted_talks(edition.key), start=1):
            if len(days) > 1 and not fits(days[0], start, talk.duration):
                days.pop(0)  # the day is full: the next talks open the next day
                start = days[0].start
            talk.position = position
            talk.starts_at = start
            start += timedelta(minutes=talk.duration + gap_minutes)


def published_at(edition_key: str | None = None) -> datetime | None:
    """Return when an edition's programme is (or will be) public; None if the organisers hold it back.

    Unless they chose, the current edition's programme goes public on its programme date (the answer date by
    default), and a past edition's only if they had published it.
    """
    key = edition_key or current_edition().key
    setting = db.session.get(Setting, setting_key(PUBLISHED_AT, key))
    if setting is None:
        return current_edition().programme_date if key == current_edition().key else None
    return datetime.fromisoformat(setting.value) if setting.value else None


def is_published(now: datetime, edition_key: str | None = None) -> bool:
    """Tell whether visitors see an edition's programme now."""
    moment = published_at(edition_key)
    return moment is not None and now >= moment


def set_publication(moment: datetime | None) -> None:
    """Publish the programme at a moment (now, or the programme date), or hold it back (None) until published."""
    edition = current_edition()
    with write_transaction():
        record_edition(edition)
        key = setting_key(PUBLISHED_AT, edition.key)
        setting = db.session.get(Setting, key) or Setting(key=key)
        setting.value = moment.isoformat() if moment else None
        db.session.add(setting)


def talk_day(edition: Edition, talk: Proposal) -> Day:
    """Return the day a talk is on, or else the one its speaker prefers, or else the first."""
    if talk.starts_at:
        placed = edition.day(talk.starts_at.astimezone(PARIS).date().isoformat())
        if placed:
            return placed
    return edition.day(talk.preferred_day or "") or edition.days[0]


def read_schedule_form(form: Mapping[str, str], talks: list[Proposal], edition: Edition) -> tuple[Schedule, list[str]]:
    """Read each talk's order, day and start time as typed; return them, and a French message per wrong time."""
    entries: Schedule = {}
    errors = []
    for talk in talks:
        position_text = form.get(f"position-{talk.id}", "").strip()
        start_text = form.get(f"start-{talk.id}", "").strip()
        day = edition.day(form.get(f"day-{talk.id}", "")) or talk_day(edition, talk)
        start = parse_start(day.date, start_text)
        if start_text and start is None:
            errors.append(f"{talk.reference} : horaire « {start_text} » illisible (exemple : 9:30).")
            continue
        if start is not None and not fits(day, start, talk.duration):
            hours = f"{format_time(day.start)} – {format_time(day.end)}"
            errors.append(f"{talk.reference} : à {start_text}, l’intervention dépasse les horaires du jour ({hours}).")
            continue
        position = int(position_text) if position_text.isascii() and position_text.isdigit() else None
        entries[talk.id] = (min(position, 10_000) if position else None, start)
    return entries, errors
