"""Hostile input and the site's defences: headers, limits, escaping, odd Unicode, forged tokens."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bluehats.extensions import db
from bluehats.models import OutboxMessage, Proposal

from helpers import VALID, csrf_token, submit, text_of

FIELDS = ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]
SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("url", ["/", "/proposer", "/programme", "/mentions-legales", "/healthz", "/nulle-part"])
def test_security_headers_on_every_answer(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "base-uri 'self'" in policy and "form-action 'self'" in policy
    assert "unsafe-inline" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def test_hsts_outside_debug_and_testing(make_app):
    assert "Strict-Transport-Security" not in make_app().test_client().get("/").headers
    production = make_app(TESTING=False)
    assert production.test_client().get("/").headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_templates_have_no_inline_script_or_style():
    from pathlib import Path

    for template in Path(__file__).resolve().parents[1].joinpath("templates").rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), template
        if "mail" not in template.parts:
            assert not re.search(r'\sstyle="|\son[a-z]+="', source), template


def test_proposal_posts_are_rate_limited_with_a_french_page(app, client):
    for index in range(10):
        assert submit(client, title=f"Une proposition numéro {index}").status_code == 303
    answer = submit(client, title="Une de trop en une minute")
    assert answer.status_code == 429
    assert "Trop de tentatives" in text_of(answer.get_data(as_text=True))
    assert int(answer.headers["Retry-After"]) > 0
    assert 'class="fr-header"' in answer.get_data(as_text=True)
    assert count(app, Proposal) == 10
    assert client.get("/proposer").status_code == 200  # reading the form is never limited


def test_oversized_body_gets_a_french_413(app, client):
    data = {**VALID, "abstract": "x" * 70_000, "csrf_token": csrf_token(client, "/proposer")}
    answer = client.post("/proposer", data=data)
    assert answer.status_code == 413
    assert "Envoi trop volumineux" in text_of(answer.get_data(as_text=True))
    assert count(app, Proposal) == 0


def test_wrong_content_type_stores_nothing(app, client):
    token = csrf_token(client, "/proposer")
    answer = client.post("/proposer", json={**VALID, "csrf_token": token})
    assert answer.status_code in {400, 200}
    assert count(app, Proposal) == 0
    answer = client.post("/proposer", data=b"\x00\xff garbage", content_type="multipart/form-data; boundary=zz")
    assert answer.status_code == 400
    assert count(app, Proposal) == 0


NAMES = {"first_name", "last_name"}


@pytest.mark.parametrize("field", sorted(NAMES))
def test_markup_in_a_name_is_refused_in_french(app, client, smtp, field):
    # A name appears in mail headers: the characters that make an address (< > , ; " @) have no place there.
    answer = submit(client, **{field: f"{VALID[field]} {SCRIPT}"})
    assert answer.status_code == 200
    assert 'Ce champ ne peut pas contenir les caractères < > , ; " @.' in text_of(answer.get_data(as_text=True))
    assert count(app, Proposal) == 0
    assert smtp.messages == []


# Markup is no address, and names refuse it (above).
@pytest.mark.parametrize("field", [field for field in FIELDS if field != "email" and field not in NAMES])
def test_script_in_any_field_is_escaped_everywhere(app, client, smtp, field):
    answer = submit(client, **{field: f"{VALID[field]} {SCRIPT}"})
    assert answer.status_code == 303
    confirmation = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in confirmation and "<img src=x" not in confirmation
    assert "&lt;script&gt;alert" in confirmation
    for mail in smtp.messages:
        html = mail.get_body(("html",)).get_content()
        assert "<script>alert" not in html and "<img src=x" not in html
    link = re.search(r'href="http://bluehats\.test(/proposition/[^"]+)"', confirmation).group(1)
    assert "<script>alert" not in client.get(link).get_data(as_text=True)


@pytest.mark.parametrize("field", ["first_name", "last_name", "email", "administration", "job_title", "title"])
@pytest.mark.parametrize("breaker", ["\r\nBcc: victim@example.org", "\nX-Injected: 1", "\rSubject: spam"])
def test_line_breaks_never_reach_a_header(app, client, smtp, field, breaker):
    answer = submit(client, **{field: VALID[field] + breaker})
    assert answer.status_code == 200
    assert "Ce champ doit tenir sur une seule ligne." in text_of(answer.get_data(as_text=True))
    assert count(app, Proposal) == 0
    assert smtp.messages == []


@pytest.mark.parametrize(
    "title",
    [
        "Cafe\u0301 et logiciels libres",  # combining accent
        "\u202eélbirdni\u202c texte à l’envers",  # right-to-left override
        "Les logiciels libres 🎉🐧 en préfecture",
        "انتقال به نرم‌افزار آزاد en français",
        "Ω≈ç√∫˜µ≤≥÷ et 𝕃𝕚𝕓𝕣𝕖",
    ],
)
def test_unusual_unicode_is_stored_intact(app, client, smtp, title):
    assert submit(client, title=title).status_code == 303
    with app.app_context():
        assert db.session.scalars(select(Proposal.title)).one() == title
    assert title in smtp.messages[0]["Subject"]


def test_nul_byte_is_refused_in_french(app, client):
    answer = submit(client, abstract=VALID["abstract"] + "\x00")
    assert answer.status_code == 200
    assert "caractères invisibles non autorisés" in text_of(answer.get_data(as_text=True))
    assert count(app, Proposal) == 0


def test_forged_csrf_token_is_refused(app, client):
    csrf_token(client, "/proposer")
    answer = client.post("/proposer", data={**VALID, "csrf_token": "ImZvcmdlZCI.ZZZZZZ.forged"})
    assert answer.status_code == 400
    assert count(app, Proposal) == 0


def form_inputs():
    """Arbitrary text for every field, including control characters and surrogates' neighbours."""
    text = st.text(st.characters(codec="utf-8"), max_size=300)
    return st.fixed_dictionaries(
        {
            "first_name": text,
            "last_name": text,
            "email": st.one_of(text, st.emails()),
            "administration": text,
            "job_title": text,
            "title": text,
            "abstract": st.one_of(text, st.text(min_size=50, max_size=1600)),
            "kind": st.one_of(text, st.sampled_from(["retour-experience", "autre"])),
            "duration": st.one_of(text, st.sampled_from(["5", "10", "15", "20"])),
            "consent": st.sampled_from(["y", ""]),
            "website": st.one_of(st.just(""), text),
        }
    )


