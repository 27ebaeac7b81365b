"""The event: its announcement (front matter + Markdown), its dates and the state of its call for talks."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from markupsafe import Markup

from .clock import PARIS
from .content import CONTENT_DIR, read_page, render_markdown
from .dates import format_date, format_left, last_moment_before, parse_moment

ANNOUNCEMENT = CONTENT_DIR / "journee-bluehats-osxp-2022.md"


@dataclass(frozen=True)
class Event:
    """The day and its announcement, as the pages and the calendar need them."""

    title: str
    categories: tuple[str, ...]
    published: datetime
    lead: str
    body_html: Markup
    after_call_html: Markup
    start: datetime
    end: datetime
    venue: str
    room: str
    address: str
    contact: str
    cfp_deadline: datetime
    answer_date: datetime


@dataclass(frozen=True)
class CfpState:
    """Where the call for talks stands at one moment."""

    event: Event
    is_open: bool
    closing_today: bool
    time_left: timedelta

    @property
    def left_text(self) -> str:
        """Return the time left in French words."""
        return format_left(self.time_left)

    @property
    def deadline_text(self) -> str:
        """Return the deadline's date, « 18 octobre 2022 »."""
        return format_date(self.event.cfp_deadline)

    @property
    def last_day_text(self) -> str:
        """Return the last day proposals are taken, « 17 octobre 2022 »."""
        return format_date(last_moment_before(self.event.cfp_deadline))

    @property
    def answer_text(self) -> str:
        """Return the answer date, « 21 octobre 2022 »."""
        return format_date(self.event.answer_date)


def split_call_to_action(markdown_body: str, form_url: str | None) -> tuple[str, str]:
    """Split the body around the raw HTML block that linked to the external form, dropping it."""
    blocks = markdown_body.split("\n\n")
    for index, block in enumerate(blocks):
        if form_url and form_url in block:
            return "\n\n".join(blocks[:index]), "\n\n".join(blocks[index + 1 :])
    return markdown_body, ""


@cache
def load_event(
    path: Path = ANNOUNCEMENT,
    cfp_deadline: datetime | None = None,
    answer_date: datetime | None = None,
) -> Event:
    """Read and render the announcement once; configuration may move the deadline and answer date."""
    meta, body = read_page(path)
    before, after = split_call_to_action(body, meta.get("external-form"))
    lead = meta.get("chapeau-text", "")
    return Event(
        title=str(meta["title"]),
        categories=tuple(meta.get("categories", ())),
        published=parse_moment(meta["date"]),
        lead=str(lead),
        body_html=render_markdown(before),
        after_call_html=render_markdown(after),
        start=parse_moment(meta["event-start"]),
        end=parse_moment(meta["event-end"]),
        venue=str(meta["venue"]),
        room=str(meta["room"]),
        address=str(meta["address"]),
        contact=str(meta["contact"]),
        cfp_deadline=cfp_deadline or parse_moment(meta["cfp-deadline"]),
        answer_date=answer_date or parse_moment(meta["answer-date"]),
    )


def cfp_state(event: Event, now: datetime) -> CfpState:
    """Return the call for talks' state at `now`: open while now < deadline."""
    last_moment = last_moment_before(event.cfp_deadline)
    is_open = now < event.cfp_deadline
    return CfpState(
        event=event,
        is_open=is_open,
        closing_today=is_open and now.astimezone(PARIS).date() == last_moment.date(),
        time_left=max(event.cfp_deadline - now, timedelta(0)),
    )
