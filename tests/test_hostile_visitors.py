"""What a hostile visitor tried, and what now holds: each weakness found from the outside, as a test."""

import os
import re
import stat
import time
from datetime import timedelta
from pathlib import Path

import frontmatter
import pytest
from sqlalchemy import func, select

from bluehats.admin.accounts import add_organiser
from bluehats.core.vocabulary import Decision, Status
from bluehats.extensions import db
from bluehats.models import Proposal

from helpers import VALID, csrf_token, plain, submit, text_of

ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"
EVIL = "evil.example"


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Proposal))


def stored(app) -> list[Proposal]:
    with app.app_context():
        rows = list(db.session.scalars(select(Proposal).order_by(Proposal.id)))
        for row in rows:
            db.session.expunge(row)
        return rows


def log_in(client, email=ORGANISER, password=PASSWORD):
    token = csrf_token(client, "/organisation/connexion")
    return client.post("/organisation/connexion", data={"email": email, "password": password, "csrf_token": token})


def private_link(smtp, address=VALID["email"]) -> str:
    body = smtp.to(address)[-1].get_body(("plain",)).get_content()
    return re.search(r"http://bluehats\.test(/proposition/\S+)", body).group(1)


# 1. Someone else's private link is never handed out.


def test_another_browser_sending_the_same_address_and_title_learns_nothing(app, smtp):
    victim, attacker = app.test_client(), app.test_client()
    assert submit(victim, abstract=VALID["abstract"] + " Texte de la victime.").status_code == 303
    answer = submit(attacker)
    assert answer.status_code == 303
    page = attacker.get(answer.headers["Location"])
    html = page.get_data(as_text=True)
    assert "Cette proposition a déjà été reçue" in text_of(html)
    assert "BH22-0001" not in html and "/proposition/" not in html and "Texte de la victime" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert count(app) == 1
    assert len(smtp.to(VALID["email"])) == 1  # the link only travelled once, to its owner's mailbox


def test_the_same_browser_sending_again_is_told_it_was_already_received(app, client, smtp):
    submit(client)
    answer = submit(client)
    text = text_of(client.get(answer.headers["Location"]).get_data(as_text=True))
    assert "Cette proposition a déjà été reçue" in text
    assert "BH22-0001" in text
    assert count(app) == 1


def test_a_honeypot_first_never_turns_the_real_proposal_into_spam(app, smtp):
    robot, speaker = app.test_client(), app.test_client()
    submit(robot, website="https://spam.example")
    assert submit(speaker).status_code == 303
    assert [row.status for row in stored(app)] == [Status.SPAM, Status.SUBMITTED]
    assert len(smtp.to(VALID["email"])) == 1
    assert "BH22-0002" in text_of(speaker.get("/proposer/merci").get_data(as_text=True))


# 2. Nothing a visitor sends shapes a page another visitor receives.


@pytest.mark.parametrize("url", ["/", "/proposer", "/mentions-legales", "/programme"])
def test_forwarded_host_and_prefix_never_reach_a_page(make_app, url):
    app = make_app(TESTING=False, BLUEHATS_TRUSTED_PROXIES=1, SERVER_NAME=None)
    attacker, visitor = app.test_client(), app.test_client()
    poisoned = attacker.get(
        url,
        base_url="http://bluehats.test",
        headers={"X-Forwarded-Prefix": f"//{EVIL}", "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"},
        environ_base={"SCRIPT_NAME": f"//{EVIL}"},  # what gunicorn makes of a SCRIPT_NAME header
    )
    assert poisoned.status_code == 200
    assert EVIL not in poisoned.get_data(as_text=True)
    later = visitor.get(url, base_url="http://bluehats.test")
    assert EVIL not in later.get_data(as_text=True)
    assert 'href="/proposer"' in later.get_data(as_text=True) or url == "/proposer"


# 3. Links in mails, calendars and exports come from BLUEHATS_SITE_URL, never from the Host header.


def test_mail_links_follow_the_configured_address_not_the_host_header(app, smtp):
    client = app.test_client()
    token = csrf_token(client, "/proposer", base_url=f"http://{EVIL}")
    assert client.post("/proposer", base_url=f"http://{EVIL}", data={**VALID, "csrf_token": token}).status_code == 303
    assert len(smtp.messages) == 2  # the speaker's confirmation, the organisers' notice
    for message in smtp.messages:
        body = message.get_body(("plain",)).get_content()
        assert EVIL not in body
        assert "http://bluehats.test/" in body
    calendar = client.get("/evenement.ics", base_url=f"http://{EVIL}").get_data(as_text=True)
    assert EVIL not in calendar and "http://bluehats.test/" in calendar


