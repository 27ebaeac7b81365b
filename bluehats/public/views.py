"""Routes of the public pages."""

from flask import Blueprint, Response, abort, current_app, jsonify, make_response, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..core import clock
from ..core.calendars import event_calendar, programme_calendar
from ..core.content import load_page
from ..core.vocabulary import MessageStatus
from ..editions import ArchivedEdition, archive, find_edition
from ..extensions import db
from ..models import OutboxMessage
from ..programme import by_day, is_published, published_at, scheduled_talks
from ..web.caching import public_page, shared
from ..web.links import external_url
from ..web.templating import cfp_key, current_edition

bp = Blueprint("public", __name__)


LEGAL_PAGES = ("mentions-legales", "donnees-personnelles", "accessibilite")
# The legal notice names the publisher and the host from the configuration, above its Markdown.
LEGAL_TEMPLATES = {"mentions-legales": "legal_notice"}


@bp.get("/")
def index():
    """Show the announcement (rendered once per state of the call, 304 when the browser has it)."""
    return public_page(cfp_key(current_app), lambda: render_template("public/index.html"))


@bp.get("/<any('mentions-legales', 'donnees-personnelles', 'accessibilite'):name>")
def legal(name: str):
    """Show one of the pages every French public site owes its visitors."""
    template = f"public/{LEGAL_TEMPLATES.get(name, 'page')}.html"
    return public_page(name, lambda: render_template(template, page=load_page(name)))


@bp.get("/evenement.ics")
def event_ics():
    """Serve the day as a calendar file."""
    page_url = external_url("public.index")
    body = event_calendar(current_edition(), page_url, clock.now())
    return shared(
        Response(
            body,
            mimetype="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="{current_edition().key}.ics"'},
        )
    )


def public_talks(edition_key: str | None = None) -> list | None:
    """Return an edition's published programme's talks, or None before publication."""
    return scheduled_talks(edition_key) if is_published(clock.now(), edition_key) else None


def programme_page(shown: ArchivedEdition) -> Response:
    """Render an edition's programme, day by day, or say it is not published (yet)."""
    talks = public_talks(shown.key)
    page = render_template(
        "public/programme.html",
        shown=shown,
        days=by_day(talks) if talks is not None else None,
        publication=published_at(shown.key),
    )
    return shared(make_response(page))


@bp.get("/programme")
def programme():
    """Show the current edition's programme, or say it is not published yet."""
    shown = find_edition(current_edition().key)
    assert shown is not None  # the archive always holds the current edition
    return programme_page(shown)


@bp.get("/editions")
def editions():
    """List the editions the site has held, each with its dates, place and programme."""
    return shared(make_response(render_template("public/editions.html", editions=archive())))


@bp.get("/editions/<edition>/programme")
def edition_programme(edition: str):
    """Show an edition's programme as it was published."""
    shown = find_edition(edition)
    if shown is None:
        abort(404)
    return programme_page(shown)


@bp.get("/programme.ics")
def programme_ics():
    """Serve the published programme as a calendar, one event per talk (empty before publication)."""
    page_url = external_url("public.programme")
    body = programme_calendar(current_edition(), public_talks() or [], page_url, clock.now())
    return shared(
        Response(
            body,
            mimetype="text/calendar",
            headers={"Content-Disposition": f'attachment; filename="programme-{current_edition().key}.ics"'},
        )
    )


@bp.get("/healthz")
def healthz():
    """Report whether the site and its database answer; logged-in organisers also see the mails waiting."""
    try:
        counts = dict(
            db.session.execute(
                select(OutboxMessage.status, func.count())
                .where(OutboxMessage.status.in_([MessageStatus.PENDING, MessageStatus.FAILED]))
                .group_by(OutboxMessage.status)
            ).all()
        )
    except Exception as error:  # noqa: BLE001 - any failure means the database is unusable
        db.session.rollback()
        return jsonify(status="error", database=f"error: {type(error).__name__}"), 503
    if not current_user.is_authenticated:  # the queue is the team's business, not a passer-by's
        return jsonify(status="ok", database="ok")
    outbox = {"pending": counts.get(MessageStatus.PENDING, 0), "failed": counts.get(MessageStatus.FAILED, 0)}
    return jsonify(status="ok", database="ok", outbox=outbox)
