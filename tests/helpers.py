"""Helpers the tests share: reading a page's CSRF token, a valid proposal."""

import html as html_module
import re
import socket
from html.parser import HTMLParser
from typing import ClassVar

from flask.testing import FlaskClient

ORGANISERS = ["orga1@numerique.gouv.fr", "orga2@numerique.gouv.fr"]
# The legal notice's parties, as an operator writes them in instance/config.py.
PUBLISHER = {
    "name": "Direction interministérielle du numérique (DINUM)",
    "address": "20 avenue de Ségur, 75007 Paris",
    "director": "le directeur interministériel du numérique",
}
HOST = {"name": "Hébergeur Exemple SAS", "address": "1 rue de l’Exemple, 75001 Paris", "phone": "01 23 45 67 89"}
VALID = {
    "first_name": "Camille",
    "last_name": "Dupont",
    "email": "camille.dupont@interieur.gouv.fr",
    "administration": "Ministère de l’Intérieur et des Outre-mer",
    "job_title": "Cheffe de projet logiciels libres",
    "title": "Notre passage à LibreOffice dans 300 préfectures",
    "abstract": (
        "Comment une direction a migré 20 000 postes vers LibreOffice en deux ans : "
        "la méthode, les macros à réécrire, la formation et ce que nous referions autrement."
    ),
    "kind": "retour-experience",
    "duration": "15",
    "consent": "y",
    "website": "",
}


def form_token(html: str) -> str:
    """Return the CSRF token of the first form of a page's HTML."""
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def csrf_token(client: FlaskClient, url: str, **options) -> str:
    """Open a page and return the CSRF token of its form."""
    return form_token(client.get(url, **options).get_data(as_text=True))


def submit(client: FlaskClient, **changes: str):
    """Fill the proposal form as a person would, with some fields changed, and send it."""
    data = {**VALID, **changes, "csrf_token": csrf_token(client, "/proposer")}
    return client.post("/proposer", data={key: value for key, value in data.items() if value is not None})


class LinkCollector(HTMLParser):
    """Collect the URLs a page loads (scripts, styles, images, icons, frames)."""

    LOADING: ClassVar[dict[str, str]] = {
        "script": "src",
        "img": "src",
        "iframe": "src",
        "source": "src",
        "link": "href",
        "audio": "src",
        "video": "src",
    }

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        loads = tag in self.LOADING and values.get(self.LOADING[tag])
        if loads and (tag != "link" or values.get("rel") != "canonical"):
            self.loaded.append(values[self.LOADING[tag]] or "")
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"] or "")


def page_links(html: str) -> LinkCollector:
    """Parse a page and return the URLs it loads and links to."""
    collector = LinkCollector()
    collector.feed(html)
    return collector


def fetch_status(client: FlaskClient, url: str) -> int:
    """Return the status of a URL, closing the response (static files hold an open file)."""
    with client.get(url) as response:
        return response.status_code


def plain(text: str) -> str:
    """Return a text with its non-breaking spaces as plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def text_of(html: str) -> str:
    """Return a page's visible text with spaces normalised (non-breaking ones become plain)."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"</?(a|time|strong|em|b|i|span|abbr|code)\b[^>]*>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html_module.unescape(text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def free_port() -> int:
    """Return a loopback port that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
