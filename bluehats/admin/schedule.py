"""Ordering the accepted talks, giving them start times, publishing the programme."""

from flask import current_app, flash, redirect, render_template, request, url_for

from ..core import clock
from ..core.dates import format_datetime
from ..programme import (
    accepted_talks,
    auto_schedule,
    is_published,
    parse_start,
    programme_markdown,
    published_at,
    save_schedule,
    scheduled_talks,
    set_publication,
)
from ..web.links import external_url
from ..web.templating import current_event
from .blueprint import bp


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
    event = current_event()
    if request.form.get("action") == "auto":
        auto_schedule(event)
        flash("Horaires calculés à la suite, dans l’ordre actuel, à partir de l’ouverture.", "success")
        return redirect(url_for("admin.programme"), code=303)
    entries, errors = {}, []
    for talk in accepted_talks():
        position_text = request.form.get(f"position-{talk.id}", "").strip()
        start_text = request.form.get(f"start-{talk.id}", "").strip()
        start = parse_start(event.start, start_text)
        if start_text and start is None:
            errors.append(f"{talk.reference} : horaire « {start_text} » illisible (exemple : 9:30).")
            continue
        position = int(position_text) if position_text.isdigit() else None
        entries[talk.id] = (position, start)
    if errors:
        for error in errors:
            flash(error, "error")
        return redirect(url_for("admin.programme"), code=303)
    save_schedule(entries)
    flash("Programme enregistré.", "success")
    return redirect(url_for("admin.programme"), code=303)


@bp.post("/programme/publication")
def publish_programme():
    """Publish now, publish on the answer date, or withdraw the programme."""
    choice = request.form.get("publication")
    if choice == "maintenant":
        set_publication(clock.now())
        flash("Le programme est publié.", "success")
    elif choice == "date-reponse":
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
    body = programme_markdown(scheduled_talks(), external_url("public.programme"))
    return current_app.response_class(
        body,
        mimetype="text/markdown",
        headers={"Content-Disposition": 'attachment; filename="2022-11-08-programme-journee-bluehats.md"'},
    )
