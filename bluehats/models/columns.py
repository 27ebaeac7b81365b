"""Column types every model shares: aware UTC datetimes and enum members stored as their codes."""

from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import DateTime, String, TypeDecorator

from ..core import clock
from ..core.vocabulary import Labelled


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


def now() -> datetime:
    """Return the clock's now, the default of every timestamp column."""
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