def test_an_unknown_host_is_refused_in_production(make_app):
    app = make_app(TESTING=False, SERVER_NAME=None)
    client = app.test_client()
    for method, url in [("get", "/"), ("post", "/proposer"), ("get", "/organisation/")]:
        answer = getattr(client, method)(url, base_url=f"http://{EVIL}")
        assert answer.status_code == 400, url
        assert "cette adresse n’est pas celle du site" in answer.get_data(as_text=True)
    assert client.get("/", base_url="http://bluehats.test").status_code == 200


def test_a_production_site_that_mails_will_not_start_without_its_address(make_app):
    with pytest.raises(RuntimeError, match="BLUEHATS_SITE_URL est obligatoire"):
        make_app(TESTING=False, BLUEHATS_SITE_URL=None, MAIL_SERVER="127.0.0.1", BLUEHATS_MAIL_DELIVERY=None)


# 4. Sessions end: logout and a password change end every copy; a working day of inactivity ends them too.


@pytest.fixture
def organiser(app):
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)


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


def test_the_default_lifetime_is_a_working_day(app):
    assert app.permanent_session_lifetime == timedelta(hours=10)


# 6. The Jekyll export carries no HTML, no Liquid, no broken table.


def test_the_jekyll_export_is_inert(app, client, organiser, clock):
    submit(client, title="<img src=x onerror=alert(1)>{{7*7}} {% include x %} a | b")
    admin = app.test_client()
    log_in(admin)
    page = "/organisation/propositions/1"
    admin.post(f"{page}/decision", data={"decision": Decision.ACCEPTED, "csrf_token": csrf_token(admin, page)})
    token = csrf_token(admin, "/organisation/programme")
    admin.post("/organisation/programme/a-la-suite", data={"csrf_token": token})
    export = admin.get("/organisation/programme.md").get_data(as_text=True)
    for raw in ("<img", "{{", "{%", "a | b"):
        assert raw not in export, raw
    post = frontmatter.loads(export)
    title = post["programme"][0]["titre"]
    assert title.startswith("&lt;img src=x onerror=alert&#40;1&#41;&gt;&#123;&#123;7&#42;7&#125;&#125;")
    [row] = [line for line in post.content.splitlines() if line.startswith("| 09:00")]
    assert row.count("|") == 5  # four cells: the title's | is no cell break


# 7. An address the site cannot mail gets a clear French message, not a 500.


def test_a_non_ascii_local_part_gets_a_french_message(app, client, smtp):
    answer = submit(client, email="vict\u0456m@exemple.gouv.fr")
    assert answer.status_code == 200
    assert "La partie avant le @ ne peut contenir que des lettres sans accent" in text_of(answer.get_data(as_text=True))
    assert count(app) == 0


# 8. The smaller ones.


def test_confirmation_and_private_pages_are_never_stored(app, client, smtp):
    submit(client)
    assert client.get("/proposer/merci").headers["Cache-Control"] == "no-store"
    assert client.get(private_link(smtp)).headers["Cache-Control"] == "no-store"


def test_an_organiser_revokes_a_private_link(app, client, organiser, smtp):
    submit(client)
    old = private_link(smtp)
    admin = app.test_client()
    log_in(admin)
    page = "/organisation/propositions/1"
    answer = admin.post(f"{page}/lien", data={"csrf_token": csrf_token(admin, page)})
    assert answer.status_code == 303
    assert client.get(old).status_code == 404
    new = private_link(smtp)
    assert new != old
    assert plain(smtp.to(VALID["email"])[-1]["Subject"]).endswith("votre nouveau lien personnel (BH22-0001)")
    assert client.get(new).status_code == 200


def test_the_speaker_replaces_their_own_link(app, client, smtp):
    submit(client)
    old = private_link(smtp)
    html = client.get(old).get_data(as_text=True)
    answer = client.post(f"{old}/lien", data={"csrf_token": csrf_token(client, old)})
    assert answer.status_code == 200
    assert "Votre lien personnel est remplacé" in text_of(answer.get_data(as_text=True))
    assert "Remplacer mon lien personnel" in text_of(html)
    assert client.get(old).status_code == 404
    assert client.get(private_link(smtp)).status_code == 200


def test_links_mailed_by_the_first_release_still_open_until_renewed(app, client, smtp):
    from itsdangerous import URLSafeSerializer

    submit(client)
    with app.app_context():
        db.session.get(Proposal, 1).link_secret = None  # a proposal of the first release
        db.session.commit()
    legacy = "/proposition/" + URLSafeSerializer(app.config["SECRET_KEY"], salt="bluehats.proposal").dumps(1)
    assert client.get(legacy).status_code == 200
    client.post(f"{legacy}/lien", data={"csrf_token": csrf_token(client, legacy)})
    assert client.get(legacy).status_code == 404


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


