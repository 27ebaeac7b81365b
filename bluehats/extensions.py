"""Flask extensions, unbound: create_app() binds them to the application.

Flask-Migrate is not here: it loads Alembic (some 15 MB per process), which only the command line
and the tests need; create_app() sets it up for them (see register_migrations).
"""

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user
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
    """Flask-Login that reads the session only where a page asks who is logged in."""

    def init_app(self, app: Flask, add_context_processor: bool = True) -> None:
        """Bind the manager; templates get current_user as a proxy, loaded only by those that use it."""
        # Flask-Login's own context processor loads the user for every template, and so reads (and may write)
        # the session of a visitor whose page is then shared with everyone: public pages never use it.
        super().init_app(app, add_context_processor=False)
        app.jinja_env.globals["current_user"] = current_user
        # Nor its after-request hook, which keeps a "remember me" cookie fresh: the site never sets one, and
        # the hook read the session on every answer (hence "Vary: Cookie" on public pages).
        app.after_request_funcs[None].remove(self._update_remember_cookie)


limiter = ViewLimiter(key_func=get_remote_address)
login = SessionLoginManager()
