"""Organisers in Chromium, keyboard only: giving an opinion, inviting someone who then chooses a password."""

import re

import pytest

from browser_helpers import ORGANISER, focused, log_in, propose, screenshot, tab_to

pytestmark = pytest.mark.browser

INVITED = ("camille.martin@culture.gouv.fr", "un jardin de tomates sur le balcon")


def test_an_organiser_gives_an_opinion_with_the_keyboard_only(live_server, page, smtp):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base, kind=0, duration=2)
    log_in(page, base)
    page.goto(f"{base}/organisation/propositions/1")
    tab_to(page, lambda element: element["name"] == "opinion")
    page.keyboard.press("ArrowRight")  # « Réservé »: the arrows choose in a radio group
    assert page.is_checked("#opinion-1")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "comment"
    page.keyboard.type("Un bon sujet, à raccourcir à 10 minutes.")
    tab_to(page, lambda element: element["tag"] == "BUTTON" and element["text"] == "Donner mon avis")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Avis enregistré")
    assert "1 réservé" in page.inner_text("#decompte")
    # French typography keeps « 10 » with « minutes » (a non-breaking space).
    assert "Un bon sujet, à raccourcir à 10 minutes." in page.inner_text("#liste-avis").replace("\u00a0", " ")
    assert "Changer mon avis" in page.inner_text("#avis ~ form button")
    screenshot(page, "organisation-avis-bureau")
    page.goto(f"{base}/organisation/propositions")
    assert "1 réservé" in page.inner_text("tbody")
    assert page.console_errors == []


def test_an_invited_organiser_chooses_a_password_with_the_keyboard_only(live_server, page, context, smtp):
    base = live_server.base_url
    log_in(page, base)
    page.goto(f"{base}/organisation/equipe")
    tab_to(page, lambda element: element["id"] == "email")
    page.keyboard.type(INVITED[0])
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Envoyer l’invitation"
    page.keyboard.press("Enter")
    page.wait_for_selector(f"text=Invitation envoyée à {INVITED[0]}")
    [mail] = smtp.to(INVITED[0])
    link = re.search(r"http://\S+/organisation/mot-de-passe/\S+", mail.get_body(("plain",)).get_content()).group(0)

    invited = context.browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR").new_page()
    invited.goto(link)
    assert "Rejoindre l’équipe" in invited.inner_text("h1")
    tab_to(invited, lambda element: element["id"] == "password")
    invited.keyboard.type(INVITED[1])
    invited.keyboard.press("Tab")
    assert focused(invited)["id"] == "confirm"
    invited.keyboard.type(INVITED[1])
    invited.keyboard.press("Enter")
    invited.wait_for_url(f"{base}/organisation/connexion")
    assert "Mot de passe enregistré" in invited.inner_text("main")
    screenshot(invited, "organisation-invitation-acceptee")
    tab_to(invited, lambda element: element["id"] == "email")
    invited.keyboard.type(INVITED[0])
    invited.keyboard.press("Tab")
    invited.keyboard.type(INVITED[1])
    invited.keyboard.press("Enter")
    invited.wait_for_url(f"{base}/organisation/")
    assert INVITED[0] in invited.inner_text("main")  # the dashboard's review progress names the team
    invited.goto(link)
    assert "Ce lien ne fonctionne plus" in invited.inner_text("h1")
    invited.context.close()
    page.goto(f"{base}/organisation/equipe")
    assert ORGANISER[0] in page.inner_text("tbody") and INVITED[0] in page.inner_text("tbody")
