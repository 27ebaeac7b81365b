"""The stored data: proposals, outbox messages, organisers (SQLAlchemy 2 typed models)."""

import enum
from datetime import UTC, datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column, relationship

from . import clock
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
        Index("ix_proposal_email_created", "email", "created_at"),
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

    messages: Mapped[list["OutboxMessage"]] = relationship(back_populates="proposal")

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
    def speaker(self) -> str:
        """Return the speaker's full name."""
        return f"{self.first_name} {self.last_name}"


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
