"""What organisers look at: the filtered, sorted, paginated list, opinions counted, the team."""

from dataclasses import dataclass

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Select, case, exists, func, or_, select
from sqlalchemy.orm import selectinload

from ..core.vocabulary import Decision, Kind, Opinion, Status
from ..extensions import db
from ..models import Organiser, Proposal, Review
from ..web.templating import current_edition

PAGE_SIZE = 50
MAX_PAGE = 1_000_000

# The tabs of the list: each one a condition on status and decision.
VIEWS = {
    "toutes": ("Toutes", lambda q: q.where(Proposal.status != Status.SPAM)),
    "a-decider": (
        "À décider",
        lambda q: q.where(Proposal.status == Status.SUBMITTED, Proposal.decision.is_(None)),
    ),
    "acceptees": (
        "Acceptées",
        lambda q: q.where(Proposal.status == Status.SUBMITTED, Proposal.decision == Decision.ACCEPTED),
    ),
    "refusees": (
        "Refusées",
        lambda q: q.where(Proposal.status == Status.SUBMITTED, Proposal.decision == Decision.DECLINED),
    ),
    "retirees": ("Retirées", lambda q: q.where(Proposal.status == Status.WITHDRAWN)),
    "indesirables": ("Indésirables", lambda q: q.where(Proposal.status == Status.SPAM)),
}


def opinions_given(*opinions: Opinion) -> ColumnElement[int]:
    """Return how many opinions (of these kinds, or any) a proposal has, as a correlated subquery."""
    query = select(func.count(Review.id)).where(Review.proposal_id == Proposal.id)
    if opinions:
        query = query.where(Review.opinion.in_(opinions))
    return query.correlate(Proposal).scalar_subquery()


FOR, AGAINST, REVIEWS = opinions_given(Opinion.FOR), opinions_given(Opinion.AGAINST), opinions_given()
SCORE = FOR - AGAINST
# Sorting on these reveals the others' opinions: where they are hidden (Filters.hide), `seen` hides them.
SECRET_SORTS = {
    "avis-favorables": lambda seen: (seen(SCORE).desc(), seen(FOR).desc(), Proposal.id),
    "avis-defavorables": lambda seen: (seen(SCORE), seen(AGAINST).desc(), Proposal.id),
}
SORTS = {
    "recentes": ("Les plus récentes", (Proposal.created_at.desc(), Proposal.id.desc())),
    "anciennes": ("Les plus anciennes", (Proposal.created_at, Proposal.id)),
    "titre": ("Titre", (func.lower(Proposal.title), Proposal.id)),
    "administration": ("Administration", (func.lower(Proposal.administration), Proposal.id)),
    "duree": ("Durée", (Proposal.duration, Proposal.id)),
    "avis-favorables": ("Avis, les plus favorables d’abord", SECRET_SORTS["avis-favorables"](lambda column: column)),
    "avis-defavorables": ("Avis, les plus réservés d’abord", SECRET_SORTS["avis-defavorables"](lambda column: column)),
    "avis-nombre": ("Avis, les moins examinées d’abord", (REVIEWS, Proposal.id)),
}
OPINION_FILTERS = {
    "sans-mon-avis": "Pas encore donné mon avis",
    "sans-avis": "Sans aucun avis",
    "contestees": "Contestées (au moins un pour et un contre)",
}


@dataclass(frozen=True)
class Filters:
    """What the organiser asked the list for (from the query string)."""

    edition: str = ""
    view: str = "toutes"
    query: str = ""
    kind: str = ""
    day: str = ""
    sort: str = "recentes"
    page: int = 1
    opinion: str = ""
    # Who is looking (not part of the query string): « my » opinion, and whether the others' stay hidden.
    me: int = 0
    hide: bool = False

    @classmethod
    def from_args(
        cls,
        args,
        organiser: Organiser | None = None,
        edition_keys: set[str] | None = None,
        day_keys: set[str] | None = None,
    ) -> "Filters":
        """Read the filters from request arguments, ignoring what is not understood."""
        view = args.get("vue", "toutes")
        kind = args.get("type", "")
        sort = args.get("tri", "recentes")
        page = args.get("page", "1")
        edition = args.get("edition", "")
        day = args.get("jour", "")
        opinion = args.get("avis", "")
        return cls(
            edition=edition if edition in (edition_keys or set()) else "",
            day=day if day in (day_keys or set()) else "",
            view=view if view in VIEWS else "toutes",
            query=args.get("q", "").strip()[:100],
            kind=kind if kind in {k.value for k in Kind} else "",
            sort=sort if sort in SORTS else "recentes",
            # Only ASCII digits make a page number ("²" is a digit to str.isdigit); past a million, no page exists.
            page=min(max(int(page), 1), MAX_PAGE) if page.isascii() and page.isdigit() else 1,
            opinion=opinion if opinion in OPINION_FILTERS else "",
            me=organiser.id if organiser is not None else 0,
            hide=organiser.hide_opinions if organiser is not None else False,
        )

    def as_args(self, **changes) -> dict[str, str | int]:
        """Return the query-string arguments of these filters, with some changed."""
        values = {
            "edition": self.edition,
            "vue": self.view,
            "q": self.query,
            "type": self.kind,
            "jour": self.day,
            "avis": self.opinion,
            "tri": self.sort,
            "page": self.page,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value not in ("", None)}


