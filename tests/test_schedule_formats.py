"""The published programme as /programme, /programme.ics and the formats of conference tools, validated."""

import json
import re
from datetime import datetime
from pathlib import Path

import markdown
import pytest
from icalendar import Calendar
from jsonschema import Draft6Validator
from lxml import etree

from bluehats.core.clock import PARIS
from bluehats.core.content import CONTENT_DIR
from bluehats.core.edition import load_edition
from bluehats.core.exports import archive_markdown
from bluehats.core.schedule_formats import acronym, talk_guid
from bluehats.programme import scheduled_talks
from bluehats.web.templating import current_edition

from helpers import build_programme, text_of

VOC = Path(__file__).parent / "data" / "voc-schedule"
AFTER_PUBLICATION = datetime(2022, 10, 22, 10, tzinfo=PARIS)
LIVE = ["BH22-0001", "BH22-0002", "BH22-0003", "BH22-0004"]


def voc_json_schema() -> dict:
    """Read the c3voc JSON schema as committed (it carries two // comment lines, which JSON does not allow)."""
    text = (VOC / "schema.json").read_text(encoding="utf-8")
    return json.loads(re.sub(r"^\s*//.*$", "", text, flags=re.M))


def json_errors(document: dict) -> list[str]:
    """Return what the c3voc schema, formats included, finds wrong in a schedule JSON."""
    validator = Draft6Validator(voc_json_schema(), format_checker=Draft6Validator.FORMAT_CHECKER)
    errors = []
    for error in validator.iter_errors(document):
        # The schema asks a date-time for an event's "start", where pretalx and frab, and the apps reading
        # them, write « HH:MM »: we write what the apps read, the full date-time being in "date".
        if error.validator == "format" and list(error.path)[-1:] == ["start"] and len(error.path) > 4:
            assert re.fullmatch(r"[0-2]\d:[0-5]\d", error.instance)
            continue
        errors.append(f"{'/'.join(map(str, error.path))}: {error.message}")
    return errors


def xml_errors(body: bytes) -> list[str]:
    """Return what the c3voc XSD finds wrong in a schedule XML."""
    schema = etree.XMLSchema(etree.parse(str(VOC / "schedule.xml.xsd")))
    document = etree.fromstring(body)
    schema.validate(document)
    return [f"{error.line}: {error.message}" for error in schema.error_log]


@pytest.fixture
def programme_client(app, clock):
    build_programme(app)
    clock.set(AFTER_PUBLICATION)
    return app.test_client()


def test_the_programme_lists_each_day_with_its_breaks_in_order(programme_client):
    page = programme_client.get("/programme")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert "Mardi 8 novembre 2022" in text
    order = [
        "9 h Accueil",
        "9 h 30 Notre passage à LibreOffice",
        "Camille Dupont (Ministère de l’Intérieur)",
        "9 h 45 apps.education.fr",
        "Alexis Kauffmann et Philippe Ajuelos (MENJS)",
        "12 h 30 Pause déjeuner (jusqu’à 14 h)",
        "14 h Eole & les <communs> de l’Intérieur",
        "Eric Tiquet, Thibault Colin et Yoann Arthaud (DNUM MI)",
        "14 h 15 Debian",
        "Stéphane Paillet (MENJS) et Jérémy Lal (Debian)",
    ]
    positions = [text.index(fragment) for fragment in order]
    assert positions == sorted(positions)
    for hidden in ("Une intervention annulée", "Une intervention sans horaire", "Une proposition refusée"):
        assert hidden not in text
    html = page.get_data(as_text=True)
    assert "&lt;communs&gt;" in html  # the speaker's text, escaped
    assert 'href="/programme/BH22-0002"' in html
    assert 'href="https://tube.numerique.gouv.fr/w/abc"' in html and "Revoir" in text
    assert html.count("<details") == 4 and "<table" not in html


def test_the_programme_calendar_has_one_event_per_talk_with_all_its_speakers(programme_client):
    response = programme_client.get("/programme.ics")
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert [str(event["uid"]) for event in events] == [f"{reference.lower()}@bluehats" for reference in LIVE]
    second = events[1]
    assert str(second["summary"]) == "apps.education.fr, un an après"
    assert "Alexis Kauffmann et Philippe Ajuelos (MENJS)" in str(second["description"])
    assert str(second["url"]) == "http://bluehats.test/programme/BH22-0002"
    assert second.decoded("dtstart") == datetime(2022, 11, 8, 9, 45, tzinfo=PARIS)
    assert not any("Pause" in str(event["summary"]) for event in events)


