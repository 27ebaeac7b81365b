"""Accounts that people manage themselves: invitations, « mot de passe oublié », password rules and changes."""

import re

import pytest
from sqlalchemy import select, text
from werkzeug.security import generate_password_hash

from bluehats.admin.accounts import add_organiser
from bluehats.core.passwords import common_passwords, password_problem
from bluehats.extensions import db
from bluehats.models import AccountToken, Organiser

from helpers import csrf_token, log_in, post, text_of

ALICE = ("alice@numerique.gouv.fr", "le café du matin à sept heures")
CAROL = "carol@culture.gouv.fr"
NEW_PASSWORD = "un jardin de tomates sur le balcon"


def link_in(mail) -> str:
    """Return the path of the single-use link a mail carries."""
    body = mail.get_body(("plain",)).get_content()
    return re.search(r"http://bluehats\.test(/organisation/mot-de-passe/\S+)", body).group(1)


def choose(client, path: str, password: str, confirm: str | None = None):
    token = csrf_token(client, path)
    return client.post(path, data={"password": password, "confirm": confirm or password, "csrf_token": token})


@pytest.fixture
def alice(app):
    with app.app_context():
        add_organiser(*ALICE)
    client = app.test_client()
    assert log_in(client, *ALICE).status_code == 303
    return client


def test_an_invitation_goes_through_the_mail_and_its_link_works_once(app, alice, smtp):
    answer = post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL.upper())
    assert answer.status_code == 303
    [mail] = smtp.to(CAROL)
    assert "invitation" in mail["Subject"]
    body = mail.get_body(("plain",)).get_content()
    assert f"{ALICE[0]} vous invite" in body and "48 heures" in body
    team = text_of(alice.get("/organisation/equipe").get_data(as_text=True))
    assert f"{CAROL} Invitation en attente {ALICE[0]}" in team

    carol = app.test_client()
    assert log_in(carol, CAROL, "").status_code == 200  # no password yet: nobody logs in as Carol
    path = link_in(mail)
    page = carol.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "Rejoindre l’équipe" in text_of(page.get_data(as_text=True))
    mismatch = choose(carol, path, NEW_PASSWORD, "un autre mot de passe long")
    assert mismatch.status_code == 200
    assert "Les deux mots de passe ne sont pas identiques." in text_of(mismatch.get_data(as_text=True))
    done = choose(carol, path, NEW_PASSWORD)
    assert done.status_code == 303 and done.headers["Location"] == "/organisation/connexion"
    assert log_in(carol, CAROL, NEW_PASSWORD).status_code == 303
    assert carol.get("/organisation/").status_code == 200

    stranger = app.test_client()
    again = stranger.get(path)
    assert again.status_code == 410
    assert "Ce lien ne fonctionne plus" in text_of(again.get_data(as_text=True))
    token = csrf_token(stranger, "/organisation/connexion")
    reuse = stranger.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert reuse.status_code == 410
    with app.app_context():
        stored = db.session.scalars(select(AccountToken.token_hash)).all()
    assert path.rsplit("/", 1)[1] not in stored and len(stored[0]) == 64  # only a hash of the secret

    refused = post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL)
    assert refused.status_code == 400
    assert "a déjà un compte" in text_of(refused.get_data(as_text=True))


def test_a_link_expires_after_48_hours(app, alice, smtp, clock):
    post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL)
    path = link_in(smtp.to(CAROL)[0])
    carol = app.test_client()
    clock.advance(hours=47, minutes=59)
    assert carol.get(path).status_code == 200
    clock.advance(minutes=1)
    assert carol.get(path).status_code == 410
    token = csrf_token(carol, "/organisation/connexion")
    late = carol.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": token})
    assert late.status_code == 410
    # Inviting again sends a new link and revokes the old one.
    clock.advance(hours=1)
    post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL)
    fresh = link_in(smtp.to(CAROL)[1])
    assert choose(carol, fresh, NEW_PASSWORD).status_code == 303


