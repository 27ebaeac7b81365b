"""Flask extensions, unbound: create_app() binds them to the application.

Flask-Migrate is not here: it loads Alembic (some 15 MB per process), which only the command line
and the tests need; create_app() sets it up for them (see register_migrations).
"""

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
limiter = Limiter(key_func=get_remote_address)
login = LoginManager()