def test_the_schedule_json_is_valid_and_complete(programme_client):
    response = programme_client.get("/programme.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    document = response.get_json()
    assert json_errors(document) == []
    conference = document["schedule"]["conference"]
    assert conference["acronym"] == "osxp_2022" and conference["title"] == "Journée BlueHats 2022"
    assert (conference["start"], conference["end"], conference["daysCount"]) == ("2022-11-08", "2022-11-08", 1)
    assert conference["time_zone_name"] == "Europe/Paris" and conference["timeslot_duration"] == "00:05"
    [day] = conference["days"]
    [(room, events)] = day["rooms"].items()
    assert room == "Salle 252B"
    assert [event["guid"] for event in events] == [talk_guid(reference) for reference in LIVE]
    eole = events[2]
    assert [person["name"] for person in eole["persons"]] == ["Eric Tiquet", "Thibault Colin", "Yoann Arthaud"]
    assert (eole["start"], eole["duration"], eole["language"]) == ("14:00", "00:15", "fr")
    assert eole["date"] == "2022-11-08T14:00:00+01:00"
    assert eole["type"] == "Retour d’expérience"
    assert eole["url"] == "http://bluehats.test/programme/BH22-0003"
    assert events[0]["links"] == [{"url": "https://tube.numerique.gouv.fr/w/abc", "title": "Enregistrement"}]


def test_the_schedule_xml_is_valid_and_complete(programme_client):
    response = programme_client.get("/programme.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert xml_errors(response.data) == []
    root = etree.fromstring(response.data)
    assert root.findtext("conference/acronym") == "osxp_2022"
    assert root.findtext("conference/time_zone_name") == "Europe/Paris"
    events = root.findall("day/room/event")
    assert [event.get("guid") for event in events] == [talk_guid(reference) for reference in LIVE]
    assert events[2].findtext("title") == "Eole & les <communs> de l’Intérieur"
    assert [person.text for person in events[3].iterfind("persons/person")] == ["Stéphane Paillet", "Jérémy Lal"]
    assert (events[3].findtext("start"), events[3].findtext("duration")) == ("14:15", "00:10")
    assert events[0].find("links/link").get("href") == "https://tube.numerique.gouv.fr/w/abc"


@pytest.mark.parametrize("url", ["/programme.json", "/programme.xml"])
def test_before_publication_the_formats_are_a_valid_empty_schedule(app, clock, url):
    build_programme(app, published=False)
    clock.set(datetime(2022, 10, 20, tzinfo=PARIS))
    response = app.test_client().get(url)
    assert response.status_code == 200
    if url.endswith(".json"):
        assert json_errors(response.get_json()) == []
        assert response.get_json()["schedule"]["conference"]["days"][0]["rooms"] == {"Salle 252B": []}
    else:
        assert xml_errors(response.data) == []
        assert etree.fromstring(response.data).findall("day/room/event") == []
    assert "BH22" not in response.get_data(as_text=True)


def test_the_version_changes_with_the_programme(programme_client, app):
    before = programme_client.get("/programme.json").get_json()["schedule"]["version"]
    assert programme_client.get("/programme.json").get_json()["schedule"]["version"] == before
    from bluehats.extensions import db
    from bluehats.models import Proposal

    with app.app_context():
        db.session.get(Proposal, 2).public_title = "apps.education.fr"
        db.session.commit()
    after = programme_client.get("/programme.json").get_json()["schedule"]["version"]
    assert after != before


def test_the_xml_drops_characters_xml_cannot_carry(programme_client, app):
    from bluehats.extensions import db
    from bluehats.models import Proposal

    with app.app_context():
        db.session.get(Proposal, 1).abstract = "Un saut\x0b de page\x0c collé"
        db.session.commit()
    response = programme_client.get("/programme.xml")
    assert xml_errors(response.data) == []
    assert "Un saut de page collé" in response.get_data(as_text=True)


def test_the_acronym_keeps_to_the_schema_pattern(app):
    pattern = voc_json_schema()["definitions"]["Conference"]["properties"]["acronym"]["pattern"]
    with app.app_context():
        assert re.match(pattern, acronym(current_edition()))


def test_the_archive_page_lists_each_talk_with_its_recording(programme_client, app):
    with app.app_context():
        talks = scheduled_talks("osxp-2022")
        talks[1].video_url = "javascript:alert(1)"
        talks[2].video_url = "https://tube.example/w/x(1) {{ site }}"
        page = archive_markdown(current_edition(), talks)
    front, body = page.split("---\n")[1:]
    assert "title: Présentations de la journée BlueHats 2022" in front
    lines = body.strip().splitlines()
    assert len(lines) == 4
    # What the community site shows once Jekyll has rendered the Markdown:
    shown = [markdown.markdown(line) for line in lines]
    assert text_of(shown[0]) == (
        "Notre passage à LibreOffice : 300 préfectures, Camille Dupont (Ministère de l’Intérieur) : revoir"
    )
    assert 'href="https://tube.numerique.gouv.fr/w/abc"' in shown[0]
    assert text_of(shown[1]) == "apps.education.fr, un an après, Alexis Kauffmann et Philippe Ajuelos (MENJS)"
    assert "href" not in shown[1]  # not an http(s) address: no link
    assert "Eole &amp; les &lt;communs&gt;" in shown[2] and "{{" not in lines[2]
    assert 'href="https://tube.example/w/x%281%29%20%7B%7B%20site%20%7D%7D"' in shown[2]


def test_the_archive_page_of_several_days_says_so():
    edition = load_edition(CONTENT_DIR / "journee-bluehats-osxp-2023.md")
    assert "title: Présentations des journées BlueHats 2023" in archive_markdown(edition, [])
