"""Routes of the public pages."""

from flask import Blueprint, Response, current_app, jsonify, make_response, render_template
from flask_login import current_user
from sqlalchemy import func, select

from ..core import clock
from ..core.calendars import event_calendar
from ..core.content import load_page
from ..core.vocabulary import MessageStatus
from ..editions import archive
from ..extensions import db
from ..models import OutboxMessage
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


@bp.get("/plan-du-site")
def sitemap():
    """List every page a visitor can reach (the second way around the site, beside the menu)."""
    return public_page("plan-du-site", lambda: render_template("public/sitemap.html"))


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


@bp.get("/editions")
def editions():
    """List the editions the site has held, each with its dates, place and programme."""
    return shared(make_response(render_template("public/editions.html", editions=archive())))


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
