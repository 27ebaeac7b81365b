"""What a cache in front of the site may keep: every public page for a minute, nothing that depends on the visitor."""

import re

import pytest

from bluehats.admin.accounts import add_organiser

from helpers import csrf_token, submit

# Browsers ask again each time (ETag); nginx keeps the page a minute, and one more while it refreshes it.
PUBLIC = "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
PUBLIC_PAGES = [
    "/",
    "/mentions-legales",
    "/donnees-personnelles",
    "/accessibilite",
    "/plan-du-site",
    "/programme",
    "/evenement.ics",
    "/programme.ics",
    "/programme.json",
    "/programme.xml",
    "/editions",
    "/editions/osxp-2022/programme",
]
ORGANISER = ("orga@numerique.gouv.fr", "une phrase de passe solide")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_public_page_may_be_kept_by_a_shared_cache_for_a_minute(client, url):
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == PUBLIC
    assert "Set-Cookie" not in answer.headers  # nginx stores no answer that sets a cookie
    # With "Vary: Cookie", nginx would keep one copy per visitor's cookie, and every visitor who sent the form
    # (and so holds a session cookie) would reach Python.
    assert "Cookie" not in answer.headers.get("Vary", "")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_visitor_with_a_session_gets_the_same_shared_page(client, url):
    submit(client)  # this browser now holds a session cookie
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["Cache-Control"] == PUBLIC
    assert "Set-Cookie" not in answer.headers
    assert "Cookie" not in answer.headers.get("Vary", "")


def test_every_public_route_is_in_the_list_above(app):
    urls = app.url_map.bind("bluehats.test")
    listed = {urls.match(url)[0] for url in PUBLIC_PAGES}
    public = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("public.")}
    # A talk's page, calendar and slides need a published talk: test_talk_pages and test_programme_talks check them.
    assert public - listed == {"public.healthz", "public.talk", "public.talk_ics", "public.talk_slides"}


def test_health_is_never_kept(client):
    assert "public" not in client.get("/healthz").headers.get("Cache-Control", "")


def test_the_form_the_confirmation_and_the_private_page_are_stored_nowhere(client):
    assert "no-store" in client.get("/proposer").headers["Cache-Control"]
    sent = submit(client)
    assert sent.status_code == 303
    assert "no-store" in sent.headers["Cache-Control"]
    confirmation = client.get(sent.headers["Location"])
    assert confirmation.status_code == 200
    assert "no-store" in confirmation.headers["Cache-Control"]
    private_link = re.search(r"/proposition/[^\"<\s]+", confirmation.get_data(as_text=True)).group(0)
    private = client.get(private_link)
    assert private.status_code == 200
    assert "no-store" in private.headers["Cache-Control"]


def test_every_back_office_page_is_stored_nowhere(app):
    with app.app_context():
        add_organiser(*ORGANISER)
    organiser = app.test_client()
    token = csrf_token(organiser, "/organisation/connexion")
    login = {"email": ORGANISER[0], "password": ORGANISER[1], "csrf_token": token}
    assert organiser.post("/organisation/connexion", data=login).status_code == 303
    submit(app.test_client())
    pages = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") and "GET" in rule.methods and not rule.arguments
    ]
    pages.append("/organisation/propositions/1")
    # The purge's confirmation page answers a question: the date before which data goes.
    pages = [f"{url}?before=2020-01-01" if url == "/organisation/donnees/effacer" else url for url in pages]
    assert len(pages) > 8
    for url in pages:
        answer = organiser.get(url)
        answer.get_data()  # read to the end: an export streams from a database cursor
        assert answer.status_code == 200, url
        assert "no-store" in answer.headers["Cache-Control"], url
    anonymous = app.test_client().get("/organisation/propositions")
    assert anonymous.status_code == 302
    assert "no-store" in anonymous.headers["Cache-Control"]
