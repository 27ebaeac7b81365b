"""The organisers' back office: login, review, decisions and answers, programme, exports, mails."""

import csv
import io
import json
import re
from datetime import datetime, timedelta

import frontmatter
import pytest
from icalendar import Calendar
from sqlalchemy import select

from bluehats.admin.accounts import add_organiser
from bluehats.admin.blueprint import PUBLIC_ENDPOINTS
from bluehats.core.clock import PARIS
from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import OutboxMessage, Proposal
from bluehats.proposals.forms import EDITABLE
from bluehats.proposals.operations import submit_proposal

from helpers import VALID, csrf_token, form_token, plain, submit, text_of

ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"
ANSWER_DATE = datetime(2022, 10, 21, 9, 0, tzinfo=PARIS)


@pytest.fixture
def organiser(app):
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    return ORGANISER


def log_in(client, email=ORGANISER, password=PASSWORD):
    token = csrf_token(client, "/organisation/connexion")
    return client.post("/organisation/connexion", data={"email": email, "password": password, "csrf_token": token})


@pytest.fixture
def admin(app, organiser):
    """A browser with an organiser logged in."""
    client = app.test_client()
    assert log_in(client).status_code == 303
    return client


def post(client, url, page=None, **data):
    """Post a back-office form with the CSRF token of the page it sits on."""
    token = csrf_token(client, page or url)
    return client.post(url, data={**data, "csrf_token": token})


def decide(admin, proposal_id: int, decision: str):
    page = f"/organisation/propositions/{proposal_id}"
    return post(admin, f"{page}/decision", page=page, decision=decision)


def save_template(admin, subject: str, body: str):
    data = {"accepted-subject": subject, "accepted-body": body}
    return post(admin, "/organisation/reponses/accepted", page="/organisation/reponses", **data)


def proposals(app) -> list[Proposal]:
    with app.app_context():
        found = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
        db.session.expunge_all()
        return found


def seed(app, count: int, **changes) -> None:
    """Store proposals through the service, as the form does (without its rate limit)."""
    with app.test_request_context():
        for index in range(count):
            data = {name: VALID[name] for name in EDITABLE} | {"email": VALID["email"], "duration": 15}
            data |= {"email": f"agent{index}@culture.gouv.fr", "title": f"Intervention numéro {index}", **changes}
            submit_proposal(data)


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


def test_dashboard_figures_on_a_known_data_set(app, client, admin):
    seed(app, 3)
    submit(
        client,
        email="x@armees.gouv.fr",
        title="Un sujet de cinq minutes",
        kind="autre",
        duration="5",
        administration="Ministère des Armées",
    )
    submit(client, email="robot@spam.example", title="Achetez maintenant", website="http://spam")
    with app.app_context():
        ids = [proposal.id for proposal in db.session.scalars(select(Proposal).order_by(Proposal.id))]
    for proposal_id in ids[:2]:
        decide(admin, proposal_id, "accepted")
    html = admin.get("/organisation/").get_data(as_text=True)
    counts = dict(re.findall(r'id="compte-([a-z-]+)">(\d+)<', html))
    assert counts == {
        "toutes": "4",
        "a-decider": "2",
        "acceptees": "2",
        "refusees": "0",
        "retirees": "0",
        "indesirables": "1",
    }
    text = text_of(html)
    # The budget is the day itself, 9 h to 18 h, unless BLUEHATS_PROGRAMME_MINUTES says otherwise.
    assert "Interventions acceptées : 30 min sur 540 min de programme — il reste 510 min." in text
    assert "Retour d’expérience 3" in text and "Autre 1" in text
    assert "Ministère de l’Intérieur et des Outre-mer 3" in text and "Ministère des Armées 1" in text
    assert "5 min 1" in text and "15 min 3" in text
    assert "<svg" in html and "Propositions reçues par jour" in html