def forgot(client, email: str):
    token = csrf_token(client, "/organisation/mot-de-passe-oublie")
    return client.post("/organisation/mot-de-passe-oublie", data={"email": email, "csrf_token": token})


def without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]*"', "", html)


def test_a_reset_answers_the_same_for_a_known_and_an_unknown_address(app, alice, smtp):
    known, unknown = app.test_client(), app.test_client()
    answers = [forgot(known, ALICE[0]), forgot(unknown, "personne@numerique.gouv.fr")]
    assert [answer.status_code for answer in answers] == [303, 303]
    assert answers[0].headers["Location"] == answers[1].headers["Location"] == "/organisation/connexion"
    assert smtp.to(ALICE[0]) == []  # the known address's mail leaves once the answer has been sent…
    for answer in answers:
        answer.close()
    assert len(smtp.to(ALICE[0])) == 1  # …as the server closes it
    assert smtp.to("personne@numerique.gouv.fr") == []
    pages = [
        without_tokens(client.get("/organisation/connexion").get_data(as_text=True)) for client in (known, unknown)
    ]
    assert pages[0] == pages[1]
    assert "Si un compte existe pour cette adresse, un courriel vient de partir" in text_of(pages[0])


def test_a_reset_link_sets_a_new_password_and_ends_every_session(app, alice, smtp):
    forgot(app.test_client(), ALICE[0].upper()).close()
    [mail] = smtp.to(ALICE[0])
    assert "nouveau mot de passe" in mail["Subject"]
    path = link_in(mail)
    browser = app.test_client()
    common = choose(browser, path, "azertyuiop123456")
    assert "les plus courants" in text_of(common.get_data(as_text=True))
    assert choose(browser, path, NEW_PASSWORD).status_code == 303
    assert alice.get("/organisation/").status_code == 302  # the session opened before the reset is over
    assert log_in(app.test_client(), *ALICE).status_code == 200
    assert log_in(app.test_client(), ALICE[0], NEW_PASSWORD).status_code == 303
    late = app.test_client()
    token = csrf_token(late, "/organisation/connexion")
    reuse = late.post(path, data={"password": "encore un autre mot de passe", "confirm": "x", "csrf_token": token})
    assert reuse.status_code == 410


def test_reset_requests_are_rate_limited(app, alice, smtp):
    client = app.test_client()
    for _ in range(3):
        forgot(client, ALICE[0]).close()
    assert forgot(client, ALICE[0]).status_code == 429


def copy_of_session(app, client):
    copy = app.test_client()
    cookie = client.get_cookie("session", domain="bluehats.test")
    copy.set_cookie("session", cookie.value, domain="bluehats.test")
    return copy


def test_a_password_change_ends_another_session_holding_the_old_cookie(app, alice):
    elsewhere = app.test_client()
    assert log_in(elsewhere, *ALICE).status_code == 303
    stolen = copy_of_session(app, alice)
    assert stolen.get("/organisation/").status_code == 200
    wrong = post(
        alice, "/organisation/compte/mot-de-passe", "/organisation/compte", current="faux", password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )  # fmt: skip
    assert wrong.status_code == 400 and "Mot de passe actuel incorrect." in text_of(wrong.get_data(as_text=True))
    answer = post(
        alice, "/organisation/compte/mot-de-passe", "/organisation/compte", current=ALICE[1], password=NEW_PASSWORD,
        confirm=NEW_PASSWORD,
    )  # fmt: skip
    assert answer.status_code == 303
    assert alice.get("/organisation/").status_code == 200  # this session goes on
    assert stolen.get("/organisation/").status_code == 302  # a copy of the old cookie does not
    assert elsewhere.get("/organisation/").status_code == 302  # nor another browser's session
    assert log_in(app.test_client(), ALICE[0], NEW_PASSWORD).status_code == 303


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("court", "au moins 12 caractères"),
        ("motdepasse123456", "les plus courants"),
        ("Azertyuiop!!", "les plus courants"),
        ("123456789012", "les plus courants"),
        ("aaaaaaaaaaaaaaaa", "trop peu de caractères différents"),
        ("alice.martin au bureau", "votre adresse"),
        ("x" * 201, "au plus 200"),
        ("une girafe mange des cerises", None),
        ("Trois ours dansent", None),
    ],
)
def test_password_rules_length_over_complexity(password, problem):
    found = password_problem(password, "alice.martin@numerique.gouv.fr")
    assert (found is None) if problem is None else (problem in found)


