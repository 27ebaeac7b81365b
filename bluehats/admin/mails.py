"""The outbox, visible: pending, sent and failed mails; retry a failed one, cancel a pending one."""

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select

from ..core.vocabulary import MessageStatus
from ..extensions import db
from ..models import OutboxMessage
from .blueprint import bp
from .operations import cancel_mail, retry_mail

PAGE_SIZE = 100


@bp.get("/courriels")
def mails():
    """List the mails of one status, newest first."""
    chosen = request.args.get("statut", "")
    status = MessageStatus(chosen) if chosen in set(MessageStatus) else MessageStatus.PENDING
    counts = dict(db.session.execute(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)).all())
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.status == status).order_by(OutboxMessage.id.desc()).limit(PAGE_SIZE)
    ).all()
    return render_template("admin/mails.html", messages=messages, status=status, counts=counts)


@bp.post("/courriels/<int:message_id>/reessayer")
def mail_retry(message_id: int):
    """Put a failed mail back in the queue (the worker or « flask outbox deliver » sends it)."""
    return after_move(
        retry_mail(message_id),
        "Le courriel est remis dans la file d’envoi.",
        "Ce courriel n’est pas en échec.",
        MessageStatus.FAILED,
    )


@bp.post("/courriels/<int:message_id>/annuler")
def mail_cancel(message_id: int):
    """Cancel a mail that has not left yet."""
    return after_move(
        cancel_mail(message_id),
        "Le courriel est annulé : il ne partira pas.",
        "Ce courriel n’est plus en attente.",
        MessageStatus.PENDING,
    )


def after_move(moved: bool | None, done: str, refused: str, back_to: MessageStatus):
    """Say whether a mail moved (404 if there is no such mail) and go back to the list it was in."""
    if moved is None:
        abort(404)
    flash(done if moved else refused, "success" if moved else "error")
    return redirect(url_for("admin.mails", statut=back_to), code=303)
