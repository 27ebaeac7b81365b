"""Exports: proposals as CSV for a person in a French spreadsheet and JSON for programs, the programme for Jekyll."""

import csv
import html
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import quote, urlsplit

import frontmatter

from .clock import PARIS
from .edition import Edition
from .vocabulary import Change

if TYPE_CHECKING:  # the core reads proposals' attributes; it never imports the database layer
    from ..models import Proposal

# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COSPEAKER_KEYS = ("first_name", "last_name", "email", "administration")


def iso(moment: datetime | None) -> str | None:
    """Return a moment as ISO 8601 for programs, or None."""
    return moment.isoformat() if moment else None


def proposal_json(proposal: "Proposal") -> dict[str, Any]:
    """Return a proposal as the JSON export's object: DESIGN.md's stable keys (codes), then what came since."""
    return {
        **proposal_record(proposal),
        "edition": proposal.edition,
        "decision": proposal.decision.value if proposal.decision else None,
        "preferred_day": proposal.preferred_day,
        "cospeakers": [{key: getattr(co, key) for key in COSPEAKER_KEYS} for co in proposal.cospeakers],
        "decided_at": iso(proposal.decided_at),
        "answered_at": iso(proposal.answered_at),
        "confirmed_at": iso(proposal.confirmed_at),
        "starts_at": iso(proposal.starts_at),
        "ends_at": iso(proposal.ends_at),
        "notes": [{"at": iso(line.at), "author": line.actor, "text": line.detail} for line in notes(proposal)],
    }


def proposal_record(proposal: "Proposal") -> dict[str, Any]:
    """Return a proposal's form fields plus reference, status and created_at, as codes for programs."""
    return {
        "reference": proposal.reference,
        "status": proposal.status,
        "created_at": proposal.created_at.isoformat(),
        "first_name": proposal.first_name,
        "last_name": proposal.last_name,
        "email": proposal.email,
        "administration": proposal.administration,
        "job_title": proposal.job_title,
        "title": proposal.title,
        "abstract": proposal.abstract,
        "kind": proposal.kind,
        "duration": proposal.duration,
    }


def notes(proposal: "Proposal") -> list[Any]:
    """Return the organisers' internal notes on a proposal, oldest first."""
    return sorted((line for line in proposal.history if line.action == Change.NOTE), key=lambda line: line.at)


def paris(moment: datetime | None, pattern: str = "%d/%m/%Y %H:%M") -> str:
    """Return a moment in Paris time to the minute, as a French spreadsheet reads a date (or nothing)."""
    return moment.astimezone(PARIS).strftime(pattern) if moment else ""


def decision_text(proposal: "Proposal") -> str:
    """Return the decision in French, « À décider » while there is none."""
    return proposal.decision.label if proposal.decision else "À décider"


# The CSV's columns, for a person in a spreadsheet: French headers, labels, Paris time.
CSV_COLUMNS: tuple[tuple[str, Callable[["Proposal"], Any]], ...] = (
    ("Référence", lambda p: p.reference),
    ("État", lambda p: p.status.label),
    ("Reçue le", lambda p: paris(p.created_at)),
    ("Prénom", lambda p: p.first_name),
    ("Nom", lambda p: p.last_name),
    ("Adresse électronique", lambda p: p.email),
    ("Administration", lambda p: p.administration),
    ("Fonction", lambda p: p.job_title),
    ("Titre", lambda p: p.title),
    ("Description", lambda p: p.abstract),
    ("Type", lambda p: p.kind.label),
    ("Durée (minutes)", lambda p: p.duration),
    ("Jour préféré", lambda p: p.preferred_day and date.fromisoformat(p.preferred_day).strftime("%d/%m/%Y")),
    (
        "Co-intervenant·es",
        lambda p: "\n".join(f"{co.first_name} {co.last_name} ({co.administration}, {co.email})" for co in p.cospeakers),
    ),
    ("Décision", decision_text),
    ("Réponse envoyée le", lambda p: paris(p.answered_at)),
    ("Participation confirmée le", lambda p: paris(p.confirmed_at)),
    ("Créneau : jour", lambda p: paris(p.starts_at, "%d/%m/%Y")),
    ("Créneau : heure", lambda p: p.starts_at and f"{paris(p.starts_at, '%H:%M')}–{paris(p.ends_at, '%H:%M')}"),
    ("Notes internes", lambda p: "\n".join(f"{paris(n.at)}, {n.actor} : {n.detail}" for n in notes(p))),
)


