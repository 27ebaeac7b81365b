"""The speaker's accepted talk through the private link: slides to upload or remove, calling the talk off."""

from flask import flash, redirect, render_template, request, url_for

from ..extensions import limiter
from ..talks import SlidesError, can_cancel, cancel_talk, is_live_talk, remove_slides, store_slides
from .views import EDIT_LIMIT, bp, proposal_or_404


@bp.post("/proposition/<token>/support")
@limiter.limit(EDIT_LIMIT)
def upload_slides(token: str):
    """Keep the PDF the speaker sends as the talk's slides."""
    proposal = proposal_or_404(token)
    upload = request.files.get("slides")
    if upload is None or not upload.filename:
        flash("Choisissez le fichier PDF de votre support avant de l’envoyer.", "error")
    else:
        try:
            store_slides(proposal.id, upload.read(), proposal.email)
        except SlidesError as error:
            flash(str(error), "error")
        else:
            flash("Votre support est déposé : il sera proposé au téléchargement avec le programme.", "success")
    return redirect(url_for("proposals.private", token=token, _anchor="support"), code=303)


@bp.post("/proposition/<token>/support/retrait")
@limiter.limit(EDIT_LIMIT)
def delete_slides(token: str):
    """Remove the talk's slides."""
    proposal = proposal_or_404(token)
    if remove_slides(proposal.id, proposal.email):
        flash("Votre support est retiré.", "success")
    return redirect(url_for("proposals.private", token=token, _anchor="support"), code=303)


@bp.get("/proposition/<token>/annulation")
def cancel_page(token: str):
    """Ask before calling the talk off, and say what it does."""
    proposal = proposal_or_404(token)
    if not can_cancel(proposal):
        return redirect(url_for("proposals.private", token=token), code=303)
    return render_template("proposals/cancel.html", proposal=proposal, token=token)


@bp.post("/proposition/<token>/annulation")
@limiter.limit(EDIT_LIMIT)
def cancel(token: str):
    """Call the accepted talk off."""
    proposal = proposal_or_404(token)
    if can_cancel(proposal) and cancel_talk(proposal.id, proposal.email):
        flash(
            "Votre intervention est annulée. Les organisateurs en sont informés ; merci de nous avoir prévenus.",
            "success",
        )
    elif not is_live_talk(proposal):
        flash("Cette intervention n’est pas au programme.", "error")
    return redirect(url_for("proposals.private", token=token), code=303)
