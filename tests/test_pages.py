"""The public pages: the announcement, the legal pages, the calendar, the health check, errors."""

import re
from datetime import datetime, timedelta
from pathlib import Path

import frontmatter
import markdown
import pytest
from icalendar import Calendar

from bluehats.core.clock import PARIS

from helpers import fetch_status, page_links, text_of

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "journee-bluehats-osxp-2022.md"
CONTENT = Path(__file__).resolve().parents[1] / "bluehats" / "content" / "journee-bluehats-osxp-2022.md"
PAGES = ["/", "/proposer", "/programme", "/mentions-legales", "/donnees-personnelles", "/accessibilite"]


def seed_fragments() -> list[str]:
    """Return every sentence-sized fragment of the announcement's text, from the customer's file."""
    source = SEED if SEED.exists() else CONTENT
    post = frontmatter.load(source)
    html = markdown.markdown(post.content)
    # The raw HTML block that pointed to the external form is replaced by the site's own button.
    html = re.sub(r"<div[^>]*>.*?</div>", "", html, flags=re.S)
    fragments = [post["title"], post["chapeau-text"], *re.split(r"(?<=[.!?:])\s+", text_of(html))]
    return [" ".join(fragment.split()) for fragment in fragments if len(fragment) > 3]


def test_content_body_is_the_customers_text():
    if not SEED.exists():
        pytest.skip("shared/seed is beside the project only in the team's checkout")
    assert frontmatter.load(CONTENT).content == frontmatter.load(SEED).content


def test_announcement_shows_every_fragment_of_the_seed(client):
    page = client.get("/")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    for fragment in seed_fragments():
        assert fragment in text


def test_announcement_has_category_date_lead_and_button(client):
    html = client.get("/").get_data(as_text=True)
    assert 'class="fr-tag">Salon<' in html
    assert "Publié le" in html and "11\u00a0octobre 2022" in html
    assert 'class="fr-text--lead">Pour la quatrième année' in html
    assert re.search(r'<a class="fr-btn[^"]*" href="/proposer">Proposer une intervention</a>', html)
    assert "framaforms.org" not in html
    assert "<h1>Journée BlueHats lors du salon Open Source Experience 2022</h1>" in html


def test_announcement_has_practical_information(client):
    text = text_of(client.get("/").get_data(as_text=True))
    assert "Informations pratiques" in text
    assert "mardi 8 novembre 2022, à partir de 9 h" in text
    assert "Palais des congrès de Paris, salle 252B" in text
    assert "2 place de la Porte Maillot, 75017 Paris" in text
    assert "logiciels-libres@data.gouv.fr" in text


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (
            datetime(2022, 10, 11, 12, 0, tzinfo=PARIS),
            "il reste 6 jours pour proposer un sujet, jusqu’au 17 octobre 2022 inclus",
        ),
        (datetime(2022, 10, 16, 8, 0, tzinfo=PARIS), "il reste 40 heures"),
        (
            datetime(2022, 10, 17, 9, 0, tzinfo=PARIS),
            "Dernier jour ! L’appel à interventions se termine ce soir à minuit (il reste 15 heures)",
        ),
        (datetime(2022, 10, 17, 23, 30, tzinfo=PARIS), "(il reste 30 minutes)"),
        (datetime(2022, 10, 18, 0, 0, tzinfo=PARIS), "L’appel à interventions est clos depuis le 18 octobre 2022"),
        (datetime(2022, 11, 20, 0, 0, tzinfo=PARIS), "L’appel à interventions est clos depuis le 18 octobre 2022"),
    ],
)
def test_call_for_talks_state_follows_the_clock(client, clock, now, expected):
    clock.set(now)
    text = text_of(client.get("/").get_data(as_text=True))
    assert expected in text
    assert "Réponse le 21 octobre 2022" in text or "réponses sont envoyées le 21 octobre 2022" in text


def test_closed_call_hides_the_button_outside_demonstration(client, clock):
    clock.set(datetime(2022, 10, 19, tzinfo=PARIS))
    html = client.get("/").get_data(as_text=True)
    callout = html.split('id="appel"')[1].split("</div>")[0]
    assert "Appel à interventions" in callout
    assert "/proposer" not in callout


