"""Co-speakers: named on the form, mailed a copy of the confirmation and of the answer, editable, on the programme."""

from datetime import datetime

import pytest
from sqlalchemy import func, select

from bluehats.core.clock import PARIS
from bluehats.core.people import Person, speakers_line
from bluehats.extensions import db
from bluehats.models import CoSpeaker, Proposal

from helpers import VALID, csrf_token, plain, submit, text_of

TEAM = {
    "cospeakers-0-first_name": "Thibault",
    "cospeakers-0-last_name": "Colin",
    "cospeakers-0-email": "thibault.colin@interieur.gouv.fr",
    "cospeakers-0-administration": "DNUM MI",
    "cospeakers-1-first_name": "Yoann",
    "cospeakers-1-last_name": "Arthaud",
    "cospeakers-1-email": "yoann.arthaud@interieur.gouv.fr",
    "cospeakers-1-administration": "DNUM MI",
}


@pytest.mark.parametrize(
    ("people", "line"),
    [
        (
            [("Alexis Kauffmann", "MENJS"), ("Philippe Ajuelos", "MENJS")],
            "Alexis Kauffmann et Philippe Ajuelos (MENJS)",
        ),
        ([("Stéphane Paillet", "MENJS"), ("Jérémy Lal", "Debian")], "Stéphane Paillet (MENJS) et Jérémy Lal (Debian)"),
        (
            [("Eric Tiquet", "DNUM MI"), ("Thibault Colin", "DNUM MI"), ("Yoann Arthaud", "DNUM MI")],
            "Eric Tiquet, Thibault Colin et Yoann Arthaud (DNUM MI)",
        ),
        ([("Camille Dupont", "DINUM")], "Camille Dupont (DINUM)"),
    ],
)
def test_people_are_written_the_french_way(people, line):
    assert speakers_line([Person(*person) for person in people]) == line


def test_co_speakers_are_stored_and_get_a_copy_without_the_private_link(app, client, smtp):
    answer = submit(client, **TEAM)
    assert answer.status_code == 303
    with app.app_context():
        proposal = db.session.scalars(select(Proposal)).one()
        assert [co.name for co in proposal.cospeakers] == ["Thibault Colin", "Yoann Arthaud"]
        assert proposal.speakers_line == (
            "Camille Dupont (Ministère de l’Intérieur et des Outre-mer) et Thibault Colin et Yoann Arthaud (DNUM MI)"
        )
    [copy] = smtp.to("thibault.colin@interieur.gouv.fr")
    assert smtp.to("yoann.arthaud@interieur.gouv.fr") == [copy]
    body = plain(copy.get_body(("plain",)).get_content())
    assert "Camille Dupont vous indique comme co-intervenant·e" in body
    assert "Co-intervenant·e 2 : Yoann Arthaud, DNUM MI" in body
    assert "/proposition/" not in body  # the link to edit or withdraw is the speaker's alone
    assert copy["Reply-To"].addresses[0].addr_spec == VALID["email"]
    speaker = plain(smtp.to(VALID["email"])[0].get_body(("plain",)).get_content())
    assert "Co-intervenant·e 1 : Thibault Colin, DNUM MI (thibault.colin@interieur.gouv.fr)" in speaker
    assert "Thibault Colin" in text_of(client.get("/proposer/merci").get_data(as_text=True))


@pytest.mark.parametrize("missing", ["first_name", "last_name", "email", "administration"])
def test_a_partly_filled_row_is_an_error_on_its_missing_fields(app, client, smtp, missing):
    row = {key: value for key, value in TEAM.items() if key.startswith("cospeakers-0-")}
    row[f"cospeakers-0-{missing}"] = ""
    answer = submit(client, **row)
    assert answer.status_code == 200
    html = answer.get_data(as_text=True)
    text = text_of(html)
    assert "Ce champ est obligatoire pour chaque co-intervenant·e indiqué·e." in text
    assert f'href="#cospeakers-0-{missing}"' in html  # the error summary leads to the field
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
        assert db.session.scalar(select(func.count()).select_from(CoSpeaker)) == 0
    assert smtp.messages == []


def test_a_co_speaker_address_is_checked_like_the_speaker_s(app, client):
    answer = submit(client, **{**TEAM, "cospeakers-1-email": "yoann@"})
    assert "Co-intervenant·e 2, adresse électronique : Saisissez une adresse électronique valide" in text_of(
        answer.get_data(as_text=True)
    )


def test_the_speaker_edits_co_speakers_through_the_private_link(app, client, smtp):
    import re

    submit(client, **TEAM)
    link = re.search(r"http://bluehats\.test(/proposition/\S+)", smtp.to(VALID["email"])[0].as_string()).group(1)
    page = client.get(link).get_data(as_text=True)
    assert 'value="Yoann"' in page
    data = {key: value for key, value in VALID.items() if key not in {"email", "consent", "website"}}
    data |= {key: value for key, value in TEAM.items() if key.startswith("cospeakers-0-")}
    data |= {"cospeakers-1-first_name": "", "cospeakers-1-last_name": "", "cospeakers-1-email": ""}
    data |= {"cospeakers-1-administration": "", "csrf_token": csrf_token(client, link)}
    assert client.post(link, data=data).status_code == 303
    assert "Modification enregistrée (co-intervenant·es)" in text_of(client.get(link).get_data(as_text=True))
    with app.app_context():
        assert [co.name for co in db.session.scalars(select(CoSpeaker))] == ["Thibault Colin"]


def test_co_speakers_get_a_copy_of_the_answer(app, client, smtp, clock):
    from bluehats.decisions import decide, send_decisions

    submit(client, **TEAM)
    with app.test_request_context():
        decide(1, "accepted", "orga")
        send_decisions("orga")
    clock.set(datetime(2022, 10, 21, 9, tzinfo=PARIS))
    assert app.test_cli_runner().invoke(args=["outbox", "deliver"]).exit_code == 0
    [_, copy] = smtp.to("yoann.arthaud@interieur.gouv.fr")
    body = plain(copy.get_body(("plain",)).get_content())
    assert "Voici la réponse que nous lui adressons" in body
    assert "est retenue" in plain(str(copy["Subject"]))
    assert "(lien personnel envoyé à Camille Dupont)" in body and "/proposition/" not in body
    [_, answer] = smtp.to(VALID["email"])
    assert "/proposition/" in answer.get_body(("plain",)).get_content()
