"""An edition: its announcement (front matter + Markdown), its days, formats and dates, and its call's state."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

from markupsafe import Markup

from .clock import PARIS
from .content import CONTENT_DIR, read_page, render_markdown
from .dates import format_date, format_days, format_left, last_moment_before, parse_moment

ANNOUNCEMENT = CONTENT_DIR / "journee-bluehats-osxp-2022.md"
DEFAULT_DURATIONS = (5, 10, 15, 20)


class EditionError(ValueError):
    """An announcement the site cannot run an edition from; the message says where and what is expected."""


@dataclass(frozen=True)
class Day:
    """One day (or half-day) of an edition."""

    start: datetime
    end: datetime

    @property
    def date(self) -> date:
        """Return the day's date in Paris."""
        return self.start.astimezone(PARIS).date()

    @property
    def key(self) -> str:
        """Return the day as the form and the URLs name it: YYYY-MM-DD."""
        return self.date.isoformat()

    @property
    def minutes(self) -> int:
        """Return the day's length in minutes."""
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Edition:
    """An edition and its announcement, as the pages, the mails and the calendars need them."""

    key: str
    title: str
    categories: tuple[str, ...]
    published: datetime
    lead: str
    body_html: Markup
    after_call_html: Markup
    days: tuple[Day, ...]
    venue: str
    room: str
    address: str
    contact: str
    cfp_deadline: datetime
    answer_date: datetime
    programme_date: datetime
    durations: tuple[int, ...]

    @property
    def start(self) -> datetime:
        """Return when the first day starts."""
        return self.days[0].start

    @property
    def end(self) -> datetime:
        """Return when the last day ends."""
        return self.days[-1].end

    @property
    def year(self) -> int:
        """Return the year of the first day."""
        return self.start.astimezone(PARIS).year

    @property
    def reference_prefix(self) -> str:
        """Return the prefix of the edition's references: BH and two digits of the first day's year."""
        return f"BH{self.year % 100:02d}-"

    @property
    def several_days(self) -> bool:
        """Tell whether the edition has more than one day."""
        return len(self.days) > 1

    @property
    def day_word(self) -> str:
        """Return « journée » or « journées », as the number of days says."""
        return "journées" if self.several_days else "journée"

    @property
    def brand(self) -> str:
        """Return « Journée BlueHats » or « Journées BlueHats »."""
        return f"{self.day_word.capitalize()} BlueHats"

    @property
    def name(self) -> str:
        """Return the edition's name with its year: « Journée BlueHats 2022 », « Journées BlueHats 2023 »."""
        return f"{self.brand} {self.year}"

    @property
    def dates_text(self) -> str:
        """Return the days in French: « 8 novembre 2022 », « 6 et 7 décembre 2023 »."""
        return format_days([day.date for day in self.days])

    @property
    def dated_name(self) -> str:
        """Return « Journée BlueHats du 8 novembre 2022 » or « Journées BlueHats des 6 et 7 décembre 2023 »."""
        return f"{self.brand} {'des' if self.several_days else 'du'} {self.dates_text}"

    @property
    def the_dated_name(self) -> str:
        """Return « la Journée BlueHats du 8 novembre 2022 » or « les Journées BlueHats des 6 et 7 décembre 2023 »."""
        return f"{'les' if self.several_days else 'la'} {self.dated_name}"

    @property
    def to_dated_name(self) -> str:
        """Return « à la Journée BlueHats du 8 novembre 2022 » or « aux Journées BlueHats des 6 et 7 décembre 2023 »."""
        return f"{'aux' if self.several_days else 'à la'} {self.dated_name}"

    @property
    def place(self) -> str:
        """Return the venue, its room if any, and its address."""
        return ", ".join(part for part in (self.venue, self.room, self.address) if part)

    @property
    def minutes(self) -> int:
        """Return the time the days offer, in minutes."""
        return sum(day.minutes for day in self.days)

    def day(self, key: str) -> Day | None:
        """Return the day named YYYY-MM-DD, if the edition has it."""
        return next((day for day in self.days if day.key == key), None)


@dataclass(frozen=True)
class CfpState:
    """Where the call for talks stands at one moment."""

    edition: Edition
    is_open: bool
    closing_today: bool
    time_left: timedelta

    @property
    def left_text(self) -> str:
        """Return the time left in French words."""
        return format_left(self.time_left)

    @property
    def shown(self) -> tuple[bool, bool, str]:
        """Return what the pages' call-for-talks block shows: open, last day, time left."""
        return self.is_open, self.closing_today, self.left_text

    @property
    def deadline_text(self) -> str:
        """Return the deadline's date, « 18 octobre 2022 »."""
        return format_date(self.edition.cfp_deadline)

    @property
    def last_day_text(self) -> str:
        """Return the last day proposals are taken, « 17 octobre 2022 »."""
        return format_date(last_moment_before(self.edition.cfp_deadline))

    @property
    def answer_text(self) -> str:
        """Return the answer date, « 21 octobre 2022 »."""
        return format_date(self.edition.answer_date)


