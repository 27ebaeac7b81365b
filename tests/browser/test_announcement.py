"""The announcement in Chromium: the practical information within the first screen, on a phone and a desktop."""

import pytest

from browser_helpers import screenshot

pytestmark = pytest.mark.browser

FIRST_SCREENS = {"telephone": {"width": 360, "height": 640}, "bureau": {"width": 1280, "height": 800}}


@pytest.mark.parametrize("device", FIRST_SCREENS)
def test_date_place_and_agenda_are_within_the_first_screen(live_server, page, device):
    viewport = FIRST_SCREENS[device]
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.base_url}/")
    aside = page.locator("aside[aria-labelledby=infos-pratiques]")
    for part in [
        aside.locator("time").first,
        aside.get_by_text("Palais des congrès"),
        aside.get_by_role("link", name="Ajouter à mon agenda"),
    ]:
        box = part.bounding_box()
        assert box["y"] + box["height"] <= viewport["height"], f"{device}: {part} ends at {box['y'] + box['height']}"
    screenshot(page, f"accueil-premier-ecran-{device}")


def test_the_agenda_button_is_not_at_the_bottom_of_a_tall_sidebar(live_server, page):
    page.set_viewport_size(FIRST_SCREENS["bureau"])
    page.goto(f"{live_server.base_url}/")
    aside = page.locator("aside[aria-labelledby=infos-pratiques]").bounding_box()
    text = page.locator(".bh-announcement__body").bounding_box()
    assert aside["x"] > text["x"] + text["width"] - 1  # beside the text
    assert aside["height"] < 600 < text["height"]  # as tall as its content, not as the announcement
