"""The mails of a new proposal, composed before it is stored, then completed with its id and reference.

A proposal gets its number (hence its reference) and its id only while it holds the write turn, which a rush of
proposals queues on. Rendering its three mails there was a third of that time: they are rendered before, with
stand-ins for the reference and for the links that carry the id, and the stand-ins are replaced once it is stored.
"""

import secrets
from dataclasses import dataclass, replace
from typing import Any

from ..core.vocabulary import Notice
from ..models import Proposal
from ..web.links import admin_url, private_url
from . import messages
from .outbox import Mail

# The longest id a private link can carry; no stored proposal reaches it.
STAND_IN_ID = 999_999_999_999
# Random per process: no visitor can type it into a field and have it replaced.
STAND_IN_REFERENCE = f"BH-{secrets.token_hex(8)}"


class Unstored:
    """A proposal about to be stored, as its mails see it: stand-ins for its id and its reference."""

    id = STAND_IN_ID
    reference = STAND_IN_REFERENCE

    def __init__(self, proposal: Proposal) -> None:
        self.proposal = proposal

    def __getattr__(self, name: str) -> Any:
        return getattr(self.proposal, name)


@dataclass(frozen=True)
class Draft:
    """A mail drafted for an unstored proposal, and the purpose it will be queued under."""

    purpose: str
    mail: Mail


def new_proposal_drafts(proposal: Proposal) -> list[Draft]:
    """Draft the mails of a new proposal: the speaker's confirmation, the organisers' notice, the co-speakers' copy."""
    unstored: Any = Unstored(proposal)
    mails = [
        (f"speaker-{Notice.NEW}", messages.speaker_confirmation(unstored)),
        (f"organisers-{Notice.NEW}", messages.organiser_notification(unstored, Notice.NEW)),
        ("cospeakers-new", messages.cospeaker_copy(unstored)),
    ]
    return [Draft(purpose, mail) for purpose, mail in mails if mail is not None]


def completed(drafts: list[Draft], proposal: Proposal) -> list[Draft]:
    """Return the drafts with the stored proposal's reference and links in place of the stand-ins."""
    unstored: Any = Unstored(proposal)
    stand_ins = {
        private_url(unstored): private_url(proposal),
        admin_url(STAND_IN_ID): admin_url(proposal.id),
        STAND_IN_REFERENCE: proposal.reference,
    }

    def fill(text: str) -> str:
        for stand_in, value in stand_ins.items():
            text = text.replace(stand_in, value)
        return text

    return [
        replace(draft, mail=replace(mail, subject=fill(mail.subject), text=fill(mail.text), html=fill(mail.html)))
        for draft in drafts
        for mail in [draft.mail]
    ]
