"""What the outbox tests share: mails queued straight into the outbox, its rows read back, one delivery run."""

from sqlalchemy import select

from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import OutboxMessage


def queue_mails(app, count: int) -> list[int]:
    """Queue plain mails straight into the outbox, as a service function would."""
    with app.app_context():
        ids = [
            outbox.queue(
                outbox.Mail([f"agent{index}@example.gouv.fr"], f"Message {index}", f"Texte {index}", f"<p>{index}</p>"),
                "test",
            )
            for index in range(count)
        ]
        db.session.commit()
        return ids


def rows(app) -> list[OutboxMessage]:
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return found


def deliver(app, **options) -> outbox.DeliveryReport:
    with app.app_context():
        return outbox.deliver(**options)
