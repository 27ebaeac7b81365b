"""What a speaker sees on the form and after it, in Chromium: long pastes, the Back button, spacing, references."""

import pytest

from browser_helpers import propose, screenshot
from helpers import VALID

pytestmark = pytest.mark.browser

COUNT = "document.getElementById('abstract-count').textContent"


def test_a_pasted_description_over_the_limit_is_kept_whole_and_said_too_long(live_server, page):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    assert page.get_attribute("#abstract", "maxlength") is None
    page.focus("#abstract")
    page.keyboard.insert_text("x" * 1600)  # what a paste does
    assert len(page.input_value("#abstract")) == 1600
    counter = page.locator("#abstract-count")
    assert "100\u00a0caractères de trop" in counter.inner_text()
    assert "fr-message--error" in counter.get_attribute("class")
    assert page.get_attribute("#abstract", "aria-invalid") == "true"
    screenshot(page, "formulaire-description-trop-longue")
    # The server refuses it and gives the whole text back to shorten.
    for name in ["first_name", "last_name", "email", "administration", "title"]:
        page.fill(f"#{name}", VALID[name])
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_selector("#erreurs")
    assert len(page.input_value("#abstract")) == 1600
    assert "entre 50 et 1500\u00a0caractères" in page.inner_text("#abstract-messages")
    page.fill("#abstract", VALID["abstract"])
    assert "de trop" not in counter.inner_text()


def test_back_after_sending_shows_a_counter_that_matches_the_restored_text(live_server, page):
    base = live_server.base_url
    page.goto(f"{base}/proposer")
    propose(page, base)
    page.go_back()
    page.wait_for_load_state("load")
    page.wait_for_timeout(200)
    restored = page.input_value("#abstract")
    assert page.evaluate(COUNT).startswith(f"{len(restored)}\u00a0caractère")
    # And a value put back without an input event (as the browser restores it) is counted on pageshow.
    page.evaluate(
        "() => { const area = document.getElementById('abstract'); area.value = 'x'.repeat(60);"
        " window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true})); }"
    )
    assert page.evaluate(COUNT).startswith("60\u00a0caractères sur 1500")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, {"width": 360, "height": 740}])
def test_section_headings_leave_room_above_their_first_label(live_server, page, viewport):
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.base_url}/proposer")
    gaps = page.evaluate(
        """() => [...document.querySelectorAll('.fr-fieldset__legend > h2')].map(heading => {
             const label = heading.closest('fieldset').querySelector('.fr-label, .fr-hint-text');
             return label.getBoundingClientRect().top - heading.getBoundingClientRect().bottom;
           })"""
    )
    assert gaps and min(gaps) >= 16, gaps


def test_the_reference_stays_on_one_line_on_a_phone(live_server, page):
    base = live_server.base_url
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{base}/proposer")
    propose(page, base)
    lines = page.evaluate("[...document.querySelectorAll('.bh-reference')].map(e => e.getClientRects().length)")
    assert lines and set(lines) == {1}
    assert page.evaluate("getComputedStyle(document.querySelector('.bh-reference')).whiteSpace") == "nowrap"
