"""The dashboard in Chromium: a chart read without hovering, its table, totals that say what they leave out."""

import pytest

from browser_helpers import log_in, screenshot
from helpers import VALID

pytestmark = pytest.mark.browser

TEXTS = "elements => elements.map(element => element.textContent)"


def test_the_chart_has_axes_values_and_a_table(live_server, page, clock):
    from bluehats.proposals.operations import submit_proposal, withdraw_proposal

    data = {key: value for key, value in VALID.items() if key not in {"consent", "website"}}
    with live_server.test_request_context():
        for day, count in enumerate([2, 0, 3, 1]):
            for index in range(count):
                submit_proposal({**data, "email": f"p{day}-{index}@x.gouv.fr", "duration": 15})
            clock.advance(days=1)
        withdraw_proposal(1, True)
    log_in(page, live_server.base_url)
    chart = page.locator("svg.bh-chart")
    texts = chart.locator("text").evaluate_all(TEXTS)
    assert "Propositions" in texts and "Jour de réception" in texts  # both axes are named
    dates = [text for text in texts if "/" in text]
    assert dates == ["10/10", "11/10", "12/10", "13/10"]  # every day, not only the first and the last
    values = chart.locator("rect + text").evaluate_all(TEXTS)
    assert values == ["2", "0", "3", "1"]  # written above each bar
    table = page.get_by_role("table", name="Propositions reçues par jour")
    assert table.locator("tbody tr").count() == 4
    assert "ni les retirées" in page.inner_text("#hors-retirees")
    assert "y compris celles retirées" in page.inner_text("figure figcaption")
    screenshot(page, "organisation-tableau-de-bord")
