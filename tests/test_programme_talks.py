"""Accepted talks: slides, recordings, cancellations, breaks, and the commands organisers script."""

import io
import re
import stat
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from bluehats.admin.accounts import add_organiser
from bluehats.core.clock import PARIS
from bluehats.core.vocabulary import Change, Status
from bluehats.decisions import decide, send_decisions
from bluehats.extensions import db
from bluehats.models import Break, Proposal
from bluehats.programme import set_publication

from helpers import VALID, csrf_token, plain, submit, text_of

ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"
ANSWER_DAY = datetime(2022, 10, 21, 10, tzinfo=PARIS)


def real_pdf(text: str = "Support BlueHats") -> bytes:
    """Return a small, valid one-page PDF (its cross-reference table computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << >> >>",
    ]
    stream = f"BT /F1 24 Tf 72 760 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def accepted(app, client, smtp, clock):
    """A proposal accepted, answered, placed at 9:00 and published; returns the speaker's private link."""
    submit(client)
    with app.test_request_context():
        decide(1, "accepted", "orga")
        send_decisions("orga")
    clock.set(ANSWER_DAY)
    app.test_cli_runner().invoke(args=["outbox", "deliver"])
    runner = app.test_cli_runner()
    assert runner.invoke(args=["programme", "place", "BH22-0001", "2022-11-08T09:00:00+01:00"]).exit_code == 0
    with app.test_request_context():
        set_publication(ANSWER_DAY)
    body = smtp.to(VALID["email"])[-1].get_body(("plain",)).get_content()
    return re.search(r"http://bluehats\.test(/proposition/\S+)", body).group(1)


def upload(client, link, content: bytes, name="support.pdf"):
    # The body is encoded in memory: the test client would spool a large one to a file it never closes.
    token = csrf_token(client, link)
    boundary, body = encode_multipart({"csrf_token": token, "slides": FileStorage(io.BytesIO(content), filename=name)})
    return client.post(f"{link}/support", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored(app) -> Proposal:
    with app.app_context():
        proposal = db.session.get(Proposal, 1)
        db.session.expunge(proposal)
        return proposal


def test_the_speaker_uploads_a_pdf_that_visitors_download(app, client, accepted):
    pdf = real_pdf()
    assert upload(client, accepted, pdf).status_code == 303
    assert "Votre support est déposé" in text_of(client.get(accepted).get_data(as_text=True))
    proposal = stored(app)
    path = Path(app.instance_path) / "slides" / proposal.slides_file
    assert path.read_bytes() == pdf
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not proposal.slides_file.startswith("support")  # a random name, not the uploaded one
    visitor = app.test_client()
    with visitor.get("/programme/BH22-0001/support") as answer:
        assert answer.status_code == 200
        assert answer.mimetype == "application/pdf"
        assert answer.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
        assert answer.data == pdf
        disposition = answer.headers["Content-Disposition"]
        assert "bh22-0001-notre-passage-a-libreoffice-dans-300-prefectures.pdf" in disposition


def test_a_renamed_png_is_refused(app, client, accepted):
    upload(client, accepted, PNG, name="support.pdf")
    assert "Ce fichier n’est pas un PDF" in text_of(client.get(accepted).get_data(as_text=True))
    assert stored(app).slides_file is None
    assert not list((Path(app.instance_path) / "slides").glob("*"))


def test_slides_over_twenty_megabytes_are_refused_in_french(app, client, accepted):
    big = real_pdf() + b"%" + b"0" * (20 * 1024 * 1024)
    answer = upload(client, accepted, big)
    assert answer.status_code == 303
    assert "Le fichier dépasse 20 Mo" in text_of(client.get(accepted).get_data(as_text=True))
    assert stored(app).slides_file is None
    assert not list((Path(app.instance_path) / "slides").glob("*"))
    huge = upload(client, accepted, b"%PDF-" + b"0" * (22 * 1024 * 1024))  # past what the site reads at all
    assert huge.status_code == 413
    assert "Envoi trop volumineux" in text_of(huge.get_data(as_text=True))


def test_the_speaker_removes_the_slides(app, client, accepted):
    upload(client, accepted, real_pdf())
    name = stored(app).slides_file
    client.post(f"{accepted}/support/retrait", data={"csrf_token": csrf_token(client, accepted)})
    assert stored(app).slides_file is None
    assert not (Path(app.instance_path) / "slides" / name).exists()
    assert app.test_client().get("/programme/BH22-0001/support").status_code == 404


def test_slides_of_an_unpublished_programme_are_not_served(app, client, accepted):
    upload(client, accepted, real_pdf())
    with app.test_request_context():
        set_publication(None)
    assert app.test_client().get("/programme/BH22-0001/support").status_code == 404


def test_the_speaker_cancels_the_talk_and_the_organisers_are_told(app, client, smtp, accepted):
    page = client.get(accepted).get_data(as_text=True)
    assert f'href="{accepted}/annulation"' in page
    question = client.get(f"{accepted}/annulation")
    assert "Une intervention annulée quitte le programme" in text_of(question.get_data(as_text=True))
    client.post(f"{accepted}/annulation", data={"csrf_token": csrf_token(client, f"{accepted}/annulation")})
    proposal = stored(app)
    assert proposal.status == Status.CANCELLED and proposal.cancelled_at is not None
    assert "Intervention annulée : « " + VALID["title"] + " »" in plain(str(smtp.messages[-1]["Subject"]))
    assert VALID["title"] not in text_of(app.test_client().get("/programme").get_data(as_text=True))
    with app.app_context():
        actions = [line.action for line in db.session.get(Proposal, 1).history]
    assert Change.CANCELLED in actions


def test_organisers_cancel_a_talk_after_the_answers(app, client, accepted):
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    admin = app.test_client()
    token = csrf_token(admin, "/organisation/connexion")
    admin.post("/organisation/connexion", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token})
    page = "/organisation/propositions/1"
    admin.post(f"{page}/annulation", data={"csrf_token": csrf_token(admin, page)})  # not confirmed: nothing
    assert stored(app).status == Status.SUBMITTED
    admin.post(f"{page}/annulation", data={"confirm": "oui", "csrf_token": csrf_token(admin, page)})
    assert stored(app).status == Status.CANCELLED
    admin.post(
        f"{page}/enregistrement", data={"video_url": "javascript:alert(1)", "csrf_token": csrf_token(admin, page)}
    )
    assert "doit commencer par https://" in text_of(admin.get(page).get_data(as_text=True))


