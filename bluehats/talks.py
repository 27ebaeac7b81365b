"""An accepted talk after the answers: its public lines, its cancellation, its recording and its slides."""

import os
import re
import secrets
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from . import history
from .core import clock
from .core.vocabulary import Change, Decision, Notice, Status
from .extensions import db
from .mail import messages as mails
from .mail import outbox
from .models import Proposal
from .web.database import write_transaction

SLIDES_MAX_BYTES = 20 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


class SlidesError(ValueError):
    """Slides the site refuses; the message says why, in French."""


def is_live_talk(proposal: Proposal) -> bool:
    """Tell whether a proposal is an accepted talk that still takes place."""
    return proposal.status == Status.SUBMITTED and proposal.decision == Decision.ACCEPTED


def can_cancel(proposal: Proposal) -> bool:
    """Tell whether the speaker may call the talk off: accepted, and the answer sent."""
    return is_live_talk(proposal) and proposal.answered_at is not None


def cancel_talk(proposal_id: int, actor: str) -> bool:
    """Call an accepted talk off: out of the programme (its slot freed), kept in the history, organisers told."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or not is_live_talk(proposal):
            return False
        proposal.status = Status.CANCELLED
        proposal.cancelled_at = clock.now()
        history.record(proposal, actor, Change.CANCELLED)
        notice = mails.organiser_notification(proposal, Notice.CANCELLED)
        if notice is not None:
            outbox.queue(notice, "organisers-cancelled", proposal)
        return True


def set_public_lines(proposal_id: int, title: str, speakers: str, actor: str) -> bool:
    """Set what the programme shows of a talk (empty: what the speaker sent), without touching the proposal."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None:
            return False
        proposal.public_title = " ".join(title.split()) or None
        proposal.public_speakers = " ".join(speakers.split()) or None
        history.record(proposal, actor, Change.PROGRAMME_EDITED, proposal.display_title)
        return True


def check_video_url(url: str) -> str:
    """Return a recording's address if it is an http(s) address, else raise ValueError in French."""
    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or any(char.isspace() for char in url.strip()):
        raise ValueError("L’adresse de l’enregistrement doit commencer par https:// (ou http://).")
    return url.strip()


def set_video(proposal_id: int, url: str | None, actor: str) -> bool:
    """Set (or clear, with None) a talk's recording link."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None:
            return False
        proposal.video_url = check_video_url(url) if url else None
        history.record(proposal, actor, Change.VIDEO, proposal.video_url or "retiré")
        return True


def slides_folder() -> Path:
    """Return the folder of the slides, readable by the site's user only."""
    folder = Path(current_app.instance_path) / "slides"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def slides_path(proposal: Proposal) -> Path | None:
    """Return where a talk's slides are stored, if it has some."""
    if not proposal.slides_file or not re.fullmatch(r"[A-Za-z0-9_-]+\.pdf", proposal.slides_file):
        return None
    path = slides_folder() / proposal.slides_file
    return path if path.is_file() else None


def download_name(proposal: Proposal) -> str:
    """Return the slides' download name, from the title: « notre-passage-a-libreoffice.pdf »."""
    ascii_title = unicodedata.normalize("NFKD", proposal.display_title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")[:80] or "support"
    return f"{proposal.reference.lower()}-{slug}.pdf"


def store_slides(proposal_id: int, content: bytes, actor: str) -> None:
    """Keep a PDF as the talk's slides (replacing any), after checking it is one; raise SlidesError if not."""
    if len(content) > SLIDES_MAX_BYTES:
        raise SlidesError("Le fichier dépasse 20 Mo : réduisez-le (export PDF « optimisé pour l’écran ») et réessayez.")
    if not content.startswith(PDF_MAGIC):
        raise SlidesError("Ce fichier n’est pas un PDF : exportez votre support au format PDF et réessayez.")
    name = f"{secrets.token_urlsafe(18)}.pdf"
    path = slides_folder() / name
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    try:
        with write_transaction():
            proposal = db.session.get(Proposal, proposal_id)
            if proposal is None or not is_live_talk(proposal):
                raise SlidesError("Le support ne peut être déposé que pour une intervention retenue.")
            old = slides_path(proposal)
            proposal.slides_file = name
            history.record(proposal, actor, Change.SLIDES, "déposé")
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    if old is not None:
        old.unlink(missing_ok=True)


def remove_slides(proposal_id: int, actor: str) -> bool:
    """Remove a talk's slides."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if proposal is None or proposal.slides_file is None:
            return False
        old = slides_path(proposal)
        proposal.slides_file = None
        history.record(proposal, actor, Change.SLIDES, "retiré")
    if old is not None:
        old.unlink(missing_ok=True)
    return True
