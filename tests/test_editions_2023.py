"""Next year's call from next year's post: two afternoons in French, nothing of 2022, and 2022 kept in the archive."""

import re
from datetime import datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from bluehats.core.clock import PARIS
from bluehats.core.content import CONTENT_DIR
from bluehats.core.dates import format_days
from bluehats.core.edition import load_edition
from bluehats.extensions import db
from bluehats.models import Proposal

from helpers import ORGANISER, PASSWORD, VALID, csrf_token, plain, submit, text_of

POST_2023 = CONTENT_DIR / "journee-bluehats-osxp-2023.md"


# While the 2023 call is open.
CFP_2023_OPEN = datetime(2023, 11, 2, 10, 0, tzinfo=PARIS)


@pytest.fixture
def app_2023(make_app, smtp, clock):
    clock.set(CFP_2023_OPEN)
    return make_app(
        BLUEHATS_EVENT=str(POST_2023),
        BLUEHATS_CFP_PREVIEW=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
    )


@pytest.fixture
def visitor(app_2023):
    return app_2023.test_client()


def propose_2023(client, **changes):
    return submit(client, duration="30", preferred_day="2023-12-07", **changes)


def test_the_2023_post_reads_as_two_afternoons():
    edition = load_edition(POST_2023)
    assert edition.key == "osxp-2023"
    assert [(day.start.hour, day.end.hour) for day in edition.days] == [(14, 17), (14, 17)]
    assert edition.durations == (10, 20, 30)
    assert edition.reference_prefix == "BH23-"
    assert plain(edition.dated_name) == "Journées BlueHats des 6 et 7 décembre 2023"
    assert edition.programme_date == datetime(2023, 12, 4, 9, tzinfo=PARIS)
    assert edition.room == ""


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([(2022, 11, 8)], "8 novembre 2022"),
        ([(2023, 12, 6), (2023, 12, 7)], "6 et 7 décembre 2023"),
        ([(2023, 11, 30), (2023, 12, 1)], "30 novembre et 1er décembre 2023"),
        ([(2023, 12, 5), (2023, 12, 6), (2023, 12, 7)], "5, 6 et 7 décembre 2023"),
    ],
)
def test_days_in_french(days, expected):
    from datetime import date

    assert plain(format_days([date(*day) for day in days])) == expected


def test_a_new_user_runs_the_2023_call(app_2023, visitor, smtp):
    client = visitor
    page = text_of(client.get("/").get_data(as_text=True))
    assert "mercredi 6 décembre 2023, de 14 h à 17 h" in page
    assert "jeudi 7 décembre 2023, de 14 h à 17 h" in page
    form = client.get("/proposer").get_data(as_text=True)
    offered = re.findall(r'name="duration" required type="radio" value="(\d+)"', form)
    assert offered == ["10", "20", "30"]
    days = re.findall(r'name="preferred_day" required type="radio" value="([\w-]+)"', form)
    assert days == ["2023-12-06", "2023-12-07", "indifferent"]
    assert "mercredi 6 décembre 2023, de 14 h à 17 h" in text_of(form)
    answer = propose_2023(client)
    assert answer.status_code == 303
    confirmation = text_of(client.get("/proposer/merci").get_data(as_text=True))
    assert "BH23-0001" in confirmation
    with app_2023.app_context():
        stored = db.session.scalars(select(Proposal)).one()
        assert (stored.edition, stored.reference, stored.preferred_day, stored.duration) == (
            "osxp-2023",
            "BH23-0001",
            "2023-12-07",
            30,
        )
    assert len(smtp.messages) == 2
    for message in smtp.messages:
        raw = message.as_string()
        assert "2022" not in raw
        assert "Journées BlueHats" in plain(str(message["Subject"])) or "Nouvelle proposition" in str(
            message["Subject"]
        )
    speaker = plain(smtp.to(VALID["email"])[0].get_body(("plain",)).get_content())
    assert "aux Journées BlueHats des 6 et 7 décembre 2023" in speaker
    assert "Jour préféré : jeudi 7 décembre 2023" in speaker
    calendar = Calendar.from_ical(client.get("/evenement.ics").data)
    days = [event.decoded("dtstart") for event in calendar.walk("VEVENT")]
    assert days == [datetime(2023, 12, 6, 14, tzinfo=PARIS), datetime(2023, 12, 7, 14, tzinfo=PARIS)]


def test_a_missing_preferred_day_is_a_french_error(app_2023, visitor):
    client = visitor
    answer = submit(client, duration="30")
    assert answer.status_code == 200
    assert "Choisissez le jour qui vous convient, ou « Indifférent »." in text_of(answer.get_data(as_text=True))
    answer = submit(client, duration=None, preferred_day="indifferent")
    assert "Choisissez une durée : 10, 20 ou 30 minutes." in text_of(answer.get_data(as_text=True))
    answer = submit(client, duration="5", preferred_day="indifferent")  # a format of 2022, not of 2023
    assert "Durée souhaitée : Choisissez une des options proposées." in text_of(answer.get_data(as_text=True))