def split_call_to_action(markdown_body: str, form_url: str | None) -> tuple[str, str]:
    """Split the body around the raw HTML block that linked to the external form, dropping it."""
    blocks = markdown_body.split("\n\n")
    for index, block in enumerate(blocks):
        if form_url and form_url in block:
            return "\n\n".join(blocks[:index]), "\n\n".join(blocks[index + 1 :])
    return markdown_body, ""


class FrontMatter:
    """An announcement's front matter, read key by key with a French message naming the file and the key."""

    def __init__(self, path: Path, meta: Mapping[str, Any]) -> None:
        self.path = path
        self.meta = meta

    def fail(self, key: str, expected: str) -> EditionError:
        """Return the error of a missing or malformed key."""
        found = self.meta.get(key)
        told = "absente" if key not in self.meta else f"vaut {found!r}"
        return EditionError(f"Annonce {self.path} : la clé « {key} » {told} ; attendu : {expected}.")

    def text(self, key: str, default: str | None = None) -> str:
        """Return a text value (None or missing gives the default when there is one)."""
        value = self.meta.get(key, default)
        if value is None and default is not None:
            return default
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise self.fail(key, "un texte")
        return str(value)

    def moment(self, key: str, value: Any = None) -> datetime:
        """Return a date and time with its offset."""
        value = self.meta.get(key) if value is None else value
        try:
            return parse_moment(value if isinstance(value, datetime) else str(value))
        except (TypeError, ValueError) as error:
            example = "une date et heure ISO 8601 avec décalage, par exemple 2023-12-06T14:00:00+01:00"
            raise self.fail(key, example) from error

    def days(self) -> tuple[Day, ...]:
        """Return the days: the `days` list, or the one-day shorthand event-start/event-end."""
        expected = "une liste de {start, end}, dates ISO 8601 avec décalage, dans l’ordre"
        if "days" in self.meta:
            listed = self.meta["days"]
            if not isinstance(listed, list) or not listed or not all(isinstance(item, dict) for item in listed):
                raise self.fail("days", expected)
            days = tuple(
                Day(self.moment("days", item.get("start")), self.moment("days", item.get("end"))) for item in listed
            )
        else:
            days = (Day(self.moment("event-start"), self.moment("event-end")),)
        if any(day.end <= day.start for day in days) or any(a.end > b.start for a, b in pairwise(days)):
            raise self.fail("days" if "days" in self.meta else "event-end", expected + " (chaque fin après son début)")
        return days

    def durations(self) -> tuple[int, ...]:
        """Return the formats offered, in minutes."""
        value = self.meta.get("durations", list(DEFAULT_DURATIONS))
        if (
            not isinstance(value, list)
            or not value
            or not all(
                isinstance(minutes, int) and not isinstance(minutes, bool) and 0 < minutes <= 240 for minutes in value
            )
        ):
            raise self.fail("durations", "une liste de durées en minutes, par exemple [5, 10, 15, 20]")
        return tuple(sorted(set(value)))


@cache
def load_edition(
    path: Path = ANNOUNCEMENT,
    cfp_deadline: datetime | None = None,
    answer_date: datetime | None = None,
) -> Edition:
    """Read and render an announcement once; configuration may move the deadline and answer date."""
    try:
        meta, body = read_page(path)
    except OSError as error:
        raise EditionError(f"Annonce {path} : fichier illisible ({error.strerror}).") from error
    except Exception as error:  # the YAML parser's own errors
        raise EditionError(f"Annonce {path} : en-tête YAML illisible ({error}).") from error
    front = FrontMatter(path, meta)
    before, after = split_call_to_action(body, meta.get("external-form"))
    answer = answer_date or front.moment("answer-date")
    categories = meta.get("categories", [])
    if isinstance(categories, str):
        categories = [categories]
    return Edition(
        key=front.text("edition", path.stem),
        title=front.text("title"),
        categories=tuple(str(category) for category in categories),
        published=front.moment("date"),
        lead=front.text("chapeau-text", ""),
        body_html=render_markdown(before),
        after_call_html=render_markdown(after),
        days=front.days(),
        venue=front.text("venue"),
        room=front.text("room", ""),
        address=front.text("address"),
        contact=front.text("contact"),
        cfp_deadline=cfp_deadline or front.moment("cfp-deadline"),
        answer_date=answer,
        programme_date=front.moment("programme-date") if "programme-date" in meta else answer,
        durations=front.durations(),
    )


def cfp_state(edition: Edition, now: datetime) -> CfpState:
    """Return the call for talks' state at `now`: open while now < deadline."""
    last_moment = last_moment_before(edition.cfp_deadline)
    is_open = now < edition.cfp_deadline
    return CfpState(
        edition=edition,
        is_open=is_open,
        closing_today=is_open and now.astimezone(PARIS).date() == last_moment.date(),
        time_left=max(edition.cfp_deadline - now, timedelta(0)),
    )
