"""Reviewing proposals: the dashboard's figures, the list and its filters, the detail, the history, spam, mails."""

import re

from sqlalchemy import select

from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import OutboxMessage, Proposal

from back_office import ANSWER_DATE, decide, proposals, seed
from helpers import ORGANISER, VALID, form_token, post, submit, text_of


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
        failed_id = outbox.queue(outbox.Mail(["a@x.fr"], "Échoué", "t", "<p>t</p>"), "test")
        later = outbox.Mail(["b@x.fr"], "En attente", "t", "<p>t</p>")
        pending_id = outbox.queue(later, "test", not_before=ANSWER_DATE)
        failed = db.session.get(OutboxMessage, failed_id)
        failed.status, failed.last_error = "failed", "550 5.1.1 User unknown"
        db.session.commit()
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


def test_accepted_speakers_are_called_retenu_es(app, admin):
    seed(app, 1)
    decide(admin, 1, "accepted")
    assert "intervenant·es retenu·es" in text_of(admin.get("/organisation/programme").get_data(as_text=True))
