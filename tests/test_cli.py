"""Command line: exports of proposals, the purge of personal data, and how long commands show their progress."""

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bluehats.core.clock import PARIS
from bluehats.core.vocabulary import Decision
from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import OutboxMessage, Proposal
from bluehats.web.database import write_transaction

from helpers import VALID, submit

ROOT = Path(__file__).resolve().parents[1]


def test_json_export_lists_what_was_stored(app, client):
    submit(client)
    submit(client, title="Une deuxième intervention", kind="autre", duration="5", job_title="")
    result = app.test_cli_runner().invoke(args=["proposals", "export", "--format", "json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [record["reference"] for record in records] == ["BH22-0001", "BH22-0002"]
    first = records[0]
    expected = {name: VALID[name] for name in VALID if name not in {"consent", "website", "duration"}}
    assert {name: first[name] for name in expected} == expected
    assert first["duration"] == 15
    assert first["status"] == "submitted"
    assert first["created_at"] == "2022-10-10T12:30:00+00:00"
    expected = {*VALID.keys() - {"consent", "website"}, "reference", "status", "created_at"}
    assert set(first) >= expected | {"edition", "decision", "preferred_day", "cospeakers"}
    assert set(first) - expected == {
        *("edition", "decision", "preferred_day", "cospeakers"),
        *("decided_at", "answered_at", "confirmed_at", "starts_at", "ends_at", "notes"),
    }
    assert (first["edition"], first["decision"], first["cospeakers"]) == ("osxp-2022", None, [])
    assert records[1]["job_title"] == ""


def test_csv_export_opens_in_a_french_spreadsheet(app, client):
    # Names cannot hold an @ (it would make a mail address): the administration carries that formula start.
    submit(
        client,
        title='=HYPERLINK("http://evil";"clic")',
        first_name="+33 Élodie",
        last_name="-Müller-Ñ",
        administration="@Ministère",
    )
    result = app.test_cli_runner().invoke(args=["proposals", "export", "--format", "csv"])
    assert result.exit_code == 0
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: accents survive in LibreOffice and Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    row = rows[0]
    assert row["Titre"] == '\'=HYPERLINK("http://evil";"clic")'
    assert row["Prénom"] == "'+33 Élodie"
    assert row["Nom"] == "'-Müller-Ñ"
    assert row["Administration"] == "'@Ministère"
    assert row["Description"] == VALID["abstract"]
    assert list(row) == [
        *("Référence", "État", "Reçue le", "Prénom", "Nom", "Adresse électronique", "Administration"),
        *("Fonction", "Titre", "Description", "Type", "Durée (minutes)", "Jour préféré", "Co-intervenant·es"),
        *("Décision", "Réponse envoyée le", "Participation confirmée le", "Créneau : jour", "Créneau : heure"),
        "Notes internes",
    ]
    # Labels, not codes; Paris time to the minute, as a French spreadsheet reads a date.
    assert (row["État"], row["Type"], row["Décision"]) == ("Reçue", "Retour d’expérience", "À décider")
    assert row["Reçue le"] == "10/10/2022 14:30"


def test_csv_export_has_what_it_takes_to_decide(app, client, clock):
    from bluehats.admin.operations import add_note
    from bluehats.decisions import decide, send_decisions
    from bluehats.programme import place_talk
    from bluehats.web.templating import current_edition

    submit(
        client,
        **{"cospeakers-0-first_name": "Jérémy", "cospeakers-0-last_name": "Lal", "cospeakers-0-email": "j@debian.org"},
        **{"cospeakers-0-administration": "Debian"},
    )
    clock.set(datetime(2022, 10, 21, 10, 0, tzinfo=PARIS))
    with app.test_request_context():
        add_note(1, "orga@numerique.gouv.fr", "Très attendu")
        decide(1, Decision.ACCEPTED, "orga@numerique.gouv.fr")
        send_decisions("orga@numerique.gouv.fr")
        place_talk(current_edition(), "BH22-0001", datetime(2022, 11, 8, 9, 30, tzinfo=PARIS), "orga@numerique.gouv.fr")
    raw = app.test_cli_runner().invoke(args=["proposals", "export", "--format", "csv"]).stdout_bytes
    [row] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert row["Décision"] == "Acceptée"
    assert row["Réponse envoyée le"] == "21/10/2022 10:00"
    assert row["Participation confirmée le"] == ""
    assert (row["Créneau : jour"], row["Créneau : heure"]) == ("08/11/2022", "09:30–09:45")
    assert row["Co-intervenant·es"] == "Jérémy Lal (Debian, j@debian.org)"
    assert row["Notes internes"] == "21/10/2022 10:00, orga@numerique.gouv.fr : Très attendu"
    records = json.loads(app.test_cli_runner().invoke(args=["proposals", "export", "--format", "json"]).stdout)
    record = records[0]
    assert record["decision"] == "accepted" and record["status"] == "submitted"
    assert record["cospeakers"] == [
        {"first_name": "Jérémy", "last_name": "Lal", "email": "j@debian.org", "administration": "Debian"}
    ]
    assert record["starts_at"] == "2022-11-08T08:30:00+00:00"
    assert record["notes"][0]["text"] == "Très attendu"


def test_export_of_an_empty_base(app):
    result = app.test_cli_runner().invoke(args=["proposals", "export", "--format", "json"])
    assert json.loads(result.stdout) == []


def test_purge_erases_personal_data_before_the_date(app, client, clock):
    submit(client)
    clock.set(datetime(2022, 10, 12, 9, tzinfo=PARIS))
    submit(client, email="autre.agent@culture.gouv.fr")
    result = app.test_cli_runner().invoke(args=["proposals", "purge", "--before", "2022-10-11"])
    assert result.exit_code == 0
    assert "1 proposition anonymisée." in result.output
    with app.app_context():
        old, recent = db.session.scalars(select(Proposal).order_by(Proposal.id)).all()
        assert (old.first_name, old.last_name, old.email, old.abstract) == ("", "", "", "")
        assert old.purged_at is not None
        assert old.kind == "retour-experience" and old.duration == 15  # anonymous statistics stay
        assert recent.email == "autre.agent@culture.gouv.fr"
        mails = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.proposal_id == old.id)
        )
        assert mails == 0
    again = app.test_cli_runner().invoke(args=["proposals", "purge", "--before", "2022-10-11"])
    assert "0 proposition anonymisée" in again.output


