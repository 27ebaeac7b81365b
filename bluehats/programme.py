"""The programme: accepted talks in order with their start times, and its publication."""

from collections.abc import Mapping
from datetime import datetime, time, timedelta

from sqlalchemy import select

from . import history
from .core.clock import PARIS
from .core.dates import format_datetime
from .core.event import Event
from .core.vocabulary import Change, Decision, Status
from .extensions import db
from .models import Proposal, Setting
from .web.database import write_transaction
from .web.templating import current_event

PUBLISH_KEY = "programme_published_at"
# Each talk's place typed by the organisers: {proposal id: (position, start)}.
Schedule = dict[int, tuple[int | None, datetime | None]]


def accepted_talks() -> list[Proposal]:
    """Return the accepted talks in programme order (unplaced ones last, oldest first)."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.status == Status.SUBMITTED, Proposal.decision == Decision.ACCEPTED)
            .order_by(Proposal.position.is_(None), Proposal.position, Proposal.starts_at, Proposal.id)
        )
    )


def scheduled_talks() -> list[Proposal]:
    """Return the talks that have a start time, in time order: the programme as published."""
    return sorted((talk for talk in accepted_talks() if talk.starts_at), key=lambda talk: (talk.starts_at, talk.id))


def parse_start(day: datetime, text: str) -> datetime | None:
    """Read « 9:30 », « 09h30 » or « 14 h » as a time of the event's day in Paris; None if unreadable."""
    cleaned = text.strip().lower().replace(" ", "").replace("h", ":")
    if not cleaned:
        return None
    hours, _, minutes = cleaned.partition(":")
    if not hours.isdigit() or (minutes and not minutes.isdigit()):
        return None
    hour, minute = int(hours), int(minutes or 0)
    if not (0 <= hour < 24 and 0 <= minute < 60):
        return None
    local_day = day.astimezone(PARIS).date()
    return datetime.combine(local_day, time(hour, minute), tzinfo=PARIS)


def place(talk: Proposal, position: int | None, start: datetime | None, organiser: str) -> None:
    """Set a talk's place in the programme, in its history when its start time changes."""
    talk.position = position
    if start != talk.starts_at:
        talk.starts_at = start
        history.record(talk, organiser, Change.SCHEDULED, format_datetime(start) if start else "horaire retiré")


def save_schedule(entries: Schedule, organiser: str) -> None:
    """Store each talk's position and start time: {proposal id: (position, start)}."""
    with write_transaction():
        for talk in accepted_talks():
            if talk.id in entries:
                place(talk, *entries[talk.id], organiser)


def auto_schedule(event: Event, organiser: str, gap_minutes: int = 0) -> None:
    """Give the talks consecutive start times from the day's start, in their current order."""
    with write_transaction():
        start = event.start
        for position, talk in enumerate(accepted_talks(), start=1):
            place(talk, position, start, organiser)
            start += timedelta(minutes=talk.duration + gap_minutes)


def published_at() -> datetime | None:
    """Return when the programme is (or will be) public: the answer date unless organisers chose; None if withdrawn."""
    setting = db.session.get(Setting, PUBLISH_KEY)
    if setting is None:
        return current_event().answer_date
    return datetime.fromisoformat(setting.value) if setting.value else None


def is_published(now: datetime) -> bool:
    """Tell whether visitors see the programme now."""
    moment = published_at()
    return moment is not None and now >= moment


def set_publication(moment: datetime | None) -> None:
    """Publish the programme at a moment (now, or the answer date), or hold it back (None) until published again."""
    with write_transaction():
        setting = db.session.get(Setting, PUBLISH_KEY) or Setting(key=PUBLISH_KEY)
        setting.value = moment.isoformat() if moment else None
        db.session.add(setting)


def read_schedule_form(form: Mapping[str, str], talks: list[Proposal], day: datetime) -> tuple[Schedule, list[str]]:
    """Read the order and start times typed for each talk; return them, and a French message per unreadable time."""
    entries: Schedule = {}
    errors = []
    for talk in talks:
        position_text = form.get(f"position-{talk.id}", "").strip()
        start_text = form.get(f"start-{talk.id}", "").strip()
        start = parse_start(day, start_text)
        if start_text and start is None:
            errors.append(f"{talk.reference} : horaire « {start_text} » illisible (exemple : 9:30).")
            continue
        position = int(position_text) if position_text.isascii() and position_text.isdigit() else None
        entries[talk.id] = (min(position, 10_000) if position else None, start)
    return entries, errors
