"""A published talk's slides, downloaded by anyone under a name built from its title."""

from flask import abort, send_file
from sqlalchemy import select

from ..core import clock
from ..extensions import db
from ..models import Proposal
from ..programme import is_published
from ..talks import download_name, is_live_talk, slides_path
from ..web.caching import PUBLIC_CACHE_CONTROL
from .views import bp


@bp.get("/programme/<reference>/support")
def talk_slides(reference: str):
    """Send a published talk's slides as a PDF download."""
    proposal = db.session.scalars(select(Proposal).where(Proposal.reference == reference[:20])).first()
    if proposal is None or not is_live_talk(proposal) or not is_published(clock.now(), proposal.edition):
        abort(404)
    path = slides_path(proposal)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=True, download_name=download_name(proposal))
    response.headers["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response
