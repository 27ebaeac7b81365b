"""Every mail the site sends, composed from templates/mail/ (a .txt and an .html each)."""

import re
from email.headerregistry import Address

from flask import current_app, render_template

from ..core.dates import format_date
from ..core.typography import french_text
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


def speaker_address(proposal: Proposal) -> str:
    """Return « Prénom Nom <adresse> », quoted as mail headers need."""
    return str(Address(display_name=one_line(proposal.speaker), addr_spec=proposal.email))


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
        private_link=private_url(proposal.id),
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
