"""The Journée BlueHats site: create_app() builds the Flask application."""

import logging
import os
import weakref
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

from . import cli
from .admin import accounts
from .config import load_config
from .core.edition import load_edition
from .extensions import csrf, db, limiter, mail
from .web import caching, errors, proxies, security, sessions, templating
from .web.database import configure_engine

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class Site(Flask):
    """Flask, asking once per function, not at every call, whether a view or a hook is a coroutine."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Weak keys: after_this_request's callbacks are new functions at each request, and must not pile up
        # (hence a flag as the value, never the function itself, which would keep its key alive).
        self.plain_functions: weakref.WeakKeyDictionary[Callable, bool] = weakref.WeakKeyDictionary()

    def ensure_sync(self, func: Callable) -> Callable:
        """Return `func` itself when Flask found it synchronous once; else what Flask wraps it in."""
        # Flask inspects every view and hook at every request; the answer never changes for a function.
        plain = self.plain_functions.get(func)
        if plain is None:
            plain = self.plain_functions[func] = super().ensure_sync(func) is func
        return func if plain else super().ensure_sync(func)


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, commands, error pages."""
    app = Site(
        __name__,
        instance_path=os.environ.get("BLUEHATS_INSTANCE_PATH", str(ROOT / "instance")),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    load_config(app, test_config)
    configure_logging(app)
    db.init_app(app)
    configure_engine(app)
    register_migrations(app)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    accounts.init_app(app)

    app.extensions["bluehats.edition"] = load_edition(
        app.config["BLUEHATS_EVENT"],
        cfp_deadline=app.config["BLUEHATS_CFP_DEADLINE"],
        answer_date=app.config["BLUEHATS_ANSWER_DATE"],
    )
    register_blueprints(app)
    register_guards(app)
    templating.init_app(app)
    caching.init_app(app)
    security.init_app(app)
    sessions.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    proxies.init_app(app)
    return app


def register_migrations(app: Flask) -> None:
    """Set up Flask-Migrate (flask db …) for the command line and the tests, not in web workers."""
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" or app.testing:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS))


def register_blueprints(app: Flask) -> None:
    """Mount the site's parts."""
    from .admin import bp as admin_bp
    from .proposals import find_link, talk  # noqa: F401 - add « retrouver mon lien » and the talk's routes
    from .proposals.views import bp as proposals_bp
    from .public import slides  # noqa: F401 - adds the slides' download to the blueprint
    from .public.views import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(admin_bp)


UPLOAD_ENDPOINTS = {"proposals.upload_slides", "admin.talk_slides"}
UPLOAD_MAX_BYTES = 21 * 1024 * 1024  # 20 MB of slides, and the form around them


def register_guards(app: Flask) -> None:
    """Before every view: allow uploads where they belong, check the organiser's session, then the CSRF token."""
    from .admin.blueprint import require_organiser

    # One hook rather than three: it runs on every request, public pages included.
    @app.before_request
    def guard() -> Response | None:
        # Everywhere else a body stays under MAX_CONTENT_LENGTH; the form is read (CSRF) after this.
        if request.endpoint in UPLOAD_ENDPOINTS:
            request.max_content_length = UPLOAD_MAX_BYTES
        # The login guard comes first, so that an anonymous POST to the back office is redirected too.
        if (to_login := require_organiser()) is not None:
            return to_login
        # WTF_CSRF_CHECK_DEFAULT is off so that this runs after the login guard, not before it.
        if request.method in app.config["WTF_CSRF_METHODS"]:
            csrf.protect()
        return None


def configure_logging(app: Flask) -> None:
    """Log to stderr (gunicorn and systemd collect it)."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app.logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    # Alembic names each of its plugins at INFO on every command: noise above the command's own output.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