def test_the_shipped_list_of_common_passwords():
    passwords = common_passwords()
    assert len(passwords) > 10_000
    assert {"123456", "password", "azerty", "motdepasse"} <= passwords


@pytest.mark.parametrize("older", ["scrypt", "scrypt:8192:8:4"])
def test_passwords_are_hashed_at_4_mb_and_older_hashes_still_work(app, smtp, older):
    with app.app_context():
        organiser = add_organiser(*ALICE)
        assert organiser.password_hash.startswith("scrypt:4096:8:8$")
        # A hash of an earlier release (Werkzeug's default, N=32768 and 32 MB; then N=8192 and 8 MB) still logs
        # in, then is renewed.
        db.session.execute(
            text("UPDATE organiser SET password_hash = :hash"), {"hash": generate_password_hash(ALICE[1], older)}
        )
        db.session.commit()
        assert not db.session.scalar(select(Organiser.password_hash)).startswith("scrypt:4096:8:8$")
    assert log_in(app.test_client(), *ALICE).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Organiser.password_hash)).startswith("scrypt:4096:8:8$")
    assert log_in(app.test_client(), *ALICE).status_code == 303


def test_an_organiser_removes_another_but_the_last_one_cannot_remove_themself(app, alice, smtp):
    with app.app_context():
        add_organiser("bob@numerique.gouv.fr", "trois tortues traversent la rue")
        bob_id = db.session.scalar(select(Organiser.id).where(Organiser.email == "bob@numerique.gouv.fr"))
        alice_id = db.session.scalar(select(Organiser.id).where(Organiser.email == ALICE[0]))
    bob = app.test_client()
    assert log_in(bob, "bob@numerique.gouv.fr", "trois tortues traversent la rue").status_code == 303
    post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL)  # pending: cannot log in
    assert post(alice, f"/organisation/equipe/{bob_id}/retirer", "/organisation/equipe").status_code == 303
    assert bob.get("/organisation/").status_code == 302  # Bob's session is over
    answer = post(alice, f"/organisation/equipe/{alice_id}/retirer", "/organisation/equipe")
    assert answer.status_code == 303
    assert "il faut au moins un autre organisateur" in text_of(alice.get("/organisation/equipe").text)
    assert alice.get("/organisation/").status_code == 200
    with app.app_context():
        assert set(db.session.scalars(select(Organiser.email))) == {ALICE[0], CAROL}
    # With another organiser able to log in, one may leave.
    with app.app_context():
        add_organiser("dan@numerique.gouv.fr", "un vélo rouge dans la cour")
    assert post(alice, f"/organisation/equipe/{alice_id}/retirer", "/organisation/equipe").status_code == 303
    assert alice.get("/organisation/").status_code == 302


def test_the_command_line_keeps_add_list_remove(app, alice, smtp):
    post(alice, "/organisation/equipe/inviter", "/organisation/equipe", email=CAROL)
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["organisers", "list"]).output
    assert f"{CAROL}\tinvitation en attente" in listing and ALICE[0] in listing
    common = runner.invoke(args=["organisers", "add", "x@numerique.gouv.fr"], input="motdepasse2024\n")
    assert common.exit_code != 0 and "les plus courants" in common.output
    assert runner.invoke(args=["organisers", "add", CAROL], input=f"{NEW_PASSWORD}\n").exit_code == 0
    assert log_in(app.test_client(), CAROL, NEW_PASSWORD).status_code == 303
    assert runner.invoke(args=["organisers", "remove", CAROL]).exit_code == 0
