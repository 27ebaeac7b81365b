"""What a hostile visitor types never becomes a header, a link or markup in a mail or an export."""

import re

import frontmatter
import pytest

from bluehats.core.vocabulary import Decision

from helpers import VALID, csrf_token, log_in, submit, text_of
from stored import count, stored


def test_the_jekyll_export_is_inert(app, client, organiser, clock):
    submit(client, title="<img src=x onerror=alert(1)>{{7*7}} {% include x %} a | b")
    admin = app.test_client()
    log_in(admin)
    page = "/organisation/propositions/1"
    admin.post(f"{page}/decision", data={"decision": Decision.ACCEPTED, "csrf_token": csrf_token(admin, page)})
    token = csrf_token(admin, "/organisation/programme")
    admin.post("/organisation/programme/a-la-suite", data={"csrf_token": token})
    export = admin.get("/organisation/programme.md").get_data(as_text=True)
    for raw in ("<img", "{{", "{%", "a | b"):
        assert raw not in export, raw
    post = frontmatter.loads(export)
    title = post["programme"][0]["titre"]
    assert title.startswith("&lt;img src=x onerror=alert&#40;1&#41;&gt;&#123;&#123;7&#42;7&#125;&#125;")
    [row] = [line for line in post.content.splitlines() if line.startswith("| 09:00")]
    assert row.count("|") == 5  # four cells: the title's | is no cell break


def test_a_non_ascii_local_part_gets_a_french_message(app, client, smtp):
    answer = submit(client, email="vict\u0456m@exemple.gouv.fr")
    assert answer.status_code == 200
    assert "La partie avant le @ ne peut contenir que des lettres sans accent" in text_of(answer.get_data(as_text=True))
    assert count(app) == 0


ENCODED_BREAK = "=?utf-8?q?x=0D=0ABcc:_attacker@evil.tld=0D=0AX-Injected:_yes?="


@pytest.mark.parametrize("field", ["title", "first_name", "last_name"])
def test_an_encoded_word_in_a_header_field_is_refused(app, client, smtp, field):
    answer = submit(client, **{field: f"Atelier {ENCODED_BREAK} fin"})
    assert answer.status_code == 200
    assert "Ce champ ne peut pas contenir un signe = suivi d’un point d’interrogation." in text_of(
        answer.get_data(as_text=True)
    )
    assert count(app) == 0


def test_a_stored_encoded_word_never_becomes_a_header_on_the_wire(app, smtp):
    from email import message_from_bytes, policy

    from bluehats.proposals.operations import submit_proposal

    data = {key: VALID[key] for key in ("email", "administration", "job_title", "abstract")}
    data |= {
        "title": f"Hello {ENCODED_BREAK} world",
        "first_name": "=?utf-8?b?Q2FtaWxsZSBEdXBvbnQtTWFydGluIGRlIGxhIEZvbnRhaW5lIDxhdHRhY2tlckBldmlsLnRsZD4s?=",
        "last_name": "Martin-Dupont de la Fontaine",
        "kind": "autre",
        "duration": 15,
    }
    with app.app_context():
        submit_proposal(data)
    assert len(smtp.envelopes) == 2
    for envelope in smtp.envelopes:
        assert "attacker@evil.tld" not in " ".join(envelope.rcpt_tos)
        headers = envelope.original_content.split(b"\r\n\r\n", 1)[0].decode("ascii")
        unfolded = re.sub(r"\r\n[ \t]", " ", headers)
        names = [line.split(":", 1)[0].lower() for line in unfolded.split("\r\n")]
        assert "bcc" not in names and "x-injected" not in names
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert "Hello = ?utf-8?q?x=0D=0ABcc:_attacker@evil.tld" in str(parsed["Subject"])
        for name in ("To", "Reply-To"):
            if VALID["email"] in str(parsed[name]):
                assert [address.addr_spec for address in parsed[name].addresses] == [VALID["email"]]


def test_an_address_with_an_international_domain_is_mailed_in_ascii(app, client, smtp):
    assert submit(client, email="camille@exémple.gouv.fr").status_code == 303
    [proposal] = stored(app)
    assert proposal.email == "camille@xn--exmple-cva.gouv.fr"
    assert len(smtp.to("camille@xn--exmple-cva.gouv.fr")) == 1
    assert len(smtp.messages) == 2  # the organisers' notice left too, on the same connection


def test_the_jekyll_export_carries_no_markdown_link_or_image(app, client, organiser, clock):
    submit(client, title="Voir [x](javascript:alert(1)) et ![i](https://evil.example/p.png) *gras* `code`")
    admin = app.test_client()
    log_in(admin)
    page = "/organisation/propositions/1"
    admin.post(f"{page}/decision", data={"decision": Decision.ACCEPTED, "csrf_token": csrf_token(admin, page)})
    admin.post("/organisation/programme/a-la-suite", data={"csrf_token": csrf_token(admin, "/organisation/programme")})
    export = admin.get("/organisation/programme.md").get_data(as_text=True)
    for raw in ("](", "![", "*gras*", "`code`"):
        assert raw not in export, raw
    import html

    assert html.unescape(frontmatter.loads(export)["programme"][0]["titre"]).startswith("Voir [x](javascript:")
