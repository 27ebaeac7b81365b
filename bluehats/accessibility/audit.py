"""The RGAA 4.1 audit: its 106 criteria, its sample of pages, the grid of results and the rates of the method."""

import csv
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

CRITERIA_FILE = Path(__file__).resolve().parent / "criteria.json"
# The auditor's records: one line per criterion, how it was checked and on which pages it applies.
RECORDS_COLUMNS = ("critere", "statut", "pages", "methode", "preuve")
GRID_COLUMNS = ("critere", "thematique", "page", "statut", "methode", "preuve")
# A record whose status is this one is settled page by page by the browser tests' results.
BY_TEST = "test"
ALL_PAGES = "*"


class Verdict(enum.StrEnum):
    """A criterion's result on a page, as the RGAA method names them."""

    CONFORME = "C"
    NON_CONFORME = "NC"
    NON_APPLICABLE = "NA"

    @property
    def label(self) -> str:
        """The French word the statement uses."""
        return {"C": "conforme", "NC": "non conforme", "NA": "non applicable"}[self.value]


@dataclass(frozen=True)
class Criterion:
    """One of the 106 criteria."""

    number: str
    theme: str
    title: str


@dataclass(frozen=True)
class SamplePage:
    """A page of the audit's sample, named as the browser tests name its state."""

    name: str
    label: str
    path: str


# The pages the RGAA method asks for: every kind of page and every state a visitor or an organiser meets.
SAMPLE = (
    SamplePage("accueil", "Accueil : l’annonce de la journée", "/"),
    SamplePage("formulaire", "Proposer une intervention : le formulaire", "/proposer"),
    SamplePage("formulaire-erreurs", "Le formulaire envoyé avec des erreurs", "/proposer"),
    SamplePage("confirmation", "La confirmation d’une proposition", "/proposer/merci"),
    SamplePage("page-personnelle", "La page personnelle : lire et modifier sa proposition", "/proposition/…"),
    SamplePage("page-personnelle-erreurs", "La page personnelle : une modification en erreur", "/proposition/…"),
    SamplePage("retrait", "Retirer sa proposition", "/proposition/…/retrait"),
    SamplePage(
        "page-personnelle-retenue",
        "La page personnelle d’une intervention retenue (confirmer, déposer son support)",
        "/proposition/…",
    ),
    SamplePage("programme-non-publie", "Le programme avant sa publication", "/programme"),
    SamplePage("programme-publie", "Le programme publié, avec ses pauses et ses co-intervenant·es", "/programme"),
    SamplePage("programme-edition", "Le programme d’une édition, dans l’archive", "/editions/…/programme"),
    SamplePage("mentions-legales", "Mentions légales", "/mentions-legales"),
    SamplePage("donnees-personnelles", "Données personnelles", "/donnees-personnelles"),
    SamplePage("accessibilite", "Déclaration d’accessibilité", "/accessibilite"),
    SamplePage("plan-du-site", "Plan du site", "/plan-du-site"),
    SamplePage("connexion", "Connexion à l’espace des organisateurs", "/organisation/connexion"),
    SamplePage("tableau-de-bord", "Espace des organisateurs : tableau de bord", "/organisation/"),
    SamplePage("propositions", "Espace des organisateurs : liste des propositions", "/organisation/propositions"),
    SamplePage("proposition", "Espace des organisateurs : une proposition", "/organisation/propositions/1"),
    SamplePage("programme-organisation", "Espace des organisateurs : le programme", "/organisation/programme"),
)
PAGE_NAMES = tuple(page.name for page in SAMPLE)


@dataclass(frozen=True)
class Line:
    """One line of the grid: a criterion on a page."""

    criterion: str
    theme: str
    page: str
    verdict: Verdict
    method: str
    evidence: str


class AuditError(ValueError):
    """The records or the tests' results cannot make a whole grid."""


def criteria() -> list[Criterion]:
    """Return the 106 criteria of the RGAA 4.1, in order."""
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    return [Criterion(item["critere"], item["thematique"], item["intitule"]) for item in data["criteres"]]


