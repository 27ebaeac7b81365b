"""The programme of an edition: accepted talks in order with their day and start time, and its publication."""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from . import history
from .core.clock import PARIS
from .core.dates import format_date, format_datetime, format_time
from .core.edition import Day, Edition
from .core.vocabulary import Change, Decision, Status
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


def auto_schedule(edition: Edition, organiser: str, gap_minutes: int = 0) -> None:
    """Give the talks consecutive start times from the first day's start, in their order, day after day."""
    with write_transaction():
        days = list(edition.days)
        start = days[0].start
        for position, talk in enumerate(accepted_talks(edition.key), start=1):
            if len(days) > 1 and not fits(days[0], start, talk.duration):
                days.pop(0)  # the day is full: the next talks open the next day
                start = days[0].start
            place(talk, position, start, organiser)
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


class ScheduleError(ValueError):
    """A place in the programme the site refuses; the message says why, in French."""


def day_of(edition: Edition, start: datetime, minutes: int) -> Day:
    """Return the edition's day a slot falls in, or raise ScheduleError."""
    for day in edition.days:
        if fits(day, start, minutes):
            return day
    hours = ", ".join(f"{format_date_time_span(day)}" for day in edition.days)
    raise ScheduleError(f"Ce créneau sort des horaires de l’édition ({hours}).")


def format_date_time_span(day: Day) -> str:
    """Return « 8 novembre 2022 de 9 h à 18 h »."""
    return f"{format_date(day.start)} de {format_time(day.start)} à {format_time(day.end)}"


def add_break(edition: Edition, label: str, start: datetime, end: datetime) -> Break:
    """Add a break (« Pause déjeuner ») to the edition's programme; raise ScheduleError if it cannot be."""
    label = " ".join(label.split())
    if not label or len(label) > 100:
        raise ScheduleError("Donnez à la pause un nom de 1 à 100 caractères, par exemple « Pause déjeuner ».")
    if end <= start:
        raise ScheduleError("La fin de la pause doit venir après son début.")
    day_of(edition, start, int((end - start).total_seconds() // 60))
    with write_transaction():
        record_edition(edition)
        pause = Break(edition=edition.key, label=label, starts_at=start, ends_at=end)
        db.session.add(pause)
        return pause


def remove_break(break_id: int) -> bool:
    """Remove a break of the current edition's programme."""
    with write_transaction():
        pause = db.session.get(Break, break_id) if 0 < break_id < 2**31 else None
        if pause is None or pause.edition != current_edition().key:
            return False
        db.session.delete(pause)
        return True


def place_talk(edition: Edition, reference: str, start: datetime, organiser: str) -> Proposal:
    """Give an accepted talk its start time; raise ScheduleError for an unknown or unfit talk or time."""
    with write_transaction():
        talk = db.session.scalars(select(Proposal).where(Proposal.reference == reference)).first()
        if talk is None or talk.edition != edition.key:
            raise ScheduleError(f"Aucune proposition {reference} dans l’édition {edition.key}.")
        if talk.status != Status.SUBMITTED or talk.decision != Decision.ACCEPTED:
            raise ScheduleError(f"{reference} n’est pas une intervention retenue : elle ne peut pas être placée.")
        day_of(edition, start, talk.duration)
        place(talk, talk.position, start, organiser)
        return talk


def timeline_warnings(edition: Edition, talks: list[Proposal], pauses: list[Break]) -> list[str]:
    """Say, in French, where the programme's slots overlap and where a day has a gap."""
    warnings = []
    for day, items in by_day(talks, pauses):
        previous = None
        for item in items:
            assert item.starts_at is not None and item.ends_at is not None
            if previous is not None and previous.ends_at is not None:
                if item.starts_at < previous.ends_at:
                    warnings.append(f"{slot_name(item)} chevauche {slot_name(previous)} ({format_date(day)}).")
                elif item.starts_at > previous.ends_at:
                    minutes = int((item.starts_at - previous.ends_at).total_seconds() // 60)
                    warnings.append(f"{minutes} min libres avant {slot_name(item)} ({format_date(day)}).")
            if previous is None or item.ends_at > (previous.ends_at or item.ends_at):
                previous = item
    return warnings


def slot_name(item: Proposal | Break) -> str:
    """Name a slot in a warning: « BH22-0003 (9 h 30) », « Pause déjeuner (12 h) »."""
    assert item.starts_at is not None
    name = item.reference if isinstance(item, Proposal) else item.label
    return f"{name} ({format_time(item.starts_at)})"
