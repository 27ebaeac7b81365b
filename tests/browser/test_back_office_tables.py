"""The back office's tables on a desktop, in Chromium: nothing cut off, nothing behind a horizontal scroll."""

import pytest

from browser_helpers import log_in, screenshot
from helpers import VALID

pytestmark = pytest.mark.browser

OVERFLOW = """() => [...document.querySelectorAll('.fr-table__container')]
    .map(box => box.scrollWidth - box.clientWidth)"""
LONG_ADMINISTRATION = "Ministère de l’Économie, des Finances et de la Souveraineté industrielle et numérique"
SELECT_FITS = """(id) => {
  const select = document.getElementById(id);
  const style = getComputedStyle(select);
  const probe = document.createElement('span');
  probe.style.font = style.font;
  probe.style.whiteSpace = 'pre';
  probe.textContent = select.options[select.selectedIndex].text;
  document.body.appendChild(probe);
  const needed = probe.offsetWidth + parseFloat(style.paddingLeft) + parseFloat(style.paddingRight);
  probe.remove();
  return needed <= select.clientWidth;
}"""


def long_proposals(live_server, count: int = 3) -> None:
    from bluehats.proposals.operations import submit_proposal

    data = {key: value for key, value in VALID.items() if key not in {"consent", "website"}}
    with live_server.test_request_context():
        for index in range(count):
            submit_proposal(
                {
                    **data,
                    "email": f"une.adresse.vraiment.tres.longue.{index}@administration-centrale.interieur.gouv.fr",
                    "title": f"{VALID['title']} : la méthode, les macros, la formation et le reste ({index})",
                    "administration": LONG_ADMINISTRATION,
                    "duration": 15,
                }
            )


@pytest.mark.parametrize("width", [1280, 1920])
@pytest.mark.parametrize("path", ["/organisation/propositions", "/organisation/courriels?statut=sent"])
def test_back_office_tables_fit_a_desktop(live_server, page, width, path):
    long_proposals(live_server)
    page.set_viewport_size({"width": width, "height": 1000})
    log_in(page, live_server.base_url)
    page.goto(live_server.base_url + path)
    assert page.locator("tbody tr").count() >= 3
    assert page.evaluate(OVERFLOW) == [0]
    if "propositions" in path:
        assert page.locator("#tri option:checked").inner_text() == "Les plus récentes"
        assert page.evaluate(SELECT_FITS, "tri"), "« Les plus récentes » is cut in its select"
    screenshot(page, f"organisation-{path.split('/')[2].split('?')[0]}-{width}")


def test_an_organiser_walks_the_list_through_the_detail_pages_and_back(live_server, page):
    long_proposals(live_server)
    base = live_server.base_url
    page.goto(f"{base}/organisation/connexion")
    assert page.locator("#navigation").get_by_text("Tableau de bord").count() == 0  # the public sees no back office
    assert "flask" not in page.inner_text("main")
    log_in(page, base)
    page.goto(f"{base}/organisation/propositions?tri=anciennes")
    page.locator("tbody a").first.click()
    assert "(0)" in page.inner_text("h1")
    page.get_by_role("link", name="Proposition suivante").click()
    assert "(1)" in page.inner_text("h1")
    screenshot(page, "organisation-proposition-suivante")
    page.get_by_role("link", name="Retour à la liste").click()
    assert "tri=anciennes" in page.url
    assert page.input_value("#tri") == "anciennes"
