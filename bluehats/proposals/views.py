"""Routes of the call for talks: the form, the confirmation, the speaker's private page and its actions."""

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, session, url_for
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from ..core import clock
from ..extensions import db, limiter
from ..models import Proposal
from ..programme import is_published
from ..web.caching import render_once
from ..web.errors import database_unavailable, unavailable_response
from ..web.links import private_url, proposal_from_token
from ..web.templating import cfp_key, current_edition
from .forms import ABSTRACT_MAX, ABSTRACT_MIN, ADMINISTRATIONS, INDIFFERENT, EditProposalForm, ProposalForm
from .operations import (
    Received,
    can_edit,
    cfp_accepts,
    confirm_participation,
    renew_private_link,
    submit_proposal,
    update_proposal,
    withdraw_proposal,
)
from .standing import last_speaker_edit, standing

bp = Blueprint("proposals", __name__)

# Per client address. Agents of a whole ministry may reach the site through one proxy, the same
# afternoon: the limits stop a flood, not a busy department.
SUBMIT_LIMIT = "100 per hour;10 per minute"
EDIT_LIMIT = "30 per hour"
CSRF_SLOT = "bluehats-csrf-token-placeholder"
NOT_SAVED = (
    "Votre proposition n’a pas pu être enregistrée : le site est momentanément indisponible. "
    "Ce que vous avez saisi est conservé ci-dessous ; renvoyez le formulaire dans quelques instants."
)
# The proposals this browser sent lately (their ids, in its signed session): only these count as its repeats.
SENT_HERE = "sent"
SENT_HERE_KEPT = 20


@bp.context_processor
def abstract_limits() -> dict[str, int]:
    """Give the templates the description's length limits (the counter shows them)."""
    return {"abstract_min": ABSTRACT_MIN, "abstract_max": ABSTRACT_MAX}


@bp.after_request
def never_store(response: Response) -> Response:
    """Keep every page of the call out of every cache: they hold a CSRF token, a private link or personal data."""
    response.headers["Cache-Control"] = "no-store"
    return response


def accepting() -> bool:
    """Tell whether the form takes proposals now."""
    return cfp_accepts(current_edition(), clock.now(), current_app.config["BLUEHATS_CFP_PREVIEW"])


@bp.get("/proposer")
def new():
    """Show the form, or say that the call is closed."""
    if not accepting():
        return render_template("proposals/closed.html")
    # Rendered once per state of the call; only this visitor's CSRF token is put in.
    body = render_once(
        ("proposals.new", cfp_key(current_app)),
        lambda: render_template(
            "proposals/form.html",
            form=ProposalForm(meta={"csrf": False}),
            administrations=ADMINISTRATIONS,
            csrf_token=lambda: CSRF_SLOT,
        ),
    )
    return body.decode("utf-8").replace(CSRF_SLOT, generate_csrf())


@bp.post("/proposer")
@limiter.limit(SUBMIT_LIMIT)
def submit():
    """Store a valid proposal and redirect to its confirmation; show the form's errors otherwise."""
    if not accepting():
        return render_template("proposals/closed.html"), 403
    form = ProposalForm()
    if not form.validate_on_submit():
        return render_template("proposals/form.html", form=form, administrations=ADMINISTRATIONS)
    sent_here = [value for value in session.get(SENT_HERE, []) if isinstance(value, int)]
    try:
        submission = submit_proposal(
            form.proposal_data(),
            honeypot=form.website.data or "",
            sent_from_here=frozenset(sent_here),
            cospeakers=form.cospeaker_data(),
        )
    except SQLAlchemyError as error:
        if not database_unavailable(error):
            raise
        # Nothing was stored: the speaker gets the form back as typed, to send again in a moment.
        page = render_template("proposals/form.html", form=form, administrations=ADMINISTRATIONS, not_saved=NOT_SAVED)
        return unavailable_response(page)
    if submission.proposal_id is not None and submission.received is Received.NEW:
        session[SENT_HERE] = [*sent_here, submission.proposal_id][-SENT_HERE_KEPT:]
    # The confirmation page is for this browser only: nothing of it is in its URL.
    session["confirmed"] = submission.proposal_id
    session["received"] = submission.received.value
    return redirect(url_for("proposals.confirmation"), code=303)


