"""Configuration, in order: defaults, platform DATABASE_URL, REDIS_URL, instance/config.py, FLASK_*, test_config."""

import contextlib
import logging
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask

from .core.content import CONTENT_DIR
from .core.dates import parse_moment
from .core.edition import ANNOUNCEMENT

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "BLUEHATS_ORGANISER_EMAILS": [],
    "BLUEHATS_CFP_DEADLINE": None,  # None: the announcement's front matter
    "BLUEHATS_ANSWER_DATE": None,  # None: the announcement's front matter
    "BLUEHATS_CFP_PREVIEW": None,  # None: app.debug
    "BLUEHATS_MAIL_DELIVERY": None,  # None: console without MAIL_SERVER, else immediate
    "BLUEHATS_SMTP_TIMEOUT": 10,
    "BLUEHATS_TRUSTED_PROXIES": 0,
    "BLUEHATS_SITE_URL": None,  # the site's public address: every absolute link is built from it
    "BLUEHATS_PROGRAMME_MINUTES": None,  # None: the sum of the edition's days
    "BLUEHATS_EVENT": None,  # None: the 2022 announcement shipped in bluehats/content/
    # Who publishes and who hosts the site, as the legal notice must say (LCEN, art. 6): required in production.
    "BLUEHATS_PUBLISHER": None,
    "BLUEHATS_HOST": None,
    "MAIL_SERVER": None,
    "MAIL_PORT": 25,
    "MAIL_DEFAULT_SENDER": "Journée BlueHats <logiciels-libres@data.gouv.fr>",
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    # Seconds a write waits for a SQLite file locked by another program (a backup) before the visitor gets a 503.
    "BLUEHATS_SQLITE_BUSY_TIMEOUT": 15,
    # A proposal may take an hour to write: the CSRF token lives as long as the session.
    "WTF_CSRF_TIME_LIMIT": None,
    "WTF_CSRF_CHECK_DEFAULT": False,  # checked by create_app()'s guard, after the login check
    "MAX_CONTENT_LENGTH": 64 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": None,  # None: on, except in debug and testing (plain http there)
    # A session left alone for 20 hours ends; the cookie's own signed timestamp says so (a copy too). 20 hours is
    # the shortest limit the RGAA (13.1) and WCAG (2.2.1) accept without a way to extend it: an organiser who
    # leaves a note half-typed overnight must not lose it.
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=20),
    "TRUSTED_HOSTS": None,  # None: the host of BLUEHATS_SITE_URL and loopback, outside debug and tests
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_STORAGE_URI": "memory://",
    "RATELIMIT_HEADERS_ENABLED": True,
    # Redis gone: each process counts for itself (and says so in the log) until Redis answers again.
    "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    "RATELIMIT_SWALLOW_ERRORS": True,
    "SEND_FILE_MAX_AGE_DEFAULT": 3600,
}


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config in DESIGN.md's order, each source overriding the one before."""
    app.config.from_mapping(DEFAULTS)
    app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'bluehats.sqlite'}"
    app.config.from_mapping(platform_settings(os.environ))
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FLASK")
    if test_config is not None:
        app.config.from_mapping(test_config)
    derive_settings(app)


def platform_settings(environ: Mapping[str, str]) -> dict[str, str]:
    """Read the add-ons a hosting platform announces (DATABASE_URL, REDIS_URL), below the site's own keys."""
    settings = {}
    if database := environ.get("DATABASE_URL"):
        settings["SQLALCHEMY_DATABASE_URI"] = sqlalchemy_url(database)
    if redis := environ.get("REDIS_URL"):
        settings["RATELIMIT_STORAGE_URI"] = redis
    return settings


