"""Organisers' sessions against a hostile visitor: copies, expiry, login limits, odd addresses, file modes."""

import os
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bluehats.admin.accounts import add_organiser

from helpers import ORGANISER, PASSWORD, csrf_token, log_in


def copy_of_session(app, client):
    copy = app.test_client()
    cookie = client.get_cookie("session", domain="bluehats.test")
    copy.set_cookie("session", cookie.value, domain="bluehats.test")
    return copy


def test_logout_ends_every_copy_of_the_session(app, organiser):
    client = app.test_client()
    log_in(client)
    copy = copy_of_session(app, client)
    assert copy.get("/organisation/").status_code == 200
    token = csrf_token(client, "/organisation/")
    client.post("/organisation/deconnexion", data={"csrf_token": token})
    assert copy.get("/organisation/").status_code == 302


def test_a_password_change_ends_the_other_sessions(app, organiser):
    client = app.test_client()
    log_in(client)
    copy = copy_of_session(app, client)
    with app.app_context():
        add_organiser(ORGANISER, "une autre phrase de passe")
    assert copy.get("/organisation/").status_code == 302
    assert client.get("/organisation/").status_code == 302


def test_a_session_left_alone_expires(make_app, smtp):
    app = make_app(PERMANENT_SESSION_LIFETIME=timedelta(seconds=1))
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    client = app.test_client()
    log_in(client)
    copy = copy_of_session(app, client)
    assert client.get("/organisation/").status_code == 200
    time.sleep(2.1)  # the cookie's own signed timestamp is older than the lifetime: refused, copies included
    assert copy.get("/organisation/").status_code == 302


def test_the_default_lifetime_is_the_twenty_hours_the_rgaa_asks_for(app):
    # RGAA 13.1 (WCAG 2.2.1): a time limit the person cannot extend must be 20 hours at least.
    assert app.permanent_session_lifetime == timedelta(hours=20)


def test_the_database_and_secret_key_are_readable_by_their_owner_only(make_app, tmp_path, monkeypatch):
    folder = tmp_path / "fresh-instance"
    monkeypatch.setenv("BLUEHATS_INSTANCE_PATH", str(folder))
    app = make_app(SECRET_KEY=None, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'bluehats.sqlite'}")
    assert app.config["SECRET_KEY"]
    assert app.test_client().get("/healthz").status_code == 503  # the file is made on first use (not migrated)
    for name in ("secret_key", "bluehats.sqlite"):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    units = Path(__file__).resolve().parents[1] / "deploy"
    for unit in units.glob("*.service"):
        assert "UMask=0077" in unit.read_text(encoding="utf-8"), unit.name
    assert os.stat(folder / "bluehats.sqlite").st_uid == os.getuid()


@pytest.mark.parametrize(
    "url",
    [
        "/organisation/propositions?page=%C2%B2",
        "/organisation/propositions?page=99999999999999999999999",
        "/organisation/propositions?page=5000",
        "/organisation/propositions/99999999999999999999999",
        "/organisation/propositions/2147483648",
    ],
)
def test_odd_back_office_addresses_never_give_a_500(app, organiser, url):
    client = app.test_client()
    log_in(client)
    assert client.get(url).status_code in {200, 404}


def test_a_next_with_a_line_break_goes_to_the_dashboard(app, client, organiser):
    token = csrf_token(client, "/organisation/connexion")
    answer = client.post(
        "/organisation/connexion?next=/organisation/%0d%0aSet-Cookie:x=1",
        data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/organisation/"


def test_healthz_tells_the_queue_only_to_organisers(app, client, organiser):
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok"}
    log_in(client)
    assert client.get("/healthz").get_json()["outbox"] == {"pending": 0, "failed": 0}


def test_login_attempts_are_limited_per_account_not_only_per_address(app, organiser):
    with app.app_context():
        add_organiser("autre@numerique.gouv.fr", PASSWORD)
    client = app.test_client()
    for _ in range(10):
        assert log_in(client, password="faux").status_code == 200
    assert log_in(client).status_code == 429  # this account is protected
    # The same address may still log another organiser in: one visitor cannot lock the whole team out.
    assert log_in(client, email="autre@numerique.gouv.fr").status_code == 303


@pytest.mark.parametrize("address", ["pas-une-adresse", "a@b", "orga@numérique@gouv.fr"])
def test_the_command_line_refuses_what_is_not_an_address(app, address):
    result = app.test_cli_runner().invoke(args=["organisers", "add", address], input="un mot de passe long\n")
    assert result.exit_code != 0
    assert "n’est pas une adresse électronique valide" in result.output


def test_a_visitor_cannot_lock_an_organiser_out_from_another_address(app, organiser):
    attacker = app.test_client()
    for _ in range(10):
        log_in(attacker, password="faux")
    assert log_in(attacker).status_code == 429  # from the guessing address, this account is closed a while
    owner = app.test_client()
    token = csrf_token(owner, "/organisation/connexion", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    answer = owner.post(
        "/organisation/connexion",
        data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert answer.status_code == 303


@pytest.mark.parametrize("action", ["annuler", "reessayer"])
@pytest.mark.parametrize("message_id", ["99999999999999999999999", "9223372036854775808"])
def test_huge_mail_ids_are_not_found(app, organiser, action, message_id):
    client = app.test_client()
    log_in(client)
    token = csrf_token(client, "/organisation/courriels")
    assert client.post(f"/organisation/courriels/{message_id}/{action}", data={"csrf_token": token}).status_code == 404