def test_a_recording_link_from_the_command_line(app, accepted):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["programme", "video", "BH22-0001", "https://video.example.gouv.fr/w/bluehats-1"])
    assert result.exit_code == 0, result.output
    assert stored(app).video_url == "https://video.example.gouv.fr/w/bluehats-1"
    assert runner.invoke(args=["programme", "video", "BH22-0001", "ftp://x"]).exit_code != 0


def test_breaks_and_the_programme_s_warnings(app, accepted):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["programme", "break", "Pause déjeuner", "2022-11-08T12:30:00+01:00", "2022-11-08T14:00:00+01:00"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        [pause] = db.session.scalars(select(Break)).all()
        assert (pause.label, pause.edition) == ("Pause déjeuner", "osxp-2022")
    outside = runner.invoke(
        args=["programme", "break", "Soirée", "2022-11-08T19:00:00+01:00", "2022-11-08T20:00:00+01:00"]
    )
    assert outside.exit_code != 0 and "sort des horaires" in outside.output
    overlap = runner.invoke(
        args=["programme", "break", "Accueil", "2022-11-08T09:00:00+01:00", "2022-11-08T09:05:00+01:00"]
    )
    assert overlap.exit_code == 0
    with app.app_context():
        add_organiser(ORGANISER, PASSWORD)
    admin = app.test_client()
    token = csrf_token(admin, "/organisation/connexion")
    admin.post("/organisation/connexion", data={"email": ORGANISER, "password": PASSWORD, "csrf_token": token})
    text = text_of(admin.get("/organisation/programme").get_data(as_text=True))
    assert "BH22-0001 (9 h) chevauche Accueil (9 h)" in text
    assert "min libres avant Pause déjeuner (12 h 30)" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["programme", "place", "BH22-0099", "2022-11-08T10:00:00+01:00"], "Aucune proposition BH22-0099"),
        (["programme", "place", "BH22-0001", "2022-11-09T10:00:00+01:00"], "sort des horaires"),
        (["programme", "place", "BH22-0001", "demain"], "illisible"),
        (["decisions", "set", "BH22-0099", "accepted"], "Aucune proposition BH22-0099"),
    ],
)
def test_commands_refuse_clearly(app, accepted, arguments, message):
    result = app.test_cli_runner().invoke(args=arguments)
    assert result.exit_code != 0
    assert message in result.output


def test_no_decision_on_a_withdrawn_proposal(app, client, smtp):
    submit(client)
    link = re.search(r"http://bluehats\.test(/proposition/\S+)", smtp.messages[0].as_string()).group(1)
    client.post(f"{link}/retrait", data={"csrf_token": csrf_token(client, link)})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["decisions", "set", "BH22-0001", "accepted"])
    assert result.exit_code != 0 and "retirée" in result.output
    submit(client, title="Une autre intervention de Camille")
    assert runner.invoke(args=["decisions", "set", "bh22-0002", "accepted"]).exit_code == 0
    assert runner.invoke(args=["decisions", "set", "BH22-0002", "pending"]).exit_code == 0
