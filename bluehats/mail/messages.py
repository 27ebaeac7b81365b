"""Every mail the site sends, composed from templates/mail/ (a .txt and an .html each)."""

import re
from datetime import timedelta
from email.headerregistry import Address
from typing import Any

from flask import current_app

from ..core.typography import french_text
from ..core.vocabulary import AccountLink, Notice
from ..models import Proposal
from ..web.links import admin_url, private_url
from ..web.templating import current_edition, edition_context
from .outbox import Mail

_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*")


def one_line(text: str) -> str:
    """Join the lines of a text for a header: one line, and no RFC 2047 encoded word for the library to decode.

    The standard library decodes a « =?utf-8?q?…?= » met in a header's text, line breaks included: written as
    « = ? », what a visitor typed stays the text it was.
    """
    return _BREAKS.sub(" ", text).strip().replace("=?", "= ?")


def compose(template: str, recipients: list[str], subject: str, reply_to: str | None = None, **context) -> Mail:
    """Render a mail's text and HTML parts."""
    # A mail's context is the edition and what the caller gives, never the pages' own (the visitor's session,
    # CSRF token): nothing of the request that caused a mail can show in it. Rendering is lighter too, and it
    # runs while the write turn is held.
    environment = current_app.jinja_env
    context.update(edition_context())
    return Mail(
        recipients=recipients,
        subject=one_line(french_text(subject)),
        text=environment.get_template(f"mail/{template}.txt").render(context),
        html=environment.get_template(f"mail/{template}.html").render(context),
        reply_to=reply_to,
    )


# Characters that make an address out of a display name; the form refuses them in names, and a name
# stored before that rule loses them here (Python 3.11's header folding could split a quoted name, gh-80222).
_ADDRESS_MAKERS = re.compile(r'[<>,;"@()\\]')


def display_name(text: str) -> str:
    """Return a person's name as a header's display name: one line, nothing that can turn into an address."""
    return " ".join(_ADDRESS_MAKERS.sub(" ", one_line(text)).split())


def speaker_address(proposal: Proposal) -> str:
    """Return « Prénom Nom <adresse> », quoted as mail headers need."""
    return str(Address(display_name=display_name(proposal.speaker), addr_spec=proposal.email))


def to_speaker(template: str, proposal: Proposal, subject: str, **context: Any) -> Mail:
    """Compose a mail to the speaker, answered to the organisers' contact, with the proposal and its private link."""
    return compose(
        template,
        [speaker_address(proposal)],
        subject,
        reply_to=current_edition().contact,
        proposal=proposal,
        private_link=private_url(proposal),
        **context,
    )


def speaker_confirmation(proposal: Proposal) -> Mail:
    """The acknowledgement sent to the speaker, with the full recap and the private link."""
    edition = current_edition()
    subject = f"{edition.dated_name} : votre proposition « {one_line(proposal.title)} » ({proposal.reference})"
    return to_speaker("speaker_confirmation", proposal, subject)


def cospeaker_addresses(proposal: Proposal) -> list[str]:
    """Return the co-speakers as recipients."""
    return [str(Address(display_name=display_name(co.name), addr_spec=co.email)) for co in proposal.cospeakers]


def cospeaker_copy(proposal: Proposal) -> Mail | None:
    """Tell the co-speakers what was sent in their name (None when there are none)."""
    if not proposal.cospeakers:
        return None
    edition = current_edition()
    return compose(
        "cospeaker_copy",
        cospeaker_addresses(proposal),
        f"{edition.dated_name} : proposition « {one_line(proposal.title)} » ({proposal.reference})",
        reply_to=speaker_address(proposal),
        proposal=proposal,
    )


# The first sentence of the organisers' notification, for each kind.
NOTICE_INTROS = {
    Notice.NEW: "Une nouvelle proposition d’intervention est arrivée.",
    Notice.EDITED: "La personne a modifié sa proposition d’intervention ; voici la nouvelle version.",
    Notice.WITHDRAWN: "La personne a retiré sa proposition d’intervention.",
    Notice.CANCELLED: "Cette intervention retenue est annulée : elle quitte le programme, son créneau est libre.",
}


def organiser_notification(proposal: Proposal, change: Notice = Notice.NEW) -> Mail | None:
    """Tell the organisers of a new, edited or withdrawn proposal (None when none is configured)."""
    organisers = list(current_app.config["BLUEHATS_ORGANISER_EMAILS"])
    if not organisers:
        return None
    return compose(
        "organiser_notification",
        organisers,
        f"{change.label} : « {one_line(proposal.title)} »",
        reply_to=speaker_address(proposal),
        proposal=proposal,
        intro=NOTICE_INTROS[change],
        admin_link=admin_url(proposal.id),
    )


def edit_confirmation(proposal: Proposal, changed: list[str]) -> Mail:
    """Send the speaker a copy of their edited proposal, naming what changed."""
    brand = current_edition().brand
    subject = f"{brand} : votre proposition « {one_line(proposal.title)} » est modifiée ({proposal.reference})"
    return to_speaker("edit_confirmation", proposal, subject, changed=changed)


def new_private_link(proposal: Proposal) -> Mail:
    """Send the speaker the new private link that replaces a revoked one."""
    subject = f"{current_edition().brand} : votre nouveau lien personnel ({proposal.reference})"
    return to_speaker("new_private_link", proposal, subject)


def withdrawal_confirmation(proposal: Proposal) -> Mail:
    """Confirm to the speaker that the proposal is withdrawn."""
    subject = f"{current_edition().brand} : votre proposition « {one_line(proposal.title)} » est retirée"
    return to_speaker("withdrawal_confirmation", proposal, subject)


def account_link(address: str, link: str, purpose: AccountLink, inviter: str | None, lifetime: timedelta) -> Mail:
    """Send an organiser the single-use link to choose a password: an invitation, or « mot de passe oublié »."""
    subject = (
        f"{current_edition().brand} : invitation à l’espace des organisateurs"
        if purpose == AccountLink.INVITATION
        else f"{current_edition().brand} : choisir un nouveau mot de passe"
    )
    hours = int(lifetime.total_seconds() // 3600)
    return compose("account_link", [address], subject, purpose=purpose, inviter=inviter, link=link, hours=hours)


def private_links(proposals: list[Proposal]) -> Mail:
    """Send an address the private links of its proposals, to that address only (« Retrouver mon lien »)."""
    edition = current_edition()
    return compose(
        "private_links",
        [proposals[0].email],
        f"{edition.brand} : vos liens personnels",
        reply_to=edition.contact,
        links=[(proposal, private_url(proposal)) for proposal in proposals],
    )