def read_records(path: Path) -> dict[str, dict[str, str]]:
    """Read the auditor's records, one per criterion."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    return {row["critere"]: row for row in rows}


def build_grid(records: Mapping[str, Mapping[str, str]], results: Mapping[str, Mapping[str, dict]]) -> list[Line]:
    """Make the grid: each criterion on each page, from the records and, where they say so, the tests' results."""
    lines = []
    for criterion in criteria():
        record = records.get(criterion.number)
        if record is None:
            raise AuditError(f"critère {criterion.number} : aucune vérification consignée")
        pages = PAGE_NAMES if record["pages"] == ALL_PAGES else tuple(record["pages"].split())
        unknown = set(pages) - set(PAGE_NAMES)
        if unknown:
            raise AuditError(f"critère {criterion.number} : pages inconnues {sorted(unknown)}")
        for page in PAGE_NAMES:
            if page not in pages:
                verdict, evidence = Verdict.NON_APPLICABLE, "Ne concerne pas cette page."
            elif record["statut"] == BY_TEST:
                found = results.get(page, {}).get(criterion.number)
                if found is None:
                    raise AuditError(f"critère {criterion.number}, page {page} : aucun résultat des tests")
                verdict, evidence = Verdict(found["statut"]), found["preuve"]
            else:
                verdict, evidence = Verdict(record["statut"]), record["preuve"]
            lines.append(Line(criterion.number, criterion.theme, page, verdict, record["methode"], evidence))
    return lines


def write_grid(lines: Iterable[Line], path: Path) -> None:
    """Write the grid as CSV (semicolons, as a French spreadsheet opens it)."""
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, delimiter=";", lineterminator="\n")
        writer.writerow(GRID_COLUMNS)
        for line in lines:
            writer.writerow([line.criterion, line.theme, line.page, line.verdict, line.method, line.evidence])


def read_grid(path: Path) -> list[Line]:
    """Read a grid written by write_grid."""
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Line(row["critere"], row["thematique"], row["page"], Verdict(row["statut"]), row["methode"], row["preuve"])
            for row in csv.DictReader(file, delimiter=";")
        ]


@dataclass(frozen=True)
class Rates:
    """The results of the audit, computed as the RGAA method says."""

    conforming: list[str]
    failing: list[str]
    not_applicable: list[str]
    by_page: dict[str, float]

    @property
    def global_rate(self) -> float:
        """Criteria met on every page where they apply, over the applicable criteria, in percent."""
        applicable = len(self.conforming) + len(self.failing)
        return 100 * len(self.conforming) / applicable if applicable else 100.0

    @property
    def average_rate(self) -> float:
        """The mean of each page's own rate, in percent."""
        return sum(self.by_page.values()) / len(self.by_page)


def rates(lines: Iterable[Line]) -> Rates:
    """Compute the global rate (by criterion, over the whole sample) and each page's rate."""
    by_criterion: dict[str, set[Verdict]] = {}
    by_page: dict[str, list[Verdict]] = {}
    for line in lines:
        by_criterion.setdefault(line.criterion, set()).add(line.verdict)
        by_page.setdefault(line.page, []).append(line.verdict)
    conforming, failing, not_applicable = [], [], []
    for number, verdicts in by_criterion.items():
        # Non conforme on one page makes the criterion non conforme; non applicable everywhere, non applicable.
        if Verdict.NON_CONFORME in verdicts:
            failing.append(number)
        elif verdicts == {Verdict.NON_APPLICABLE}:
            not_applicable.append(number)
        else:
            conforming.append(number)
    page_rates = {}
    for page, verdicts in by_page.items():
        met, failed = verdicts.count(Verdict.CONFORME), verdicts.count(Verdict.NON_CONFORME)
        page_rates[page] = 100 * met / (met + failed) if met + failed else 100.0
    return Rates(conforming, failing, not_applicable, page_rates)


def state_of_conformity(rate: float) -> str:
    """Return the state the statement declares: totally conforming only at 100 %, partially from 50 %."""
    if rate >= 100:
        return "totalement conforme"
    return "partiellement conforme" if rate >= 50 else "non conforme"
