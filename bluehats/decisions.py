"""Decisions and the answers to speakers: editable templates, queued for the answer date."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup, escape
from sqlalchemy import select

from . import history
from .core import clock
from .core.dates import format_datetime
from .core.edition import Edition
from .core.typography import french_text
from .core.vocabulary import Change, Decision, Status
from .editions import setting_key
from .extensions import db
from .mail import outbox
from .mail.messages import compose, cospeaker_addresses, one_line, speaker_address
from .models import Proposal, Setting
from .web.database import write_transaction
from .web.links import private_url
from .web.templating import current_edition

PLACEHOLDERS = {
    "prenom": "le prénom de la personne",
    "nom": "son nom",
    "titre": "le titre de l’intervention",
    "reference": "la référence (par exemple BH23-0042)",
    "duree": "la durée, en minutes",
    "lien": "le lien personnel vers la proposition",
    "date": "la date de l’événement, par exemple « 6 et 7 décembre »",
    "evenement": "l’événement et sa date, par exemple « les Journées BlueHats des 6 et 7 décembre »",
    "lieu": "le lieu de l’événement",
    "contact": "l’adresse de contact des organisateurs",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
# What looks like a placeholder to a person, accents and capitals included ({prénom}, {Titre}): checked, never sent.
_ANY_PLACEHOLDER = re.compile(r"\{([^{}\s]{1,40})\}")


def default_templates(edition: Edition) -> dict[Decision, dict[str, str]]:
    """Return the answers the team starts from, in the edition's own words."""
    return {
        Decision.ACCEPTED: {
            "subject": f"{edition.brand} : votre intervention « {{titre}} » est retenue",
            "body": (
                "Bonjour {prenom},\n\n"
                "Bonne nouvelle : votre proposition « {titre} » ({reference}) est retenue pour {evenement}, "
                "au {lieu}. Merci !\n\n"
                "Pour que nous puissions publier le programme, confirmez dès maintenant votre participation "
                "en ouvrant votre lien personnel et en cliquant sur « Je confirme ma participation » :\n"
                "{lien}\n\n"
                "Votre intervention dure {duree} minutes. Nous vous écrirons bientôt pour l’horaire précis et "
                "les détails pratiques.\n\n"
                "Un empêchement ou une question ? Écrivez-nous à {contact}.\n\n"
                "L’équipe BlueHats de la DINUM"
            ),
        },
        Decision.DECLINED: {
            "subject": f"{edition.brand} : votre proposition « {{titre}} »",
            "body": (
                "Bonjour {prenom},\n\n"
                "Merci d’avoir proposé « {titre} » ({reference}) pour {evenement}. "
                "Nous avons reçu beaucoup de propositions de qualité pour un temps limité, et nous ne pouvons "
                "malheureusement pas retenir la vôtre cette année.\n\n"
                "Ce choix ne dit rien de l’intérêt de votre travail : nous serions heureux de vous compter parmi "
                "le public, et de vous entendre lors d’une prochaine rencontre BlueHats.\n\n"
                "Pour toute question, écrivez-nous à {contact}.\n\n"
                "L’équipe BlueHats de la DINUM"
            ),
        },
    }


@dataclass(frozen=True)
class AnswerTemplate:
    """The subject and body of one kind of answer, with {placeholders}."""

    subject: str
    body: str


def template_key(decision: Decision) -> str:
    """Return the setting's key of a decision's template in the current edition."""
    return setting_key(f"answer_template_{decision.value}")


def load_template(decision: Decision) -> AnswerTemplate:
    """Return the organisers' template for a decision, or the default one."""
    setting = db.session.get(Setting, template_key(decision))
    values = setting.value if setting is not None else default_templates(current_edition())[decision]
    return AnswerTemplate(subject=values["subject"], body=values["body"])


def unknown_placeholders(text: str) -> list[str]:
    """Return the {placeholders} of a text that are not known."""
    return sorted({name for name in _ANY_PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})


def save_template(decision: Decision, template: AnswerTemplate) -> None:
    """Store the organisers' version of a template."""
    with write_transaction():
        setting = db.session.get(Setting, template_key(decision)) or Setting(key=template_key(decision))
        setting.value = {"subject": one_line(template.subject), "body": template.body.replace("\r\n", "\n")}
        db.session.add(setting)