def test_list_search_filters_sort_and_pages(app, client, admin):
    seed(app, 55)
    seed(
        app,
        1,
        email="l.martin@culture.gouv.fr",
        first_name="Louise",
        last_name="Martin",
        title="Archives ouvertes",
        administration="Ministère de la Culture",
        kind="logiciel-libre",
    )
    first = admin.get("/organisation/propositions").get_data(as_text=True)
    assert "56 propositions, page 1 sur 2." in text_of(first)
    # Newest first, fifty a page: the references a person reads on each page.
    assert set(re.findall(r"BH22-\d{4}", text_of(first))) == {f"BH22-{n:04d}" for n in range(7, 57)}
    second = admin.get("/organisation/propositions?page=2").get_data(as_text=True)
    assert set(re.findall(r"BH22-\d{4}", text_of(second))) == {f"BH22-{n:04d}" for n in range(1, 7)}
    for query in ["archives", "MARTIN", "louise martin", "l.martin@", "Ministère de la Culture"]:
        found = text_of(admin.get("/organisation/propositions", query_string={"q": query}).get_data(as_text=True))
        assert "1 proposition." in found, query
        assert "Archives ouvertes" in found
    kind = text_of(admin.get("/organisation/propositions?type=logiciel-libre").get_data(as_text=True))
    assert "1 proposition." in kind
    by_title = admin.get("/organisation/propositions?tri=titre").get_data(as_text=True)
    assert by_title.index("Archives ouvertes") < by_title.index("Intervention numéro 0")
    wildcard = text_of(admin.get("/organisation/propositions?q=%25").get_data(as_text=True))
    assert "0 proposition." in wildcard


def test_detail_shows_every_field_history_and_notes(app, client, admin, smtp):
    submit(client)
    page = admin.get("/organisation/propositions/1").get_data(as_text=True)
    text = text_of(page)
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        assert VALID[name] in text
    assert "Proposition reçue" in text and "Courriel envoyé" in text
    answer = post(
        admin,
        "/organisation/propositions/1/notes",
        page="/organisation/propositions/1",
        text="Très bon sujet,\nà garder.",
    )
    assert answer.status_code == 303
    text = text_of(admin.get("/organisation/propositions/1").get_data(as_text=True))
    assert "Très bon sujet, à garder." in text and ORGANISER in text
    assert admin.get("/organisation/propositions/999").status_code == 404


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
    assert "Aperçu du texte ci-contre, non enregistré Objet : Essai Titre de l’intervention" in page
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


def test_programme_order_times_publication_and_exports(app, client, admin, clock):
    seed(app, 3)
    for proposal_id in (1, 2, 3):
        decide(admin, proposal_id, "accepted")
    assert "pas encore publié" in text_of(client.get("/programme").get_data(as_text=True))
    answer = post(
        admin,
        "/organisation/programme",
        **{
            "position-1": "3",
            "start-1": "11h",
            "position-2": "1",
            "start-2": "9:00",
            "position-3": "2",
            "start-3": "9 h 15",
        },
    )
    assert answer.status_code == 303
    talks = proposals(app)
    assert [talk.starts_at.astimezone(PARIS).strftime("%H:%M") for talk in talks] == ["11:00", "09:00", "09:15"]
    bad = post(admin, "/organisation/programme", **{"start-1": "25:99"})  # the programme page holds the form
    assert bad.status_code == 303
    assert "horaire « 25:99 » illisible" in plain(admin.get("/organisation/programme").get_data(as_text=True))
    post(admin, "/organisation/programme/publication", page="/organisation/programme", publication="date-reponse")
    assert "sera publié automatiquement le 21 octobre 2022" in text_of(
        admin.get("/organisation/programme").get_data(as_text=True)
    )
    assert "pas encore publié" in text_of(client.get("/programme").get_data(as_text=True))
    clock.set(ANSWER_DATE)
    text = text_of(client.get("/programme").get_data(as_text=True))
    assert (
        text.index("9 h Intervention numéro 1")
        < text.index("9 h 15 Intervention numéro 2")
        < text.index("11 h Intervention numéro 0")
    )
    calendar = Calendar.from_ical(client.get("/programme.ics").data)
    events = calendar.walk("VEVENT")
    assert [str(event["summary"]) for event in events] == [
        "Intervention numéro 1",
        "Intervention numéro 2",
        "Intervention numéro 0",
    ]
    assert events[0].decoded("dtstart") == datetime(2022, 11, 8, 9, 0, tzinfo=PARIS)
    assert events[0].decoded("dtend") == datetime(2022, 11, 8, 9, 15, tzinfo=PARIS)
    markdown = admin.get("/organisation/programme.md").get_data(as_text=True)
    page = frontmatter.loads(markdown)
    assert [item["horaire"] for item in page["programme"]] == ["09:00", "09:15", "11:00"]
    assert page["programme"][0]["titre"] == "Intervention numéro 1"
    assert "| 09:00 | Intervention numéro 1 |" in page.content
    # Automatic times follow the order from the day's start.
    post(admin, "/organisation/programme/a-la-suite", page="/organisation/programme")
    times = sorted(talk.starts_at.astimezone(PARIS).strftime("%H:%M") for talk in proposals(app))
    assert times == ["09:00", "09:15", "09:30"]


