"""The stored data: proposals, outbox messages, organisers (SQLAlchemy 2 typed models)."""

import enum
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, TypeDecorator, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core import clock
from .extensions import db

REFERENCE_PREFIX = "BH22-"


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC, on SQLite (which keeps no offset) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Store in UTC; refuse a naive datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        """Return an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Kind(enum.StrEnum):
    """The kinds of talk the call asks for."""

    EXPERIENCE = "retour-experience"
    SOFTWARE = "logiciel-libre"
    PRACTICE = "bonne-pratique"
    OTHER = "autre"

    @property
    def label(self) -> str:
        """Return the French label."""
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.EXPERIENCE: "Retour d’expérience",
    Kind.SOFTWARE: "Logiciel libre à faire connaître",
    Kind.PRACTICE: "Bonne pratique",
    Kind.OTHER: "Autre",
}

DURATIONS = (5, 10, 15, 20)


class Status(enum.StrEnum):
    """Where a proposal stands."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SPAM = "spam"

    @property
    def label(self) -> str:
        """Return the French label."""
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.SUBMITTED: "Reçue",
    Status.WITHDRAWN: "Retirée",
    Status.SPAM: "Indésirable",
}


def _now() -> datetime:
    return clock.now()


class Proposal(db.Model):
    """A talk proposed by a public agent."""

    __tablename__ = "proposal"
    __table_args__ = (
        # The double-submit check looks proposals up by address, whatever its case.
        Index("ix_proposal_email_lower_created", func.lower(text("email")), "created_at"),
        Index("ix_proposal_status_created", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    administration: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(30))
    duration: Mapped[int]
    status: Mapped[str] = mapped_column(String(20), default=Status.SUBMITTED)
    honeypot: Mapped[str] = mapped_column(String(500), default="")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The organisers' decision stays theirs until the answer is queued (answered_at).
    decision: Mapped[str | None] = mapped_column(String(20))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Place in the programme: order and start time.
    position: Mapped[int | None]
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    messages: Mapped[list["OutboxMessage"]] = relationship(back_populates="proposal")
    history: Mapped[list["ProposalEvent"]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.id", cascade="all, delete-orphan"
    )

    @property
    def reference(self) -> str:
        """Return the short public reference, e.g. BH22-0042."""
        return f"{REFERENCE_PREFIX}{self.id:04d}"

    @property
    def kind_label(self) -> str:
        """Return the kind of talk in French."""
        return Kind(self.kind).label

    @property
    def status_label(self) -> str:
        """Return the status in French."""
        return Status(self.status).label

    @property
    def decision_label(self) -> str:
        """Return the decision in French, with whether the answer left."""
        if self.decision is None:
            return "À décider"
        label = DECISION_LABELS[Decision(self.decision)]
        return label if self.answered_at else f"{label} (réponse à envoyer)"

    @property
    def ends_at(self) -> datetime | None:
        """Return when the talk ends in the programme."""
        return self.starts_at + timedelta(minutes=self.duration) if self.starts_at else None

    @property
    def speaker(self) -> str:
        """Return the speaker's full name."""
        return f"{self.first_name} {self.last_name}"


class Decision(enum.StrEnum):
    """What the organisers decided."""

    ACCEPTED = "accepted"
    DECLINED = "declined"


DECISION_LABELS = {Decision.ACCEPTED: "Acceptée", Decision.DECLINED: "Refusée"}


class ProposalEvent(db.Model):
    """One line of a proposal's history, or an organiser's internal note."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="history")

    @property
    def action_label(self) -> str:
        """Return the action in French."""
        return EVENT_LABELS.get(self.action, self.action)


# A proposal's arrival is not a line of its own: its created_at says it.
EVENT_LABELS = {
    "edited": "Modifiée par la personne",
    "withdrawn": "Retirée par la personne",
    "restored": "Sortie des indésirables",
    "decided": "Décision",
    "answered": "Réponse mise en file d’envoi",
    "confirmed": "Participation confirmée",
    "note": "Note interne",
}


class Setting(db.Model):
    """A value the organisers set in the back office (answer templates, programme publication)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class MessageStatus(enum.StrEnum):
    """Where an outbox message stands."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(db.Model):
    """A mail, stored in the transaction that caused it, delivered later by the outbox."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_status_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    purpose: Mapped[str] = mapped_column(String(40))
    sender: Mapped[str] = mapped_column(String(320))
    recipients: Mapped[list[str]] = mapped_column(JSON)
    reply_to: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(500))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=MessageStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    not_before: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal | None] = relationship(back_populates="messages")


class Organiser(UserMixin, db.Model):
    """A member of the organising team, who logs in to the back office."""

    __tablename__ = "organiser"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
