"""The speaker's private page in Chromium: its state first, the edit behind a disclosure, a lost link found again."""

import re
from datetime import datetime

import pytest

from bluehats.core.clock import PARIS

from browser_helpers import log_in, propose, screenshot
from helpers import VALID

pytestmark = pytest.mark.browser


def last_link(smtp) -> str:
    body = smtp.to(VALID["email"])[-1].get_body(("plain",)).get_content()
    return re.search(r"http://\S+/proposition/\S+", body).group(0)


def test_a_cut_link_leads_to_retrouver_mon_lien_which_mails_the_link(live_server, page, smtp):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base)
    link = last_link(smtp)
    page.goto(link[:-4])
    assert "Ce lien personnel ne mène à aucune proposition" in page.inner_text("main")
    screenshot(page, "lien-personnel-tronque")
    page.get_by_role("link", name="Retrouver mon lien").click()
    page.fill("#email", VALID["email"])
    page.get_by_role("button", name="Recevoir mes liens").click()
    page.wait_for_selector("text=vient de partir vers elle")
    screenshot(page, "retrouver-mon-lien-envoye")
    assert last_link(smtp) == link
    assert len(smtp.to(VALID["email"])) == 2


def test_the_page_shows_the_state_then_the_recap_and_hides_the_edit_form(live_server, page, smtp, clock):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base)
    link = last_link(smtp)
    page.goto(link)
    assert (
        page.locator("#etat .fr-badge").inner_text() == "REÇUE"
        or page.locator("#etat .fr-badge").inner_text().lower() == "reçue"
    )
    assert not page.locator("#title").is_visible()
    page.get_by_text("Modifier ma proposition").click()
    assert page.locator("#title").is_visible()
    assert "ne se modifie pas ici" in page.inner_text("#modifier")
    screenshot(page, "page-personnelle-modifier-ouvert")

    clock.set(datetime(2022, 10, 21, 10, 0, tzinfo=PARIS))
    organiser = page.context.browser.new_page()
    log_in(organiser, base)
    organiser.goto(f"{base}/organisation/propositions/1")
    organiser.click("label[for=decision-accepted]")
    organiser.get_by_role("button", name="Enregistrer la décision").click()
    organiser.goto(f"{base}/organisation/reponses")
    organiser.click("label[for=confirm]")
    organiser.get_by_role("button", name="Envoyer les réponses").click()
    organiser.wait_for_load_state("load")
    organiser.close()
    page.goto(link)
    assert page.locator("#etat .fr-badge").inner_text().lower() == "retenue"
    assert "Reçue" not in page.inner_text("main")
    assert "modifiée" not in page.inner_text("#etat")  # the organisers' decision is not the speaker's edit
    screenshot(page, "page-personnelle-retenue")
