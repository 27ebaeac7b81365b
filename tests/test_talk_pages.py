"""A page and a calendar file per published talk; 404 for anything not on a published programme; past editions."""

from datetime import datetime

import pytest
from icalendar import Calendar

from bluehats.core.clock import PARIS
from bluehats.core.content import CONTENT_DIR
from bluehats.extensions import db
from bluehats.models import Proposal

from helpers import build_programme, text_of

AFTER_PUBLICATION = datetime(2022, 10, 22, 10, tzinfo=PARIS)


@pytest.fixture
def visitor(app, clock):
    build_programme(app)
    clock.set(AFTER_PUBLICATION)
    return app.test_client()


def test_a_talk_page_shows_everything_a_visitor_needs(visitor):
    page = visitor.get("/programme/BH22-0003")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
    assert page.headers["ETag"]
    text = text_of(page.get_data(as_text=True))
    for fragment in (
        "Eole & les <communs> de l’Intérieur",
        "Eric Tiquet, Thibault Colin et Yoann Arthaud (DNUM MI)",
        "Mardi 8 novembre 2022, 14 h – 14 h 15",
        "Durée : 15 minutes",
        "Palais des congrès de Paris, salle 252B",
        "Résumé de « Eole & les <communs> de l’Intérieur ». Sur deux lignes.",
        "Ajouter à mon agenda",
    ):
        assert fragment in text
    assert "Revoir" not in text  # no recording yet
    assert 'href="/programme/BH22-0003.ics"' in page.get_data(as_text=True)
    assert 'href="/programme"' in page.get_data(as_text=True)


def test_a_talk_page_links_its_recording(visitor):
    html = visitor.get("/programme/BH22-0001").get_data(as_text=True)
    assert 'href="https://tube.numerique.gouv.fr/w/abc"' in html
    assert "Revoir « Notre passage à LibreOffice : 300 préfectures »" in text_of(html)


def test_a_recording_that_is_not_a_web_address_is_not_linked(visitor, app):
    with app.app_context():
        db.session.get(Proposal, 2).video_url = "javascript:alert(1)"
        db.session.commit()
    assert "javascript:" not in visitor.get("/programme/BH22-0002").get_data(as_text=True)
    assert "javascript:" not in visitor.get("/programme").get_data(as_text=True)


def test_slides_are_linked_and_downloaded(app, clock):
    from test_programme_talks import real_pdf

    from bluehats.talks import store_slides

    build_programme(app)
    clock.set(AFTER_PUBLICATION)
    with app.app_context():
        store_slides(2, real_pdf(), "orga")
    client = app.test_client()
    for url in ("/programme/BH22-0002", "/programme"):
        html = client.get(url).get_data(as_text=True)
        assert 'href="/programme/BH22-0002/support"' in html
        assert "Support de « apps.education.fr, un an après » (PDF)" in text_of(html)
    schedule = client.get("/programme.json").get_json()["schedule"]
    event = schedule["conference"]["days"][0]["rooms"]["Salle 252B"][1]
    assert event["attachments"] == [
        {"url": "http://bluehats.test/programme/BH22-0002/support", "title": "Support de présentation"}
    ]
    with client.get("/programme/BH22-0002/support") as download:
        assert download.status_code == 200 and download.data.startswith(b"%PDF-")


def test_a_talk_calendar_file_holds_that_talk(visitor):
    response = visitor.get("/programme/BH22-0004.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    assert 'filename="bh22-0004.ics"' in response.headers["Content-Disposition"]
    [event] = Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["uid"]) == "bh22-0004@bluehats"  # the same event as in /programme.ics
    assert str(event["summary"]) == "Debian dans l’Éducation nationale"
    assert "Stéphane Paillet (MENJS) et Jérémy Lal (Debian)" in str(event["description"])
    assert event.decoded("dtstart") == datetime(2022, 11, 8, 14, 15, tzinfo=PARIS)
    assert event.decoded("dtend") == datetime(2022, 11, 8, 14, 25, tzinfo=PARIS)


@pytest.mark.parametrize(
    "reference",
    [
        "BH22-0005",  # cancelled after acceptance
        "BH22-0006",  # accepted, not placed
        "BH22-0007",  # declined
        "BH22-9999",  # unknown
        "n-importe-quoi",
    ],
)
def test_only_talks_of_the_published_programme_have_a_page(visitor, reference):
    assert visitor.get(f"/programme/{reference}").status_code == 404
    assert visitor.get(f"/programme/{reference}.ics").status_code == 404


def test_no_talk_page_before_publication(app, clock):
    build_programme(app, published=False)
    clock.set(datetime(2022, 10, 20, tzinfo=PARIS))
    client = app.test_client()
    assert client.get("/programme/BH22-0001").status_code == 404
    assert client.get("/programme/BH22-0001.ics").status_code == 404
    assert "Le programme n’est pas encore publié." in text_of(client.get("/programme").get_data(as_text=True))


def test_a_past_edition_keeps_its_programme_and_talk_pages(visitor, make_app, smtp, clock):
    clock.set(datetime(2023, 11, 2, 10, tzinfo=PARIS))
    app_2023 = make_app(
        BLUEHATS_EVENT=str(CONTENT_DIR / "journee-bluehats-osxp-2023.md"),
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
    )
    client = app_2023.test_client()
    archived = client.get("/editions/osxp-2022/programme")
    text = text_of(archived.get_data(as_text=True))
    assert "12 h 30 Pause déjeuner" in text
    assert "Alexis Kauffmann et Philippe Ajuelos (MENJS)" in text
    assert 'href="https://tube.numerique.gouv.fr/w/abc"' in archived.get_data(as_text=True)
    assert "Ajouter le programme à mon agenda" not in text  # the calendar is the current edition's
    page = client.get("/programme/BH22-0002")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'href="/editions/osxp-2022/programme"' in html
    assert "Journée BlueHats 2022" in text_of(html)
    # The 2023 formats are 2023's (not yet published: no talk), never the archive's talks.
    assert "BH22" not in client.get("/programme.json").get_data(as_text=True)
    assert "BH22" not in client.get("/programme.ics").get_data(as_text=True)
