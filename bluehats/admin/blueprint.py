"""The back office's blueprint: every route behind the login, except the login itself."""

from flask import Blueprint, redirect, request, url_for
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/organisation")

PUBLIC_ENDPOINTS = {"admin.login", "admin.forgot_password", "admin.choose_password"}


def require_organiser():
    """Send anyone without an organiser's session to the login page, whatever the back-office route.

    Registered on the application before the CSRF check, so that an anonymous POST is redirected too.
    """
    if request.blueprint != bp.name or request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    return redirect(url_for("admin.login", next=request.full_path if request.method == "GET" else None))


@bp.after_request
def never_cache(response):
    """Keep back-office pages (personal data) out of shared caches and the browser's history cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


def actor() -> str:
    """Return the logged-in organiser's address, for the history."""
    return current_user.email
