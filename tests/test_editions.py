"""Editions: next year's call from next year's post, several days, one database, the archive."""

import re
from datetime import datetime
from pathlib import Path

import pytest
from flask_migrate import upgrade
from icalendar import Calendar
from sqlalchemy import create_engine, select, text

from bluehats import create_app
from bluehats.core.clock import PARIS
from bluehats.core.content import CONTENT_DIR
from bluehats.core.dates import format_days
from bluehats.core.edition import EditionError, load_edition
from bluehats.extensions import db
from bluehats.models import Proposal

from helpers import VALID, csrf_token, plain, submit, text_of

POST_2023 = CONTENT_DIR / "journee-bluehats-osxp-2023.md"
# While the 2023 call is open.
CFP_2023_OPEN = datetime(2023, 11, 2, 10, 0, tzinfo=PARIS)
ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"


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


@pytest.mark.parametrize(
    ("front", "key", "expected"),
    [
        ("event-start: 2023-12-06T14:00:00+01:00\nevent-end: 2023-12-06", "event-end", "ISO 8601 avec décalage"),
        ("days: demain", "days", "une liste de {start, end}"),
        (
            "days:\n  - start: 2023-12-06T14:00:00+01:00\n    end: 2023-12-06T13:00:00+01:00",
            "days",
            "chaque fin après son début",
        ),
        (
            "event-start: 2023-12-06T14:00:00+01:00\nevent-end: 2023-12-06T17:00:00+01:00\ndurations: [dix]",
            "durations",
            "liste de durées",
        ),
    ],
)
def test_a_malformed_announcement_stops_the_site_with_a_french_message(make_app, tmp_path, front, key, expected):
    post = tmp_path / "annonce-2024.md"
    post.write_text(
        "---\ntitle: Journées BlueHats 2024\ndate: 2024-10-01 10:00:00 +02:00\nvenue: Palais\naddress: Paris\n"
        "contact: a@b.fr\ncfp-deadline: 2024-11-01T00:00:00+01:00\nanswer-date: 2024-11-10T09:00:00+01:00\n"
        f"{front}\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(EditionError) as raised:
        make_app(BLUEHATS_EVENT=str(post))
    message = str(raised.value)
    assert str(post) in message and f"« {key} »" in message and expected in message


def test_a_missing_key_is_named(make_app, tmp_path):
    post = tmp_path / "sans-lieu.md"
    post.write_text(
        "---\ntitle: T\ndate: 2024-10-01 10:00:00 +02:00\nevent-start: 2024-12-06T14:00:00+01:00\n"
        "event-end: 2024-12-06T17:00:00+01:00\naddress: Paris\ncontact: a@b.fr\n"
        "cfp-deadline: 2024-11-01T00:00:00+01:00\nanswer-date: 2024-11-10T09:00:00+01:00\n---\nTexte.\n",
        encoding="utf-8",
    )
    with pytest.raises(EditionError, match="la clé « venue » absente ; attendu : un texte"):
        make_app(BLUEHATS_EVENT=str(post))


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


def test_the_migration_keeps_a_2022_database(tmp_path, monkeypatch, migrated_postgresql):
    """A database made by the previous release (migrations up to 0004) keeps its rows and references."""
    if migrated_postgresql:
        pytest.skip("run on SQLite: the PostgreSQL test database is shared by the suite")
    monkeypatch.setenv("BLUEHATS_INSTANCE_PATH", str(tmp_path / "instance"))
    url = f"sqlite:///{tmp_path / 'release-1.sqlite'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="0004")
        db.engine.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:  # rows as the first release wrote them
        for number in (1, 2, 3):
            connection.execute(
                text(
                    "INSERT INTO proposal (first_name, last_name, email, administration, job_title, title, abstract,"
                    " kind, duration, status, honeypot, consent_at, created_at, updated_at, decision)"
                    " VALUES ('Camille', 'Dupont', :email, 'DINUM', '', :title, :abstract, 'autre', 15, 'submitted',"
                    " '', '2022-10-10 12:00:00', '2022-10-10 12:00:00', '2022-10-10 12:00:00', :decision)"
                ),
                {
                    "email": f"p{number}@x.gouv.fr",
                    "title": f"Intervention {number}",
                    "abstract": "x" * 60,
                    "decision": "accepted" if number == 2 else None,
                },
            )
        connection.execute(
            text(
                "INSERT INTO setting (key, value, updated_at) VALUES ('programme_published_at',"
                " '\"2022-10-21T09:00:00+02:00\"', '2022-10-20 10:00:00')"
            )
        )
    engine.dispose()
    with app.app_context():
        upgrade()
        rows = db.session.execute(select(Proposal.id, Proposal.reference, Proposal.edition, Proposal.title)).all()
        assert [(row.reference, row.edition, row.title) for row in rows] == [
            ("BH22-0001", "osxp-2022", "Intervention 1"),
            ("BH22-0002", "osxp-2022", "Intervention 2"),
            ("BH22-0003", "osxp-2022", "Intervention 3"),
        ]
        assert db.session.get(Proposal, 2).decision == "accepted"
        keys = db.session.scalars(text("SELECT key FROM setting")).all()
        assert keys == ["osxp-2022/programme_published_at"]
        # The expression index the double-submit check reads survived the migration.
        indexes = db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")).all()
        assert "ix_proposal_email_lower_created" in indexes
        db.engine.dispose()
    assert Path(tmp_path / "release-1.sqlite").exists()
