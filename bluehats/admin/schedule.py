"""Ordering the accepted talks, giving them start times, publishing the programme."""

from flask import current_app, flash, redirect, render_template, request, url_for

from ..core import clock
from ..core.dates import format_datetime
from ..core.exports import programme_jekyll
from ..core.vocabulary import Publication
from ..programme import (
    accepted_talks,
    auto_schedule,
    is_published,
    published_at,
    read_schedule_form,
    save_schedule,
    scheduled_talks,
    set_publication,
)
from ..web.links import external_url
from ..web.templating import current_event
from .blueprint import actor, bp


@bp.get("/programme")
def programme():
    """Show the accepted talks with their order and start times, and the publication state."""
    talks = accepted_talks()
    minutes = sum(talk.duration for talk in talks)
    return render_template(
        "admin/programme.html",
        talks=talks,
        minutes=minutes,
        programme_minutes=current_app.config["BLUEHATS_PROGRAMME_MINUTES"],
        published_at=published_at(),
        is_published=is_published(clock.now()),
    )


@bp.post("/programme")
def save_programme():
    """Save the order and start times typed by the organisers."""
    entries, errors = read_schedule_form(request.form, accepted_talks(), current_event().start)
    if errors:
        for error in errors:
            flash(error, "error")
        return redirect(url_for("admin.programme"), code=303)
    save_schedule(entries, actor())
    flash("Programme enregistré.", "success")
    return redirect(url_for("admin.programme"), code=303)


@bp.post("/programme/a-la-suite")
def schedule_in_order():
    """Give the talks consecutive start times from the day's start, in their current order."""
    auto_schedule(current_event(), actor())
    flash("Horaires calculés à la suite, dans l’ordre actuel, à partir de l’ouverture.", "success")
    return redirect(url_for("admin.programme"), code=303)


@bp.post("/programme/publication")
def publish_programme():
    """Publish now, publish on the answer date, or withdraw the programme."""
    choice = request.form.get("publication", "")
    if choice == Publication.NOW:
        set_publication(clock.now())
        flash("Le programme est publié.", "success")
    elif choice == Publication.ANSWER_DATE:
        moment = current_event().answer_date
        set_publication(moment)
        flash(f"Le programme sera publié le {format_datetime(moment)}.", "success")
    else:
        set_publication(None)
        flash("Le programme n’est pas publié : il ne le sera que sur votre demande.", "info")
    return redirect(url_for("admin.programme"), code=303)


@bp.get("/programme.md")
def programme_export():
    """Download the programme as a Jekyll page for the original site's events collection."""
    body = programme_jekyll(current_event(), scheduled_talks(), external_url("public.programme"))
    return current_app.response_class(
        body,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'attachment; filename="2022-11-08-programme-journee-bluehats.md"'},
    )
