"""The programme of 8 November 2022 rebuilt as the organisers built it: 19 talks, co-speakers, a lunch break."""

from datetime import datetime, timedelta

import frontmatter
import pytest
from icalendar import Calendar
from test_schedule_formats import json_errors, xml_errors

from bluehats.admin.accounts import add_organiser
from bluehats.core.clock import PARIS

from helpers import VALID, csrf_token, submit, text_of

ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"
# Talks with several speakers, as the published programme wrote them (the others have one).
TEAMS = {
    2: [("Alexis", "Kauffmann", "MENJS"), ("Philippe", "Ajuelos", "MENJS")],
    7: [("Stéphane", "Paillet", "MENJS"), ("Jérémy", "Lal", "Debian")],
    12: [("Eric", "Tiquet", "DNUM MI"), ("Thibault", "Colin", "DNUM MI"), ("Yoann", "Arthaud", "DNUM MI")],
    16: [("Bastien", "Guerry", "DINUM"), ("Camille", "Moulin", "DINUM")],
}
DAY = datetime(2022, 11, 8, tzinfo=PARIS)


def slot(index: int) -> datetime:
    """Return the start of talk `index` (0-based): blocks of three from 9:30, lunch from 12:30 to 14:00."""
    morning = DAY.replace(hour=9, minute=30) + timedelta(minutes=20 * index)
    return morning if index < 9 else DAY.replace(hour=14) + timedelta(minutes=20 * (index - 9))


def propose(client, number: int) -> None:
    team = TEAMS.get(number, [("Camille", f"Agent{number}", "DINUM")])
    data = {
        "first_name": team[0][0],
        "last_name": team[0][1],
        "administration": team[0][2],
        "email": f"intervenant{number}@numerique.gouv.fr",
        "title": f"Intervention {number} de la Journée BlueHats",
        "duration": "20",
    }
    for row, (first, last, administration) in enumerate(team[1:]):
        data |= {
            f"cospeakers-{row}-first_name": first,
            f"cospeakers-{row}-last_name": last,
            f"cospeakers-{row}-email": f"co{row}.intervenant{number}@numerique.gouv.fr",
            f"cospeakers-{row}-administration": administration,
        }
    assert submit(client, **data).status_code == 303


@pytest.mark.slow
def test_the_8_november_2022_programme(app, smtp, clock):
    for number in range(1, 20):
        speaker = app.test_client()
        speaker.environ_base["REMOTE_ADDR"] = f"10.8.11.{number}"  # nineteen agents, nineteen desks
        propose(speaker, number)
    runner = app.test_cli_runner()
    for number in range(1, 20):
        assert runner.invoke(args=["decisions", "set", f"BH22-{number:04d}", "accepted"]).exit_code == 0
    assert runner.invoke(args=["decisions", "send"]).exit_code == 0
    clock.set(datetime(2022, 10, 21, 9, 30, tzinfo=PARIS))
    for index in range(19):
        result = runner.invoke(args=["programme", "place", f"BH22-{index + 1:04d}", slot(index).isoformat()])
        assert result.exit_code == 0, result.output
    lunch = ["Pause déjeuner", DAY.replace(hour=12, minute=30).isoformat(), DAY.replace(hour=14).isoformat()]
    assert runner.invoke(args=["programme", "break", *lunch]).exit_code == 0
    assert runner.invoke(args=["programme", "publish"]).exit_code == 0
    assert (
        runner.invoke(args=["programme", "video", "BH22-0012", "https://video.example.gouv.fr/w/bh22-12"]).exit_code
        == 0
    )

    visitor = app.test_client()
    page = text_of(visitor.get("/programme").get_data(as_text=True))
    assert page.count("Intervention ") >= 19
    assert "Alexis Kauffmann et Philippe Ajuelos (MENJS)" in page
    assert "Stéphane Paillet (MENJS) et Jérémy Lal (Debian)" in page
    assert "Eric Tiquet, Thibault Colin et Yoann Arthaud (DNUM MI)" in page
    assert page.index("Intervention 9 de la Journée") < page.index("Pause déjeuner") < page.index("Intervention 10 de")
    assert "Revoir" in page

    calendar = Calendar.from_ical(visitor.get("/programme.ics").data)
    events = calendar.walk("VEVENT")
    assert len(events) == 19
    assert events[0].decoded("dtstart") == DAY.replace(hour=9, minute=30)
    assert events[-1].decoded("dtend") == DAY.replace(hour=17, minute=20)
    assert any(
        "Eric Tiquet, Thibault Colin et Yoann Arthaud (DNUM MI)" in str(event["description"]) for event in events
    )

    schedule = visitor.get("/programme.json").get_json()
    assert json_errors(schedule) == []
    rooms = schedule["schedule"]["conference"]["days"][0]["rooms"]
    talks = [talk for room in rooms.values() for talk in room]
    assert len(talks) == 19
    assert [person["public_name"] for person in talks[11]["persons"]] == [
        "Eric Tiquet",
        "Thibault Colin",
        "Yoann Arthaud",
    ]
    xml = visitor.get("/programme.xml").data
    assert xml_errors(xml) == []
    assert xml.count(b"<event ") == 19

    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    admin = app.test_client()
    token = csrf_token(admin, "/organisation/connexion")
    admin.post("/organisation/connexion", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token})
    jekyll = frontmatter.loads(admin.get("/organisation/programme.md").get_data(as_text=True))
    assert len(jekyll["programme"]) == 19
    assert jekyll["programme"][0]["horaire"] == "09:30"
    archive = admin.get("/organisation/programme-archive.md").get_data(as_text=True)
    assert frontmatter.loads(archive)["title"] == "Présentations de la journée BlueHats 2022"
    assert "https://video.example.gouv.fr/w/bh22-12" in archive
    assert archive.count("\n- ") == 19
    assert VALID["email"] not in archive
