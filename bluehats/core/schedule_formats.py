"""The programme in the formats of conference tools: the c3voc schedule JSON and the frab schedule XML.

Schedule apps (Giggity, ConfClerk, EventFahrplan) and recording teams read these as they read pretalx's exports;
both follow the validators of the public repository voc/schedule (copied in tests/data/voc-schedule/).
"""

import hashlib
import json
import math
import re
import unicodedata
import uuid
import xml.etree.ElementTree as ET  # nosec B405 - builds XML, never parses any
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .clock import PARIS
from .edition import Day, Edition

if TYPE_CHECKING:  # the core reads proposals' attributes; it never imports the database layer
    from ..models import Proposal

TIME_ZONE = "Europe/Paris"
LANGUAGE = "fr"
GENERATOR = "bluehats"
SCHEMA_URL = "https://c3voc.de/schedule/schema.json"
# Guids are stable across exports and sites: a talk keeps its guid when the site moves to another address.
GUID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:bluehats")
# Characters XML 1.0 cannot carry at all, even escaped (a pasted abstract may hold some).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class ScheduleLinks:
    """What only the web side knows: the site's address, the programme's and each talk's pages and files."""

    site: str
    programme: str
    talk: Callable[["Proposal"], str]
    slides: Callable[["Proposal"], str | None]


def talk_guid(reference: str) -> str:
    """Return a talk's guid, derived from its reference alone."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"talk:{reference}"))


def acronym(edition: Edition) -> str:
    """Return the conference acronym: the edition's key, with underscores, as the c3voc schema's pattern wants."""
    # The schema refuses a hyphen after the first character except before a year and a word (camp-2023-foo).
    return re.sub(r"[^a-z0-9_]", "_", edition.key.lower())


def room_name(edition: Edition) -> str:
    """Return the one room of the edition: its room, or its venue when the post names no room, capitalised."""
    name = edition.room or edition.venue
    return name[:1].upper() + name[1:]  # the post writes « au Palais …, salle 252B »; an app lists « Salle 252B »


def hours_minutes(minutes: int) -> str:
    """Return a duration as « HH:MM »."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def slugify(text: str, limit: int = 50) -> str:
    """Return a text as lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text)[:limit].strip("-")


def talk_slug(edition: Edition, talk: "Proposal") -> str:
    """Return a talk's slug: acronym, reference and title, as pretalx writes them."""
    return "-".join(part for part in (acronym(edition), talk.reference.lower(), slugify(talk.display_title)) if part)


def xml_text(value: str) -> str:
    """Drop the characters XML cannot carry."""
    return _NOT_XML.sub("", value)


def days_with_talks(edition: Edition, talks: Iterable["Proposal"]) -> list[tuple[Day, list["Proposal"]]]:
    """Return each day of the edition with its scheduled talks in time order (days without talks included)."""
    placed = sorted((talk for talk in talks if talk.starts_at), key=lambda talk: (talk.starts_at, talk.id))
    return [(day, [talk for talk in placed if local(talk.starts_at).date() == day.date]) for day in edition.days]


def local(moment: datetime | None) -> datetime:
    """Return a moment in Paris time."""
    assert moment is not None
    return moment.astimezone(PARIS)


def timeslot_minutes(edition: Edition) -> int:
    """Return the grid the programme is built on: five minutes, or less if a format is not a multiple of it."""
    return math.gcd(5, *edition.durations)


def event_json(edition: Edition, talk: "Proposal", links: ScheduleLinks) -> dict[str, Any]:
    """Return one talk as an event of the schedule JSON."""
    slides = links.slides(talk)
    return {
        "id": talk.id,
        "guid": talk_guid(talk.reference),
        "date": local(talk.starts_at).isoformat(),
        # « HH:MM » as pretalx and frab write it, which is what schedule apps read.
        "start": local(talk.starts_at).strftime("%H:%M"),
        "duration": hours_minutes(talk.duration),
        "room": room_name(edition),
        "slug": talk_slug(edition, talk),
        "url": links.talk(talk),
        "title": talk.display_title,
        "subtitle": "",
        "track": None,
        "type": talk.kind.label,
        "language": LANGUAGE,
        "abstract": talk.abstract,
        "description": talk.speakers_line,
        # No "id": the schema takes a person with an id for one of frab's, which needs a public_name too.
        "persons": [{"name": person.name, "public_name": person.name} for person in talk.people],
        "links": [{"url": talk.video_url, "title": "Enregistrement"}] if talk.video_url else [],
        "attachments": [{"url": slides, "title": "Support de présentation"}] if slides else [],
    }


