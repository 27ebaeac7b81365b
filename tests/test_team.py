"""A back office for a team: each organiser's opinion, who decided, a history of everything, the purge."""

import re
from datetime import datetime

import pytest
from sqlalchemy import select

from bluehats.admin.accounts import add_organiser
from bluehats.core.clock import PARIS
from bluehats.extensions import db
from bluehats.models import HistoryLine, OutboxMessage, Proposal, Review

from helpers import csrf_token, post, submit, text_of

ALICE = ("alice@numerique.gouv.fr", "le café du matin à sept heures")
BOB = ("bob@numerique.gouv.fr", "trois tortues traversent la rue")


def log_in(app, email: str, password: str):
    client = app.test_client()
    token = csrf_token(client, "/organisation/connexion")
    answer = client.post("/organisation/connexion", data={"email": email, "password": password, "csrf_token": token})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return client


def give(client, proposal_id: int, opinion: str, comment: str = ""):
    page = f"/organisation/propositions/{proposal_id}"
    return post(client, f"{page}/avis", page=page, opinion=opinion, comment=comment)


def row(client, reference: str, **args) -> str:
    """Return the text of one proposal's row in the list."""
    answer = client.get("/organisation/propositions", query_string=args)
    rows = [text_of(html) for html in re.findall(r"<tr>(.*?)</tr>", answer.get_data(as_text=True), re.S)]
    return next(text for text in rows if text.startswith(reference))


def listed(client, **args) -> str:
    answer = client.get("/organisation/propositions", query_string=args)
    assert answer.status_code == 200
    return text_of(answer.get_data(as_text=True))


@pytest.fixture
def team(app):
    with app.app_context():
        add_organiser(*ALICE)
        add_organiser(*BOB)
    return log_in(app, *ALICE), log_in(app, *BOB)


@pytest.fixture
def three(client):
    for index in range(3):
        assert submit(
            client, title=f"Intervention numéro {index + 1}", email=f"agent{index}@culture.gouv.fr"
        ).status_code
    return [1, 2, 3]


def test_two_organisers_give_opinions_that_the_tally_and_filters_reflect(app, team, three):
    alice, bob = team
    assert give(alice, 1, "pour", "Très bon retour d’expérience").status_code == 303
    assert give(bob, 1, "contre", "Déjà vu l’an dernier").status_code == 303
    assert give(alice, 2, "pour").status_code == 303
    assert give(bob, 2, "reserve").status_code == 303

    detail = text_of(alice.get("/organisation/propositions/1").get_data(as_text=True))
    assert "1 pour, 1 contre" in detail
    assert "Très bon retour d’expérience" in detail and "Déjà vu l’an dernier" in detail
    assert f"Contre — {BOB[0]}" in detail

    assert "1 pour, 1 contre" in row(alice, "BH22-0001")
    assert "1 pour, 1 réservé Pour" in row(alice, "BH22-0002")  # the tally, then my opinion
    assert "aucun avis —" in row(alice, "BH22-0003")
    contested = listed(alice, avis="contestees")
    assert "Intervention numéro 1" in contested
    assert "Intervention numéro 2" not in contested and "Intervention numéro 3" not in contested
    mine_missing = listed(alice, avis="sans-mon-avis")
    assert "Intervention numéro 3" in mine_missing and "Intervention numéro 1" not in mine_missing
    assert "Intervention numéro 3" in listed(alice, avis="sans-avis")
    favourable = listed(alice, tri="avis-favorables")
    assert favourable.index("Intervention numéro 2") < favourable.index("Intervention numéro 3")
    assert favourable.index("Intervention numéro 3") < favourable.index("Intervention numéro 1") or (
        favourable.index("Intervention numéro 1") < favourable.index("Intervention numéro 3")
    )  # 2 (+1) first; 1 and 3 both at 0
    reserved = listed(alice, tri="avis-defavorables")
    assert reserved.index("Intervention numéro 1") < reserved.index("Intervention numéro 2")

    # Changing one's mind replaces the opinion; it is never counted twice.
    assert give(bob, 1, "pour").status_code == 303
    assert "2 pour" in text_of(alice.get("/organisation/propositions/1").get_data(as_text=True))
    assert "Intervention numéro 1" not in listed(alice, avis="contestees")
    with app.app_context():
        assert len(db.session.scalars(select(Review).where(Review.proposal_id == 1)).all()) == 2

    dashboard = text_of(alice.get("/organisation/").get_data(as_text=True))
    assert "1 proposition sur 3 n’a encore aucun avis" in dashboard
    assert f"{ALICE[0]} (vous) 2 1" in dashboard and f"{BOB[0]} 2 1" in dashboard


