"""The stored data: proposals, outbox messages, organisers (SQLAlchemy 2 typed models)."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from flask_login import UserMixin
from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text, TypeDecorator, UniqueConstraint, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core import clock
from .core.people import Person, speakers_line
from .core.vocabulary import AccountLink, Change, Decision, Kind, Labelled, MessageStatus, Opinion, Status
from .extensions import db


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


def _now() -> datetime:
    return clock.now()


E = TypeVar("E", bound=Labelled)


class Code(TypeDecorator[E]):
    """An enum member stored as its text code: Python and templates only ever see the member."""

    impl = String(30)
    cache_ok = True

    def __init__(self, enum_class: type[E]) -> None:
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value: E | str | None, dialect: Any) -> str | None:
        """Store the code, refusing one the enum does not know."""
        return None if value is None else self.enum_class(value).value

    def process_result_value(self, value: str | None, dialect: Any) -> E | None:
        """Return the enum member."""
        return None if value is None else self.enum_class(value)


class Proposal(db.Model):
    """A talk proposed by a public agent."""

    __tablename__ = "proposal"
    __table_args__ = (
        # The double-submit check looks proposals up by address, whatever its case.
        Index("ix_proposal_email_lower_created", func.lower(text("email")), "created_at"),
        Index("ix_proposal_status_created", "status", "created_at"),
        Index("uq_proposal_edition_number", "edition", "number", unique=True),
        Index("uq_proposal_reference", "reference", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The edition it was sent to (its short name), and its number there: BH23-0001 is the first of 2023.
    edition: Mapped[str] = mapped_column(String(60), index=True)
    number: Mapped[int]
    reference: Mapped[str] = mapped_column(String(20))
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    administration: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200))
    abstract: Mapped[str] = mapped_column(Text)
    kind: Mapped[Kind] = mapped_column(Code(Kind))
    duration: Mapped[int]
    # The day the speaker prefers when the edition has several (YYYY-MM-DD); None: no preference or one day.
    preferred_day: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[Status] = mapped_column(Code(Status), default=Status.SUBMITTED)
    honeypot: Mapped[str] = mapped_column(String(500), default="")
    consent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The organisers' decision stays theirs until the answer is queued (answered_at).
    decision: Mapped[Decision | None] = mapped_column(Code(Decision))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by: Mapped[str | None] = mapped_column(String(254))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Place in the programme: order and start time.
    position: Mapped[int | None]
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The private link is a MAC of this random secret; a new secret revokes the old link (None: a link of the
    # first release, a signed id, still accepted until renewed).
    link_secret: Mapped[str | None] = mapped_column(String(64))
    # What the public programme shows, when organisers shorten what the speaker sent (None: as sent).
    public_title: Mapped[str | None] = mapped_column(String(200))
    public_speakers: Mapped[str | None] = mapped_column(String(300))
    # After the day: the recording's address, and the slides (a file under instance/slides/, random name).
    video_url: Mapped[str | None] = mapped_column(String(500))
    slides_file: Mapped[str | None] = mapped_column(String(80))
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    cospeakers: Mapped[list["CoSpeaker"]] = relationship(
        back_populates="proposal", order_by="CoSpeaker.position", cascade="all, delete-orphan"
    )
    messages: Mapped[list["OutboxMessage"]] = relationship(back_populates="proposal")
    history: Mapped[list["HistoryLine"]] = relationship(
        back_populates="proposal", order_by="HistoryLine.id", cascade="all, delete-orphan"
    )
    reviews: Mapped[list["Review"]] = relationship(
        back_populates="proposal", order_by="Review.id", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def decision_label(self) -> str:
        """Return the decision in French, with whether the answer left."""
        if self.decision is None:
            return "À décider"
        return self.decision.label if self.answered_at else f"{self.decision.label} (réponse à envoyer)"

    @property
    def ends_at(self) -> datetime | None:
        """Return when the talk ends in the programme."""
        return self.starts_at + timedelta(minutes=self.duration) if self.starts_at else None

    @property
    def speaker(self) -> str:
        """Return the speaker's full name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def people(self) -> list[Person]:
        """Return everyone who presents the talk, the speaker first."""
        return [
            Person(self.speaker, self.administration),
            *(Person(f"{co.first_name} {co.last_name}", co.administration) for co in self.cospeakers),
        ]

    @property
    def display_title(self) -> str:
        """Return the title the programme shows."""
        return self.public_title or self.title

    @property
    def speakers_line(self) -> str:
        """Return the programme's line of speakers: the organisers' own, or everyone with their administrations."""
        return self.public_speakers or speakers_line(self.people)


class CoSpeaker(db.Model):
    """Someone who presents a talk with its speaker (up to three per proposal)."""

    __tablename__ = "cospeaker"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254))
    administration: Mapped[str] = mapped_column(String(200))

    proposal: Mapped[Proposal] = relationship(back_populates="cospeakers")

    @property
    def name(self) -> str:
        """Return the co-speaker's full name."""
        return f"{self.first_name} {self.last_name}"


class Break(db.Model):
    """A moment of the programme without a talk: « Accueil », « Pause déjeuner »."""

    __tablename__ = "programme_break"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HistoryLine(db.Model):
    """One line of a proposal's history, or an organiser's internal note."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[Change] = mapped_column(Code(Change))
    detail: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="history")


class EditionRecord(db.Model):
    """What the archive keeps of an edition the site has held, even once its announcement file is gone."""

    __tablename__ = "edition"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    name: Mapped[str] = mapped_column(String(100))
    # [[start, end], …] as ISO 8601 texts, one pair per day.
    days: Mapped[list[list[str]]] = mapped_column(JSON)
    place: Mapped[str] = mapped_column(String(500))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class Setting(db.Model):
    """A value the organisers set in the back office (answer templates, programme publication)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


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
    status: Mapped[MessageStatus] = mapped_column(Code(MessageStatus), default=MessageStatus.PENDING)
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
    # Part of the id kept in the session: a new value (logout, password change) ends every copy of a session.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(24))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Who invited this organiser from the back office (None: created on the command line).
    invited_by: Mapped[str | None] = mapped_column(String(254))
    # Hide the others' opinions on a proposal until this organiser has given theirs.
    hide_opinions: Mapped[bool] = mapped_column(default=False, server_default=text("false"))

    def get_id(self) -> str:
        """Return what Flask-Login keeps in the session: the id and the current session token."""
        return f"{self.id}:{self.session_token}"

    @property
    def is_pending(self) -> bool:
        """Tell whether the invited organiser has not chosen a password yet."""
        return not self.password_hash


class Review(db.Model):
    """One organiser's opinion on one proposal, with an optional comment; it changes until the answer leaves."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("proposal_id", "organiser_id", name="uq_review_proposal_organiser"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id", ondelete="CASCADE"), index=True)
    # An organiser whose access is removed takes their opinions along (the history keeps what they said).
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organiser.id", ondelete="CASCADE"), index=True)
    opinion: Mapped[Opinion] = mapped_column(Code(Opinion))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    proposal: Mapped[Proposal] = relationship(back_populates="reviews")
    organiser: Mapped[Organiser] = relationship()


class AccountToken(db.Model):
    """A single-use link to choose a password (invitation or reset): only a hash of its secret is stored."""

    __tablename__ = "account_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("organiser.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[AccountLink] = mapped_column(Code(AccountLink))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organiser: Mapped[Organiser] = relationship()
