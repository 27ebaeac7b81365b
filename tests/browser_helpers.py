"""Helpers for the browser tests: the keyboard, screenshots, the organiser's login."""

from pathlib import Path

from helpers import VALID

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ORGANISER = ("orga@numerique.gouv.fr", "une phrase de passe solide")

FOCUSED = """() => {
  const element = document.activeElement;
  return {id: element.id, tag: element.tagName, type: element.type || "", text: element.innerText || "",
          class: element.className || "", name: element.name || ""};
}"""


def focused(page) -> dict:
    """Describe the element that has the focus."""
    return page.evaluate(FOCUSED)


def tab_to(page, wanted, limit: int = 80) -> dict:
    """Press Tab until the focused element is the wanted one; fail if it never comes."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if wanted(element):
            return element
    raise AssertionError("the element was never reached with Tab")


def fill_form_with_keyboard(page) -> None:
    """Fill the proposal form as a keyboard user: Tab from field to field, type, arrows, Space."""
    tab_to(page, lambda element: element["id"] == "first_name")
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        assert focused(page)["id"] == name, f"expected the focus in {name}, got {focused(page)}"
        page.keyboard.type(VALID[name])
        page.keyboard.press("Tab")
    # The first radio of the kind group has the focus: the arrows choose, Space confirms.
    assert focused(page)["name"] == "kind"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "duration"
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")  # 15 minutes
    page.keyboard.press("Tab")
    while focused(page)["id"] != "consent":  # the link to the data notice sits in the label
        page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.is_checked("#consent")
    tab_to(page, lambda element: element["tag"] == "BUTTON" and "Envoyer" in element["text"])


def screenshot(page, name: str) -> None:
    """Keep a picture of the page for the CI's artefacts."""
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)


def log_in(page, base_url: str) -> None:
    """Log the organiser in through the login form."""
    page.goto(f"{base_url}/organisation/connexion")
    page.fill("#email", ORGANISER[0])
    page.fill("#password", ORGANISER[1])
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/organisation/")


def propose(page, base: str, kind: int = 0, duration: int = 2) -> None:
    """Fill the open proposal form with the mouse (radios by their labels, as DSFR draws them) and send it."""
    for name in ["first_name", "last_name", "email", "administration", "job_title", "title", "abstract"]:
        page.fill(f"#{name}", VALID[name])
    page.click(f"label[for=kind-{kind}]")
    page.click(f"label[for=duration-{duration}]")
    page.click("label[for=consent]")
    page.get_by_role("button", name="Envoyer ma proposition").click()
    page.wait_for_url(f"{base}/proposer/merci")


def read_at_once(app):
    """Read each answer in full and close it before the test server writes it.

    Werkzeug's development server skips closing an answer when the browser resets the connection
    while it drains the request (Chromium does, for an abandoned favicon): the open static file
    would then surface as a ResourceWarning in a later test.
    """

    def wsgi(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return wsgi
