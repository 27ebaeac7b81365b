"""The site's codes, each an enum member with its French label beside it (and nowhere else)."""

import enum


class Labelled(enum.StrEnum):
    """A code stored as text, with the French label people read."""

    @property
    def label(self) -> str:
        """Return the French label."""
        return LABELS[(type(self), self.value)]


class Kind(Labelled):
    """The kinds of talk the call asks for."""

    EXPERIENCE = "retour-experience"
    SOFTWARE = "logiciel-libre"
    PRACTICE = "bonne-pratique"
    OTHER = "autre"


class Status(Labelled):
    """Where a proposal stands, apart from the organisers' decision."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SPAM = "spam"
    CANCELLED = "cancelled"  # accepted, then called off: out of the programme, kept in the history


class Decision(Labelled):
    """What the organisers decided."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


class MessageStatus(Labelled):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Change(Labelled):
    """What happened to a proposal: the lines of its history (its arrival is its created_at)."""

    EDITED = "edited"
    WITHDRAWN = "withdrawn"
    RESTORED = "restored"
    DECIDED = "decided"
    ANSWERED = "answered"
    CONFIRMED = "confirmed"
    NOTE = "note"
    LINK_RENEWED = "link-renewed"
    CANCELLED = "cancelled"
    PROGRAMME_EDITED = "programme-edited"
    SLIDES = "slides"
    VIDEO = "video"
    OPINION = "opinion"
    SCHEDULED = "scheduled"
    PURGED = "purged"


class Notice(Labelled):
    """What the organisers are told of: the subject of their notification."""

    NEW = "new"
    EDITED = "edited"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class Opinion(Labelled):
    """What one organiser thinks of a proposal (the decision stays a separate act)."""

    FOR = "pour"
    RESERVED = "reserve"
    AGAINST = "contre"


class AccountLink(Labelled):
    """Why an organiser received a single-use link to choose a password."""

    INVITATION = "invitation"
    RESET = "reset"


class Standing(Labelled):
    """Where a proposal stands, as its speaker reads it: status and public answer in one word."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class Publication(Labelled):
    """How the organisers publish the programme."""

    NOW = "maintenant"
    ANSWER_DATE = "date-reponse"
    HELD = "retirer"


# Several enums share a code (« withdrawn » is a status, a change and a notice), and a StrEnum member equals
# its code: the labels are keyed by (enum, code), never by the member alone, which would mix them up.
LABELS: dict[tuple[type, str], str] = {
    (type(member), member.value): text
    for member, text in (
        (Kind.EXPERIENCE, "Retour d’expérience"),
        (Kind.SOFTWARE, "Logiciel libre à faire connaître"),
        (Kind.PRACTICE, "Bonne pratique"),
        (Kind.OTHER, "Autre"),
        (Status.SUBMITTED, "Reçue"),
        (Status.WITHDRAWN, "Retirée"),
        (Status.SPAM, "Indésirable"),
        (Status.CANCELLED, "Annulée"),
        (Decision.ACCEPTED, "Acceptée"),
        (Decision.DECLINED, "Refusée"),
        (MessageStatus.PENDING, "En attente"),
        (MessageStatus.SENT, "Envoyé"),
        (MessageStatus.FAILED, "En échec"),
        (MessageStatus.CANCELLED, "Annulé"),
        (Change.EDITED, "Modifiée par la personne"),
        (Change.WITHDRAWN, "Retirée par la personne"),
        (Change.RESTORED, "Sortie des indésirables"),
        (Change.DECIDED, "Décision"),
        (Change.ANSWERED, "Réponse mise en file d’envoi"),
        (Change.CONFIRMED, "Participation confirmée"),
        (Change.NOTE, "Note interne"),
        (Change.LINK_RENEWED, "Lien personnel renouvelé"),
        (Change.CANCELLED, "Intervention annulée"),
        (Change.PROGRAMME_EDITED, "Titre ou intervenant·es du programme modifiés"),
        (Change.SLIDES, "Support de présentation"),
        (Change.VIDEO, "Enregistrement"),
        (Notice.NEW, "Nouvelle proposition"),
        (Notice.EDITED, "Proposition modifiée"),
        (Notice.WITHDRAWN, "Proposition retirée"),
        (Notice.CANCELLED, "Intervention annulée"),
        (Change.OPINION, "Avis"),
        (Change.SCHEDULED, "Placée au programme"),
        (Change.PURGED, "Données personnelles effacées"),
        (Opinion.FOR, "Pour"),
        (Opinion.RESERVED, "Réservé"),
        (Opinion.AGAINST, "Contre"),
        (AccountLink.INVITATION, "Invitation"),
        (AccountLink.RESET, "Mot de passe oublié"),
        (Standing.RECEIVED, "Reçue"),
        (Standing.ACCEPTED, "Retenue"),
        (Standing.DECLINED, "Non retenue"),
        (Standing.WITHDRAWN, "Retirée"),
        (Standing.CANCELLED, "Annulée"),
        (Publication.NOW, "Publier maintenant"),
        (Publication.ANSWER_DATE, "Publier à la date des réponses"),
        (Publication.HELD, "Ne pas publier"),
    )
}
