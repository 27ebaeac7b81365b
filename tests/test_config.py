"""Configuration: defaults, instance/config.py, FLASK_* variables, test_config, in that order."""

import json
import logging
import stat

import pytest
from flask import request

from bluehats import create_app
from bluehats.config import SAID_FILE

from helpers import HOST, PUBLISHER


@pytest.fixture
def instance(tmp_path, monkeypatch):
    folder = tmp_path / "instance"
    folder.mkdir()
    monkeypatch.setenv("BLUEHATS_INSTANCE_PATH", str(folder))
    for name in list(__import__("os").environ):
        if name.startswith("FLASK_") or name in {"DATABASE_URL", "REDIS_URL"}:
            monkeypatch.delenv(name)
    # Production requires the legal notice's parties: every app built here is a production one.
    monkeypatch.setenv("FLASK_BLUEHATS_PUBLISHER", json.dumps(PUBLISHER))
    monkeypatch.setenv("FLASK_BLUEHATS_HOST", json.dumps(HOST))
    return folder


def test_defaults(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'bluehats.sqlite'}"
    assert app.config["BLUEHATS_MAIL_DELIVERY"] == "console"
    assert app.config["BLUEHATS_CFP_PREVIEW"] is False
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert app.config["RATELIMIT_ENABLED"] is True
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_each_source_overrides_the_one_before(instance, monkeypatch):
    (instance / "config.py").write_text(
        'MAIL_SERVER = "smtp.instance.test"\nMAIL_PORT = 2525\nBLUEHATS_SMTP_TIMEOUT = 7\n'
        'BLUEHATS_SITE_URL = "https://bluehats.numerique.gouv.fr"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("FLASK_MAIL_PORT", "587")
    monkeypatch.setenv("FLASK_BLUEHATS_SMTP_TIMEOUT", "8")
    monkeypatch.setenv("FLASK_BLUEHATS_ORGANISER_EMAILS", '["a@x.fr", "b@x.fr"]')
    app = create_app({"BLUEHATS_SMTP_TIMEOUT": 9})
    assert app.config["MAIL_SERVER"] == "smtp.instance.test"  # instance/config.py over the default
    assert app.config["MAIL_PORT"] == 587  # the environment over instance/config.py, parsed as JSON
    assert app.config["BLUEHATS_SMTP_TIMEOUT"] == 9  # test_config over everything
    assert app.config["BLUEHATS_ORGANISER_EMAILS"] == ["a@x.fr", "b@x.fr"]
    assert app.config["BLUEHATS_MAIL_DELIVERY"] == "immediate"  # a mail server is configured


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgres://bh:secret@db.example:5432/bluehats", "postgresql+psycopg://bh:secret@db.example:5432/bluehats"),
        (
            "postgresql://bh@db.example/bluehats?sslmode=require",
            "postgresql+psycopg://bh@db.example/bluehats?sslmode=require",
        ),
        ("postgresql+psycopg://bh@db.example/bluehats", "postgresql+psycopg://bh@db.example/bluehats"),
        ("sqlite:////var/lib/bluehats/bluehats.sqlite", "sqlite:////var/lib/bluehats/bluehats.sqlite"),
    ],
)
def test_a_platforms_database_url_is_used_with_its_driver(instance, monkeypatch, given, used):
    monkeypatch.setenv("DATABASE_URL", given)
    assert create_app().config["SQLALCHEMY_DATABASE_URI"] == used


