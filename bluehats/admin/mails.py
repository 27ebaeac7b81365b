"""The outbox, visible: pending, sent and failed mails; retry a failed one, cancel a pending one."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..core import clock
from ..extensions import db
from ..models import MessageStatus, OutboxMessage
from ..web.database import write_transaction
from .blueprint import bp

STATUS_LABELS = {
    MessageStatus.PENDING: "En attente",
    MessageStatus.SENT: "Envoyés",
    MessageStatus.FAILED: "En échec",
    MessageStatus.CANCELLED: "Annulés",
}
PAGE_SIZE = 100


@bp.get("/courriels")
def mails():
    """List the mails of one status, newest first."""
    status = request.args.get("statut", MessageStatus.PENDING)
    if status not in STATUS_LABELS:
        status = MessageStatus.PENDING
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == status).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
    ).all()
    return render_template("admin/mails.html", messages=messages, status=status, counts=counts, labels=STATUS_LABELS)


def change(message_id: int, expected: str, new_status: str) -> bool:
    """Move one message from a status to another; return whether it was in the expected one."""
    with write_transaction():
        message = db.session.get(OutboxMessage, message_id)
        if message is None:
            abort(404)
        changed = message.status == expected
        if changed:
            message.status = new_status
            message.next_attempt_at = clock.now()
            message.claimed_until = None
        return changed


@bp.post("/courriels/<int:message_id>/reessayer")
def retry_mail(message_id: int):
    """Put a failed mail back in the queue (the worker or « flask outbox deliver » sends it)."""
    if change(message_id, MessageStatus.FAILED, MessageStatus.PENDING):
        flash("Le courriel est remis dans la file d’envoi.", "success")
    else:
        flash("Ce courriel n’est pas en échec.", "error")
    return redirect(url_for("admin.mails", statut=MessageStatus.FAILED), code=303)


@bp.post("/courriels/<int:message_id>/annuler")
def cancel_mail(message_id: int):
    """Cancel a mail that has not left yet."""
    if change(message_id, MessageStatus.PENDING, MessageStatus.CANCELLED):
        flash("Le courriel est annulé : il ne partira pas.", "success")
    else:
        flash("Ce courriel n’est plus en attente.", "error")
    return redirect(url_for("admin.mails", statut=MessageStatus.PENDING), code=303)
