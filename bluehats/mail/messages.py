"""Every mail the site sends, composed from templates/mail/ (a .txt and an .html each)."""

import re
from datetime import timedelta
from email.headerregistry import Address

from flask import current_app, render_template

from ..core.dates import format_date
from ..core.typography import french_text
from ..core.vocabulary import AccountLink
from ..models import Proposal
from ..web.links import admin_url, private_url
from ..web.templating import current_event
from .outbox import Mail

_BREAKS = re.compile(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*")


def one_line(text: str) -> str:
    """Join the lines of a text: a header holds one line (non-breaking spaces stay)."""
    return _BREAKS.sub(" ", text).strip()


def compose(template: str, recipients: list[str], subject: str, reply_to: str | None = None, **context) -> Mail:
    """Render a mail's text and HTML parts."""
    return Mail(
        recipients=recipients,
        subject=one_line(french_text(subject)),
        text=render_template(f"mail/{template}.txt", **context),
        html=render_template(f"mail/{template}.html", **context),
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


def speaker_confirmation(proposal: Proposal) -> Mail:
    """The acknowledgement sent to the speaker, with the full recap and the private link."""
    event = current_event()
    return compose(
        "speaker_confirmation",
        [speaker_address(proposal)],
        f"Journée BlueHats du {format_date(event.start)} : "
        f"votre proposition « {one_line(proposal.title)} » ({proposal.reference})",
        reply_to=event.contact,
        proposal=proposal,
        private_link=private_url(proposal),
    )


def organiser_notification(proposal: Proposal, change: str = "new") -> Mail | None:
    """Tell the organisers of a new, edited or withdrawn proposal (None when none is configured)."""
    organisers = list(current_app.config["BLUEHATS_ORGANISER_EMAILS"])
    if not organisers:
        return None
    prefix = {"new": "Nouvelle proposition", "edited": "Proposition modifiée", "withdrawn": "Proposition retirée"}[
        change
    ]
    return compose(
        "organiser_notification",
        organisers,
        f"{prefix} : « {one_line(proposal.title)} »",
        reply_to=speaker_address(proposal),
        proposal=proposal,
        change=change,
        admin_link=admin_url(proposal.id),
    )


def edit_confirmation(proposal: Proposal, changed: list[str]) -> Mail:
    """Send the speaker a copy of their edited proposal, naming what changed."""
    event = current_event()
    return compose(
        "edit_confirmation",
        [speaker_address(proposal)],
        f"Journée BlueHats : votre proposition « {one_line(proposal.title)} » est modifiée ({proposal.reference})",
        reply_to=event.contact,
        proposal=proposal,
        changed=changed,
        private_link=private_url(proposal),
    )


def new_private_link(proposal: Proposal) -> Mail:
    """Send the speaker the new private link that replaces a revoked one."""
    event = current_event()
    return compose(
        "new_private_link",
        [speaker_address(proposal)],
        f"Journée BlueHats : votre nouveau lien personnel ({proposal.reference})",
        reply_to=event.contact,
        proposal=proposal,
        private_link=private_url(proposal),
    )


def withdrawal_confirmation(proposal: Proposal) -> Mail:
    """Confirm to the speaker that the proposal is withdrawn."""
    event = current_event()
    return compose(
        "withdrawal_confirmation",
        [speaker_address(proposal)],
        f"Journée BlueHats : votre proposition « {one_line(proposal.title)} » est retirée",
        reply_to=event.contact,
        proposal=proposal,
    )


def account_link(address: str, link: str, purpose: AccountLink, inviter: str | None, lifetime: timedelta) -> Mail:
    """Send an organiser the single-use link to choose a password: an invitation, or « mot de passe oublié »."""
    subject = (
        "Journée BlueHats : invitation à l’espace des organisateurs"
        if purpose == AccountLink.INVITATION
        else "Journée BlueHats : choisir un nouveau mot de passe"
    )
    hours = int(lifetime.total_seconds() // 3600)
    return compose("account_link", [address], subject, purpose=purpose, inviter=inviter, link=link, hours=hours)
