"""The answers: templates edited and previewed, then queued for the answer date."""

from flask import flash, redirect, render_template, request, url_for

from ..core import clock
from ..core.dates import format_datetime
from ..core.vocabulary import Decision
from ..decisions import (
    PLACEHOLDERS,
    AnswerTemplate,
    answer_time,
    compose_answer,
    load_template,
    save_template,
    send_decisions,
    unanswered,
)
from ..models import Proposal
from .blueprint import actor, bp
from .forms import TemplateForm


def sample_proposal() -> Proposal:
    """Return a made-up proposal to preview a template with."""
    return Proposal(
        id=0,  # no proposal has it: the preview's private link leads nowhere
        first_name="Camille",
        last_name="Dupont",
        email="camille.dupont@exemple.gouv.fr",
        title="Titre de l’intervention",
        duration=15,
    )


@bp.get("/reponses")
def answers():
    """Show both templates, their preview, and what « send the answers » would queue."""
    waiting = unanswered()
    forms = {decision: TemplateForm(prefix=decision.value, obj=load_template(decision)) for decision in Decision}
    previews = {decision: compose_answer(sample_proposal(), decision) for decision in Decision}
    return render_template(
        "admin/answers.html",
        forms=forms,
        previews=previews,
        waiting=waiting,
        placeholders=PLACEHOLDERS,
        leaves=answer_time(clock.now()),
    )


@bp.post("/reponses/<any(accepted, declined):decision>")
def save_answer_template(decision: str):
    """Save one template."""
    chosen = Decision(decision)
    form = TemplateForm(prefix=chosen.value)
    if form.validate_on_submit():
        save_template(chosen, AnswerTemplate(subject=form.subject.data, body=form.body.data))
        flash("Modèle enregistré. L’aperçu ci-dessous le montre tel qu’il partira.", "success")
        return redirect(url_for("admin.answers", _anchor=f"modele-{chosen.value}"), code=303)
    for field in form:
        for error in field.errors:
            flash(f"{field.label.text} : {error}", "error")
    return redirect(url_for("admin.answers", _anchor=f"modele-{chosen.value}"), code=303)


@bp.post("/reponses/envoyer")
def send_answers():
    """Queue one answer per decided proposal not yet answered."""
    if request.form.get("confirm") != "oui":
        flash("Cochez la case de confirmation pour envoyer les réponses.", "error")
        return redirect(url_for("admin.answers"), code=303)
    messages = send_decisions(actor())
    leaves = format_datetime(answer_time(clock.now()))
    flash(f"{len(messages)} réponse(s) mise(s) en file d’envoi ; départ le {leaves}.", "success")
    return redirect(url_for("admin.answers"), code=303)
