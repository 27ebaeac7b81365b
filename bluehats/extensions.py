"""Flask extensions, unbound: create_app() binds them to the application.

Flask-Migrate is not here: it loads Alembic (some 15 MB per process), which only the command line
and the tests need; create_app() sets it up for them (see register_migrations).
"""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base of every model."""


db = SQLAlchemy(model_class=Base)
mail = Mail()
csrf = CSRFProtect()


class ViewLimiter(Limiter):
    """Flask-Limiter for limits put on views only: no check of its own before every request."""

    def init_app(self, app: Flask) -> None:
        """Bind the limiter; drop its before-request check when no default or application-wide limit is set."""
        super().init_app(app)
        # Each limit of the site decorates its view, and the decorator checks it. The extension's own check
        # before every request (static files included) then finds nothing to count and costs some 55 µs.
        manager = self.limit_manager
        if self.enabled and not (manager.default_limits or manager.application_limits):
            app.before_request_funcs[None].remove(self._check_request_limit)


class SessionLoginManager(LoginManager):
    """Flask-Login without its "remember me" cookie, which the site never sets."""

    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        """Bind the manager, without the after-request hook that would keep a remember-me cookie fresh."""
        super().init_app(app, add_context_processor)
        # That hook reads the session on every answer, which also adds "Vary: Cookie" to public pages.
        app.after_request_funcs[None].remove(self._update_remember_cookie)


limiter = ViewLimiter(key_func=get_remote_address)
login = SessionLoginManager()
