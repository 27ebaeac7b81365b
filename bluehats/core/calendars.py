"""iCalendar files: the day itself, and the programme's talks."""

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .clock import PARIS
from .edition import Edition

if TYPE_CHECKING:  # the core reads proposals' attributes; it never imports the database layer
    from ..models import Proposal

PRODID = "-//DINUM//Journee BlueHats//FR"


def new_calendar(name: str) -> Calendar:
    """Return an empty calendar with its French name."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def entry(
    edition: Edition,
    uid: str,
    start: datetime,
    end: datetime,
    summary: str,
    description: str,
    page_url: str,
    stamp: datetime,
) -> CalendarEvent:
    """Return one calendar event at the edition's venue, in Europe/Paris time."""
    item = CalendarEvent()
    item.add("uid", uid)
    item.add("dtstamp", stamp)
    item.add("dtstart", start.astimezone(PARIS))
    item.add("dtend", end.astimezone(PARIS))
    item.add("summary", summary)
    item.add("location", edition.place)
    item.add("description", f"{description}\n\n{page_url}")
    item.add("url", page_url)
    return item


def to_ical(calendar: Calendar) -> bytes:
    """Serialise a calendar with the time zones its events use."""
    calendar.add_missing_timezones()
    return calendar.to_ical()


def event_calendar(edition: Edition, page_url: str, stamp: datetime) -> bytes:
    """Return the edition as an iCalendar file: one event per day."""
    calendar = new_calendar(edition.title)
    for number, day in enumerate(edition.days, start=1):
        summary = edition.title if not edition.several_days else f"{edition.title} ({number}/{len(edition.days)})"
        item = entry(
            edition,
            f"journee-bluehats-{day.start:%Y%m%d}@bluehats",
            day.start,
            day.end,
            summary,
            edition.lead,
            page_url,
            stamp,
        )
        item.add("organizer", f"mailto:{edition.contact}", parameters={"cn": "DINUM"})
        calendar.add_component(item)
    return to_ical(calendar)


def programme_calendar(edition: Edition, talks: Iterable["Proposal"], page_url: str, stamp: datetime) -> bytes:
    """Return the programme as an iCalendar file, one event per scheduled talk."""
    calendar = new_calendar(f"Programme – {edition.title}")
    for talk in talks:
        if talk.starts_at and talk.ends_at:
            description = f"{talk.speaker} ({talk.administration})\n\n{talk.abstract}"
            calendar.add_component(
                entry(
                    edition,
                    f"{talk.reference.lower()}@bluehats",
                    talk.starts_at,
                    talk.ends_at,
                    talk.title,
                    description,
                    page_url,
                    stamp,
                )
            )
    return to_ical(calendar)
