"""Who enters the back office: login, logout, limits, the session cookie, accounts from the command line."""

import pytest

from bluehats.admin.blueprint import PUBLIC_ENDPOINTS
from bluehats.extensions import db

from helpers import ORGANISER, PASSWORD, csrf_token, log_in, post, text_of


def back_office_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/organisation")]


def test_every_back_office_url_redirects_to_the_login_without_a_session(app, client):
    rules = back_office_rules(app)
    assert len(rules) >= 15
    for rule in rules:
        url = rule.build({name: 1 if "id" in name else "accepted" for name in rule.arguments})[1]
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method)
            if rule.endpoint in PUBLIC_ENDPOINTS:  # the login, « mot de passe oublié », a single-use link
                assert answer.status_code in {200, 400, 410}, url
                continue
            assert answer.status_code == 302, f"{method} {url}"
            assert answer.headers["Location"].startswith("/organisation/connexion"), f"{method} {url}"


def test_login_and_logout(app, client, organiser):
    answer = client.get("/organisation/propositions?vue=acceptees")
    assert answer.status_code == 302
    token = csrf_token(client, answer.headers["Location"])
    answer = client.post(
        answer.headers["Location"], data={"email": ORGANISER.upper(), "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 303
    assert answer.headers["Location"] == "/organisation/propositions?vue=acceptees"
    assert client.get("/organisation/").status_code == 200
    assert post(client, "/organisation/deconnexion", page="/organisation/").status_code == 303
    assert client.get("/organisation/").status_code == 302


@pytest.mark.parametrize(("email", "password"), [(ORGANISER, "mauvais mot de passe"), ("inconnu@x.fr", PASSWORD)])
def test_wrong_credentials_do_not_say_which(app, client, organiser, email, password):
    answer = log_in(client, email, password)
    assert answer.status_code == 200
    assert "Adresse électronique ou mot de passe incorrect." in text_of(answer.get_data(as_text=True))
    assert client.get("/organisation/").status_code == 302


def test_login_does_not_follow_a_foreign_next(app, client, organiser):
    token = csrf_token(client, "/organisation/connexion")
    answer = client.post(
        "/organisation/connexion?next=https://evil.example/organisation",
        data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token},
    )
    assert answer.headers["Location"] == "/organisation/"


def test_login_attempts_are_rate_limited(app, client, organiser):
    for _ in range(10):
        assert log_in(client, password="faux").status_code == 200
    answer = log_in(client)
    assert answer.status_code == 429
    assert "Trop de tentatives" in text_of(answer.get_data(as_text=True))
    assert int(answer.headers["Retry-After"]) > 0


def test_session_cookie_flags(app, client, organiser):
    answer = log_in(client)
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_organisers_command_line(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["organisers", "add", "chef@numerique.gouv.fr"], input="un mot de passe long\n")
    assert result.exit_code == 0, result.output
    assert "Compte prêt : chef@numerique.gouv.fr" in result.output
    assert "chef@numerique.gouv.fr" in runner.invoke(args=["organisers", "list"]).output
    short = runner.invoke(args=["organisers", "add", "x@numerique.gouv.fr"], input="court\n")
    assert short.exit_code != 0
    assert "au moins 12 caractères" in short.output
    client = app.test_client()
    assert log_in(client, "chef@numerique.gouv.fr", "un mot de passe long").status_code == 303
    assert runner.invoke(args=["organisers", "remove", "chef@numerique.gouv.fr"]).exit_code == 0
    assert "chef@numerique.gouv.fr" not in runner.invoke(args=["organisers", "list"]).output
    assert client.get("/organisation/").status_code == 302  # the removed account's session is over
    assert runner.invoke(args=["organisers", "remove", "chef@numerique.gouv.fr"]).exit_code != 0
    with app.app_context():
        stored = db.session.execute(db.text("SELECT password_hash FROM organiser")).all()
    assert stored == []


def test_password_is_hashed_with_scrypt(app, organiser):
    with app.app_context():
        [hashed] = db.session.execute(db.text("SELECT password_hash FROM organiser")).scalars()
    assert hashed.startswith("scrypt:")
    assert PASSWORD not in hashed


def test_the_login_page_shows_the_public_neither_the_menu_nor_a_command(client):
    text = text_of(client.get("/organisation/connexion").get_data(as_text=True))
    assert "Tableau de bord" not in text and "Courriels" not in text
    assert "flask" not in text
    assert "Proposer une intervention" in text  # the site's own menu