def test_a_platforms_redis_url_holds_the_rate_limits(instance, monkeypatch):
    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/0")
    assert create_app().config["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/0"


def test_the_sites_own_keys_win_over_the_platforms(instance, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://platform.example/bluehats")
    monkeypatch.setenv("REDIS_URL", "redis://platform.example:6379/0")
    (instance / "config.py").write_text('SQLALCHEMY_DATABASE_URI = "sqlite:////srv/own.sqlite"\n', encoding="utf-8")
    monkeypatch.setenv("FLASK_RATELIMIT_STORAGE_URI", "memory://")
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:////srv/own.sqlite"
    assert app.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_organiser_emails_as_comma_separated_text(instance, monkeypatch):
    monkeypatch.setenv("FLASK_BLUEHATS_ORGANISER_EMAILS", "a@x.fr, b@x.fr")
    assert create_app().config["BLUEHATS_ORGANISER_EMAILS"] == ["a@x.fr", "b@x.fr"]


def test_empty_organiser_list_warns_in_french_with_what_to_do(instance, caplog):
    create_app()
    assert "BLUEHATS_ORGANISER_EMAILS est vide : aucun organisateur ne sera prévenu" in caplog.text
    assert "Indiquez leurs adresses dans instance/config.py" in caplog.text


def test_missing_site_url_warns_outside_debug(instance, caplog):
    create_app()
    assert "BLUEHATS_SITE_URL n’est pas renseignée" in caplog.text
    assert "Indiquez l’adresse publique du site" in caplog.text
    caplog.clear()
    create_app({"BLUEHATS_SITE_URL": "https://bluehats.example.gouv.fr"})
    assert "BLUEHATS_SITE_URL" not in caplog.text


def test_secret_key_is_generated_once_into_the_instance(instance):
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second
    assert len(first) >= 40
    key_file = instance / "secret_key"
    assert key_file.read_text(encoding="ascii").strip() == first
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert [path.name for path in instance.iterdir()] == ["secret_key"]


def test_configured_secret_key_is_used(instance, monkeypatch):
    monkeypatch.setenv("FLASK_SECRET_KEY", "from-the-environment")
    assert create_app().config["SECRET_KEY"] == "from-the-environment"
    assert not (instance / "secret_key").exists()


def test_deadline_from_the_environment_is_parsed(instance, monkeypatch):
    monkeypatch.setenv("FLASK_BLUEHATS_CFP_DEADLINE", "2022-10-20T12:00:00+02:00")
    app = create_app()
    assert app.config["BLUEHATS_CFP_DEADLINE"].isoformat() == "2022-10-20T12:00:00+02:00"
    assert app.extensions["bluehats.edition"].cfp_deadline.isoformat() == "2022-10-20T12:00:00+02:00"


def test_deadline_without_offset_is_refused(instance):
    with pytest.raises(ValueError, match="no UTC offset"):
        create_app({"BLUEHATS_CFP_DEADLINE": "2022-10-20T12:00:00"})


def test_unknown_delivery_mode_is_refused(instance):
    with pytest.raises(ValueError, match="immediate, worker or console"):
        create_app({"BLUEHATS_MAIL_DELIVERY": "pigeon"})


def test_trusted_proxies_give_the_client_address_and_scheme_never_the_host(instance):
    app = create_app(
        {"BLUEHATS_TRUSTED_PROXIES": 1, "SECRET_KEY": "x", "BLUEHATS_SITE_URL": "https://bluehats.numerique.gouv.fr"}
    )

    @app.get("/qui")
    def who():
        return f"{request.remote_addr} {request.scheme}"

    client = app.test_client()
    forwarded = {
        "X-Forwarded-Proto": "https",
        "X-Forwarded-Host": "evil.example",
        "X-Forwarded-Prefix": "//evil.example",
        "X-Forwarded-For": "1.2.3.4",
    }
    assert client.get("/qui", headers=forwarded, base_url="http://localhost").get_data(as_text=True) == "1.2.3.4 https"
    page = client.get("/", headers=forwarded, base_url="http://localhost").get_data(as_text=True)
    assert '<link rel="canonical" href="https://bluehats.numerique.gouv.fr/">' in page
    assert "evil.example" not in page


def test_forwarded_headers_are_ignored_without_trusted_proxies(instance):
    page = create_app({"SECRET_KEY": "x"}).test_client().get("/", headers={"X-Forwarded-Host": "evil.example"})
    assert "evil.example" not in page.get_data(as_text=True)


def warnings_said(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_a_warning_is_said_once_per_process(instance, caplog):
    create_app()
    create_app()
    said = warnings_said(caplog)
    assert len(said) == 2  # the organisers' addresses and the site's address, once each
    assert len(set(said)) == 2


def test_commands_say_a_warning_once_per_installation(instance, caplog, monkeypatch):
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    monkeypatch.setattr("bluehats.config._SAID", set())
    create_app()
    assert len(warnings_said(caplog)) == 2
    caplog.clear()
    monkeypatch.setattr("bluehats.config._SAID", set())  # the next command: a new process
    create_app()
    assert warnings_said(caplog) == []
    assert "BLUEHATS_SITE_URL" in (instance / SAID_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["BLUEHATS_PUBLISHER", "BLUEHATS_HOST"])
def test_production_refuses_to_start_without_the_legal_notice_parties(instance, monkeypatch, key):
    monkeypatch.delenv(f"FLASK_{key}")
    with pytest.raises(RuntimeError, match=f"{key} est obligatoire en production"):
        create_app()


def test_the_legal_notice_parties_may_be_absent_in_tests_and_in_debug(instance, monkeypatch):
    monkeypatch.delenv("FLASK_BLUEHATS_PUBLISHER")
    monkeypatch.delenv("FLASK_BLUEHATS_HOST")
    assert create_app({"TESTING": True}).config["BLUEHATS_HOST"] is None
    assert create_app({"DEBUG": True}).config["BLUEHATS_PUBLISHER"] is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"name": "Hébergeur", "address": "Paris"}, "il manque phone"),
        ({"name": "H", "address": "A", "phone": "1", "fax": "2"}, "clé inconnue fax"),
        (["Hébergeur"], "doit être un texte ou un dictionnaire"),
    ],
)
def test_a_host_without_its_required_details_is_refused(instance, value, message):
    with pytest.raises(ValueError, match=message):
        create_app({"BLUEHATS_HOST": value})


def test_a_party_may_be_plain_text(instance):
    assert create_app({"BLUEHATS_HOST": " Hébergeur, Paris "}).config["BLUEHATS_HOST"] == "Hébergeur, Paris"