def test_configuration_moves_the_deadline(make_app, clock):
    app = make_app(BLUEHATS_CFP_DEADLINE="2022-10-25T12:00:00+02:00", BLUEHATS_ANSWER_DATE="2022-10-28T09:00:00+02:00")
    clock.set(datetime(2022, 10, 20, tzinfo=PARIS))
    text = text_of(app.test_client().get("/").get_data(as_text=True))
    assert "jusqu’au 25 octobre 2022 inclus" in text
    assert "Réponse le 28 octobre 2022" in text


def test_french_typography_in_the_announcement(client):
    html = client.get("/").get_data(as_text=True)
    assert "curieux\u00a0: vous êtes toutes et tous les bienvenus\u202f!" in html
    assert "souhaitez intervenir\u202f?" in html
    assert "tendons le micro\u202f!" in html
    # URLs keep their own punctuation.
    assert 'href="https://communs.numerique.gouv.fr/bluehats/bsoc-promotion-2022/"' in html


@pytest.mark.parametrize("url", PAGES)
def test_pages_load_nothing_from_another_host(client, url):
    page = client.get(url)
    assert page.status_code == 200
    links = page_links(page.get_data(as_text=True))
    assert links.loaded, "the page loads its styles and scripts"
    for loaded in links.loaded:
        assert loaded.startswith("/"), f"{url} loads {loaded}"
        assert not loaded.startswith("//")
    for loaded in links.loaded:
        assert fetch_status(client, loaded) == 200, loaded


def test_dsfr_assets_are_served_from_static(client):
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<link rel="stylesheet" href="/static/vendor/dsfr/dsfr.min.css\?v=[0-9a-f]{12}">', html)
    assert re.search(r'<script type="module" src="/static/vendor/dsfr/dsfr.module.min.js\?v=[0-9a-f]{12}">', html)
    with client.get("/static/vendor/dsfr/dsfr.min.css") as answer:
        css = answer.get_data(as_text=True)
    # The fonts the stylesheet names are there too.
    for font in set(re.findall(r"url\((fonts/[^)]+\.woff2)\)", css)):
        assert fetch_status(client, f"/static/vendor/dsfr/{font}") == 200, font


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/mentions-legales", "Mentions légales"),
        ("/donnees-personnelles", "Données personnelles"),
        ("/accessibilite", "Déclaration d’accessibilité"),
    ],
)
def test_legal_pages_answer_and_are_in_the_footer(client, url, title):
    page = client.get(url)
    assert page.status_code == 200
    assert f"<h1>{title}</h1>" in page.get_data(as_text=True)
    footer = client.get("/").get_data(as_text=True).split('id="pied-de-page"')[1]
    assert f'href="{url}"' in footer


def test_accessibility_statement_is_honest(client):
    html = client.get("/accessibilite").get_data(as_text=True)
    text = text_of(html)
    assert "conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA), version 4.1" in text
    assert "réalisé en interne" in text and "non par un organisme indépendant" in text
    assert "Cette déclaration a été établie le" in text
    assert "Environnement de test" in text and "Chromium" in text
    assert "Aucun lecteur d’écran n’a servi" in text  # what was not done is said
    assert "Défenseur des droits" in text and "Retour d’information et contact" in text
    # « 200 % » never breaks between the number and its sign.
    assert ("200\u00a0%" in html or "200&nbsp;%" in html) and "200 %" not in html


def test_legal_notice_names_publisher_and_host_from_the_configuration(client):
    text = text_of(client.get("/mentions-legales").get_data(as_text=True))
    assert "Éditeur Direction interministérielle du numérique (DINUM) 20 avenue de Ségur, 75007 Paris" in text
    assert "Hébergement Hébergeur Exemple SAS 1 rue de l’Exemple, 75001 Paris Téléphone : 01 23 45 67 89" in text
    assert "directeur interministériel du numérique" in text
    assert "à compléter" not in text and ".md" not in text


def test_legal_notice_takes_a_party_as_plain_text(make_app):
    client = make_app(BLUEHATS_HOST="OVH SAS\n2 rue Kellermann, 59100 Roubaix\n1007").test_client()
    text = text_of(client.get("/mentions-legales").get_data(as_text=True))
    assert "OVH SAS 2 rue Kellermann, 59100 Roubaix 1007" in text


