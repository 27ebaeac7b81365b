"""A hostile visitor and private links: never handed to another browser, revocable, never cached or logged."""

import re

import pytest

from bluehats.core.vocabulary import Status
from bluehats.extensions import db
from bluehats.models import Proposal

from helpers import VALID, csrf_token, log_in, plain, submit, text_of
from stored import count, stored


def private_link(smtp, address=VALID["email"]) -> str:
    body = smtp.to(address)[-1].get_body(("plain",)).get_content()
    return re.search(r"http://bluehats\.test(/proposition/\S+)", body).group(1)


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
