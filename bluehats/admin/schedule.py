"""Ordering the accepted talks, giving them start times, publishing the programme."""

from flask import current_app, flash, redirect, render_template, request, url_for

from ..core import clock
from ..core.clock import PARIS
from ..core.dates import format_datetime
from ..core.edition import Edition
from ..core.exports import archive_markdown, programme_jekyll
from ..core.vocabulary import Publication
from ..programme import (
    ScheduleError,
    accepted_talks,
    add_break,
    auto_schedule,
    breaks,
    is_published,
    parse_start,
    published_at,
    read_schedule_form,
    remove_break,
    save_schedule,
    scheduled_talks,
    set_publication,
    talk_day,
    timeline_warnings,
)
from ..web.links import external_url
from ..web.templating import current_edition
from .blueprint import actor, bp


@bp.get("/programme")
def programme():
    """Show the accepted talks with their order and start times, and the publication state."""
    talks = accepted_talks()
    pauses = breaks()
    minutes = sum(talk.duration for talk in talks)
    return render_template(
        "admin/programme.html",
        talks=talks,
        minutes=minutes,
        programme_minutes=current_app.config["BLUEHATS_PROGRAMME_MINUTES"] or current_edition().minutes,
        published_at=published_at(),
        is_published=is_published(clock.now()),
        pauses=pauses,
        warnings=timeline_warnings(current_edition(), talks, pauses),
        talk_day=lambda talk: talk_day(current_edition(), talk),
    )


@bp.post("/programme")
def save_programme():
    """Save the order and start times typed by the organisers."""
    entries, errors = read_schedule_form(request.form, accepted_talks(), current_edition())
    if errors:
        for error in errors:
            flash(error, "error")
        return redirect(url_for("admin.programme"), code=303)
    save_schedule(entries, actor())
    flash("Programme enregistré.", "success")
    return redirect(url_for("admin.programme"), code=303)


@bp.post("/programme/pauses")
def add_programme_break():
    """Add a break (« Accueil », « Pause déjeuner ») at the times typed."""
    edition = current_edition()
    day = edition.day(request.form.get("day", "")) or edition.days[0]
    start = parse_start(day.date, request.form.get("start", ""))
    end = parse_start(day.date, request.form.get("end", ""))
    if start is None or end is None:
        flash("Pause : horaires illisibles (exemple : 12:30 et 14:00).", "error")
        return redirect(url_for("admin.programme", _anchor="pauses"), code=303)
    try:
        add_break(edition, request.form.get("label", ""), start, end)
    except ScheduleError as error:
        flash(f"Pause : {error}", "error")
    else:
        flash("Pause ajoutée au programme.", "success")
    return redirect(url_for("admin.programme", _anchor="pauses"), code=303)


@bp.post("/programme/pauses/<int:break_id>/retrait")
def remove_programme_break(break_id: int):
    """Remove a break."""
    if remove_break(break_id):
        flash("Pause retirée du programme.", "success")
    return redirect(url_for("admin.programme", _anchor="pauses"), code=303)


@bp.post("/programme/a-la-suite")
def schedule_in_order():
    """Give the talks consecutive start times from the day's start, in their current order."""
    auto_schedule(current_edition(), actor())
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
        moment = current_edition().programme_date
        set_publication(moment)
        flash(f"Le programme sera publié le {format_datetime(moment)}.", "success")
    else:
        set_publication(None)
        flash("Le programme n’est pas publié : il ne le sera que sur votre demande.", "info")
    return redirect(url_for("admin.programme"), code=303)


def jekyll_name(edition: Edition) -> str:
    """Return the Jekyll post's file name: the first day's date, then the edition."""
    return f"{edition.start.astimezone(PARIS):%Y-%m-%d}-programme-{edition.key}.md"


@bp.get("/programme-archive.md")
def programme_archive_export():
    """Download the edition's talks as the community site's archive page, with their recordings."""
    edition = current_edition()
    return current_app.response_class(
        archive_markdown(edition, scheduled_talks()),
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="presentations-{edition.key}.md"'},
    )


@bp.get("/programme.md")
def programme_export():
    """Download the programme as a Jekyll page for the original site's events collection."""
    body = programme_jekyll(current_edition(), scheduled_talks(), external_url("public.programme"))
    return current_app.response_class(
        body,
        mimetype="text/markdown",
        headers={"Content-Disposition": f'attachment; filename="{jekyll_name(current_edition())}"'},
    )