def sqlalchemy_url(url: str) -> str:
    """Name the driver in a PostgreSQL URL: platforms give postgres://, which SQLAlchemy refuses."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme in {"postgres", "postgresql"}:
        return f"postgresql+psycopg://{rest}"
    return url


def derive_settings(app: Flask) -> None:
    """Resolve the settings whose default depends on the others, and check their types."""
    config = app.config
    if not config.get("SECRET_KEY"):
        config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if config["BLUEHATS_CFP_PREVIEW"] is None:
        config["BLUEHATS_CFP_PREVIEW"] = app.debug
    if config["BLUEHATS_MAIL_DELIVERY"] is None:
        config["BLUEHATS_MAIL_DELIVERY"] = "immediate" if config["MAIL_SERVER"] else "console"
    if config["BLUEHATS_MAIL_DELIVERY"] not in {"immediate", "worker", "console"}:
        raise ValueError("BLUEHATS_MAIL_DELIVERY must be immediate, worker or console")
    config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config)
    for key in ("BLUEHATS_CFP_DEADLINE", "BLUEHATS_ANSWER_DATE"):
        if config[key] is not None:
            config[key] = parse_moment(config[key])
    if isinstance(config["BLUEHATS_ORGANISER_EMAILS"], str):
        config["BLUEHATS_ORGANISER_EMAILS"] = [
            address.strip() for address in config["BLUEHATS_ORGANISER_EMAILS"].split(",") if address.strip()
        ]
    if not config["BLUEHATS_ORGANISER_EMAILS"]:
        warn_once(app, NO_ORGANISERS)
    config["BLUEHATS_EVENT"] = announcement_path(config["BLUEHATS_EVENT"])
    config["BLUEHATS_SITE_URL"] = site_url(app)
    for key, required in LEGAL_PARTIES.items():
        config[key] = legal_party(key, config[key], required, production=not (app.debug or app.testing))
    if config["TRUSTED_HOSTS"] is None and not (app.debug or app.testing):
        config["TRUSTED_HOSTS"] = [urlsplit(config["BLUEHATS_SITE_URL"]).hostname, *LOOPBACK]
    if config["SESSION_COOKIE_SECURE"] is None:
        config["SESSION_COOKIE_SECURE"] = not (app.debug or app.testing)


def announcement_path(value: str | Path | None) -> Path:
    """Return the current edition's announcement: a path as given, or a file name in bluehats/content/."""
    if not value:
        return ANNOUNCEMENT
    path = Path(value)
    if not path.is_absolute() and not path.exists() and (CONTENT_DIR / path).exists():
        return CONTENT_DIR / path
    return path


LOOPBACK = ("localhost", "127.0.0.1", "::1")
DEVELOPMENT_URL = "http://127.0.0.1:5000"


def site_url(app: Flask) -> str:
    """Return the site's public address, from which every absolute link is built (never from a request)."""
    config = app.config
    url = config["BLUEHATS_SITE_URL"]
    if url:
        parts = urlsplit(str(url))
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise ValueError(f"BLUEHATS_SITE_URL doit être une adresse http(s) complète, pas {url!r}")
        return str(url).rstrip("/")
    if app.debug or app.testing:
        return f"http://{config['SERVER_NAME']}" if config.get("SERVER_NAME") else DEVELOPMENT_URL
    if config["BLUEHATS_MAIL_DELIVERY"] != "console":
        # Mails leave the machine: their links must not follow whatever Host a visitor sent.
        raise RuntimeError(
            "BLUEHATS_SITE_URL est obligatoire quand les courriels partent (par exemple "
            "FLASK_BLUEHATS_SITE_URL=https://bluehats.exemple.gouv.fr) : les liens des courriels en dépendent."
        )
    warn_once(app, NO_SITE_URL)
    return DEVELOPMENT_URL


