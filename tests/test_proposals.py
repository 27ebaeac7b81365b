"""Proposer une intervention: the form, its rules, storage and the two mails."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, select

from bluehats.core.clock import PARIS
from bluehats.extensions import db
from bluehats.models import OutboxMessage, Proposal

from helpers import ORGANISERS, VALID, csrf_token, plain, submit, text_of


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def stored(app) -> list[Proposal]:
    with app.app_context():
        proposals = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
        db.session.expunge_all()
        return proposals


def test_form_has_every_field_with_dsfr_markup(client):
    html = client.get("/proposer").get_data(as_text=True)
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        assert re.search(rf'<label class="fr-label" for="{name}">', html), name
        assert re.search(
            rf'name="{name}"[^>]*aria-describedby="{name}-messages|aria-describedby="{name}-messages[^"]*"[^>]*name="{name}"',
            html,
        ), name
        assert f'id="{name}-messages"' in html
    for value in ["retour-experience", "logiciel-libre", "bonne-pratique", "autre"]:
        assert f'value="{value}"' in html
    for minutes in ["5", "10", "15", "20"]:
        assert re.search(rf'<input[^>]*name="duration"[^>]*value="{minutes}"', html)
    assert '<datalist id="administrations">' in html and 'list="administrations"' in html
    assert 'href="/donnees-personnelles"' in html
    assert re.search(r'<div class="bh-hp" aria-hidden="true">', html)
    assert re.search(r'name="website"[^>]*tabindex="-1"|tabindex="-1"[^>]*name="website"', html)
    assert 'autocomplete="off"' in html
    assert re.search(r'src="/static/js/form.js\?v=[0-9a-f]{12}"', html)


def test_happy_path_stores_and_mails_speaker_and_organisers(app, client, smtp):
    answer = submit(client)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/proposer/merci")

    [proposal] = stored(app)
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract", "kind"]:
        assert getattr(proposal, name) == VALID[name]
    assert proposal.duration == 15
    assert proposal.status == "submitted"
    assert proposal.reference == "BH22-0001"
    assert proposal.created_at == datetime(2022, 10, 10, 14, 30, tzinfo=PARIS)

    [to_speaker] = smtp.to(VALID["email"])
    assert to_speaker["To"] == "Camille Dupont <camille.dupont@interieur.gouv.fr>"
    assert "Journée BlueHats du 8 novembre 2022 : votre proposition" in plain(to_speaker["Subject"])
    assert to_speaker["Reply-To"] == "logiciels-libres@data.gouv.fr"
    assert to_speaker["Message-ID"].endswith("@data.gouv.fr>")
    assert "Notre passage à LibreOffice dans 300 préfectures" in to_speaker["Subject"]
    speaker_text = plain(to_speaker.get_body(("plain",)).get_content())
    for value in VALID.values():
        if value and value not in {"y", "15", "retour-experience"}:
            assert value in speaker_text, value
    assert "Retour d’expérience" in speaker_text and "15 minutes" in speaker_text
    assert "BH22-0001" in speaker_text
    assert "21 octobre 2022" in speaker_text
    assert "logiciels-libres@data.gouv.fr" in speaker_text
    private_link = re.search(r"http://bluehats\.test/proposition/\S+", speaker_text).group(0)
    assert client.get(private_link).status_code == 200
    assert to_speaker.get_body(("html",)) is not None

    for organiser in ORGANISERS:
        [notice] = smtp.to(organiser)
        assert (
            notice["Subject"]
            == "Nouvelle proposition\u00a0: «\u00a0Notre passage à LibreOffice dans 300 préfectures\u00a0»"
        )
        assert notice["Reply-To"] == "Camille Dupont <camille.dupont@interieur.gouv.fr>"
        notice_text = notice.get_body(("plain",)).get_content()
        assert VALID["abstract"] in notice_text and VALID["administration"] in notice_text
        assert "http://bluehats.test/organisation/propositions/1" in notice_text
    assert len(smtp.messages) == 2  # one to the speaker, one to all organisers

    with app.app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == ["sent", "sent"]


def test_confirmation_page_recaps_and_gives_the_private_link(client):
    page = client.get(submit(client).headers["Location"])
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    text = text_of(html)
    assert "Merci, votre proposition est bien reçue" in text
    assert "BH22-0001" in text
    assert "21 octobre 2022" in text
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        assert VALID[name] in text, name
    assert re.search(r'href="http://bluehats\.test/proposition/[^"]+"', html)


def test_confirmation_without_a_submission_goes_back_to_the_form(client):
    answer = client.get("/proposer/merci")
    assert answer.status_code == 302 and answer.headers["Location"].endswith("/proposer")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"first_name": ""}, "first_name", "Ce champ est obligatoire."),
        ({"first_name": "   "}, "first_name", "Ce champ est obligatoire."),
        ({"first_name": "x" * 101}, "first_name", "Ce champ ne doit pas dépasser 100 caractères."),
        ({"first_name": "Ca\nmille"}, "first_name", "Ce champ doit tenir sur une seule ligne."),
        ({"last_name": ""}, "last_name", "Ce champ est obligatoire."),
        ({"last_name": "Du\x00pont"}, "last_name", "Ce champ contient des caractères invisibles non autorisés."),
        ({"email": ""}, "email", "Ce champ est obligatoire."),
        ({"email": "camille"}, "email", "Saisissez une adresse électronique valide"),
        ({"email": "camille@"}, "email", "Saisissez une adresse électronique valide"),
        ({"email": "camille@interieur"}, "email", "Saisissez une adresse électronique valide"),
        ({"email": "a@b.fr\r\nBcc: x@y.fr"}, "email", "Ce champ doit tenir sur une seule ligne."),
        ({"administration": ""}, "administration", "Ce champ est obligatoire."),
        ({"administration": "A"}, "administration", "Ce champ doit compter entre 2 et 200 caractères."),
        ({"job_title": "x" * 201}, "job_title", "Ce champ ne doit pas dépasser 200 caractères."),
        ({"title": ""}, "title", "Ce champ est obligatoire."),
        ({"title": "Hop"}, "title", "Ce champ doit compter entre 5 et 150 caractères."),
        ({"title": "x" * 151}, "title", "Ce champ doit compter entre 5 et 150 caractères."),
        ({"title": "Titre\r\nBcc: x@y.fr"}, "title", "Ce champ doit tenir sur une seule ligne."),
        ({"abstract": ""}, "abstract", "Ce champ est obligatoire."),
        ({"abstract": "Trop court."}, "abstract", "Ce champ doit compter entre 50 et 1500 caractères."),
        ({"abstract": "x" * 1501}, "abstract", "Ce champ doit compter entre 50 et 1500 caractères."),
        ({"kind": None}, "kind", "Choisissez le type d’intervention."),
        ({"kind": "keynote"}, "kind", "Choisissez une des options proposées."),
        ({"duration": None}, "duration", "Choisissez une durée : 5, 10, 15 ou 20 minutes."),
        ({"duration": "30"}, "duration", "Choisissez une des options proposées."),
        ({"duration": "abc"}, "duration", "Choisissez une des options proposées."),
        ({"consent": None}, "consent", "Vous devez accepter l’utilisation de vos informations"),
    ],
)
def test_each_rule_gives_a_french_message_and_stores_nothing(app, client, smtp, changes, field, message):
    answer = submit(client, **changes)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    # The message is next to the field, bound to it, and in the summary at the top.
    messages_group = html.split(f'id="{field}-messages"')[1].split("</div>")[0]
    assert "fr-message--error" in messages_group
    assert message in text_of(messages_group)
    summary = html.split('id="erreurs"')[1].split("</div>")[0]
    assert f'href="#{field}' in summary
    assert message in text_of(summary)
    assert "<title>Erreur" in html
    # Everything else typed is still there.
    for name in ["first_name", "last_name", "email", "administration", "title"]:
        if name not in changes:
            assert f'value="{VALID[name]}"' in html.replace("&#39;", "'").replace("&amp;", "&"), name
    assert count(app, Proposal) == 0
    assert count(app, OutboxMessage) == 0
    assert smtp.messages == []


def test_a_long_abstract_with_line_breaks_counts_them_once(app, client):
    abstract = "\r\n".join(["Une ligne de description bien remplie."] * 30)  # 38 * 30 + 29 = 1169
    assert submit(client, abstract=abstract).status_code == 303
    [proposal] = stored(app)
    assert proposal.abstract == abstract.replace("\r\n", "\n")


def test_job_title_is_optional(app, client):
    assert submit(client, job_title="").status_code == 303
    assert stored(app)[0].job_title == ""


def test_csrf_is_enforced(app, client):
    data = {**VALID, "csrf_token": "forged"}
    answer = client.post("/proposer", data=data)
    assert answer.status_code == 400
    assert "Le formulaire a expiré" in text_of(answer.get_data(as_text=True))
    answer = client.post("/proposer", data=VALID)
    assert answer.status_code == 400
    assert count(app, Proposal) == 0


def test_csrf_token_does_not_expire_while_a_person_writes(app, client):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    token = csrf_token(client, "/proposer")
    data = {**VALID, "csrf_token": token}
    assert client.post("/proposer", data=data).status_code == 303


def test_closed_call_says_so_and_stores_nothing(app, client, clock):
    token = csrf_token(client, "/proposer")
    clock.set(datetime(2022, 10, 18, 0, 0, tzinfo=PARIS))
    page = client.get("/proposer")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "L’appel à interventions est clos" in text and "21 octobre 2022" in text
    answer = client.post("/proposer", data={**VALID, "csrf_token": token})
    assert answer.status_code == 403
    assert count(app, Proposal) == 0


def test_preview_keeps_the_form_usable_with_a_notice(make_app, clock):
    app = make_app(BLUEHATS_CFP_PREVIEW=True)
    clock.set(datetime(2022, 11, 20, tzinfo=PARIS))
    client = app.test_client()
    text = text_of(client.get("/proposer").get_data(as_text=True))
    assert "Démonstration." in text
    assert submit(client).status_code == 303
    assert count(app, Proposal) == 1


def test_preview_is_off_outside_debug(make_app):
    assert make_app().config["BLUEHATS_CFP_PREVIEW"] is False


def test_double_submit_keeps_the_first(app, client, smtp, clock):
    first = submit(client)
    clock.advance(seconds=2)
    second = submit(client)
    assert first.status_code == second.status_code == 303
    assert count(app, Proposal) == 1
    assert len(smtp.messages) == 2
    assert "BH22-0001" in text_of(client.get("/proposer/merci").get_data(as_text=True))
    # The same title sent again much later, or another title, is a new proposal.
    clock.advance(hours=1)
    submit(client)
    submit(client, title="Une tout autre intervention")
    assert count(app, Proposal) == 3


def test_simultaneous_double_submits_store_one_proposal(app, smtp):
    import threading

    clients = [app.test_client() for _ in range(4)]
    tokens = [csrf_token(client, "/proposer") for client in clients]
    barrier = threading.Barrier(len(clients))
    statuses = []

    def send(client, token):
        barrier.wait()
        statuses.append(client.post("/proposer", data={**VALID, "csrf_token": token}).status_code)

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [303] * len(clients)
    assert count(app, Proposal) == 1
    assert len(smtp.to(VALID["email"])) == 1


def test_honeypot_stores_spam_without_mail(app, client, smtp):
    answer = submit(client, website="https://spam.example")
    assert answer.status_code == 303
    [proposal] = stored(app)
    assert proposal.status == "spam"
    assert proposal.honeypot == "https://spam.example"
    assert count(app, OutboxMessage) == 0
    assert smtp.messages == []


@pytest.mark.parametrize("name", ['Camille "X"', "Camille, Dupont", "Camille <evil@example.org>", "Dupont; Bcc"])
def test_a_name_that_could_make_an_address_is_refused(app, client, smtp, name):
    # Line breaks are refused in one-line fields; so are the characters that make an address in a header.
    answer = submit(client, first_name=name)
    assert answer.status_code == 200
    text = text_of(answer.get_data(as_text=True))
    assert 'Prénom : Ce champ ne peut pas contenir les caractères < > , ; " @.' in text
    assert count(app, Proposal) == 0
    assert smtp.messages == []
