"""Reading back the proposals the site stored."""

from sqlalchemy import func, select

from bluehats.extensions import db
from bluehats.models import Proposal


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Proposal))


def stored(app) -> list[Proposal]:
    with app.app_context():
        rows = list(db.session.scalars(select(Proposal).order_by(Proposal.id)))
        for row in rows:
            db.session.expunge(row)
        return rows