NO_ORGANISERS = (
    "BLUEHATS_ORGANISER_EMAILS est vide : aucun organisateur ne sera prévenu des nouvelles propositions. "
    'Indiquez leurs adresses dans instance/config.py (BLUEHATS_ORGANISER_EMAILS = ["orga@exemple.gouv.fr"]) '
    "ou dans la variable FLASK_BLUEHATS_ORGANISER_EMAILS."
)
NO_SITE_URL = (
    f"BLUEHATS_SITE_URL n’est pas renseignée : les liens des courriels et des agendas mèneront à {DEVELOPMENT_URL}. "
    'Indiquez l’adresse publique du site dans instance/config.py (BLUEHATS_SITE_URL = "https://…") '
    "ou dans la variable FLASK_BLUEHATS_SITE_URL."
)
# What this process has already said, per installation: an app built twice (a command, a test) says it once.
_SAID: set[tuple[str, str]] = set()
SAID_FILE = ".avertissements"


def warn_once(app: Flask, message: str) -> None:
    """Log a configuration warning once per process, and on the command line once per installation.

    Every `flask …` command is a new process: without the note kept in instance/, each would repeat it.
    """
    key = (app.instance_path, message)
    if key in _SAID:
        return
    _SAID.add(key)
    if os.environ.get("FLASK_RUN_FROM_CLI") == "true" and not app.testing:
        said = Path(app.instance_path) / SAID_FILE
        with contextlib.suppress(OSError):
            if message in said.read_text(encoding="utf-8").splitlines():
                return
        with contextlib.suppress(OSError):
            Path(app.instance_path).mkdir(mode=0o700, parents=True, exist_ok=True)
            with said.open("a", encoding="utf-8") as file:
                file.write(message + "\n")
    log.warning(message)


# The legal notice's parties and the details each must give when set as a mapping.
LEGAL_PARTIES = {"BLUEHATS_PUBLISHER": ("name", "address"), "BLUEHATS_HOST": ("name", "address", "phone")}
LEGAL_KEYS = {"name", "address", "phone", "email", "director"}


def legal_party(key: str, value: Any, required: tuple[str, ...], production: bool) -> str | dict[str, str] | None:
    """Check the publisher or the host of the legal notice: a text, or a mapping of its details."""
    example = (
        f'{key} = {{"name": "…", "address": "…", "phone": "…"}} dans instance/config.py '
        f"(ou un texte, ou la variable FLASK_{key} en JSON)"
    )
    if not value:
        if production:
            raise RuntimeError(
                f"{key} est obligatoire en production : la loi (LCEN, article 6) demande que les mentions légales "
                f"nomment l’éditeur et l’hébergeur du site. Indiquez par exemple {example}."
            )
        return None
    if isinstance(value, str):
        return value.strip()
    if not isinstance(value, Mapping):
        raise ValueError(f"{key} doit être un texte ou un dictionnaire : {example}.")
    missing = [name for name in required if not str(value.get(name) or "").strip()]
    unknown = sorted(set(value) - LEGAL_KEYS)
    if missing:
        raise ValueError(f"{key} : il manque {', '.join(missing)}. Indiquez par exemple {example}.")
    if unknown:
        possible = ", ".join(sorted(LEGAL_KEYS))
        raise ValueError(f"{key} : clé inconnue {', '.join(unknown)} (clés possibles : {possible}).")
    return {name: str(text).strip() for name, text in value.items() if str(text or "").strip()}


def engine_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """Return the engine options, with a liveness check of pooled connections to a database server."""
    options = dict(config["SQLALCHEMY_ENGINE_OPTIONS"])
    if not str(config["SQLALCHEMY_DATABASE_URI"]).startswith("sqlite"):
        # After a server restart the pooled connections are dead: each is tested (and replaced) before use,
        # so the site serves again by itself. A SQLite file has no connection to lose.
        options.setdefault("pool_pre_ping", True)
    return options


def instance_secret_key(instance: Path) -> str:
    """Return the installation's secret key, generating it into instance/ the first time."""
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(mode=0o700, parents=True, exist_ok=True)
        draft = instance / f".secret_key.{os.getpid()}"
        # Readable by its owner only from the first byte: created with mode 0600, not chmod-ed afterwards.
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as file:
            file.write(secrets.token_urlsafe(48))
        # link() is atomic and refuses to replace: when workers start together, the first one wins.
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text(encoding="ascii").strip()