# Found by a second look from the outside, after the fixes above.

ENCODED_BREAK = "=?utf-8?q?x=0D=0ABcc:_attacker@evil.tld=0D=0AX-Injected:_yes?="


@pytest.mark.parametrize("field", ["title", "first_name", "last_name"])
def test_an_encoded_word_in_a_header_field_is_refused(app, client, smtp, field):
    answer = submit(client, **{field: f"Atelier {ENCODED_BREAK} fin"})
    assert answer.status_code == 200
    assert "Ce champ ne peut pas contenir un signe = suivi d’un point d’interrogation." in text_of(
        answer.get_data(as_text=True)
    )
    assert count(app) == 0


def test_a_stored_encoded_word_never_becomes_a_header_on_the_wire(app, smtp):
    from email import message_from_bytes, policy

    from bluehats.proposals.operations import submit_proposal

    data = {key: VALID[key] for key in ("email", "administration", "job_title", "abstract")}
    data |= {
        "title": f"Hello {ENCODED_BREAK} world",
        "first_name": "=?utf-8?b?Q2FtaWxsZSBEdXBvbnQtTWFydGluIGRlIGxhIEZvbnRhaW5lIDxhdHRhY2tlckBldmlsLnRsZD4s?=",
        "last_name": "Martin-Dupont de la Fontaine",
        "kind": "autre",
        "duration": 15,
    }
    with app.app_context():
        submit_proposal(data)
    assert len(smtp.envelopes) == 2
    for envelope in smtp.envelopes:
        assert "attacker@evil.tld" not in " ".join(envelope.rcpt_tos)
        headers = envelope.original_content.split(b"\r\n\r\n", 1)[0].decode("ascii")
        unfolded = re.sub(r"\r\n[ \t]", " ", headers)
        names = [line.split(":", 1)[0].lower() for line in unfolded.split("\r\n")]
        assert "bcc" not in names and "x-injected" not in names
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert "Hello = ?utf-8?q?x=0D=0ABcc:_attacker@evil.tld" in str(parsed["Subject"])
        for name in ("To", "Reply-To"):
            if VALID["email"] in str(parsed[name]):
                assert [address.addr_spec for address in parsed[name].addresses] == [VALID["email"]]


def test_an_address_with_an_international_domain_is_mailed_in_ascii(app, client, smtp):
    assert submit(client, email="camille@exémple.gouv.fr").status_code == 303
    [proposal] = stored(app)
    assert proposal.email == "camille@xn--exmple-cva.gouv.fr"
    assert len(smtp.to("camille@xn--exmple-cva.gouv.fr")) == 1
    assert len(smtp.messages) == 2  # the organisers' notice left too, on the same connection


def test_the_jekyll_export_carries_no_markdown_link_or_image(app, client, organiser, clock):
    submit(client, title="Voir [x](javascript:alert(1)) et ![i](https://evil.example/p.png) *gras* `code`")
    admin = app.test_client()
    log_in(admin)
    page = "/organisation/propositions/1"
    admin.post(f"{page}/decision", data={"decision": Decision.ACCEPTED, "csrf_token": csrf_token(admin, page)})
    admin.post("/organisation/programme/a-la-suite", data={"csrf_token": csrf_token(admin, "/organisation/programme")})
    export = admin.get("/organisation/programme.md").get_data(as_text=True)
    for raw in ("](", "![", "*gras*", "`code`"):
        assert raw not in export, raw
    import html

    assert html.unescape(frontmatter.loads(export)["programme"][0]["titre"]).startswith("Voir [x](javascript:")


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


@pytest.mark.slow
def test_gunicorn_access_log_never_holds_a_private_token(tmp_path, database_url, smtp):
    import http.client

    from servers import gunicorn, propose, site_environment

    environment = site_environment(tmp_path / "instance", database_url, smtp.port)
    access = tmp_path / "access.log"
    with gunicorn(environment, tmp_path / "gunicorn.log", workers=1, access_log=access) as server:
        assert propose(server.port, 1).status == 303
        body = smtp.to("agent1@interieur.gouv.fr")[0].get_body(("plain",)).get_content()
        token = re.search(r"/proposition/(\S+)", body).group(1)
        for path in (f"/proposition/{token}", f"/proposition%2F{token}", f"/proposition/{token}/retrait"):
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", path, headers={"Referer": f"http://127.0.0.1:{server.port}/proposition/{token}"})
            assert connection.getresponse().status in {200, 404}
            connection.close()
    log = access.read_text()
    assert "/proposition/" in log
    assert token not in log