def filtered(filters: Filters) -> Select:
    """Return the query of the proposals the filters select, sorted, not paginated."""
    query = VIEWS[filters.view][1](select(Proposal)).where(Proposal.edition == (filters.edition or current_key()))
    if filters.day:
        query = query.where(Proposal.preferred_day == filters.day)
    if filters.kind:
        query = query.where(Proposal.kind == filters.kind)
    if filters.query:
        # « Prénom Nom » holds whatever the first or the last name alone would match: one column for both.
        columns = (
            Proposal.title,
            Proposal.first_name + " " + Proposal.last_name,
            Proposal.email,
            Proposal.administration,
        )
        # autoescape: a typed % or _ is looked for as such, not as a wildcard.
        query = query.where(or_(*(column.icontains(filters.query, autoescape=True) for column in columns)))
    mine = exists().where(Review.proposal_id == Proposal.id, Review.organiser_id == filters.me)
    if filters.opinion == "sans-mon-avis":
        query = query.where(~mine)
    elif filters.opinion == "sans-avis":
        query = query.where(REVIEWS == 0)
    elif filters.opinion == "contestees":
        query = query.where(FOR > 0, AGAINST > 0, *([mine] if filters.hide else []))
    order = SORTS[filters.sort][1]
    if filters.hide and filters.sort in SECRET_SORTS:
        # Those I reviewed first, sorted on the opinions; the others after, as if nobody had given one.
        order = (case((mine, 0), else_=1), *SECRET_SORTS[filters.sort](lambda column: case((mine, column), else_=0)))
    return query.order_by(*order)


def neighbours(filters: Filters, proposal_id: int) -> tuple[int | None, int | None]:
    """Return the proposals before and after this one in the list the filters make (None at either end)."""
    ids = list(db.session.scalars(filtered(filters).with_only_columns(Proposal.id)))
    if proposal_id not in ids:
        return None, None
    index = ids.index(proposal_id)
    return (ids[index - 1] if index else None), (ids[index + 1] if index + 1 < len(ids) else None)


def list_page(filters: Filters) -> Pagination:
    """Return the page of proposals the filters ask for, paginated in SQL (404 past the last page)."""
    return db.paginate(filtered(filters), page=filters.page, per_page=PAGE_SIZE, max_per_page=PAGE_SIZE)


def current_key() -> str:
    """Return the current edition's short name."""
    return current_edition().key


def view_counts(edition_key: str | None = None) -> dict[str, int]:
    """Return how many proposals of an edition each tab holds."""
    mine = Proposal.edition == (edition_key or current_key())
    return {
        key: db.session.scalar(select(func.count()).select_from(condition(select(Proposal.id).where(mine)).subquery()))
        or 0
        for key, (_, condition) in VIEWS.items()
    }


def past_editions() -> list[str]:
    """Return the short names of the other editions that hold proposals."""
    keys = db.session.scalars(select(Proposal.edition).distinct().where(Proposal.edition != current_key()))
    return sorted(keys, reverse=True)


@dataclass(frozen=True)
class Tally:
    """The opinions on one proposal, as the list shows them (« 3 pour, 1 contre »)."""

    counts: dict[Opinion, int]

    def __str__(self) -> str:
        """Return « 3 pour, 1 réservé, 1 contre », or « aucun avis »."""
        parts = [
            f"{count} {opinion.label.lower()}{'s' if opinion == Opinion.RESERVED and count > 1 else ''}"
            for opinion in Opinion
            if (count := self.counts.get(opinion, 0))
        ]
        return ", ".join(parts) or "aucun avis"


def tallies(proposal_ids: list[int]) -> dict[int, Tally]:
    """Return the opinions of each of these proposals, counted."""
    counts: dict[int, dict[Opinion, int]] = {proposal_id: {} for proposal_id in proposal_ids}
    rows = db.session.execute(
        select(Review.proposal_id, Review.opinion, func.count())
        .where(Review.proposal_id.in_(proposal_ids))
        .group_by(Review.proposal_id, Review.opinion)
    )
    for proposal_id, opinion, count in rows:
        counts[proposal_id][opinion] = count
    return {proposal_id: Tally(value) for proposal_id, value in counts.items()}


def my_opinions(proposal_ids: list[int], organiser_id: int) -> dict[int, Opinion]:
    """Return an organiser's opinion on each of these proposals that has one."""
    rows = db.session.execute(
        select(Review.proposal_id, Review.opinion).where(
            Review.proposal_id.in_(proposal_ids), Review.organiser_id == organiser_id
        )
    )
    return dict(rows.all())


def team() -> list[Organiser]:
    """Return the organisers, by address."""
    return list(db.session.scalars(select(Organiser).order_by(Organiser.email)))


def review_progress() -> tuple[list[tuple[Organiser, int]], int, int]:
    """Return how many real proposals of the edition each organiser reviewed, how many have no opinion, the total."""
    real = (Proposal.status == Status.SUBMITTED, Proposal.edition == current_key())
    rows = db.session.execute(
        select(Review.organiser_id, func.count()).join(Proposal).where(*real).group_by(Review.organiser_id)
    )
    reviewed = dict(rows.all())
    total = db.session.scalar(select(func.count()).where(*real)) or 0
    unreviewed = db.session.scalar(select(func.count()).where(*real, REVIEWS == 0)) or 0
    return [(organiser, reviewed.get(organiser.id, 0)) for organiser in team()], unreviewed, total


def with_export_details(query: Select) -> Select:
    """Load, with the proposals an export streams, their co-speakers and history in a few queries, not one each."""
    # 100 at a time: 500 took a worker exporting 10,000 proposals past 80 MB, for no faster an export.
    return query.options(selectinload(Proposal.cospeakers), selectinload(Proposal.history)).execution_options(
        yield_per=100
    )
