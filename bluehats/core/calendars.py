"""iCalendar files: the day itself, and the programme's talks."""

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .clock import PARIS
from .edition import Edition

if TYPE_CHECKING:  # the core reads proposals' attributes; it never imports the database layer
    from ..models import Proposal

PRODID = "-//DINUM//Journee BlueHats//FR"


class Held(Protocol):
    """An edition as a calendar names it: the current one, or one of the archive."""

    @property
    def name(self) -> str: ...  # noqa: D102

    @property
    def place(self) -> str: ...  # noqa: D102


def new_calendar(name: str) -> Calendar:
    """Return an empty calendar with its French name."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def entry(
    edition: Held,
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


def talk_entry(edition: Held, talk: "Proposal", page_url: str, stamp: datetime) -> CalendarEvent:
    """Return one talk as a calendar event: its public title, then everyone who presents it and its abstract."""
    assert talk.starts_at and talk.ends_at
    description = f"{talk.speakers_line}\n\n{talk.abstract}"
    return entry(
        edition,
        f"{talk.reference.lower()}@bluehats",
        talk.starts_at,
        talk.ends_at,
        talk.display_title,
        description,
        page_url,
        stamp,
    )


def programme_calendar(
    edition: Edition, talks: Iterable["Proposal"], talk_url: Callable[["Proposal"], str], stamp: datetime
) -> bytes:
    """Return the programme as an iCalendar file, one event per scheduled talk.

    Breaks are not events: a calendar that subscribes to the programme would fill with « Pause déjeuner » entries
    that the programme page already shows in their place.
    """
    calendar = new_calendar(f"Programme – {edition.title}")
    for talk in talks:
        if talk.starts_at and talk.ends_at:
            calendar.add_component(talk_entry(edition, talk, talk_url(talk), stamp))
    return to_ical(calendar)


def talk_calendar(edition: Held, talk: "Proposal", page_url: str, stamp: datetime) -> bytes:
    """Return one talk as an iCalendar file, with the same event (same UID) as in the programme's calendar."""
    calendar = new_calendar(f"{talk.display_title} – {edition.name}")
    calendar.add_component(talk_entry(edition, talk, page_url, stamp))
    return to_ical(calendar)