def test_an_opinion_needs_a_known_value_and_stops_changing_once_answered(app, team, three, smtp):
    alice, _bob = team
    answer = give(alice, 1, "peut-etre")
    assert answer.status_code == 400
    assert "Choisissez une des options proposées." in text_of(answer.get_data(as_text=True))
    assert post(alice, "/organisation/propositions/1/decision", "/organisation/propositions/1", decision="accepted")
    assert post(alice, "/organisation/reponses/envoyer", "/organisation/reponses", confirm="oui").status_code == 303
    give(alice, 1, "contre")
    page = text_of(alice.get("/organisation/propositions/1").get_data(as_text=True))
    assert "l’avis ne peut plus changer" in page and "les avis ne changent plus" in page
    with app.app_context():
        assert db.session.scalars(select(Review)).all() == []


def test_the_others_opinions_stay_hidden_until_one_gives_ones_own(app, team, three):
    alice, bob = team
    give(alice, 1, "contre", "Hors sujet")
    give(alice, 2, "pour")
    give(bob, 2, "contre")
    assert post(bob, "/organisation/compte/preferences", "/organisation/compte", hide_opinions="y").status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Review)).all()  # opinions were stored

    detail = text_of(bob.get("/organisation/propositions/1").get_data(as_text=True))
    assert "Les avis des autres sont masqués jusqu’à ce que vous donniez le vôtre" in detail
    assert "Hors sujet" not in detail and "1 contre" not in detail
    assert "Avis donné (masqué jusqu’à ce que vous donniez le vôtre)" in detail  # the history hides it too
    assert "masqués" in row(bob, "BH22-0001") and "1 contre" not in row(bob, "BH22-0001")
    assert "1 pour, 1 contre" in row(bob, "BH22-0002")  # which Bob reviewed
    assert "Intervention numéro 1" not in listed(bob, avis="contestees")  # no leak through the filter
    assert "Intervention numéro 2" in listed(bob, avis="contestees")
    # Sorting on opinions puts what Bob reviewed first and the rest as if nobody had given one.
    sorted_page = listed(bob, tri="avis-defavorables")
    assert sorted_page.index("Intervention numéro 2") < sorted_page.index("Intervention numéro 1")

    give(bob, 1, "reserve")
    detail = text_of(bob.get("/organisation/propositions/1").get_data(as_text=True))
    assert "Hors sujet" in detail and "1 réservé, 1 contre" in detail
    # Alice did not ask for it: she sees everything at once.
    assert "1 pour, 1 contre" in text_of(alice.get("/organisation/propositions/2").get_data(as_text=True))


def test_a_decision_records_its_author(app, team, three):
    _alice, bob = team
    answer = post(bob, "/organisation/propositions/2/decision", "/organisation/propositions/2", decision="declined")
    assert answer.status_code == 303
    with app.app_context():
        proposal = db.session.get(Proposal, 2)
        assert proposal.decided_by == BOB[0] and proposal.decided_at is not None
    page = text_of(bob.get("/organisation/propositions/2").get_data(as_text=True))
    assert f"décision de {BOB[0]}" in page
    post(bob, "/organisation/propositions/2/decision", "/organisation/propositions/2", decision="aucune")
    with app.app_context():
        assert db.session.get(Proposal, 2).decided_by is None


