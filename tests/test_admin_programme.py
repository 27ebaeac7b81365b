"""The programme in the back office: order, times, publication, and the back office's exports."""

import csv
import io
import json
from datetime import datetime, timedelta

import frontmatter
from icalendar import Calendar

from bluehats.core.clock import PARIS

from back_office import ANSWER_DATE, decide, proposals, seed
from helpers import plain, post, submit, text_of


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
