"""The organising team: accounts, opinions, single-use account links."""

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.vocabulary import AccountLink, Opinion
from ..extensions import db
from .columns import Code, UTCDateTime
from .columns import now as _now

if TYPE_CHECKING:  # the other side of each relationship, named for the type checker only
    from .proposals import Proposal


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

    proposal: Mapped["Proposal"] = relationship(back_populates="reviews")
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
