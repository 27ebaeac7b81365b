"""« Retrouver mon lien »: the private links of an address's proposals, mailed to that address only."""

from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from ..core.vocabulary import Status
from ..extensions import db, limiter
from ..mail import messages as mails
from ..mail import outbox
from ..models import Proposal
from ..web.database import write_transaction
from ..web.templating import current_edition
from .views import bp

# Per client address, and per address asked for: nobody turns the page into a way of flooding a mailbox.
FIND_LIMIT = "30 per hour;6 per minute"
PER_ADDRESS_LIMIT = "3 per hour"
SENT = (
    "Si l’adresse {address} a envoyé des propositions pour cette édition, un courriel avec leurs liens personnels "
    "vient de partir vers elle. Pensez à regarder dans les courriels indésirables."
)


class FindLinkForm(FlaskForm):
    """The address whose links are wanted."""

    email = EmailField(
        "Adresse électronique de la proposition",
        description="Celle que vous avez indiquée dans le formulaire, par exemple prenom.nom@administration.fr.",
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            DataRequired("Indiquez l’adresse électronique de votre proposition."),
            Length(max=254, message="Cette adresse est trop longue."),
            Email(
                "Cette adresse électronique n’est pas valide (exemple : prenom.nom@administration.fr).",
                check_deliverability=False,
            ),
        ],
    )


def mail_private_links(address: str) -> None:
    """Queue, to this address only, the private links of its live proposals of the current edition (if any)."""
    with write_transaction():
        proposals = list(
            db.session.scalars(
                select(Proposal)
                .where(
                    Proposal.edition == current_edition().key,
                    func.lower(Proposal.email) == address.lower(),
                    Proposal.status != Status.SPAM,
                    Proposal.purged_at.is_(None),
                )
                .order_by(Proposal.id)
            )
        )
        if proposals:
            outbox.queue(mails.private_links(proposals), "speaker-links")


def asked_address() -> str:
    """Key the per-address limit on the address asked for, whatever its case."""
    return (request.form.get("email") or "").strip().lower()


@bp.get("/proposition/retrouver")
def find_link():
    """Ask for the address whose private links are wanted."""
    return render_template("proposals/find_link.html", form=FindLinkForm())


@bp.post("/proposition/retrouver")
@limiter.limit(FIND_LIMIT)
@limiter.limit(PER_ADDRESS_LIMIT, key_func=asked_address)
def send_links():
    """Mail the links, and say the same thing whether or not the address has proposals."""
    form = FindLinkForm()
    if not form.validate_on_submit():
        return render_template("proposals/find_link.html", form=form)
    mail_private_links(form.email.data)
    flash(SENT.format(address=form.email.data), "success")
    return redirect(url_for("proposals.find_link"), code=303)
