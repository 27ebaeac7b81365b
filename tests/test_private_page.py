"""The speaker's private page: read, edit, withdraw through the private link; a forged or revoked link is a 404."""

import re
from datetime import datetime

from sqlalchemy import select

from bluehats.core.clock import PARIS
from bluehats.core.vocabulary import Decision
from bluehats.extensions import db
from bluehats.models import Proposal
from bluehats.web.links import proposal_token

from helpers import ORGANISERS, VALID, form_token, plain, submit, text_of


def private_link(smtp) -> str:
    [mail] = smtp.to(VALID["email"])
    return re.search(r"http://bluehats\.test(/proposition/\S+)", mail.get_body(("plain",)).get_content()).group(1)


def proposal(app) -> Proposal:
    with app.app_context():
        found = db.session.scalars(select(Proposal)).one()
        db.session.expunge(found)
        return found


def edit_data(html: str, **changes: str) -> dict[str, str]:
    data = {key: value for key, value in VALID.items() if key not in {"email", "consent", "website"}}
    return {**data, **changes, "csrf_token": form_token(html)}


def test_the_link_shows_the_proposal(app, client, smtp):
    submit(client)
    page = app.test_client().get(private_link(smtp))  # another browser: the link is enough
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert "Ma proposition BH22-0001" in text
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        assert VALID[name] in text
    assert '<meta name="robots" content="noindex, nofollow">' in html


def test_edit_changes_the_proposal_and_tells_the_organisers(app, client, smtp, clock):
    submit(client)
    link = private_link(smtp)
    clock.advance(hours=2)
    speaker = app.test_client()
    page = speaker.get(link).get_data(as_text=True)
    answer = speaker.post(link, data=edit_data(page, title="Un titre plus clair pour LibreOffice", duration="20"))
    assert answer.status_code == 303
    after = speaker.get(link).get_data(as_text=True)
    assert "Modification enregistrée (titre, durée)" in plain(after)
    stored = proposal(app)
    assert stored.title == "Un titre plus clair pour LibreOffice"
    assert stored.duration == 20
    assert stored.email == VALID["email"]
    assert stored.updated_at == datetime(2022, 10, 10, 16, 30, tzinfo=PARIS)
    for organiser in ORGANISERS:
        subjects = [plain(mail["Subject"]) for mail in smtp.to(organiser)]
        assert subjects[-1] == "Proposition modifiée : « Un titre plus clair pour LibreOffice »"
    # The speaker gets a copy of the proposal as it now stands, naming what changed.
    [_, copy] = smtp.to(VALID["email"])
    assert plain(copy["Subject"]) == (
        "Journée BlueHats : votre proposition « Un titre plus clair pour LibreOffice » est modifiée (BH22-0001)"
    )
    body = plain(copy.get_body(("plain",)).get_content())
    assert "Ce qui a changé : titre, durée." in body
    assert "Durée souhaitée : 20 minutes" in body


def test_edit_with_mistakes_shows_them_and_changes_nothing(app, client, smtp):
    submit(client)
    link = private_link(smtp)
    page = client.get(link).get_data(as_text=True)
    answer = client.post(link, data=edit_data(page, title="", abstract="court"))
    assert answer.status_code == 200
    text = text_of(answer.get_data(as_text=True))
    assert "2 erreurs empêchent l’envoi du formulaire" in text
    assert proposal(app).title == VALID["title"]


def test_withdraw_keeps_the_record_and_confirms(app, client, smtp):
    submit(client)
    link = private_link(smtp)
    page = client.get(link).get_data(as_text=True)
    assert f'href="{link}/retrait"' in page  # withdrawing asks first
    question = client.get(f"{link}/retrait").get_data(as_text=True)
    assert "Une proposition retirée n’est pas étudiée" in text_of(question)
    answer = client.post(f"{link}/retrait", data={"csrf_token": form_token(question)})
    assert answer.status_code == 303
    stored = proposal(app)
    assert stored.status == "withdrawn"
    assert stored.withdrawn_at is not None
    [_, confirmation] = smtp.to(VALID["email"])
    assert "est retirée" in confirmation["Subject"]
    for organiser in ORGANISERS:
        assert "Proposition retirée" in plain(smtp.to(organiser)[-1]["Subject"])
    text = text_of(client.get(link).get_data(as_text=True))
    assert "Vous avez retiré cette proposition" in text
    assert "Modifier ma proposition" not in text


def test_a_replayed_link_after_withdrawal_changes_nothing(app, client, smtp):
    submit(client)
    link = private_link(smtp)
    page = client.get(link).get_data(as_text=True)
    client.post(f"{link}/retrait", data={"csrf_token": form_token(page)})
    mails = len(smtp.messages)
    answer = client.post(link, data=edit_data(page, title="Revenir par la fenêtre"))
    assert answer.status_code == 303
    assert "ne peut plus être modifiée" in plain(client.get(link).get_data(as_text=True))
    again = client.post(f"{link}/retrait", data={"csrf_token": form_token(page)})
    assert again.status_code == 303
    assert proposal(app).title == VALID["title"]
    assert len(smtp.messages) == mails


