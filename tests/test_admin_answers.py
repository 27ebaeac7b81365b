"""Decisions and answers: queued for the answer date, sent once confirmed, their templates, the confirmation."""

import re
from datetime import datetime, timedelta

from sqlalchemy import select

from bluehats.core.clock import PARIS
from bluehats.extensions import db
from bluehats.models import OutboxMessage

from back_office import ANSWER_DATE, decide, proposals
from helpers import VALID, form_token, plain, post, submit, text_of


def save_template(admin, subject: str, body: str):
    data = {"accepted-subject": subject, "accepted-body": body}
    return post(admin, "/organisation/reponses/accepted", page="/organisation/reponses", **data)


def accept_and_decline(app, client, admin):
    submit(client)
    submit(client, email="b@culture.gouv.fr", title="Une proposition refusée", first_name="Bruno")
    decide(admin, 1, "accepted")
    decide(admin, 2, "declined")


def test_answers_are_queued_for_the_answer_date_and_leave_only_then(app, client, admin, smtp, clock):
    clock.set(datetime(2022, 10, 17, 10, 0, tzinfo=PARIS))
    accept_and_decline(app, client, admin)
    before = len(smtp.messages)
    page = text_of(admin.get("/organisation/reponses").get_data(as_text=True))
    assert "2 propositions décidées sans réponse envoyée (1 acceptée, 1 refusée)" in page
    # The decisions about to leave are listed, one line each, before the button.
    listed = page.split("Réponses sur le point de partir")[1].split("Envoyer les réponses")[0]
    assert "BH22-0001" in listed and "Acceptée" in listed and "BH22-0002" in listed and "Refusée" in listed
    assert "partiront le 21 octobre 2022 à 9 h" in page
    assert (
        post(admin, "/organisation/reponses/envoyer", page="/organisation/reponses", confirm="oui").status_code == 303
    )
    with app.app_context():
        answers = db.session.scalars(select(OutboxMessage).where(OutboxMessage.purpose.like("answer-%"))).all()
        assert [message.not_before for message in answers] == [ANSWER_DATE, ANSWER_DATE]
    assert len(smtp.messages) == before  # not yet
    assert app.test_cli_runner().invoke(args=["outbox", "deliver"]).exit_code == 0
    assert len(smtp.messages) == before  # even by hand, not before the answer date
    # The decision can no longer change, and sending again queues nothing more.
    decide(admin, 1, "declined")
    assert proposals(app)[0].decision == "accepted"
    assert (
        post(admin, "/organisation/reponses/envoyer", page="/organisation/reponses", confirm="oui").status_code == 303
    )
    clock.set(ANSWER_DATE + timedelta(minutes=1))
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert "2 envoyés," in result.output
    [accepted] = [m for m in smtp.to(VALID["email"]) if "retenue" in m["Subject"]]
    assert plain(accepted["Subject"]) == f"Journée BlueHats : votre intervention « {VALID['title']} » est retenue"
    body = plain(accepted.get_body(("plain",)).get_content())
    assert "Bonjour Camille," in body and "confirmez dès maintenant votre participation" in body
    assert "Je confirme ma participation" in body
    assert re.search(r"http://bluehats\.test/proposition/\S+", body)
    [declined] = smtp.to("b@culture.gouv.fr")[-1:]
    assert "Bonjour Bruno," in declined.get_body(("plain",)).get_content()
    assert "ne pouvons malheureusement pas retenir" in plain(declined.get_body(("plain",)).get_content())


def test_sending_the_answers_needs_the_confirmation_box(app, client, admin):
    accept_and_decline(app, client, admin)
    post(admin, "/organisation/reponses/envoyer", page="/organisation/reponses", confirm="")
    assert all(proposal.answered_at is None for proposal in proposals(app))


def test_decisions_send_from_the_command_line(app, client, admin, smtp, clock):
    accept_and_decline(app, client, admin)
    clock.set(ANSWER_DATE + timedelta(hours=1))  # after the answer date, they leave at once
    result = app.test_cli_runner().invoke(args=["decisions", "send"])
    assert "2 réponses mises en file d’envoi" in result.output
    assert len([m for m in smtp.messages if "retenue" in m["Subject"]]) == 1
    assert "0 réponse mise en file" in app.test_cli_runner().invoke(args=["decisions", "send"]).output


