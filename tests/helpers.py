"""Helpers the tests share: reading a page's CSRF token, a valid proposal."""

import html as html_module
import re
import socket
from html.parser import HTMLParser
from typing import ClassVar

from flask.testing import FlaskClient

ORGANISERS = ["orga1@numerique.gouv.fr", "orga2@numerique.gouv.fr"]
# The organiser most tests log in as (the `organiser` fixture creates the account).
ORGANISER = "orga@numerique.gouv.fr"
PASSWORD = "une phrase de passe solide"
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


# A programme the way the 2022 organisers built it: talks with co-speakers from one or several administrations,
# a welcome and a lunch break, a recording; and talks that must not show (cancelled, unplaced, declined).
PROGRAMME_TALKS = [
    # (title, minutes, start "HH:MM" or None, [(first, last, administration)], status, decision, video)
    ("Notre passage à LibreOffice : 300 préfectures", 15, "09:30",
     [("Camille", "Dupont", "Ministère de l’Intérieur")], "submitted", "accepted", "https://tube.numerique.gouv.fr/w/abc"),
    ("apps.education.fr, un an après", 20, "09:45",
     [("Alexis", "Kauffmann", "MENJS"), ("Philippe", "Ajuelos", "MENJS")], "submitted", "accepted", None),
    ("Eole & les <communs> de l’Intérieur", 15, "14:00",
     [("Eric", "Tiquet", "DNUM MI"), ("Thibault", "Colin", "DNUM MI"), ("Yoann", "Arthaud", "DNUM MI")],
     "submitted", "accepted", None),
    ("Debian dans l’Éducation nationale", 10, "14:15",
     [("Stéphane", "Paillet", "MENJS"), ("Jérémy", "Lal", "Debian")], "submitted", "accepted", None),
    ("Une intervention annulée", 10, "14:25", [("Dominique", "Martin", "DINUM")], "cancelled", "accepted", None),
    ("Une intervention sans horaire", 10, None, [("Lou", "Bernard", "DINUM")], "submitted", "accepted", None),
    ("Une proposition refusée", 10, None, [("Sam", "Petit", "DINUM")], "submitted", "declined", None),
]  # fmt: skip
PROGRAMME_BREAKS = [("Accueil", "09:00", "09:30"), ("Pause déjeuner", "12:30", "14:00")]


def build_programme(app, published: bool = True) -> None:
    """Store the 2022 programme above, with its co-speakers and breaks, and publish it (as organisers would)."""
    from datetime import date, datetime, time

    from bluehats.core.clock import PARIS
    from bluehats.core.vocabulary import Decision, Kind, Status
    from bluehats.extensions import db
    from bluehats.models import Break, CoSpeaker, Proposal
    from bluehats.programme import set_publication

    def at(hours: str) -> datetime:
        return datetime.combine(date(2022, 11, 8), time.fromisoformat(hours), tzinfo=PARIS)

    with app.test_request_context():
        for number, (title, minutes, start, people, status, decision, video) in enumerate(PROGRAMME_TALKS, start=1):
            (first, last, administration), *others = people
            talk = Proposal(
                edition="osxp-2022",
                number=number,
                reference=f"BH22-{number:04d}",
                first_name=first,
                last_name=last,
                email=f"{first.lower()}.{last.lower()}@example.gouv.fr",
                administration=administration,
                title=title,
                abstract=f"Résumé de « {title} ».\nSur deux lignes.",
                kind=Kind.EXPERIENCE if number % 2 else Kind.SOFTWARE,
                duration=minutes,
                status=Status(status),
                decision=Decision(decision),
                starts_at=at(start) if start else None,
                video_url=video,
            )
            talk.cospeakers = [
                CoSpeaker(position=position, first_name=f, last_name=n, email=f"{f.lower()}@example.gouv.fr",
                          administration=a)
                for position, (f, n, a) in enumerate(others)
            ]  # fmt: skip
            db.session.add(talk)
        for label, start, end in PROGRAMME_BREAKS:
            db.session.add(Break(edition="osxp-2022", label=label, starts_at=at(start), ends_at=at(end)))
        db.session.commit()
        if published:
            set_publication(datetime(2022, 10, 21, 9, tzinfo=PARIS))


def log_in(client, email=ORGANISER, password=PASSWORD):
    """Log in through the login form; return its answer (303 when it worked)."""
    token = csrf_token(client, "/organisation/connexion")
    return client.post("/organisation/connexion", data={"email": email, "password": password, "csrf_token": token})


def post(client, url, page=None, **data):
    """Post a form with the CSRF token of the page it sits on."""
    token = csrf_token(client, page or url)
    return client.post(url, data={**data, "csrf_token": token})