def placeholder_values(proposal: Proposal) -> dict[str, str]:
    """Return what each placeholder stands for, for one proposal."""
    edition = current_edition()
    return {
        "prenom": proposal.first_name,
        "nom": proposal.last_name,
        "titre": proposal.title,
        "reference": proposal.reference,
        "duree": str(proposal.duration),
        "lien": private_url(proposal),
        "date": edition.dates_text,
        "evenement": edition.the_dated_name,
        "lieu": edition.venue,
        "contact": edition.contact,
    }


def fill(text: str, values: dict[str, str]) -> str:
    """Replace the known {placeholders}; an unknown one stays as typed, so the preview shows it."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), text)


def linkify(text: str, link: str) -> Markup:
    """Return the body as HTML: escaped, line breaks kept, the private link clickable."""
    anchor = Markup('<a href="{0}">{0}</a>').format(link)
    lines = (anchor.join(escape(part) for part in line.split(link)) for line in text.split("\n"))
    return Markup("<br>\n").join(lines)


def compose_answer(proposal: Proposal, decision: Decision, template: "AnswerTemplate | None" = None) -> outbox.Mail:
    """Write the answer mail of one proposal from its template (or from a draft, for a preview)."""
    template = template or load_template(decision)
    values = placeholder_values(proposal)
    body = french_text(fill(template.body, values))
    return compose(
        "answer",
        [speaker_address(proposal)],
        fill(template.subject, values),
        reply_to=current_edition().contact,
        body=body,
        body_html=linkify(body, values["lien"]),
    )


def compose_cospeaker_answer(proposal: Proposal, decision: Decision) -> outbox.Mail | None:
    """Write the co-speakers' copy of an answer: the same words, without the speaker's private link."""
    if not proposal.cospeakers:
        return None
    template = load_template(decision)
    values = placeholder_values(proposal) | {"lien": f"(lien personnel envoyé à {proposal.speaker})"}
    body = french_text(fill(template.body, values))
    return compose(
        "cospeaker_answer",
        cospeaker_addresses(proposal),
        fill(template.subject, values),
        reply_to=current_edition().contact,
        proposal=proposal,
        body=body,
    )


def decide(proposal_id: int, decision: Decision | None, organiser: str) -> bool:
    """Record (or clear) a decision; it can change until the answer is queued. Return whether it changed."""
    with write_transaction():
        proposal = db.session.get(Proposal, proposal_id)
        if (
            proposal is None
            or proposal.edition != current_edition().key  # a past edition is read-only
            or proposal.status != Status.SUBMITTED
            or proposal.answered_at is not None
        ):
            return False
        proposal.decision = decision
        proposal.decided_at = clock.now() if decision else None
        proposal.decided_by = organiser if decision else None
        label = {Decision.ACCEPTED: "acceptée", Decision.DECLINED: "refusée", None: "à décider de nouveau"}[decision]
        history.record(proposal, organiser, Change.DECIDED, label)
        return True


def unanswered() -> list[Proposal]:
    """Return the decided proposals whose answer has not been queued yet."""
    return list(
        db.session.scalars(
            select(Proposal)
            .where(Proposal.edition == current_edition().key)
            .where(Proposal.status == Status.SUBMITTED, Proposal.decision.is_not(None), Proposal.answered_at.is_(None))
            .order_by(Proposal.id)
        )
    )


def answer_time(now: datetime) -> datetime:
    """Return when the answers may leave: the answer date, or now once it has passed."""
    return max(now, current_edition().answer_date)


def send_decisions(organiser: str, advance: Callable[[int], None] = lambda n: None) -> list[int]:
    """Queue one answer per decided, unanswered proposal; they leave on the answer date."""
    now = clock.now()
    leaves = answer_time(now)
    with write_transaction():
        messages = []
        for proposal in unanswered():
            decision = proposal.decision
            assert decision is not None
            messages.append(
                outbox.queue(
                    compose_answer(proposal, decision), f"answer-{decision.value}", proposal, not_before=leaves
                )
            )
            copy = compose_cospeaker_answer(proposal, decision)
            if copy is not None:
                messages.append(outbox.queue(copy, f"cospeakers-answer-{decision.value}", proposal, not_before=leaves))
            proposal.answered_at = now
            history.record(proposal, organiser, Change.ANSWERED, f"départ le {format_datetime(leaves)}")
            advance(1)
        return messages


def answer_is_public(proposal: Proposal, now: datetime) -> bool:
    """Tell whether the speaker may see the decision: its mail has left, or may leave now."""
    return proposal.answered_at is not None and now >= answer_time(proposal.answered_at)
