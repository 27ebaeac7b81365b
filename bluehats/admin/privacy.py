"""Data protection from the back office: erase the personal data of past proposals, after a confirmation."""

from flask import flash, redirect, render_template, request, url_for

from ..core.dates import day_start, format_date
from .blueprint import actor, bp
from .forms import PurgeForm
from .operations import purge_before, purgeable


@bp.get("/donnees")
def privacy():
    """Say how long data is kept; choose the date before which proposals lose their personal data."""
    return render_template("admin/privacy.html", form=PurgeForm(meta={"csrf": False}))


@bp.get("/donnees/effacer")
def privacy_confirm():
    """Say how many proposals a purge would touch, and ask for the confirmation."""
    form = PurgeForm(request.args, meta={"csrf": False})
    if not form.validate():
        return render_template("admin/privacy.html", form=form), 400
    count = purgeable(day_start(form.before.data))
    return render_template("admin/privacy_confirm.html", form=form, count=count)


@bp.post("/donnees/effacer")
def privacy_purge():
    """Erase the personal data of the proposals received before the date (logged in each one's history)."""
    form = PurgeForm()
    if not form.validate_on_submit():
        return render_template("admin/privacy.html", form=form), 400
    count = purge_before(day_start(form.before.data), actor())
    day = format_date(form.before.data)
    flash(f"{count} proposition(s) reçue(s) avant le {day} anonymisée(s).", "success")
    return redirect(url_for("admin.privacy"), code=303)