def test_publish_now_and_withdraw(app, client, admin, clock):
    post(admin, "/organisation/programme/publication", page="/organisation/programme", publication="maintenant")
    assert "pas encore publié" not in text_of(client.get("/programme").get_data(as_text=True))
    post(admin, "/organisation/programme/publication", page="/organisation/programme", publication="retirer")
    assert "pas encore publié" in text_of(client.get("/programme").get_data(as_text=True))
    clock.set(ANSWER_DATE + timedelta(days=1))  # held back: not even on the answer date
    assert "pas encore publié" in text_of(client.get("/programme").get_data(as_text=True))


def test_the_programme_is_published_on_the_answer_date_by_default(app, client, admin, clock):
    seed(app, 1)
    decide(admin, 1, "accepted")
    post(admin, "/organisation/programme/a-la-suite", page="/organisation/programme")
    assert "pas encore publié" in text_of(client.get("/programme").get_data(as_text=True))
    page = text_of(admin.get("/organisation/programme").get_data(as_text=True))
    assert "sera publié automatiquement le 21 octobre 2022 à 9 h" in page
    clock.set(ANSWER_DATE)
    assert "9 h Intervention numéro 0" in text_of(client.get("/programme").get_data(as_text=True))


def test_back_office_exports_are_filtered_and_safe(app, client, admin):
    seed(app, 2)
    submit(client, email="f@x.gouv.fr", title="=1+1 un titre piégé", first_name="-Zoé", kind="autre")
    decide(admin, 1, "accepted")
    answer = admin.get("/organisation/export.csv?type=autre")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = answer.data
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert [(row["Titre"], row["Prénom"]) for row in rows] == [("'=1+1 un titre piégé", "'-Zoé")]
    records = json.loads(admin.get("/organisation/export.json?vue=acceptees").data)
    assert [record["reference"] for record in records] == ["BH22-0001"]
    assert admin.get("/organisation/intervenants.txt").get_data(as_text=True) == "agent0@culture.gouv.fr\n"


def test_spam_has_its_tab_and_can_be_restored(app, client, admin, smtp):
    submit(client, website="rempli par erreur")
    assert smtp.messages == []
    spam_tab = text_of(admin.get("/organisation/propositions?vue=indesirables").get_data(as_text=True))
    assert VALID["title"] in spam_tab
    assert VALID["title"] not in text_of(admin.get("/organisation/propositions").get_data(as_text=True))
    answer = post(admin, "/organisation/propositions/1/restaurer", page="/organisation/propositions/1")
    assert answer.status_code == 303
    assert proposals(app)[0].status == "submitted"
    assert len(smtp.to(VALID["email"])) == 1
    assert "Sortie des indésirables" in text_of(admin.get("/organisation/propositions/1").get_data(as_text=True))


