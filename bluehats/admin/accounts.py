"""Organiser accounts: creation, password checks, the session's user and the end of its sessions."""

import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import clock
from ..extensions import db, login
from ..models import Organiser
from ..web.database import write_transaction

MIN_PASSWORD_LENGTH = 12


def init_app(app: Flask) -> None:
    """Tell Flask-Login how to find the session's organiser."""
    login.init_app(app)
    login.login_view = "admin.login"
    login.login_message = "Connectez-vous pour accéder à l’espace des organisateurs."
    login.login_message_category = "info"
    login.user_loader(load_organiser)


@cache
def dummy_hash() -> str:
    """Return a hash to check against when the address is unknown, so that both failures take as long."""
    return generate_password_hash("bluehats-timing-guard", method="scrypt")


def load_organiser(session_id: str) -> Organiser | None:
    """Return the session's organiser, if the session's token is still the account's current one."""
    organiser_id, _, token = session_id.partition(":")
    if not organiser_id.isascii() or not organiser_id.isdigit() or not token or len(organiser_id) > 9:
        return None
    organiser = db.session.get(Organiser, int(organiser_id))
    if organiser is None or not secrets.compare_digest(organiser.session_token, token):
        return None
    return organiser


def find_organiser(email: str) -> Organiser | None:
    """Return the organiser with this address (case-insensitive)."""
    return db.session.scalars(select(Organiser).where(func.lower(Organiser.email) == email.strip().lower())).first()


def normalise_address(email: str) -> str:
    """Return an organiser's address in lower case, or raise ValueError with a French message."""
    try:
        return validate_email(email.strip(), check_deliverability=False, allow_smtputf8=False).normalized.lower()
    except EmailNotValidError as error:
        raise ValueError(f"« {email} » n’est pas une adresse électronique valide.") from error


def add_organiser(email: str, password: str) -> Organiser:
    """Create an organiser, or set a new password for an existing one (which ends their other sessions)."""
    address = normalise_address(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères.")
    with write_transaction():
        organiser = find_organiser(address) or Organiser(email=address)
        organiser.password_hash = generate_password_hash(password, method="scrypt")
        organiser.session_token = secrets.token_urlsafe(24)
        db.session.add(organiser)
        return organiser


def end_sessions(organiser_id: int) -> None:
    """End every session of an organiser, copies included: the token they carry is no longer the account's."""
    with write_transaction():
        organiser = db.session.get(Organiser, organiser_id)
        if organiser is not None:
            organiser.session_token = secrets.token_urlsafe(24)


def remove_organiser(email: str) -> bool:
    """Delete an organiser; return whether one existed."""
    with write_transaction():
        organiser = find_organiser(email)
        if organiser is not None:
            db.session.delete(organiser)
        return organiser is not None


def authenticate(email: str, password: str) -> Organiser | None:
    """Return the organiser if the password is right; never tell which of the two was wrong."""
    organiser = find_organiser(email)
    if organiser is None:
        check_password_hash(dummy_hash(), password)
        return None
    if not check_password_hash(organiser.password_hash, password):
        return None
    with write_transaction():
        organiser = db.session.get(Organiser, organiser.id)
        assert organiser is not None
        organiser.last_login_at = clock.now()
        return organiser
