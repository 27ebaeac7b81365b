"""Organiser accounts: creation, password checks and changes, the session's user, the end of its sessions, removal."""

import ctypes
import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import Flask
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from ..core import clock
from ..core.passwords import password_problem
from ..extensions import db, login
from ..models import Organiser
from ..web.database import write_transaction

# scrypt with N=2^12, r=8, p=8: 4 MB per check, for the same work as Werkzeug's default (N=2^15, r=8, p=1,
# N·r·p = 262 144) which takes 32 MB, so that a worker that checks a password stays under 80 MB (measured: a
# fresh worker weighs some 70 MB; N=2^13 with p=4, 8 MB, took it to 79.4 after five logins, N=2^14 to 82).
# Older hashes (N=2^15, then N=2^13) are still checked, then renewed.
PASSWORD_METHOD = "scrypt:4096:8:8"  # noqa: S105  # nosec B105 - a hashing method, not a password


# glibc hands an allocation this large or larger straight back to the system once freed.
BIG_ALLOCATION = 1024 * 1024
M_MMAP_THRESHOLD = -3


def return_big_allocations() -> None:
    """Have glibc give scrypt's 4 MB back as soon as a check ends, whichever thread checked."""
    # Left to itself, glibc raises its mmap threshold after the first large free, and each thread's arena then
    # keeps its own scrypt buffer: seven logins (at 8 MB each) took a gunicorn worker from 77 to 93 MB. A fixed
    # threshold stops that.
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc (musl, macOS): nothing to tune
        return
    libc.mallopt(M_MMAP_THRESHOLD, BIG_ALLOCATION)


def init_app(app: Flask) -> None:
    """Tell Flask-Login how to find the session's organiser; keep password checks' memory from piling up."""
    return_big_allocations()
    login.init_app(app)
    login.login_view = "admin.login"
    login.login_message = "Connectez-vous pour accéder à l’espace des organisateurs."
    login.login_message_category = "info"
    login.user_loader(load_organiser)


@cache
def dummy_hash() -> str:
    """Return a hash to check against when the address is unknown, so that both failures take as long."""
    return hash_password("bluehats-timing-guard")


def hash_password(password: str) -> str:
    """Return the stored form of a password (salted scrypt)."""
    return generate_password_hash(password, method=PASSWORD_METHOD)


def set_password(organiser: Organiser, password: str) -> None:
    """Give an organiser a new password in the caller's transaction, ending every session they have."""
    organiser.password_hash = hash_password(password)
    organiser.session_token = secrets.token_urlsafe(24)


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
    problem = password_problem(password, address)
    if problem:
        raise ValueError(problem)
    with write_transaction():
        organiser = find_organiser(address) or Organiser(email=address)
        set_password(organiser, password)
        db.session.add(organiser)
        return organiser


def change_password(organiser_id: int, current: str, new: str) -> Organiser | None:
    """Replace an organiser's password if the current one is right (None if not); every session ends."""
    organiser = db.session.get(Organiser, organiser_id)
    if organiser is None or not check_password_hash(organiser.password_hash, current):
        return None
    with write_transaction():
        organiser = db.session.get(Organiser, organiser_id)
        assert organiser is not None
        set_password(organiser, new)
        return organiser


def end_sessions(organiser_id: int) -> None:
    """End every session of an organiser, copies included: the token they carry is no longer the account's."""
    with write_transaction():
        organiser = db.session.get(Organiser, organiser_id)
        if organiser is not None:
            organiser.session_token = secrets.token_urlsafe(24)


def remove_organiser(email: str) -> bool:
    """Delete an organiser (command line: no rule, the shell is the way back in); return whether one existed."""
    with write_transaction():
        organiser = find_organiser(email)
        if organiser is not None:
            db.session.delete(organiser)
        return organiser is not None


def remove_access(organiser_id: int, by_id: int) -> bool:
    """Remove an organiser's access from the back office; refused when it would leave nobody able to log in."""
    with write_transaction():
        organiser = db.session.get(Organiser, organiser_id)
        if organiser is None:
            return False
        others = db.session.scalar(
            select(func.count()).where(Organiser.id != organiser.id, Organiser.password_hash != "")  # nosec B105
        )
        if organiser.id == by_id and not others:
            return False
        db.session.delete(organiser)
        return True


def set_hide_opinions(organiser_id: int, hide: bool) -> None:
    """Choose whether the others' opinions stay hidden until this organiser has given theirs."""
    with write_transaction():
        organiser = db.session.get(Organiser, organiser_id)
        if organiser is not None:
            organiser.hide_opinions = hide


def authenticate(email: str, password: str) -> Organiser | None:
    """Return the organiser if the password is right; never tell which of the two was wrong."""
    organiser = find_organiser(email)
    if organiser is None or organiser.is_pending:  # an invitation not yet accepted has no password
        check_password_hash(dummy_hash(), password)
        return None
    if not check_password_hash(organiser.password_hash, password):
        return None
    with write_transaction():
        organiser = db.session.get(Organiser, organiser.id)
        assert organiser is not None
        organiser.last_login_at = clock.now()
        if not organiser.password_hash.startswith(f"{PASSWORD_METHOD}$"):
            organiser.password_hash = hash_password(password)  # a hash of older, costlier parameters
        return organiser
