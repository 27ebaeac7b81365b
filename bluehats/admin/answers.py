"""The answers: templates edited and previewed, then queued for the answer date."""

from flask import flash, redirect, render_template, request, url_for

from ..core import clock
from ..core.dates import format_datetime
from ..core.typography import plural
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


def show_answers(draft: Decision | None = None, draft_form: TemplateForm | None = None, saved: str = ""):
    """Render both templates and their previews; a draft being previewed is shown unsaved, as typed."""
    forms = {decision: TemplateForm(prefix=decision.value, obj=load_template(decision)) for decision in Decision}
    previews = {decision: compose_answer(sample_proposal(), decision) for decision in Decision}
    if draft is not None and draft_form is not None:
        forms[draft] = draft_form
        if not draft_form.errors:
            template = AnswerTemplate(subject=draft_form.subject.data, body=draft_form.body.data)
            previews[draft] = compose_answer(sample_proposal(), draft, template)
    return render_template(
        "admin/answers.html",
        forms=forms,
        previews=previews,
        draft=draft,
        saved=saved,
        waiting=unanswered(),
        placeholders=PLACEHOLDERS,
        leaves=answer_time(clock.now()),
    )


@bp.get("/reponses")
def answers():
    """Show both templates, their preview, and what « send the answers » would queue."""
    saved = request.args.get("enregistre", "")
    return show_answers(saved=saved if saved in {decision.value for decision in Decision} else "")


@bp.post("/reponses/<any(accepted, declined):decision>/apercu")
def preview_answer_template(decision: str):
    """Show the preview of a template as typed, without saving it."""
    chosen = Decision(decision)
    form = TemplateForm(prefix=chosen.value)
    form.validate_on_submit()
    return show_answers(chosen, form)


@bp.post("/reponses/<any(accepted, declined):decision>")
def save_answer_template(decision: str):
    """Save one template."""
    chosen = Decision(decision)
    form = TemplateForm(prefix=chosen.value)
    if not form.validate_on_submit():
        # Shown in its section with the text as typed: nothing is lost, nothing is saved.
        return show_answers(chosen, form)
    save_template(chosen, AnswerTemplate(subject=form.subject.data, body=form.body.data))
    # « Modèle enregistré » is said in the template's own section, where the organiser is looking.
    return redirect(url_for("admin.answers", enregistre=chosen.value, _anchor=f"enregistre-{chosen.value}"), code=303)


@bp.post("/reponses/envoyer")
def send_answers():
    """Queue one answer per decided proposal not yet answered."""
    if request.form.get("confirm") != "oui":
        flash("Cochez la case de confirmation pour envoyer les réponses.", "error")
        return redirect(url_for("admin.answers"), code=303)
    messages = send_decisions(actor())
    leaves = format_datetime(answer_time(clock.now()))
    queued = plural(len(messages), "réponse mise", "réponses mises")
    flash(f"{queued} en file d’envoi ; départ le {leaves}.", "success")
    return redirect(url_for("admin.answers"), code=303)
