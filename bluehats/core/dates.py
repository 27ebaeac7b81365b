"""Dates and times as French readers write them, in Europe/Paris time."""

from datetime import UTC, date, datetime, time, timedelta

from .clock import PARIS

MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_date(moment: datetime | date, weekday: bool = False) -> str:
    """Return « 8 novembre 2022 » (« 1er » on the first day), optionally with the weekday."""
    local = moment.astimezone(PARIS) if isinstance(moment, datetime) else moment
    day = "1er" if local.day == 1 else str(local.day)
    text = f"{day}\u00a0{MONTHS[local.month - 1]} {local.year}"
    return f"{WEEKDAYS[local.weekday()]} {text}" if weekday else text


def format_days(days: list[date]) -> str:
    """Return days as French writes them: « 8 novembre 2022 », « 6 et 7 décembre 2023 »."""
    if len(days) == 1:
        return format_date(days[0])
    same_month = all((day.year, day.month) == (days[-1].year, days[-1].month) for day in days)
    same_year = all(day.year == days[-1].year for day in days)
    if same_month:
        heads = ["1er" if day.day == 1 else str(day.day) for day in days[:-1]]
    elif same_year:
        heads = [format_date(day).rsplit(" ", 1)[0] for day in days[:-1]]
    else:
        heads = [format_date(day) for day in days[:-1]]
    return f"{', '.join(heads)} et {format_date(days[-1])}"


def format_time(moment: datetime) -> str:
    """Return « 9 h » or « 18 h 30 », in Paris time."""
    local = moment.astimezone(PARIS)
    if local.minute:
        return f"{local.hour}\u00a0h\u00a0{local.minute:02d}"
    return f"{local.hour}\u00a0h"


def format_datetime(moment: datetime) -> str:
    """Return « 18 octobre 2022 à 9 h 30 », in Paris time."""
    return f"{format_date(moment)} à {format_time(moment)}"


def last_moment_before(deadline: datetime) -> datetime:
    """Return the last minute a deadline still admits: « avant le 18 » means « jusqu'au 17 à 23 h 59 »."""
    return (deadline - timedelta(minutes=1)).astimezone(PARIS)


def format_left(delta: timedelta) -> str:
    """Return the time left in words: « 3 jours », « 5 heures », « 12 minutes »."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes >= 2 * 24 * 60:
        return f"{minutes // (24 * 60)}\u00a0jours"
    if minutes >= 2 * 60:
        return f"{minutes // 60}\u00a0heures"
    if minutes >= 60:
        return "1\u00a0heure"
    return f"{minutes}\u00a0minute{'s' if minutes > 1 else ''}"


def countdown_holds_until(deadline: datetime, now: datetime) -> datetime:
    """Return the first moment after `now` the countdown to a deadline may read otherwise (open, last day, left)."""
    left = deadline - now
    if left <= timedelta(0):
        return datetime.max.replace(tzinfo=UTC)  # closed, and it stays closed
    # format_left() counts whole minutes: the same count holds until exactly that many minutes are left.
    same_minutes = deadline - timedelta(minutes=int(left.total_seconds() // 60)) + timedelta(microseconds=1)
    next_paris_day = day_start(now.astimezone(PARIS).date() + timedelta(days=1))  # « dernier jour » may start
    return min(same_minutes, deadline, next_paris_day)


def parse_moment(value: str | datetime) -> datetime:
    """Parse an ISO 8601 datetime that must carry its offset."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset")
    return moment


def day_start(day: date) -> datetime:
    """Return midnight in Paris at the start of a day, as UTC (« avant le 11 » means before that moment)."""
    return datetime.combine(day, time(), tzinfo=PARIS).astimezone(UTC)
