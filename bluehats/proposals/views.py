"""Routes of the call for talks: the form, the confirmation page, the speaker's private page."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import generate_csrf

from ..core import clock
from ..decisions import answer_is_public, confirm_participation
from ..extensions import db, limiter
from ..models import Proposal, Status
from ..web.caching import NO_STORE
from ..web.links import private_url, proposal_id_from_token
from ..web.templating import cfp_key, current_event
from .forms import ABSTRACT_MAX, ABSTRACT_MIN, ADMINISTRATIONS, EditProposalForm, ProposalForm
from .operations import cfp_accepts, submit_proposal, update_proposal, withdraw_proposal

bp = Blueprint("proposals", __name__)


@bp.context_processor
def abstract_limits() -> dict[str, int]:
    """Give the templates the description's length limits (the counter shows them)."""
    return {"abstract_min": ABSTRACT_MIN, "abstract_max": ABSTRACT_MAX}


@bp.after_request
def never_store(response: Response) -> Response:
    """Keep the speaker's pages (a CSRF token, a proposal, a private link) out of every cache."""
    response.headers["Cache-Control"] = NO_STORE
    return response


# Per client address. Agents of a whole ministry may reach the site through one proxy, the same
# afternoon: the limits stop a flood, not a busy department.
SUBMIT_LIMIT = "100 per hour;10 per minute"
EDIT_LIMIT = "30 per hour"
CSRF_SLOT = "bluehats-csrf-token-placeholder"


def accepting() -> bool:
    """Tell whether the form takes proposals now."""
    return cfp_accepts(current_event(), clock.now(), current_app.config["BLUEHATS_CFP_PREVIEW"])


@bp.get("/proposer")
def new():
    """Show the form, or say that the call is closed."""
    if not accepting():
        return render_template("proposals/closed.html")
    return empty_form()


@bp.post("/proposer")
@limiter.limit(SUBMIT_LIMIT)
def submit():
    """Store a valid proposal and redirect to its confirmation; show the form's errors otherwise."""
    if not accepting():
        return render_template("proposals/closed.html"), 403
    form = ProposalForm()
    if form.validate_on_submit():
        outcome = submit_proposal(form.proposal_data(), honeypot=form.website.data or "")
        # The confirmation page is for this browser only: the private link is not in its URL.
        session["confirmed"] = outcome.proposal.id
        return redirect(url_for("proposals.confirmation"), code=303)
    return render_template("proposals/form.html", form=form, administrations=ADMINISTRATIONS)


def empty_form() -> Response:
    """Serve the empty form: rendered once per state of the call, with this visitor's CSRF token put in."""
    store = current_app.extensions["bluehats.pages"]
    _, body = store.get(
        ("proposals.new", request.host_url, cfp_key(current_app)),
        lambda: render_template(
            "proposals/form.html",
            form=ProposalForm(meta={"csrf": False}),
            administrations=ADMINISTRATIONS,
            csrf_token=lambda: CSRF_SLOT,
        ),
    )
    return make_response(body.decode("utf-8").replace(CSRF_SLOT, generate_csrf()))


@bp.get("/proposer/merci")
def confirmation():
    """Thank the speaker and recap what was sent."""
    proposal_id = session.get("confirmed")
    proposal = db.session.get(Proposal, proposal_id) if isinstance(proposal_id, int) else None
    if proposal is None:
        return redirect(url_for("proposals.new"))
    return render_template("proposals/confirmation.html", proposal=proposal, private_link=private_url(proposal.id))


def proposal_or_404(token: str) -> Proposal:
    """Return the proposal a private link is for; a forged or altered link is a 404."""
    proposal_id = proposal_id_from_token(token)
    proposal = db.session.get(Proposal, proposal_id) if proposal_id is not None else None
    if proposal is None or proposal.purged_at is not None:
        abort(404)
    return proposal


@bp.route("/proposition/<token>", methods=["GET", "POST"])
@limiter.limit(EDIT_LIMIT, methods=["POST"])
def private(token: str):
    """The speaker's page: read, and until the deadline edit or withdraw."""
    proposal = proposal_or_404(token)
    editable = proposal.status == Status.SUBMITTED and accepting()
    form = EditProposalForm(obj=proposal) if request.method == "GET" else EditProposalForm()
    if request.method == "POST" and request.form.get("action") == "confirm":
        if confirm_participation(proposal.id):
            flash("Merci, votre participation est confirmée. À bientôt à la Journée BlueHats !", "success")
        return redirect(url_for("proposals.private", token=token), code=303)
    if request.method == "POST":
        if not editable:
            flash("Cette proposition ne peut plus être modifiée.", "error")
            return redirect(url_for("proposals.private", token=token), code=303)
        if request.form.get("action") == "withdraw":  # CSRFProtect has checked the token
            outcome = withdraw_proposal(proposal.id)
            if outcome:
                flash("Votre proposition est retirée. Un courriel vous le confirme.", "success")
            return redirect(url_for("proposals.private", token=token), code=303)
        if request.form.get("action") == "edit" and form.validate_on_submit():
            outcome = update_proposal(proposal.id, form.proposal_data())
            if outcome and outcome.messages:
                flash("Vos modifications sont enregistrées. Les organisateurs en sont informés.", "success")
            else:
                flash("Aucune modification à enregistrer.", "info")
            return redirect(url_for("proposals.private", token=token), code=303)
    if request.method == "GET":
        form.duration.data = str(proposal.duration)
    return render_template(
        "proposals/private.html",
        proposal=proposal,
        form=form,
        editable=editable,
        answer_public=answer_is_public(proposal, clock.now()),
        token=token,
        administrations=ADMINISTRATIONS,
    )
