"""Logging organisers in and out; « mot de passe oublié » and the single-use links to choose a password."""

import re
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from ..extensions import limiter
from .account_links import LINK_LIFETIME, redeem, request_reset, valid_link
from .accounts import authenticate, end_sessions
from .blueprint import bp
from .forms import EmailForm, LoginForm, NewPasswordForm

# Guessing one organiser's password from one address stops after 10 tries; from many addresses, after 50 failed
# tries an hour (a locked-out organiser waits that hour, a guesser gets 50 words). Per address, 30 a quarter:
# a department behind one proxy address cannot lock every organiser out, and one visitor cannot lock anyone
# out for good from a single address.
LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS = "10 per 15 minutes"
LOGIN_LIMIT_PER_ACCOUNT = "50 per hour"
LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
WRONG = "Adresse électronique ou mot de passe incorrect."
RESET_LIMIT_PER_ADDRESS = "10 per hour"
RESET_LIMIT_PER_ACCOUNT = "3 per hour"
LINK_LIMIT = "20 per hour"
RESET_SENT = (
    "Si un compte existe pour cette adresse, un courriel vient de partir avec un lien pour choisir un mot de passe "
    f"(valable {int(LINK_LIFETIME.total_seconds() // 3600)} heures, une seule fois). Pensez à regarder "
    "dans les indésirables."
)
_UNSAFE_IN_PATH = re.compile(r"[\x00-\x20\x7f\\]")


def account_key() -> str:
    """Return the rate limiter's key for the account a login attempt names."""
    return "login:" + "".join(request.form.get("email", "").split()).lower()[:254]


def account_and_address_key() -> str:
    """Return the rate limiter's key for an account tried from one address."""
    return f"{account_key()}:{get_remote_address()}"


def failed(response) -> bool:
    """Tell whether a login attempt failed (a success is a redirect): only failures count against an account."""
    return response.status_code != 303


def safe_next(target: str | None) -> str:
    """Return the page to go back to after the login, only if it is one of ours."""
    if target and not _UNSAFE_IN_PATH.search(target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/organisation"):
            return target
    return url_for("admin.dashboard")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT_PER_ADDRESS, methods=["POST"])
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT_AND_ADDRESS, methods=["POST"], key_func=account_and_address_key)
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT, methods=["POST"], key_func=account_key, deduct_when=failed)
def login():
    """Show the login form; log the organiser in."""
    form = LoginForm()
    if form.validate_on_submit():
        organiser = authenticate(form.email.data, form.password.data)
        if organiser is not None:
            session.clear()  # nothing of the anonymous session survives the login
            session.permanent = True  # PERMANENT_SESSION_LIFETIME after the last request, then it ends
            login_user(organiser)
            return redirect(safe_next(request.args.get("next")), code=303)
        form.password.errors.append(WRONG)
    return render_template("admin/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    """Log the organiser out, everywhere: every copy of the session cookie stops working."""
    end_sessions(current_user.id)
    logout_user()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("admin.login"), code=303)


@bp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(RESET_LIMIT_PER_ADDRESS, methods=["POST"])
@limiter.limit(RESET_LIMIT_PER_ACCOUNT, methods=["POST"], key_func=account_key)
def forgot_password():
    """Ask for a link to choose a new password: the same answer whether or not the address has an account."""
    form = EmailForm()
    if form.validate_on_submit():
        request_reset(form.email.data)  # a known address's mail leaves once this answer has been sent
        flash(RESET_SENT, "info")
        return redirect(url_for("admin.login"), code=303)
    return render_template("admin/forgot_password.html", form=form)


@bp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
@limiter.limit(LINK_LIMIT, methods=["POST"])
def choose_password(token: str):
    """Choose a password through a single-use link (an invitation or a reset), then log in with it."""
    link = valid_link(token)
    if link is None:
        return render_template("admin/link_expired.html"), 410
    form = NewPasswordForm(account_email=link.organiser.email)
    if form.validate_on_submit():
        if redeem(token, form.password.data) is None:  # used a moment ago, in another tab
            return render_template("admin/link_expired.html"), 410
        if current_user.is_authenticated:
            logout_user()
        flash("Mot de passe enregistré. Connectez-vous avec lui.", "success")
        return redirect(url_for("admin.login"), code=303)
    return render_template("admin/choose_password.html", form=form, link=link)