def test_purge_needs_a_valid_date(app):
    result = app.test_cli_runner().invoke(args=["proposals", "purge", "--before", "hier"])
    assert result.exit_code != 0


def queue_mails(app, count: int) -> None:
    with app.app_context(), write_transaction():
        for index in range(count):
            outbox.queue(
                outbox.Mail([f"agent{index}@culture.gouv.fr"], f"Courriel {index}", "Texte.", "<p>Texte.</p>"), "test"
            )


def in_a_terminal(app, *arguments: str) -> str:
    """Run a flask command as an organiser at a console does, a terminal on its output; return what it showed."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("FLASK_")}
    env |= {
        "BLUEHATS_INSTANCE_PATH": app.instance_path,
        "FLASK_SECRET_KEY": app.config["SECRET_KEY"],
        "FLASK_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "FLASK_MAIL_SERVER": app.config["MAIL_SERVER"],
        "FLASK_MAIL_PORT": str(app.config["MAIL_PORT"]),
        "FLASK_BLUEHATS_SITE_URL": app.config["BLUEHATS_SITE_URL"],
        # Outside tests the legal notice's publisher and host are required.
        "FLASK_BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris",
        "FLASK_BLUEHATS_HOST": "Hébergeur de test, Paris",
        "COLUMNS": "100",
    }
    terminal, command_side = pty.openpty()
    flask = Path(sys.executable).parent / "flask"
    command = subprocess.Popen(
        [flask, "--app", "app", *arguments],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=command_side,
        stderr=command_side,
    )
    os.close(command_side)
    shown = b""
    while True:
        try:
            data = os.read(terminal, 4096)
        except OSError:  # the command has ended and closed the terminal
            break
        if not data:
            break
        shown += data
    os.close(terminal)
    assert command.wait(timeout=60) == 0, shown.decode()
    return shown.decode()


def propose_three(app, client) -> None:
    for index in range(3):
        assert submit(client, email=f"agent{index}@culture.gouv.fr", title=f"Intervention {index}").status_code == 303
    with app.app_context(), write_transaction():
        for proposal in db.session.scalars(select(Proposal)):
            proposal.decision = Decision.ACCEPTED


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "count", "summary"),
    [
        (["outbox", "deliver"], "150/150", "150 envoyés, 0 à réessayer, 0 en échec."),
        (["proposals", "purge", "--before", "2099-01-01"], "3/3", "3 propositions anonymisées."),
        (["decisions", "send"], "3/3", "3 réponses mises en file d’envoi"),
    ],
)
def test_a_long_command_shows_its_progress_on_a_terminal(make_app, smtp, arguments, count, summary):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BLUEHATS_MAIL_DELIVERY="worker")
    if arguments[0] == "outbox":
        queue_mails(app, 150)
    else:
        propose_three(app, app.test_client())
    shown = in_a_terminal(app, *arguments)
    assert count in shown
    assert "[####" in shown  # the bar, full
    assert shown.rstrip().splitlines()[-1].startswith(summary)


def test_without_a_terminal_a_long_command_prints_its_summary_only(make_app, smtp):
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, BLUEHATS_MAIL_DELIVERY="worker")
    queue_mails(app, 150)
    result = app.test_cli_runner().invoke(args=["outbox", "deliver"])
    assert result.output == "150 envoyés, 0 à réessayer, 0 en échec.\n"
    assert len(smtp.messages) == 150
