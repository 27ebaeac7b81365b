"""An accepted talk in the back office: what the programme shows, its recording and slides, its cancellation."""

from flask import flash, redirect, request, url_for

from ..talks import SlidesError, cancel_talk, remove_slides, set_public_lines, set_video, store_slides
from .blueprint import actor, bp
from .review import proposal_or_404


def back(proposal_id: int):
    """Return to the talk's section of its page."""
    return redirect(url_for("admin.proposal_detail", proposal_id=proposal_id, _anchor="au-programme"), code=303)


@bp.post("/propositions/<int:proposal_id>/programme")
def talk_public_lines(proposal_id: int):
    """Set the title and the line of speakers the programme shows (empty: as the speaker sent them)."""
    proposal_or_404(proposal_id)
    title = request.form.get("public_title", "")[:200]
    speakers = request.form.get("public_speakers", "")[:300]
    set_public_lines(proposal_id, title, speakers, actor())
    flash("Le programme montrera ce titre et ces intervenant·es.", "success")
    return back(proposal_id)


@bp.post("/propositions/<int:proposal_id>/enregistrement")
def talk_video(proposal_id: int):
    """Set or clear the recording's link."""
    proposal_or_404(proposal_id)
    url = request.form.get("video_url", "").strip()
    try:
        set_video(proposal_id, url or None, actor())
    except ValueError as error:
        flash(str(error), "error")
    else:
        flash("Lien de l’enregistrement enregistré." if url else "Lien de l’enregistrement retiré.", "success")
    return back(proposal_id)


@bp.post("/propositions/<int:proposal_id>/support")
def talk_slides(proposal_id: int):
    """Keep a PDF as the talk's slides, for the speaker."""
    proposal_or_404(proposal_id)
    upload = request.files.get("slides")
    if upload is None or not upload.filename:
        flash("Choisissez le fichier PDF du support avant de l’envoyer.", "error")
        return back(proposal_id)
    try:
        store_slides(proposal_id, upload.read(), actor())
    except SlidesError as error:
        flash(str(error), "error")
    else:
        flash("Support déposé.", "success")
    return back(proposal_id)


@bp.post("/propositions/<int:proposal_id>/support/retrait")
def talk_slides_removal(proposal_id: int):
    """Remove the talk's slides."""
    proposal_or_404(proposal_id)
    if remove_slides(proposal_id, actor()):
        flash("Support retiré.", "success")
    return back(proposal_id)


@bp.post("/propositions/<int:proposal_id>/annulation")
def talk_cancel(proposal_id: int):
    """Call an accepted talk off, even after the answers went out."""
    proposal_or_404(proposal_id)
    if request.form.get("confirm") != "oui":
        flash("Cochez la case de confirmation pour annuler l’intervention.", "error")
    elif cancel_talk(proposal_id, actor()):
        flash("Intervention annulée : elle quitte le programme, son créneau est libre.", "success")
    else:
        flash("Cette intervention n’est pas au programme.", "error")
    return back(proposal_id)