def test_the_history_shows_who_did_what_and_when(app, client, team, three, smtp, clock):
    alice, bob = team
    give(alice, 1, "pour", "Bien")
    post(bob, "/organisation/propositions/1/notes", "/organisation/propositions/1", text="Appeler la personne")
    post(bob, "/organisation/propositions/1/decision", "/organisation/propositions/1", decision="accepted")
    post(alice, "/organisation/programme/a-la-suite", "/organisation/programme")
    section = alice.get("/organisation/propositions/1").text.split('id="historique"')[1].split("</ol>")[0]
    lines = re.findall(r"<li><strong>(.*?)</strong>(.*?)</li>", section, re.S)
    history = [(what, text_of(rest)) for what, rest in lines]
    whats = [what for what, _ in history]
    assert whats[0] == "Proposition reçue"
    assert {"Avis", "Note interne", "Décision", "Placée au programme"} <= set(whats)
    assert any(what.startswith("Courriel") for what in whats)  # the confirmation, with its subject
    avis = next(rest for what, rest in history if what == "Avis")
    assert "Pour : Bien" in avis and ALICE[0] in avis and "10 octobre 2022" in avis
    assert BOB[0] in next(rest for what, rest in history if what == "Décision")
    assert "8 novembre 2022 à 9 h" in next(rest for what, rest in history if what == "Placée au programme")


def test_purge_from_the_back_office_after_a_confirmation(app, client, team, smtp, clock):
    alice, _bob = team
    clock.set(datetime(2022, 10, 1, 9, tzinfo=PARIS))
    submit(client, email="ancienne@culture.gouv.fr", title="Une ancienne proposition")
    clock.set(datetime(2022, 10, 10, 9, tzinfo=PARIS))
    submit(client, email="recente@culture.gouv.fr", title="Une proposition récente")
    give(alice, 1, "pour", "Un commentaire qui nomme la personne")
    wrong = alice.get("/organisation/donnees/effacer", query_string={"before": "hier"})
    assert wrong.status_code == 400 and "Indiquez une date valide" in text_of(wrong.get_data(as_text=True))
    future = alice.get("/organisation/donnees/effacer", query_string={"before": "2030-01-01"})
    assert future.status_code == 400 and "Choisissez une date passée" in text_of(future.get_data(as_text=True))

    confirm = alice.get("/organisation/donnees/effacer", query_string={"before": "2022-10-05"})
    assert confirm.status_code == 200
    assert confirm.headers["Cache-Control"] == "no-store"
    assert "1 proposition reçue avant le 5 octobre 2022 perdra ses données personnelles" in text_of(confirm.text)
    with app.app_context():
        assert db.session.get(Proposal, 1).email == "ancienne@culture.gouv.fr"  # nothing happened yet
    token = re.search(r'name="csrf_token" value="([^"]+)"', confirm.text.split('action="/organisation/donnees')[1])
    answer = alice.post("/organisation/donnees/effacer", data={"before": "2022-10-05", "csrf_token": token.group(1)})
    assert answer.status_code == 303
    with app.app_context():
        old, recent = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
        assert (old.email, old.first_name, old.title) == ("", "", "(effacé)")
        assert recent.email == "recente@culture.gouv.fr"
        assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.proposal_id == old.id)).all() == []
        assert db.session.scalars(select(Review.comment)).all() == [""]
        lines = db.session.scalars(select(HistoryLine).where(HistoryLine.proposal_id == old.id)).all()
        assert [line.actor for line in lines if line.action == "purged"] == [ALICE[0]]
        assert all("Un commentaire" not in line.detail for line in lines)
    page = text_of(alice.get("/organisation/propositions/1").get_data(as_text=True))
    assert "Données personnelles effacées" in page and "ancienne@culture.gouv.fr" not in page
    again = alice.get("/organisation/donnees/effacer", query_string={"before": "2022-10-05"})
    assert "Aucune proposition reçue avant le 5 octobre 2022" in text_of(again.text)


def test_the_data_protection_page_says_how_long_data_is_kept(client):
    page = text_of(client.get("/donnees-personnelles").get_data(as_text=True))
    assert "jusqu’à la fin de l’année qui suit l’événement" in page
    assert "48 heures" in page
