"""The dashboard's figures: proposals by state, kind, duration, day and administration, minutes taken."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from ..core.clock import PARIS
from ..core.dates import format_date
from ..core.vocabulary import Decision, Kind, Status
from ..extensions import db
from ..models import Proposal
from ..web.templating import current_edition
from .queries import view_counts


@dataclass
class Dashboard:
    """The figures of the dashboard."""

    by_view: dict[str, int]
    by_kind: list[tuple[str, int]]
    by_duration: list[tuple[int, int]]
    by_preferred_day: list[tuple[str, int]]
    by_administration: list[tuple[str, int]]
    accepted_minutes: int
    programme_minutes: int
    per_day: list[tuple[date, int]] = field(default_factory=list)

    @property
    def minutes_left(self) -> int:
        """Return the programme's minutes not yet taken by accepted talks (negative when over)."""
        return self.programme_minutes - self.accepted_minutes


def dashboard(programme_minutes: int | None) -> Dashboard:
    """Compute the current edition's dashboard over the real proposals (neither spam nor withdrawn)."""
    edition = current_edition()
    mine = Proposal.edition == edition.key
    real = (Proposal.status == Status.SUBMITTED, mine)
    preferred = dict(
        db.session.execute(
            select(Proposal.preferred_day, func.count()).where(*real).group_by(Proposal.preferred_day)
        ).all()
    )
    by_kind = dict(db.session.execute(select(Proposal.kind, func.count()).where(*real).group_by(Proposal.kind)).all())
    by_duration = db.session.execute(
        select(Proposal.duration, func.count()).where(*real).group_by(Proposal.duration).order_by(Proposal.duration)
    ).all()
    by_administration = db.session.execute(
        select(Proposal.administration, func.count())
        .where(*real)
        .group_by(Proposal.administration)
        .order_by(func.count().desc(), Proposal.administration)
        .limit(15)
    ).all()
    accepted = db.session.scalar(
        select(func.coalesce(func.sum(Proposal.duration), 0)).where(*real, Proposal.decision == Decision.ACCEPTED)
    )
    created = db.session.scalars(select(Proposal.created_at).where(Proposal.status != Status.SPAM, mine))
    return Dashboard(
        by_view=view_counts(),
        by_kind=[(kind.label, by_kind.get(kind.value, 0)) for kind in Kind],
        by_duration=[(minutes, count) for minutes, count in by_duration],
        by_preferred_day=[
            *((format_date(day.start, weekday=True), preferred.get(day.key, 0)) for day in edition.days),
            ("Indifférent", preferred.get(None, 0)),
        ]
        if edition.several_days
        else [],
        by_administration=[(name, count) for name, count in by_administration],
        accepted_minutes=int(accepted or 0),
        programme_minutes=programme_minutes if programme_minutes is not None else edition.minutes,
        per_day=per_day(created),
    )


def per_day(moments) -> list[tuple[date, int]]:
    """Count moments per day in Paris, from the first day to the last, days without any included."""
    counts: dict[date, int] = {}
    for moment in moments:
        day = moment.astimezone(PARIS).date()
        counts[day] = counts.get(day, 0) + 1
    if not counts:
        return []
    first, last = min(counts), max(counts)
    days = [date.fromordinal(ordinal) for ordinal in range(first.toordinal(), last.toordinal() + 1)]
    return [(day, counts.get(day, 0)) for day in days]
