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
from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import Decision, OutboxMessage, Proposal
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
    assert set(first) == expected | {"edition", "decision", "preferred_day", "cospeakers"}
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
    assert row["title"] == '\'=HYPERLINK("http://evil";"clic")'
    assert row["first_name"] == "'+33 Élodie"
    assert row["last_name"] == "'-Müller-Ñ"
    assert row["administration"] == "'@Ministère"
    assert row["abstract"] == VALID["abstract"]
    assert list(row) == [
        "reference",
        "status",
        "created_at",
        "first_name",
        "last_name",
        "email",
        "administration",
        "job_title",
        "title",
        "abstract",
        "kind",
        "duration",
    ]


def test_export_of_an_empty_base(app):
    result = app.test_cli_runner().invoke(args=["proposals", "export", "--format", "json"])
    assert json.loads(result.stdout) == []


def test_purge_erases_personal_data_before_the_date(app, client, clock):
    submit(client)
    clock.set(datetime(2022, 10, 12, 9, tzinfo=PARIS))
    submit(client, email="autre.agent@culture.gouv.fr")
    result = app.test_cli_runner().invoke(args=["proposals", "purge", "--before", "2022-10-11"])
    assert result.exit_code == 0
    assert "1 proposition(s) anonymisée(s)." in result.output
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
    assert "0 proposition(s)" in again.output


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
        (["outbox", "deliver"], "150/150", "150 envoyé(s), 0 à réessayer, 0 en échec."),
        (["proposals", "purge", "--before", "2099-01-01"], "3/3", "3 proposition(s) anonymisée(s)."),
        (["decisions", "send"], "3/3", "3 réponse(s) mise(s) en file d’envoi"),
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
    assert result.output == "150 envoyé(s), 0 à réessayer, 0 en échec.\n"
    assert len(smtp.messages) == 150
