"""Routes of the published programme: the programme of each edition, a page per talk, calendars, schedule formats."""

import json
from urllib.parse import urlsplit

from flask import Response, abort, make_response, render_template, url_for
from sqlalchemy import select

from ..core import clock
from ..core.calendars import programme_calendar, talk_calendar
from ..core.schedule_formats import ScheduleLinks, schedule_json, schedule_xml
from ..core.vocabulary import Decision, Status
from ..editions import ArchivedEdition, find_edition
from ..extensions import db
from ..models import Proposal
from ..programme import breaks, by_day, is_published, published_at, scheduled_talks
from ..web.caching import shared
from ..web.links import external_url
from ..web.templating import current_edition
from .views import bp

# The download of a talk's slides, served by the slides feature when it is installed.
SLIDES_ENDPOINT = "public.talk_slides"


def public_talks(edition_key: str | None = None) -> list[Proposal] | None:
    """Return an edition's published programme's talks, or None before publication."""
    return scheduled_talks(edition_key) if is_published(clock.now(), edition_key) else None


def public_talk(reference: str) -> tuple[Proposal, ArchivedEdition]:
    """Return a talk of a published programme, with its edition, or answer 404."""
    talk = db.session.scalar(select(Proposal).where(Proposal.reference == reference.upper()))
    if talk is None or talk.status != Status.SUBMITTED or talk.decision != Decision.ACCEPTED or not talk.starts_at:
        abort(404)
    shown = find_edition(talk.edition)
    if shown is None or not is_published(clock.now(), talk.edition):
        abort(404)
    return talk, shown


@bp.app_template_global()
def recording_url(talk: Proposal) -> str | None:
    """Return a talk's recording address when it is one a visitor may follow (http or https)."""
    url = (talk.video_url or "").strip()
    return url if urlsplit(url).scheme.lower() in ("http", "https") and urlsplit(url).netloc else None


@bp.app_template_global()
def slides_url(talk: Proposal, external: bool = False) -> str | None:
    """Return the address of a talk's slides, once it has some and the site serves them."""
    if not talk.slides_file:
        return None
    if external:
        return external_url(SLIDES_ENDPOINT, reference=talk.reference)
    return url_for(SLIDES_ENDPOINT, reference=talk.reference)


def schedule_links() -> ScheduleLinks:
    """Return the absolute addresses the schedule formats name."""
    return ScheduleLinks(
        site=external_url("public.index"),
        programme=external_url("public.programme"),
        talk=lambda talk: external_url("public.talk", reference=talk.reference),
        slides=lambda talk: slides_url(talk, external=True),
    )


def programme_page(shown: ArchivedEdition) -> Response:
    """Render an edition's programme, day by day with its breaks, or say it is not published (yet)."""
    talks = public_talks(shown.key)
    page = render_template(
        "public/programme.html",
        shown=shown,
        days=by_day(talks, breaks(shown.key)) if talks is not None else None,
        publication=published_at(shown.key),
    )
    return shared(make_response(page))


@bp.get("/programme")
def programme():
    """Show the current edition's programme, or say it is not published yet."""
    shown = find_edition(current_edition().key)
    assert shown is not None  # the archive always holds the current edition
    return programme_page(shown)


@bp.get("/editions/<edition>/programme")
def edition_programme(edition: str):
    """Show an edition's programme as it was published."""
    shown = find_edition(edition)
    if shown is None:
        abort(404)
    return programme_page(shown)


@bp.get("/programme/<reference>")
def talk(reference: str):
    """Show one talk of a published programme: its speakers, abstract, time, recording and slides."""
    item, shown = public_talk(reference)
    return shared(make_response(render_template("public/talk.html", talk=item, shown=shown)))


def calendar_response(body: bytes, filename: str) -> Response:
    """Answer an iCalendar file to download."""
    return shared(
        Response(body, mimetype="text/calendar", headers={"Content-Disposition": f'attachment; filename="{filename}"'})
    )


@bp.get("/programme/<reference>.ics")
def talk_ics(reference: str):
    """Serve one talk as a calendar file."""
    item, shown = public_talk(reference)
    page_url = external_url("public.talk", reference=item.reference)
    return calendar_response(talk_calendar(shown, item, page_url, clock.now()), f"{item.reference.lower()}.ics")


@bp.get("/programme.ics")
def programme_ics():
    """Serve the published programme as a calendar, one event per talk (empty before publication)."""
    edition = current_edition()
    talk_url = schedule_links().talk
    body = programme_calendar(edition, public_talks() or [], talk_url, clock.now())
    return calendar_response(body, f"programme-{edition.key}.ics")


# Before publication both formats are an empty schedule of the edition's days rather than a 404: an app that
# subscribed early shows the event, then the talks once the version changes, instead of reporting a broken feed.
@bp.get("/programme.json")
def programme_json():
    """Serve the published programme as the c3voc schedule JSON."""
    data = schedule_json(current_edition(), public_talks() or [], schedule_links())
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return shared(Response(body, mimetype="application/json"))


@bp.get("/programme.xml")
def programme_xml():
    """Serve the published programme as the frab schedule XML."""
    body = schedule_xml(current_edition(), public_talks() or [], schedule_links())
    return shared(Response(body, mimetype="application/xml"))
