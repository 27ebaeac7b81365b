"""Logging organisers in and out."""

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_user, logout_user

from ..extensions import limiter
from .accounts import authenticate
from .blueprint import bp
from .forms import LoginForm

LOGIN_LIMIT = "10 per 15 minutes"
WRONG = "Adresse électronique ou mot de passe incorrect."


def safe_next(target: str | None) -> str:
    """Return the page to go back to after the login, only if it is one of ours."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/organisation"):
            return target
    return url_for("admin.dashboard")


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(LOGIN_LIMIT, methods=["POST"])
def login():
    """Show the login form; log the organiser in."""
    form = LoginForm()
    if form.validate_on_submit():
        organiser = authenticate(form.email.data, form.password.data)
        if organiser is not None:
            login_user(organiser)
            return redirect(safe_next(request.args.get("next")), code=303)
        form.password.errors.append(WRONG)
    return render_template("admin/login.html", form=form)


@bp.post("/deconnexion")
def logout():
    """Log the organiser out."""
    logout_user()
    flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("admin.login"), code=303)
