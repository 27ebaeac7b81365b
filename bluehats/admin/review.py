"""Dashboard, list and detail of the proposals; opinions, decisions, notes, restoring spam."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..core.people import speakers_line
from ..core.vocabulary import Decision, Kind, Opinion
from ..decisions import decide
from ..extensions import db
from ..history import opinions_hidden, timeline
from ..models import Proposal
from ..proposals.operations import renew_private_link
from ..web.templating import current_edition
from .blueprint import actor, bp
from .figures import dashboard as compute_dashboard
from .forms import NoteForm, OpinionForm
from .operations import add_note, give_opinion, restore_spam
from .queries import (
    OPINION_FILTERS,
    SORTS,
    VIEWS,
    Filters,
    list_page,
    my_opinions,
    neighbours,
    past_editions,
    review_progress,
    tallies,
    view_counts,
)


@bp.get("/")
def dashboard():
    """Show the figures that matter on the answer day, and how far each organiser's review has gone."""
    figures = compute_dashboard(current_app.config["BLUEHATS_PROGRAMME_MINUTES"])
    progress, unreviewed, total = review_progress()
    return render_template(
        "admin/dashboard.html", figures=figures, views=VIEWS, progress=progress, unreviewed=unreviewed, total=total
    )


@bp.get("/propositions")
def proposal_list():
    """List the proposals: tabs, search, kind, day, opinions, sort, pages."""
    filters = request_filters()
    page = list_page(filters)
    ids = [proposal.id for proposal in page.items]
    return render_template(
        "admin/list.html",
        page=page,
        filters=filters,
        counts=view_counts(filters.edition or None),
        editions=past_editions(),
        views=VIEWS,
        sorts=SORTS,
        kinds=list(Kind),
        opinion_filters=OPINION_FILTERS,
        tallies=tallies(ids),
        mine=my_opinions(ids, current_user.id),
    )


def request_filters() -> Filters:
    """Read the list's filters from the query string: past editions and the current edition's days are known."""
    days = {day.key for day in current_edition().days}
    return Filters.from_args(request.args, current_user, edition_keys=set(past_editions()), day_keys=days)


def proposal_or_404(proposal_id: int) -> Proposal:
    """Return a proposal or answer 404."""
    # An id past what the database's integers hold is simply not there (SQLite would raise OverflowError).
    proposal = db.session.get(Proposal, proposal_id) if 0 < proposal_id < 2**31 else None
    if proposal is None:
        abort(404)
    return proposal


def render_detail(proposal: Proposal, note_form: NoteForm | None = None, opinion_form: OpinionForm | None = None):
    """Render a proposal's page: fields, everyone's opinion, decision, notes, history."""
    viewer = current_user._get_current_object()
    filters = request_filters()  # the list it was opened from: back to it, previous and next
    mine = next((review for review in proposal.reviews if review.organiser_id == viewer.id), None)
    if opinion_form is None:
        opinion_form = OpinionForm(data={"opinion": mine.opinion.value, "comment": mine.comment} if mine else None)
    return render_template(
        "admin/detail.html",
        proposal=proposal,
        note_form=note_form or NoteForm(),
        opinion_form=opinion_form,
        mine=mine,
        hidden=opinions_hidden(proposal, viewer),
        tally=tallies([proposal.id])[proposal.id],
        lines=timeline(proposal, viewer),
        speakers_default=speakers_line(proposal.people),
        filters=filters,
        around=neighbours(filters, proposal.id),
    )


@bp.get("/propositions/<int:proposal_id>")
def proposal_detail(proposal_id: int):
    """Show every field, the opinions, the history, the notes and the decision."""
    return render_detail(proposal_or_404(proposal_id))


@bp.post("/propositions/<int:proposal_id>/avis")
def proposal_opinion(proposal_id: int):
    """Give or change my opinion, until the answer is sent."""
    proposal = proposal_or_404(proposal_id)
    form = OpinionForm()
    if not form.validate_on_submit():
        return render_detail(proposal, opinion_form=form), 400
    if give_opinion(proposal_id, current_user.id, actor(), Opinion(form.opinion.data), form.comment.data or ""):
        flash("Avis enregistré. Vous pouvez le changer jusqu’à l’envoi des réponses.", "success")
    else:
        flash("La réponse est partie (ou la proposition n’est plus à examiner) : l’avis ne peut plus changer.", "error")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id, _anchor="avis"), code=303)


@bp.post("/propositions/<int:proposal_id>/decision")
def proposal_decide(proposal_id: int):
    """Accept, decline, or put back to be decided."""
    proposal_or_404(proposal_id)
    choices = {"aucune": None, **{decision.value: decision for decision in Decision}}
    choice = request.form.get("decision", "")
    if choice not in choices:
        abort(400)
    if decide(proposal_id, choices[choice], actor()):
        flash("Décision enregistrée. Elle partira avec les autres réponses.", "success")
    else:
        flash("La réponse est déjà partie : la décision ne peut plus changer.", "error")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id), code=303)


@bp.post("/propositions/<int:proposal_id>/notes")
def proposal_note(proposal_id: int):
    """Add an internal note."""
    proposal = proposal_or_404(proposal_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return render_detail(proposal, note_form=form), 400
    add_note(proposal_id, actor(), form.text.data)
    flash("Note ajoutée.", "success")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id, _anchor="notes"), code=303)


@bp.post("/propositions/<int:proposal_id>/restaurer")
def proposal_restore(proposal_id: int):
    """Take a proposal out of the spam: it becomes a real one, and its mails leave."""
    proposal_or_404(proposal_id)
    if restore_spam(proposal_id, actor()):
        flash("Proposition restaurée : la confirmation part à la personne.", "success")
    else:
        flash("Cette proposition n’est pas dans les indésirables.", "error")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id), code=303)


@bp.post("/propositions/<int:proposal_id>/lien")
def proposal_renew_link(proposal_id: int):
    """Revoke the speaker's private link: the old one stops working, a new one leaves by mail."""
    proposal_or_404(proposal_id)
    if renew_private_link(proposal_id, actor()):
        flash("L’ancien lien personnel ne fonctionne plus ; le nouveau part par courriel à la personne.", "success")
    else:
        flash("Cette proposition n’a pas de lien personnel à renouveler.", "error")
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id), code=303)