def test_data_protection_notice_covers_the_form(client):
    text = text_of(client.get("/donnees-personnelles").get_data(as_text=True))
    for needed in ["Données recueillies", "Finalité", "Qui y a accès", "Durée de conservation", "Vos droits"]:
        assert needed in text


def test_event_calendar_parses_with_the_day_and_place(client):
    answer = client.get("/evenement.ics")
    assert answer.status_code == 200
    assert answer.mimetype == "text/calendar"
    calendar = Calendar.from_ical(answer.data)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    start = event.decoded("dtstart")
    assert start == datetime(2022, 11, 8, 9, 0, tzinfo=PARIS)
    assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/Paris"
    assert event.decoded("dtend") - start == timedelta(hours=9)
    assert "Palais des congrès de Paris" in str(event["location"])
    assert "75017 Paris" in str(event["location"])
    assert str(event["url"]) == "http://bluehats.test/"
    assert calendar.walk("VTIMEZONE"), "the calendar carries its time zone"


def test_open_graph_tags(client):
    html = client.get("/").get_data(as_text=True)
    assert '<meta property="og:title" content="Journée BlueHats lors du salon Open Source Experience 2022">' in html
    assert '<meta property="og:url" content="http://bluehats.test/">' in html
    assert re.search(r'<meta name="description" content="Pour la quatrième année', html)


def test_healthz_reports_the_database(client):
    answer = client.get("/healthz")
    assert answer.status_code == 200
    # A passer-by learns that the site and its database answer, nothing of the mail queue.
    assert answer.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(make_app, tmp_path):
    app = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing-dir/none.sqlite")
    answer = app.test_client().get("/healthz")
    assert answer.status_code == 503
    assert answer.get_json()["status"] == "error"


def test_not_found_page_is_french_in_the_frame(client):
    answer = client.get("/nulle-part")
    assert answer.status_code == 404
    html = answer.get_data(as_text=True)
    assert "<h1>Page non trouvée</h1>" in html
    assert 'class="fr-header"' in html and 'id="pied-de-page"' in html


def test_server_error_page_is_french(make_app):
    app = make_app(PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    answer = app.test_client().get("/boom")
    assert answer.status_code == 500
    assert "<h1>Erreur inattendue</h1>" in answer.get_data(as_text=True)


def test_static_urls_carry_their_content_hash_and_are_cached_for_long(client):
    html = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/site.css\?v=[0-9a-f]{12})"', html).group(1)
    with client.get(url) as answer:
        assert answer.status_code == 200
        assert "max-age=31536000" in answer.headers["Cache-Control"]
        assert "immutable" in answer.headers["Cache-Control"]
    with client.get("/static/css/site.css") as answer:  # without the hash: the default, short lifetime
        assert "immutable" not in answer.headers.get("Cache-Control", "")


def test_announcement_answers_304_when_the_browser_has_it(client, clock):
    first = client.get("/")
    etag = first.headers["ETag"]
    # Browsers revalidate every time; a shared cache (nginx) may keep the page a minute.
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=60, stale-while-revalidate=60"
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    # When the call's state changes, so does the page, and its ETag.
    clock.advance(days=1)
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag
    assert "il reste 6 jours" in text_of(changed.get_data(as_text=True))


@pytest.mark.parametrize("url", ["/", "/mentions-legales"])
def test_a_cached_page_is_answered_as_flask_answered_it(make_app, url):
    app = make_app(TESTING=False)  # HSTS on, as in production
    client = app.test_client()
    first = client.get(url)  # rendered, then kept for this state
    second = client.get(url)  # the kept page
    assert second.data == first.data
    for header in [
        "ETag",
        "Cache-Control",
        "Content-Security-Policy",
        "Strict-Transport-Security",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Permissions-Policy",
        "Content-Type",
    ]:
        assert second.headers[header] == first.headers[header], header
    assert "Set-Cookie" not in second.headers
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    assert client.get(url + "?utm_source=lettre").status_code == 200