def neutralise(value: Any) -> Any:
    """Prefix a text that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_rows(proposals: Iterable["Proposal"]) -> Iterator[str]:
    """Yield the CSV text line by line: UTF-8 BOM, « ; » separators, formulas neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([header for header, _ in CSV_COLUMNS])
    yield "\ufeff" + buffer.getvalue()
    for proposal in proposals:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(value(proposal) or "") for _, value in CSV_COLUMNS])
        yield buffer.getvalue()


def json_chunks(proposals: Iterable["Proposal"]) -> Iterator[str]:
    """Yield a JSON list of proposal records, one object at a time."""
    yield "["
    for index, proposal in enumerate(proposals):
        yield ("," if index else "") + "\n" + json.dumps(proposal_json(proposal), ensure_ascii=False)
    yield "\n]\n"


# What Liquid, Markdown links, images, emphasis, code and table cells are made of, as HTML character references.
_JEKYLL_MARKUP = str.maketrans({char: f"&#{ord(char)};" for char in "{}|[]()!*_`~"})


def jekyll_text(value: str) -> str:
    """Return a text that a Jekyll page shows as typed: no HTML, no Liquid, no Markdown link, emphasis or cell."""
    return html.escape(" ".join(value.split()), quote=False).translate(_JEKYLL_MARKUP)


def programme_jekyll(edition: Edition, talks: Iterable["Proposal"], page_url: str) -> str:
    """Return the programme as a Jekyll page: front matter, then one table line per talk, every field escaped."""
    front = {
        "title": f"Programme – {edition.title}",
        "date": edition.start.astimezone(PARIS).strftime("%Y-%m-%d %H:%M:%S %z"),
        "categories": list(edition.categories),
        "lieu": edition.place,
        "programme": [
            {
                "horaire": talk.starts_at.astimezone(PARIS).strftime("%H:%M"),
                "fin": talk.ends_at.astimezone(PARIS).strftime("%H:%M"),
                "titre": jekyll_text(talk.title),
                "intervenant": jekyll_text(talk.speaker),
                "administration": jekyll_text(talk.administration),
                "duree": talk.duration,
            }
            for talk in talks
            if talk.starts_at and talk.ends_at
        ],
    }
    lines = [f"Programme {'des' if edition.several_days else 'de la'} {edition.dated_name}, {edition.place}.", ""]
    lines.append("| Horaire | Intervention | Intervenant·e | Durée |")
    lines.append("| --- | --- | --- | --- |")
    for item in front["programme"]:
        speaker = f"{item['intervenant']} ({item['administration']})"
        lines.append(f"| {item['horaire']} | {item['titre']} | {speaker} | {item['duree']} min |")
    lines.append("")
    lines.append(f"Programme en ligne\u00a0: {page_url}")
    return frontmatter.dumps(frontmatter.Post("\n".join(lines), **front), sort_keys=False) + "\n"


class Dated(Protocol):
    """An edition as the archive page names it: the current one, or one of the archive."""

    @property
    def start(self) -> datetime: ...  # noqa: D102

    @property
    def days(self) -> Sequence[Any]: ...  # noqa: D102


# Characters a URL keeps in a Markdown link; others (parentheses, braces, quotes, spaces …) are percent-encoded,
# so that the link can close neither itself nor open Liquid.
_URL_SAFE = ":/?#@!$&+,;=%-._~*"


def markdown_link(text: str, url: str | None) -> str | None:
    """Return a Markdown link to an http(s) address, or None for any other address."""
    if not url or urlsplit(url.strip()).scheme.lower() not in ("http", "https") or not urlsplit(url.strip()).netloc:
        return None
    return f"[{jekyll_text(text)}]({quote(url.strip(), safe=_URL_SAFE)})"


def archive_markdown(edition: Dated, talks: Iterable["Proposal"]) -> str:
    """Return an edition's talks as the community site's archive page: one line per talk, with its recording."""
    year = edition.start.astimezone(PARIS).year
    title = f"Présentations {'des journées' if len(edition.days) > 1 else 'de la journée'} BlueHats {year}"
    lines = []
    for talk in talks:
        line = f"- {jekyll_text(talk.display_title)}, {jekyll_text(talk.speakers_line)}"
        link = markdown_link("revoir", talk.video_url)
        lines.append(f"{line}\u00a0: {link}" if link else line)
    return frontmatter.dumps(frontmatter.Post("\n".join(lines), title=title), sort_keys=False) + "\n"
