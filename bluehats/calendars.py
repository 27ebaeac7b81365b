"""iCalendar files: the day itself, and later the programme's talks."""

from datetime import datetime

from icalendar import Calendar
from icalendar import Event as CalendarEvent

from .clock import PARIS
from .event import Event
from .models import Proposal

PRODID = "-//DINUM//Journee BlueHats//FR"


def new_calendar(name: str) -> Calendar:
    """Return an empty calendar with its French name."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def event_calendar(event: Event, page_url: str, stamp: datetime) -> bytes:
    """Return the day as an iCalendar file, in Europe/Paris time."""
    calendar = new_calendar(event.title)
    entry = CalendarEvent()
    entry.add("uid", f"journee-bluehats-{event.start:%Y%m%d}@bluehats")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", event.start.astimezone(PARIS))
    entry.add("dtend", event.end.astimezone(PARIS))
    entry.add("summary", event.title)
    entry.add("location", f"{event.venue}, {event.room}, {event.address}")
    entry.add("description", f"{event.lead}\n\n{page_url}")
    entry.add("url", page_url)
    entry.add("organizer", f"mailto:{event.contact}", parameters={"cn": "DINUM"})
    calendar.add_component(entry)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def talk_event(event: Event, talk: Proposal, page_url: str, stamp: datetime) -> CalendarEvent:
    """Return one talk of the programme as a calendar event."""
    assert talk.starts_at is not None and talk.ends_at is not None
    entry = CalendarEvent()
    entry.add("uid", f"{talk.reference.lower()}@bluehats")
    entry.add("dtstamp", stamp)
    entry.add("dtstart", talk.starts_at.astimezone(PARIS))
    entry.add("dtend", talk.ends_at.astimezone(PARIS))
    entry.add("summary", talk.title)
    entry.add("location", f"{event.venue}, {event.room}, {event.address}")
    entry.add("description", f"{talk.speaker} ({talk.administration})\n\n{talk.abstract}\n\n{page_url}")
    entry.add("url", page_url)
    return entry