def test_mails_page_retries_a_failed_one_and_cancels_a_pending_one(app, client, admin):
    with app.app_context():
        failed = outbox.queue(outbox.Mail(["a@x.fr"], "Échoué", "t", "<p>t</p>"), "test")
        pending = outbox.queue(outbox.Mail(["b@x.fr"], "En attente", "t", "<p>t</p>"), "test", not_before=ANSWER_DATE)
        failed.status, failed.last_error = "failed", "550 5.1.1 User unknown"
        db.session.commit()
        failed_id, pending_id = failed.id, pending.id
    text = text_of(admin.get("/organisation/courriels?statut=failed").get_data(as_text=True))
    assert "550 5.1.1 User unknown" in text
    post(admin, f"/organisation/courriels/{failed_id}/reessayer", page="/organisation/courriels?statut=failed")
    post(admin, f"/organisation/courriels/{pending_id}/annuler", page="/organisation/courriels")
    with app.app_context():
        assert db.session.get(OutboxMessage, failed_id).status == "pending"
        assert db.session.get(OutboxMessage, pending_id).status == "cancelled"


def test_the_history_is_in_order_and_says_what_an_edit_changed(app, client, admin, smtp, clock):
    submit(client)
    link = re.search(
        r"http://bluehats\.test(/proposition/\S+)", smtp.to(VALID["email"])[0].get_body(("plain",)).get_content()
    )
    clock.advance(hours=1)
    decide(admin, 1, "accepted")
    clock.advance(hours=1)
    page = client.get(link.group(1)).get_data(as_text=True)
    data = {key: value for key, value in VALID.items() if key not in {"email", "consent", "website"}}
    client.post(
        link.group(1), data={**data, "title": "Un titre retouché", "duration": "20", "csrf_token": form_token(page)}
    )
    clock.advance(hours=1)
    post(admin, "/organisation/propositions/1/notes", page="/organisation/propositions/1", text="Très attendu")
    html = admin.get("/organisation/propositions/1").get_data(as_text=True)
    history = text_of(html.split('id="historique"')[1].split("</ol>")[0])
    order = ["Proposition reçue", "Décision", "Modifiée par la personne (a changé : titre, durée)"]
    positions = [history.index(step) for step in order]
    assert positions == sorted(positions), history
    # Each mail sits at its own moment, not gathered at the end.
    assert history.index("Courriel envoyé") < history.index("Décision")
    # Everything an organiser did is in the history, notes included, with who wrote them (issue 14).
    assert "Note interne (Très attendu)" in history


def test_the_detail_keeps_the_lists_filters_and_goes_to_the_previous_and_next(app, admin):
    seed(app, 3)
    listing = admin.get("/organisation/propositions?tri=anciennes&type=retour-experience").get_data(as_text=True)
    href = re.search(r'href="(/organisation/propositions/2\?[^"]+)"', listing).group(1).replace("&amp;", "&")
    assert "tri=anciennes" in href and "type=retour-experience" in href
    page = admin.get(href).get_data(as_text=True).replace("&amp;", "&")
    back = re.search(r'href="([^"]+)">Retour à la liste', page).group(1)
    assert back.startswith("/organisation/propositions?") and "tri=anciennes" in back
    previous = re.search(r'href="([^"]+)" rel="prev"', page).group(1)
    following = re.search(r'href="([^"]+)" rel="next"', page).group(1)
    assert previous.startswith("/organisation/propositions/1?") and following.startswith(
        "/organisation/propositions/3?"
    )
    first = admin.get(previous).get_data(as_text=True)
    assert 'rel="prev"' not in first and 'rel="next"' in first


def test_the_login_page_shows_the_public_neither_the_menu_nor_a_command(client):
    text = text_of(client.get("/organisation/connexion").get_data(as_text=True))
    assert "Tableau de bord" not in text and "Courriels" not in text
    assert "flask" not in text
    assert "Proposer une intervention" in text  # the site's own menu


def test_accepted_speakers_are_called_retenu_es(app, admin):
    seed(app, 1)
    decide(admin, 1, "accepted")
    assert "intervenant·es retenu·es" in text_of(admin.get("/organisation/programme").get_data(as_text=True))