def conference_json(edition: Edition, talks: Iterable["Proposal"], links: ScheduleLinks) -> dict[str, Any]:
    """Return the conference object of the schedule JSON: the edition, its days, its room and its talks."""
    room = room_name(edition)
    return {
        "acronym": acronym(edition),
        "title": edition.name,
        "start": edition.days[0].key,
        "end": edition.days[-1].key,
        "daysCount": len(edition.days),
        "timeslot_duration": hours_minutes(timeslot_minutes(edition)),
        "time_zone_name": TIME_ZONE,
        "url": links.programme,
        "rooms": [{"name": room, "guid": str(uuid.uuid5(GUID_NAMESPACE, f"room:{edition.key}:{room}"))}],
        "days": [
            {
                "index": index,
                "date": day.key,
                "day_start": local(day.start).isoformat(),
                "day_end": local(day.end).isoformat(),
                "rooms": {room: [event_json(edition, talk, links) for talk in day_talks]},
            }
            for index, (day, day_talks) in enumerate(days_with_talks(edition, talks), start=1)
        ],
    }


def schedule_version(conference: dict[str, Any]) -> str:
    """Return a version that changes whenever anything the schedule says changes (apps compare it to refresh)."""
    return hashlib.sha256(json.dumps(conference, sort_keys=True).encode("utf-8")).hexdigest()[:12]


def schedule_json(edition: Edition, talks: Iterable["Proposal"], links: ScheduleLinks) -> dict[str, Any]:
    """Return the programme as the c3voc schedule JSON (an empty schedule of the edition's days when no talks)."""
    conference = conference_json(edition, talks, links)
    return {
        "$schema": SCHEMA_URL,
        "generator": {"name": GENERATOR},
        "schedule": {"version": schedule_version(conference), "base_url": links.site, "conference": conference},
    }


def add(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """Append a child element with its text and attributes."""
    element = ET.SubElement(parent, tag, {name: xml_text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def schedule_xml(edition: Edition, talks: Iterable["Proposal"], links: ScheduleLinks) -> bytes:
    """Return the programme as the frab schedule XML, from the same data as the JSON."""
    data = schedule_json(edition, talks, links)["schedule"]
    conference = data["conference"]
    root = ET.Element("schedule")
    add(root, "generator", name=GENERATOR)
    add(root, "version", data["version"])
    head = add(root, "conference")
    add(head, "title", conference["title"])
    add(head, "acronym", conference["acronym"])
    add(head, "start", conference["start"])
    add(head, "end", conference["end"])
    add(head, "days", str(conference["daysCount"]))
    add(head, "timeslot_duration", conference["timeslot_duration"])
    add(head, "base_url", data["base_url"])
    add(head, "time_zone_name", conference["time_zone_name"])
    for day in conference["days"]:
        day_element = add(
            root, "day", index=str(day["index"]), date=day["date"], start=day["day_start"], end=day["day_end"]
        )
        for room, events in day["rooms"].items():
            room_element = add(day_element, "room", name=room)
            for event in events:
                add_event(room_element, event)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def add_event(room: ET.Element, event: dict[str, Any]) -> None:
    """Append one event of the JSON to a room of the XML."""
    element = add(room, "event", id=str(event["id"]), guid=event["guid"])
    for name in ("date", "start", "duration", "room", "slug", "url", "title", "subtitle", "type", "language"):
        add(element, name, event[name])
    add(element, "track", event["track"] or "")
    add(element, "abstract", event["abstract"])
    add(element, "description", event["description"])
    persons = add(element, "persons")
    for person in event["persons"]:
        add(persons, "person", person["name"])
    links = add(element, "links")
    for link in event["links"]:
        add(links, "link", link["title"], href=link["url"])
    attachments = add(element, "attachments")
    for attachment in event["attachments"]:
        add(attachments, "attachment", attachment["title"], href=attachment["url"])
