"""A person's path through the site in Chromium: keyboard only, mistakes, phone, private link, organisers."""

import re
from datetime import datetime

import pytest

from bluehats.core.clock import PARIS

from browser_helpers import fill_form_with_keyboard, log_in, propose, screenshot, tab_to
from helpers import ORGANISERS, VALID

pytestmark = pytest.mark.browser


def test_a_visitor_proposes_a_talk_with_the_keyboard_only(live_server, page, smtp):
    base = live_server.base_url
    page.goto(f"{base}/")
    screenshot(page, "accueil-bureau")
    tab_to(page, lambda element: element["text"] == "Proposer une intervention" and "fr-btn" in element["class"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/proposer")
    fill_form_with_keyboard(page)
    page.keyboard.press("Enter")  # from the consent box's neighbour: the submit button is focused
    page.wait_for_url(f"{base}/proposer/merci")
    assert "Merci, votre proposition est bien reçue" in page.inner_text("main")
    assert "BH22-0001" in page.inner_text("main")
    screenshot(page, "confirmation-bureau")
    [mail] = smtp.to(VALID["email"])
    assert "BH22-0001" in mail["Subject"]
    assert len(smtp.to(ORGANISERS[0])) == 1
    assert page.console_errors == []


def test_mistakes_focus_the_summary_whose_links_lead_to_each_field(live_server, page):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    page.fill("#first_name", "Camille")
    page.fill("#title", "Hop")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_selector("#erreurs")
    assert page.evaluate("document.activeElement.id") == "erreurs"
    screenshot(page, "formulaire-erreurs-bureau")
    links = page.locator("#erreurs a")
    count = links.count()
    assert count == 8  # last name, email, administration, title, abstract, kind, duration, consent
    for index in range(count):
        link = links.nth(index)
        target = link.get_attribute("href").lstrip("#")
        link.click()
        assert page.evaluate("document.activeElement.id") == target
        page.locator("#erreurs").focus()
    assert page.input_value("#first_name") == "Camille"
    assert page.input_value("#title") == "Hop"
    described = page.get_attribute("#title", "aria-describedby")
    assert "title-messages" in described
    assert "entre 5 et 150\u00a0caractères" in page.inner_text("#title-messages")


def test_the_counter_follows_typing(live_server, page):
    page.goto(f"{live_server.base_url}/proposer")
    counter = page.locator("#abstract-count")
    assert counter.is_visible()
    assert counter.inner_text().startswith("0\u00a0caractère sur 1500")
    page.locator("#abstract").press_sequentially("Douze lettres")
    assert counter.inner_text().startswith("13\u00a0caractères sur 1500 (encore 37\u00a0caractères au minimum)")


def test_the_form_works_without_javascript(live_server, playwright_browser, smtp):
    context = playwright_browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    assert not page.locator("#abstract-count").is_visible()
    propose(page, base, kind=0, duration=2)
    assert len(smtp.to(VALID["email"])) == 1
    context.close()


def test_the_speaker_edits_then_withdraws_through_the_private_link(live_server, page, smtp):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base, kind=1, duration=0)
    [mail] = smtp.to(VALID["email"])
    link = re.search(r"http://\S+/proposition/\S+", mail.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    screenshot(page, "page-personnelle-bureau")
    page.get_by_text("Modifier ma proposition").click()
    page.fill("#title", "Un titre encore plus clair")
    page.get_by_role("button", name="Enregistrer les modifications").click()
    page.wait_for_selector("text=Modification enregistrée (titre)")
    assert "Un titre encore plus clair" in page.inner_text("main")
    page.get_by_role("link", name="Retirer ma proposition…").click()
    page.wait_for_selector("text=Une proposition retirée n’est pas étudiée")
    page.get_by_role("button", name="Oui, retirer ma proposition").click()
    page.wait_for_selector("text=Vous avez retiré cette proposition")
    assert "est retirée" in smtp.to(VALID["email"])[-1]["Subject"]


def test_an_organiser_decides_answers_and_publishes_the_programme(live_server, page, context, smtp, clock):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base, kind=0, duration=2)

    clock.set(datetime(2022, 10, 21, 10, 0, tzinfo=PARIS))  # answer day
    log_in(page, base)
    page.get_by_role("link", name="Propositions").first.click()
    page.get_by_role("link", name=VALID["title"]).click()
    page.click("label[for=decision-accepted]")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_selector("text=Décision enregistrée")
    screenshot(page, "organisation-proposition-bureau")
    page.goto(f"{base}/organisation/reponses")
    page.click("label[for=confirm]")
    page.get_by_role("button", name="Envoyer les réponses").click()
    page.wait_for_selector("text=1 réponse mise en file d’envoi")
    assert any("est retenue" in mail["Subject"] for mail in smtp.to(VALID["email"]))
    page.goto(f"{base}/organisation/programme")
    page.get_by_role("button", name="Horaires à la suite, dans cet ordre").click()
    page.wait_for_selector("text=Horaires calculés")
    page.get_by_role("button", name="Publier maintenant").click()
    page.wait_for_selector("text=Le programme est publié")
    screenshot(page, "organisation-programme-bureau")

    visitor = context.browser.new_page()
    visitor.goto(f"{base}/programme")
    row = visitor.get_by_role("listitem").filter(has_text=VALID["title"]).first.inner_text()
    assert "9\u00a0h" in row and VALID["title"] in row and "Camille Dupont" in row and "15\u00a0min" in row
    screenshot(visitor, "programme-bureau")
    # The abstract opens on demand, without JavaScript of ours; the title leads to the talk's page.
    visitor.get_by_text("Résumé", exact=False).first.click()
    assert visitor.get_by_text(VALID["abstract"][:40]).is_visible()
    visitor.set_viewport_size({"width": 360, "height": 740})
    for url in ("/programme", "/programme/BH22-0001"):
        visitor.goto(base + url)
        overflow = visitor.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{url} déborde de {overflow} px sur un téléphone"
    visitor.goto(f"{base}/programme")
    visitor.get_by_role("link", name=VALID["title"]).click()
    assert visitor.get_by_role("heading", level=1).inner_text() == VALID["title"]
    visitor.close()


@pytest.mark.parametrize(
    ("name", "viewport"),
    [("telephone", {"width": 360, "height": 740}), ("zoom-200", {"width": 640, "height": 450})],
)
@pytest.mark.parametrize("path", ["/", "/proposer", "/programme", "/donnees-personnelles"])
def test_nothing_needs_horizontal_scrolling_on_a_phone_or_at_200_percent(
    live_server, playwright_browser, name, viewport, path
):
    context = playwright_browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    page.goto(live_server.base_url + path)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{path} déborde de {overflow} px en {name}"
    if path in {"/", "/proposer"}:
        screenshot(page, f"{'accueil' if path == '/' else 'formulaire'}-{name}")
    context.close()


def test_dsfr_javascript_runs_under_the_content_security_policy(live_server, page):
    for path in ["/", "/proposer", "/programme"]:
        page.goto(live_server.base_url + path)
        page.wait_for_function("document.documentElement.getAttribute('data-fr-js') === 'true'")
        assert page.evaluate("window.__cspViolations") == []
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.base_url + "/")
    page.get_by_role("button", name="Menu").click()
    page.wait_for_selector("#menu-principal.fr-modal--opened")
    assert page.console_errors == []