@bp.get("/proposer/merci")
def confirmation():
    """Thank the speaker and recap what was sent (or say, and only say, that it had already arrived)."""
    received = session.get("received")
    if received == Received.ELSEWHERE.value:
        return render_template("proposals/already_received.html")
    proposal_id = session.get("confirmed")
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None:
        return redirect(url_for("proposals.new"))
    return render_template(
        "proposals/confirmation.html",
        proposal=proposal,
        repeated=received == Received.REPEATED.value,
        private_link=private_url(proposal),
    )


def proposal_or_404(token: str) -> Proposal:
    """Return the proposal a private link is for; a forged, altered, revoked or purged link is a helpful 404."""
    proposal = proposal_from_token(token)
    if proposal is None or proposal.purged_at is not None:
        # Most often a link cut when copied, or replaced since: say so, and how to get the right one by mail.
        abort(Response(render_template("proposals/link_not_found.html"), 404))
    return proposal


def show_private(proposal: Proposal, token: str, form: EditProposalForm, status: int = 200):
    """Render the speaker's page."""
    page = render_template(
        "proposals/private.html",
        proposal=proposal,
        form=form,
        editable=can_edit(proposal, accepting()),
        standing=standing(proposal, clock.now()),
        last_edit=last_speaker_edit(proposal),
        published=is_published(clock.now(), proposal.edition),
        token=token,
        administrations=ADMINISTRATIONS,
    )
    return page, status


@bp.get("/proposition/<token>")
def private(token: str):
    """The speaker's page: what was sent, where it stands, and until the deadline an edit form."""
    proposal = proposal_or_404(token)
    form = EditProposalForm(obj=proposal)
    form.duration.data = str(proposal.duration)
    if "preferred_day" in form:
        form.preferred_day.data = proposal.preferred_day or INDIFFERENT
    return show_private(proposal, token, form)


@bp.post("/proposition/<token>")
@limiter.limit(EDIT_LIMIT)
def edit(token: str):
    """Save the speaker's edit and say what changed."""
    proposal = proposal_or_404(token)
    if not can_edit(proposal, accepting()):
        flash("Cette proposition ne peut plus être modifiée.", "error")
        return redirect(url_for("proposals.private", token=token), code=303)
    form = EditProposalForm()
    if not form.validate_on_submit():
        return show_private(proposal, token, form)
    changed = update_proposal(proposal.id, form.proposal_data(), accepting(), form.cospeaker_data())
    if changed:
        flash(f"Modification enregistrée ({', '.join(changed)}). Un courriel vous en envoie une copie.", "success")
    elif changed is None:
        flash("Cette proposition ne peut plus être modifiée.", "error")
    else:
        flash("Aucune modification à enregistrer : la proposition est identique.", "info")
    return redirect(url_for("proposals.private", token=token), code=303)


@bp.get("/proposition/<token>/retrait")
def withdraw_page(token: str):
    """Ask before withdrawing, and say what withdrawing does."""
    proposal = proposal_or_404(token)
    if not can_edit(proposal, accepting()):
        return redirect(url_for("proposals.private", token=token), code=303)
    return render_template("proposals/withdraw.html", proposal=proposal, token=token)


@bp.post("/proposition/<token>/retrait")
@limiter.limit(EDIT_LIMIT)
def withdraw(token: str):
    """Withdraw the proposal."""
    proposal = proposal_or_404(token)
    if withdraw_proposal(proposal.id, accepting()):
        flash("Votre proposition est retirée. Un courriel vous le confirme.", "success")
    else:
        flash("Cette proposition ne peut plus être retirée.", "error")
    return redirect(url_for("proposals.private", token=token), code=303)


@bp.post("/proposition/<token>/confirmation")
@limiter.limit(EDIT_LIMIT)
def confirm(token: str):
    """Record that the accepted speaker will come."""
    proposal = proposal_or_404(token)
    if confirm_participation(proposal.id):
        flash(f"Merci, votre participation est confirmée. À bientôt {current_edition().to_dated_name} !", "success")
    return redirect(url_for("proposals.private", token=token), code=303)


@bp.post("/proposition/<token>/lien")
@limiter.limit(EDIT_LIMIT)
def renew_link(token: str):
    """Replace this private link by a new one, sent by mail: the link in the address bar stops working."""
    proposal = proposal_or_404(token)
    renew_private_link(proposal.id, proposal.email)
    return render_template("proposals/link_renewed.html", proposal=proposal)