@pytest.fixture
def open_app(make_app):
    """One app for every example: no limit, mails left to the worker."""
    app = make_app(RATELIMIT_ENABLED=False, BLUEHATS_MAIL_DELIVERY="worker")
    app.accepted = set()  # (email, title) already stored: sending them again is a double submit
    return app


# The app (and its database) is shared by the examples on purpose: each one checks what it added.
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=form_inputs())
def test_arbitrary_input_gets_a_redirect_or_french_errors_never_a_500(open_app, data):
    app = open_app
    client = app.test_client()
    before_proposals, before_mails = count(app, Proposal), count(app, OutboxMessage)
    answer = client.post("/proposer", data={**data, "csrf_token": csrf_token(client, "/proposer")})
    assert answer.status_code in {303, 200}, answer.status_code
    stored = count(app, Proposal) - before_proposals
    mails = count(app, OutboxMessage) - before_mails
    if answer.status_code == 303:
        key = (data["email"].strip().lower(), data["title"].strip().lower())
        assert stored == (0 if key in app.accepted else 1)  # a repeat shows the first one
        app.accepted.add(key)
        assert mails in {0, 2}  # spam gets none, a real proposal both
    else:
        html = answer.get_data(as_text=True)
        assert "l’envoi du formulaire" in html and 'class="fr-message fr-message--error"' in html
        assert (stored, mails) == (0, 0)


def test_a_stored_name_never_adds_a_recipient_on_the_wire(app, smtp):
    # A name stored before the form refused < > , ; " @ (or typed by an organiser) is written so that a long
    # display name cannot fold into a second address (CPython gh-80222): the bytes on the wire say so.
    from email import message_from_bytes, policy

    from bluehats.proposals.operations import submit_proposal

    data = {key: VALID[key] for key in ("email", "administration", "job_title", "title", "abstract")}
    data |= {
        "first_name": "Camille Dupont-Martin de la Fontaine <attacker@evil.tld>,",
        "last_name": "Dupont-Martin de la Fontaine-Saint-Georges",
        "kind": "retour-experience",
        "duration": 15,
    }
    with app.app_context():
        submit_proposal(data)
    assert len(smtp.envelopes) == 2
    for envelope in smtp.envelopes:
        assert "attacker@evil.tld" not in " ".join(envelope.rcpt_tos)
        headers = envelope.original_content.split(b"\r\n\r\n", 1)[0]
        assert b"attacker@evil.tld" not in headers
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        for name in ("To", "Reply-To"):
            if VALID["email"] in str(parsed[name]):
                assert [address.addr_spec for address in parsed[name].addresses] == [VALID["email"]]