def walk_pages(app, client, smtp, clock) -> list[str]:
    """Every page and mail a 2023 visitor, speaker and organiser meets."""
    from bluehats.admin.accounts import add_organiser

    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    pages = []
    for url in ["/", "/proposer", "/programme", "/editions", "/mentions-legales", "/donnees-personnelles"]:
        pages.append(client.get(url).get_data(as_text=True))
    pages.append(client.get("/accessibilite").get_data(as_text=True))
    pages.append(client.get("/evenement.ics").get_data(as_text=True))
    pages.append(submit(client, duration="30").get_data(as_text=True))  # the form in error
    propose_2023(client)
    pages.append(client.get("/proposer/merci").get_data(as_text=True))
    link = re.search(r"http://bluehats\.test(/proposition/\S+)", smtp.messages[0].get_body(("plain",)).get_content())
    pages.append(client.get(link.group(1)).get_data(as_text=True))
    pages.append(client.get(f"{link.group(1)}/retrait").get_data(as_text=True))
    admin = app.test_client()
    token = csrf_token(admin, "/organisation/connexion")
    admin.post("/organisation/connexion", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token})
    for url in [
        "/organisation/",
        "/organisation/propositions",
        "/organisation/propositions/1",
        "/organisation/reponses",
        "/organisation/programme",
        "/organisation/courriels?statut=sent",
    ]:
        pages.append(admin.get(url).get_data(as_text=True))
    page = "/organisation/propositions/1"
    admin.post(f"{page}/decision", data={"decision": "accepted", "csrf_token": csrf_token(admin, page)})
    admin.post("/organisation/programme/a-la-suite", data={"csrf_token": csrf_token(admin, "/organisation/programme")})
    admin.post(
        "/organisation/programme/publication",
        data={"publication": "maintenant", "csrf_token": csrf_token(admin, "/organisation/programme")},
    )
    pages.append(admin.get("/organisation/programme.md").get_data(as_text=True))
    admin.post(
        "/organisation/reponses/envoyer",
        data={"confirm": "oui", "csrf_token": csrf_token(admin, "/organisation/reponses")},
    )
    clock.set(datetime(2023, 11, 27, 10, tzinfo=PARIS))  # the answer day: the answers leave
    assert app.test_cli_runner().invoke(args=["outbox", "deliver"]).exit_code == 0
    pages.append(client.get(link.group(1)).get_data(as_text=True))  # the speaker's page, answer public
    pages.append(client.get("/programme").get_data(as_text=True))
    pages.append(client.get("/programme.ics").get_data(as_text=True))
    pages.extend(message.as_string() for message in smtp.messages)
    return pages


def test_nothing_the_2023_edition_shows_or_mails_names_2022(app_2023, visitor, smtp, clock):
    pages = walk_pages(app_2023, visitor, smtp, clock)
    assert len(smtp.messages) >= 3  # confirmation, notice, answer
    for page in pages:
        # The legal pages may date their own text; no page names the 2022 day, its venue's room or its formats.
        found = re.findall(r".{60}2022.{20}", page)
        assert not found, found
        assert "252B" not in page and "5 à 20" not in page


def test_moving_to_2023_keeps_2022_in_the_archive(make_app, smtp, clock):
    # 2022: two proposals, one accepted, placed, published.
    app_2022 = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BLUEHATS_MAIL_DELIVERY="immediate")
    client = app_2022.test_client()
    submit(client)
    submit(app_2022.test_client(), title="Une seconde intervention pour 2022", email="b@culture.gouv.fr")
    from bluehats.decisions import decide
    from bluehats.programme import auto_schedule, set_publication
    from bluehats.web.templating import current_edition

    with app_2022.test_request_context():
        decide(1, "accepted", "orga")
        auto_schedule(current_edition(), "orga")
        set_publication(datetime(2022, 10, 21, 9, tzinfo=PARIS))
    clock.set(datetime(2022, 10, 22, tzinfo=PARIS))
    programme_2022 = text_of(client.get("/programme").get_data(as_text=True))
    assert "9 h " + VALID["title"] in programme_2022

    # A year later, the same database, the 2023 post.
    clock.set(CFP_2023_OPEN)
    app_2023 = make_app(
        BLUEHATS_EVENT="journee-bluehats-osxp-2023.md",  # a name in bluehats/content/ is enough
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
    )
    visitor = app_2023.test_client()
    assert propose_2023(visitor, email="c@interieur.gouv.fr").status_code == 303
    assert "BH23-0001" in text_of(visitor.get("/proposer/merci").get_data(as_text=True))
    assert "Le programme n’est pas encore publié." in text_of(visitor.get("/programme").get_data(as_text=True))
    editions = visitor.get("/editions").get_data(as_text=True)
    assert "Journées BlueHats 2023" in text_of(editions) and "Journée BlueHats 2022" in text_of(editions)
    assert 'href="/editions/osxp-2022/programme"' in editions
    archived = text_of(visitor.get("/editions/osxp-2022/programme").get_data(as_text=True))
    assert "9 h " + VALID["title"] in archived
    assert "Une seconde intervention" not in archived
    assert visitor.get("/editions/osxp-2031/programme").status_code == 404
    # The back office works on 2023; 2022 stays readable, read-only.
    from bluehats.admin.accounts import add_organiser

    with app_2023.app_context():
        add_organiser(ORGANISER, PASSWORD)
    admin = app_2023.test_client()
    token = csrf_token(admin, "/organisation/connexion")
    admin.post("/organisation/connexion", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token})
    listing = text_of(admin.get("/organisation/propositions").get_data(as_text=True))
    assert "BH23-0001" in listing and "BH22-0001" not in listing
    past = text_of(admin.get("/organisation/propositions?edition=osxp-2022").get_data(as_text=True))
    assert "BH22-0001" in past and "BH22-0002" in past and "lecture seule" in past
    page = "/organisation/propositions/2"
    admin.post(f"{page}/decision", data={"decision": "declined", "csrf_token": csrf_token(admin, page)})
    with app_2023.app_context():
        assert db.session.get(Proposal, 2).decision is None  # a past edition is read-only
    export = app_2023.test_cli_runner().invoke(args=["proposals", "export", "--format", "json"]).stdout
    assert "BH23-0001" in export and "BH22" not in export
    export = (
        app_2023.test_cli_runner()
        .invoke(args=["proposals", "export", "--format", "json", "--edition", "osxp-2022"])
        .stdout
    )
    assert "BH22-0001" in export and "BH23" not in export
