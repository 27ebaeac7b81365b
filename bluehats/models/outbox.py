"""A mail waiting in the outbox."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.vocabulary import MessageStatus
from ..extensions import db
from .columns import Code, UTCDateTime
from .columns import now as _now

if TYPE_CHECKING:  # the other side of each relationship, named for the type checker only
    from .proposals import Proposal


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

    proposal: Mapped["Proposal | None"] = relationship(back_populates="messages")
