"""A proposal, its co-speakers and its history."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.people import Person, speakers_line
from ..core.vocabulary import Change, Decision, Kind, Status
from ..extensions import db
from .columns import Code, UTCDateTime
from .columns import now as _now

if TYPE_CHECKING:  # the other side of each relationship, named for the type checker only
    from .outbox import OutboxMessage
    from .team import Review


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
