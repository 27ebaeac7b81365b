"""What the back office's tests share: proposals stored as the form stores them, read back, decided."""

from datetime import datetime

from sqlalchemy import select

from bluehats.core.clock import PARIS
from bluehats.extensions import db
from bluehats.models import Proposal
from bluehats.proposals.forms import EDITABLE
from bluehats.proposals.operations import submit_proposal

from helpers import VALID, post

ANSWER_DATE = datetime(2022, 10, 21, 9, 0, tzinfo=PARIS)


def decide(admin, proposal_id: int, decision: str):
    page = f"/organisation/propositions/{proposal_id}"
    return post(admin, f"{page}/decision", page=page, decision=decision)


def proposals(app) -> list[Proposal]:
    with app.app_context():
        found = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
        db.session.expunge_all()
        return found


def seed(app, count: int, **changes) -> None:
    """Store proposals through the service, as the form does (without its rate limit)."""
    with app.test_request_context():
        for index in range(count):
            data = {name: VALID[name] for name in EDITABLE} | {"email": VALID["email"], "duration": 15}
            data |= {"email": f"agent{index}@culture.gouv.fr", "title": f"Intervention numéro {index}", **changes}
            submit_proposal(data)
