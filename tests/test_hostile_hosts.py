"""A hostile visitor's Host and forwarded headers never shape a page another visitor gets, nor a mail's links."""

import pytest

from helpers import VALID, csrf_token

EVIL = "evil.example"


@pytest.mark.parametrize("url", ["/", "/proposer", "/mentions-legales", "/programme"])
def test_forwarded_host_and_prefix_never_reach_a_page(make_app, url):
    app = make_app(TESTING=False, BLUEHATS_TRUSTED_PROXIES=1, SERVER_NAME=None)
    attacker, visitor = app.test_client(), app.test_client()
    poisoned = attacker.get(
        url,
        base_url="http://bluehats.test",
        headers={"X-Forwarded-Prefix": f"//{EVIL}", "X-Forwarded-Host": EVIL, "X-Forwarded-Proto": "https"},
        environ_base={"SCRIPT_NAME": f"//{EVIL}"},  # what gunicorn makes of a SCRIPT_NAME header
    )
    assert poisoned.status_code == 200
    assert EVIL not in poisoned.get_data(as_text=True)
    later = visitor.get(url, base_url="http://bluehats.test")
    assert EVIL not in later.get_data(as_text=True)
    assert 'href="/proposer"' in later.get_data(as_text=True) or url == "/proposer"


def test_mail_links_follow_the_configured_address_not_the_host_header(app, smtp):
    client = app.test_client()
    token = csrf_token(client, "/proposer", base_url=f"http://{EVIL}")
    assert client.post("/proposer", base_url=f"http://{EVIL}", data={**VALID, "csrf_token": token}).status_code == 303
    assert len(smtp.messages) == 2  # the speaker's confirmation, the organisers' notice
    for message in smtp.messages:
        body = message.get_body(("plain",)).get_content()
        assert EVIL not in body
        assert "http://bluehats.test/" in body
    calendar = client.get("/evenement.ics", base_url=f"http://{EVIL}").get_data(as_text=True)
    assert EVIL not in calendar and "http://bluehats.test/" in calendar


def test_an_unknown_host_is_refused_in_production(make_app):
    app = make_app(TESTING=False, SERVER_NAME=None)
    client = app.test_client()
    for method, url in [("get", "/"), ("post", "/proposer"), ("get", "/organisation/")]:
        answer = getattr(client, method)(url, base_url=f"http://{EVIL}")
        assert answer.status_code == 400, url
        assert "cette adresse n’est pas celle du site" in answer.get_data(as_text=True)
    assert client.get("/", base_url="http://bluehats.test").status_code == 200


def test_a_production_site_that_mails_will_not_start_without_its_address(make_app):
    with pytest.raises(RuntimeError, match="BLUEHATS_SITE_URL est obligatoire"):
        make_app(TESTING=False, BLUEHATS_SITE_URL=None, MAIL_SERVER="127.0.0.1", BLUEHATS_MAIL_DELIVERY=None)