def test_after_the_deadline_the_page_is_read_only(app, client, smtp, clock):
    submit(client)
    link = private_link(smtp)
    page = client.get(link).get_data(as_text=True)
    clock.set(datetime(2022, 10, 18, 0, 1, tzinfo=PARIS))
    text = text_of(client.get(link).get_data(as_text=True))
    assert "la proposition ne peut plus être modifiée" in text
    client.post(link, data=edit_data(page, title="Trop tard pour changer"))
    assert proposal(app).title == VALID["title"]


def test_forged_or_altered_links_answer_404(app, client, smtp):
    submit(client)
    link = private_link(smtp)
    assert client.get(link[:-2] + ("AA" if not link.endswith("AA") else "BB")).status_code == 404
    assert client.get("/proposition/1").status_code == 404
    assert client.get("/proposition/MQ.forged-signature").status_code == 404
    with app.app_context():
        stored = db.session.get(Proposal, 1)
        assert client.get(f"/proposition/{proposal_token(Proposal(id=99, link_secret='x'))}").status_code == 404
        # The same proposal's link made with another key, or with a guessed secret, is not ours either.
        app.config["SECRET_KEY"] = "another-key"
        foreign = proposal_token(stored)
        app.config["SECRET_KEY"] = "test-secret-key-not-for-production"
        guessed = proposal_token(Proposal(id=1, link_secret="guessed"))
    assert client.get(f"/proposition/{foreign}").status_code == 404
    assert client.get(f"/proposition/{guessed}").status_code == 404


def test_a_truncated_link_gets_a_helpful_page_pointing_to_retrouver_mon_lien(app, client, smtp):
    submit(client)
    page = client.get(private_link(smtp)[:-5])
    assert page.status_code == 404
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert "Ce lien personnel ne mène à aucune proposition" in html
    assert "coupé en le copiant" in html
    assert 'href="/proposition/retrouver">Retrouver mon lien</a>' in html


def test_the_page_says_where_the_proposal_stands_then_what_was_sent(app, client, smtp):
    submit(client)
    text = text_of(client.get(private_link(smtp)).get_data(as_text=True))
    assert "Où en est ma proposition ? Reçue" in text
    assert "Nous vous répondrons le 21 octobre 2022" in text
    assert (
        text.index("Où en est ma proposition")
        < text.index("Ce que vous avez envoyé")
        < text.index("Modifier ma proposition")
    )
    assert "Votre adresse électronique (camille.dupont@interieur.gouv.fr) ne se modifie pas ici" in text


def test_the_edit_form_sits_behind_a_disclosure_open_only_after_mistakes(app, client, smtp):
    submit(client)
    link = private_link(smtp)
    html = client.get(link).get_data(as_text=True)
    assert '<details class="bh-disclosure fr-mb-4w" id="modifier">' in html
    wrong = client.post(link, data=edit_data(html, title="")).get_data(as_text=True)
    assert '<details class="bh-disclosure fr-mb-4w" id="modifier" open>' in wrong


def test_an_organisers_action_is_not_shown_as_the_speakers_edit(app, client, smtp, clock):
    from bluehats.admin.operations import add_note
    from bluehats.decisions import decide

    submit(client)
    link = private_link(smtp)
    clock.advance(hours=3)
    with app.test_request_context():
        decide(1, Decision.ACCEPTED, ORGANISERS[0])
        add_note(1, ORGANISERS[0], "À programmer le matin")
    text = text_of(client.get(link).get_data(as_text=True))
    assert "modifiée" not in text
    clock.advance(hours=1)
    html = client.get(link).get_data(as_text=True)
    client.post(link, data=edit_data(html, title="Un titre retouché par la personne"))
    assert "modifiée par vous le 10 octobre 2022 à 18 h 30" in text_of(client.get(link).get_data(as_text=True))


def test_after_acceptance_the_badge_says_retenue_not_recue(app, client, smtp, clock):
    from bluehats.decisions import decide, send_decisions

    submit(client)
    link = private_link(smtp)
    clock.set(datetime(2022, 10, 21, 10, 0, tzinfo=PARIS))
    with app.test_request_context():
        decide(1, Decision.ACCEPTED, ORGANISERS[0])
        send_decisions(ORGANISERS[0])
    text = text_of(client.get(link).get_data(as_text=True))
    assert "Où en est ma proposition ? Retenue" in text
    assert "Reçue" not in text
    assert "la réponse vous a été envoyée le 21 octobre 2022" in text
