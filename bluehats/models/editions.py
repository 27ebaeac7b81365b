"""What the site keeps about editions: their programme's breaks, the archive, the organisers' settings."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .columns import UTCDateTime
from .columns import now as _now


class Break(db.Model):
    """A moment of the programme without a talk: « Accueil », « Pause déjeuner »."""

    __tablename__ = "programme_break"

    id: Mapped[int] = mapped_column(primary_key=True)
    edition: Mapped[str] = mapped_column(String(60), index=True)
    label: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
