"""Single-use links to choose a password: an invitation from another organiser, or « mot de passe oublié »."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from ..core import clock
from ..core.vocabulary import AccountLink
from ..extensions import db
from ..mail import messages as mails
from ..mail import outbox
from ..models import AccountToken, Organiser
from ..web.database import write_transaction
from ..web.links import external_url
from .accounts import find_organiser, normalise_address, set_password

LINK_LIFETIME = timedelta(hours=48)


def digest(token: str) -> str:
    """Return what is stored of a link's secret: its SHA-256 (the secret is random, 256 bits: no salt needed)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_link(organiser: Organiser, purpose: AccountLink) -> str:
    """Create a link for an organiser in the caller's transaction, revoking their earlier unused ones."""
    now = clock.now()
    if organiser.id is not None:
        db.session.execute(
            update(AccountToken)
            .where(AccountToken.organiser_id == organiser.id, AccountToken.used_at.is_(None))
            .values(used_at=now)
        )
    token = secrets.token_urlsafe(32)
    expires = now + LINK_LIFETIME
    db.session.add(
        AccountToken(organiser=organiser, purpose=purpose, token_hash=digest(token), created_at=now, expires_at=expires)
    )
    return token


def queue_link_mail(organiser: Organiser, purpose: AccountLink, inviter: str | None = None) -> None:
    """Make a link and queue its mail in the caller's transaction (a reset leaves after the answer)."""
    token = issue_link(organiser, purpose)
    link = external_url("admin.choose_password", token=token)
    composed = mails.account_link(organiser.email, link, purpose, inviter, LINK_LIFETIME)
    outbox.queue(composed, f"account-{purpose.value}", after_response=purpose == AccountLink.RESET)


def invite(email: str, inviter: str) -> Organiser:
    """Invite someone: an account without a password and a mail with its link; ValueError if not possible."""
    # The message (in French) names an invalid address, or one that already has a working account.
    address = normalise_address(email)
    with write_transaction():
        organiser = find_organiser(address)
        if organiser is not None and not organiser.is_pending:
            raise ValueError(f"{address} a déjà un compte : « Mot de passe oublié » lui enverra un lien si besoin.")
        if organiser is None:
            organiser = Organiser(email=address, password_hash="", invited_by=inviter)  # nosec B106 - no password yet
            db.session.add(organiser)
            db.session.flush()
        queue_link_mail(organiser, AccountLink.INVITATION, inviter)
        return organiser


def request_reset(email: str) -> None:
    """Mail a reset link if the address has an account; otherwise do the same work without storing or sending."""
    organiser = find_organiser(email[:254])
    if organiser is None:
        digest(secrets.token_urlsafe(32))
        return
    with write_transaction():
        organiser = db.session.get(Organiser, organiser.id)
        if organiser is not None:
            queue_link_mail(organiser, AccountLink.INVITATION if organiser.is_pending else AccountLink.RESET)


def valid_link(token: str) -> AccountToken | None:
    """Return the link's record if it exists, is unused and has not expired."""
    if not token or len(token) > 100:
        return None
    link = db.session.scalars(select(AccountToken).where(AccountToken.token_hash == digest(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        return None
    return link


def redeem(token: str, password: str) -> Organiser | None:
    """Use a link once to set the password (every session of the account ends); None if it is not valid."""
    with write_transaction():
        link = valid_link(token)
        if link is None:
            return None
        # Only one request can turn used_at from NULL: a second use, even at the same moment, finds none.
        used = db.session.execute(
            update(AccountToken)
            .where(AccountToken.id == link.id, AccountToken.used_at.is_(None))
            .values(used_at=clock.now())
            .execution_options(synchronize_session=False)
        )
        if used.rowcount != 1:
            return None
        organiser = link.organiser
        set_password(organiser, password)
        return organiser
