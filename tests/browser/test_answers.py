"""Answer templates in Chromium: a mistyped placeholder refused, a preview without saving, « enregistré » in view."""

import pytest

from browser_helpers import log_in, propose, screenshot

pytestmark = pytest.mark.browser


def test_templates_are_checked_previewed_and_saved_in_view(live_server, page):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base)
    log_in(page, base)
    page.goto(f"{base}/organisation/reponses")
    page.fill("#accepted-subject", "Bravo {prénom}")
    page.get_by_role("button", name="Enregistrer ce modèle").first.click()
    page.wait_for_selector("text=Vouliez-vous écrire {prenom} au lieu de {prénom}")
    assert page.input_value("#accepted-subject") == "Bravo {prénom}"  # kept as typed, to correct
    page.fill("#accepted-subject", "Bravo {prenom}")
    page.get_by_role("button", name="Prévisualiser sans enregistrer").first.click()
    page.wait_for_selector("text=Aperçu du texte saisi, non enregistré")
    assert "Bravo Camille" in page.inner_text("#modele-accepted")
    page.get_by_role("button", name="Enregistrer ce modèle").first.click()
    page.wait_for_selector("#enregistre-accepted")
    box = page.locator("#enregistre-accepted").bounding_box()
    assert -1 <= box["y"] < page.viewport_size["height"]  # where the organiser is looking
    screenshot(page, "organisation-modele-enregistre")