def test_the_accepted_speaker_confirms_through_the_private_link(app, client, admin, smtp, clock):
    accept_and_decline(app, client, admin)
    post(admin, "/organisation/reponses/envoyer", page="/organisation/reponses", confirm="oui")
    [mail] = smtp.to(VALID["email"])
    link = re.search(r"http://bluehats\.test(/proposition/\S+)", mail.get_body(("plain",)).get_content()).group(1)
    speaker = app.test_client()
    assert "Votre intervention est retenue" not in text_of(speaker.get(link).get_data(as_text=True))  # not yet public
    clock.set(ANSWER_DATE)
    page = speaker.get(link).get_data(as_text=True)
    assert "Votre intervention est retenue" in text_of(page)
    token = form_token(page)
    assert speaker.post(f"{link}/confirmation", data={"csrf_token": token}).status_code == 303
    assert proposals(app)[0].confirmed_at == ANSWER_DATE
    assert "Vous avez confirmé votre participation" in text_of(speaker.get(link).get_data(as_text=True))
    assert "Participation confirmée" in text_of(admin.get("/organisation/propositions/1").get_data(as_text=True))


def test_templates_are_editable_previewed_and_checked(app, client, admin, smtp, clock):
    accept_and_decline(app, client, admin)
    page = admin.get("/organisation/reponses").get_data(as_text=True)
    assert "Objet : Journée BlueHats : votre intervention « Titre de l’intervention » est retenue" in text_of(page)
    answer = save_template(admin, "Bravo {prenom} !", "Chère {prenom} {nom}, {inconnu}")
    assert answer.status_code == 200  # shown again as typed, with its error, and not saved
    page = text_of(answer.get_data(as_text=True))
    assert "Variable inconnue : {inconnu} (elle serait envoyée telle quelle)" in page
    assert "Ce modèle n’est pas enregistré" in page
    # An accented name looks right to a person and would be sent as typed: refused, with what was meant.
    page = text_of(save_template(admin, "Bravo {prénom} !", "Chère {Titre}").get_data(as_text=True))
    assert "Vouliez-vous écrire {prenom} au lieu de {prénom} ?" in page
    assert "Vouliez-vous écrire {titre} au lieu de {Titre} ?" in page
    assert "Bravo {prénom}" not in text_of(admin.get("/organisation/reponses").get_data(as_text=True))
    # The preview follows the text without saving it.
    token = form_token(admin.get("/organisation/reponses").get_data(as_text=True))
    draft = {"accepted-subject": "Essai {titre}", "accepted-body": "Bonjour {prenom}", "csrf_token": token}
    page = text_of(admin.post("/organisation/reponses/accepted/apercu", data=draft).get_data(as_text=True))
    assert "Aperçu du texte saisi, non enregistré Objet : Essai Titre de l’intervention" in page
    assert "Essai" not in text_of(admin.get("/organisation/reponses").get_data(as_text=True))
    answer = save_template(
        admin, "Bravo {prenom} !", "Chère {prenom} {nom},\nvotre sujet « {titre} » ({duree} min) : {lien}"
    )
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith("/organisation/reponses?enregistre=accepted#enregistre-accepted")
    html = admin.get(answer.headers["Location"]).get_data(as_text=True)
    section = html.split('id="modele-accepted"')[1].split("</section>")[0]
    assert 'id="enregistre-accepted" role="status" tabindex="-1"' in section and "Modèle enregistré" in section
    page = text_of(html)
    assert "Objet : Bravo Camille !" in page
    assert (
        "Chère Camille Dupont, votre sujet « Titre de l’intervention » (15 min) : http://bluehats.test/proposition/"
        in page
    )
    clock.set(ANSWER_DATE)
    post(admin, "/organisation/reponses/envoyer", page="/organisation/reponses", confirm="oui")
    [mail] = [m for m in smtp.to(VALID["email"]) if m["Subject"].startswith("Bravo")]
    assert plain(mail["Subject"]) == "Bravo Camille !"
    html = mail.get_body(("html",)).get_content()
    assert '<a href="http://bluehats.test/proposition/' in html
