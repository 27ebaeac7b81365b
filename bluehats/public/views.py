"""Routes of the public pages."""

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from sqlalchemy import func, select

from ..core import clock
from ..core.calendars import event_calendar, programme_calendar
from ..core.content import load_page
from ..extensions import db
from ..models import MessageStatus, OutboxMessage
from ..programme import is_published, scheduled_talks
from ..web.caching import CACHE_CONTROL, cached_page, cached_path
from ..web.templating import cfp_key, current_event

bp = Blueprint("public", __name__)


LEGAL_PAGES = ("mentions-legales", "donnees-personnelles", "accessibilite")


@bp.after_request
def shared_cache(response: Response) -> Response:
    """Let browsers and nginx keep the public pages (the same for every visitor) as CACHE_CONTROL says."""
    if request.endpoint != "public.healthz" and response.status_code == 200:
        response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return response


@bp.get("/")
def index():
    """Show the announcement (rendered once per state of the call, 304 when the browser has it)."""
    return cached_page(cfp_key(current_app), lambda: render_template("public/index.html"))


@bp.get("/<any('mentions-legales', 'donnees-personnelles', 'accessibilite'):name>")
def legal(name: str):
    """Show one of the pages every French public site owes its visitors."""
    return cached_page(name, lambda: render_template("public/page.html", page=load_page(name)))


cached_path("/", "public.index", cfp_key)
for _name in LEGAL_PAGES:
    cached_path(f"/{_name}", "public.legal", lambda app, name=_name: name)


@bp.get("/evenement.ics")
def event_ics():
    """Serve the day as a calendar file."""
    page_url = url_for("public.index", _external=True)
    body = event_calendar(current_event(), page_url, clock.now())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="journee-bluehats-2022.ics"'},
    )


def public_talks() -> list | None:
    """Return the published programme's talks, or None before publication."""
    return scheduled_talks() if is_published(clock.now()) else None


@bp.get("/programme")
def programme():
    """Show the programme, or say it is not published yet."""
    return render_template("public/programme.html", talks=public_talks())


@bp.get("/programme.ics")
def programme_ics():
    """Serve the published programme as a calendar, one event per talk (empty before publication)."""
    page_url = url_for("public.programme", _external=True)
    body = programme_calendar(current_event(), public_talks() or [], page_url, clock.now())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="programme-journee-bluehats-2022.ics"'},
    )


@bp.get("/healthz")
def healthz():
    """Report the application's and the database's status, and the mails waiting, as JSON."""
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
    outbox = {"pending": counts.get(MessageStatus.PENDING, 0), "failed": counts.get(MessageStatus.FAILED, 0)}
    return jsonify(status="ok", database="ok", outbox=outbox)
