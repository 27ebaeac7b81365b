"""The RGAA audit kept in docs/accessibilite/: a whole grid, and a statement that says what the grid says."""

import json
import re
from pathlib import Path

from bluehats.accessibility.audit import PAGE_NAMES, Line, Verdict, criteria, rates, read_grid, read_records
from bluehats.accessibility.statement import percent, statement
from bluehats.core.content import CONTENT_DIR

from helpers import text_of

AUDIT = Path(__file__).resolve().parents[1] / "docs/accessibilite"


def test_the_grid_covers_the_106_criteria_on_every_page_of_the_sample():
    grid = read_grid(AUDIT / "grille.csv")
    numbers = [criterion.number for criterion in criteria()]
    assert len(numbers) == 106
    assert {(line.criterion, line.page) for line in grid} == {(n, page) for n in numbers for page in PAGE_NAMES}
    assert len(grid) == 106 * len(PAGE_NAMES)
    unnamed = [
        (line.criterion, line.page) for line in grid if line.verdict is not Verdict.NON_APPLICABLE and not line.method
    ]
    assert unnamed == [], "a verdict that does not say how it was checked"
    assert set(read_records(AUDIT / "verifications.csv")) == set(numbers)


def test_the_rgaa_method_counts_a_criterion_once_over_the_sample():
    def line(criterion, page, verdict):
        return Line(criterion, "Thème", page, Verdict(verdict), "test", "")

    grid = [
        line("1.1", "a", "C"), line("1.1", "b", "NA"),  # met where it applies: conforme
        line("1.2", "a", "C"), line("1.2", "b", "NC"),  # failed on one page: non conforme
        line("1.3", "a", "NA"), line("1.3", "b", "NA"),  # applies nowhere: non applicable
        line("1.4", "a", "C"), line("1.4", "b", "C"),
    ]  # fmt: skip
    result = rates(grid)
    assert (result.conforming, result.failing, result.not_applicable) == (["1.1", "1.4"], ["1.2"], ["1.3"])
    assert round(result.global_rate, 1) == 66.7  # 2 met out of the 3 that apply
    assert result.by_page == {"a": 100.0, "b": 50.0}
    assert result.average_rate == 75.0


def test_the_statement_is_the_one_the_grid_writes(client):
    grid = read_grid(AUDIT / "grille.csv")
    environment = json.loads((AUDIT / "environnement.json").read_text(encoding="utf-8"))
    assert (CONTENT_DIR / "accessibilite.md").read_text(encoding="utf-8") == statement(grid, environment)


def test_the_accessibility_page_shows_the_rate_computed_from_the_grid(client):
    result = rates(read_grid(AUDIT / "grille.csv"))
    page = text_of(client.get("/accessibilite").get_data(as_text=True))
    shown = re.search(r"([\d,]+)\s%\sdes critères du RGAA", page)
    assert shown is not None, page[:500]
    assert shown.group(1) + "\u00a0%" == percent(result.global_rate)
    state = "totalement conforme" if not result.failing else "partiellement conforme"
    assert f"est {state}" in page
    assert f"Accessibilité : {state}" in text_of(client.get("/").get_data(as_text=True))


def test_every_link_of_the_site_map_leads_somewhere(client):
    page = client.get("/plan-du-site").get_data(as_text=True)
    links = re.findall(r"<main.*?</main>", page, flags=re.S)[0]
    paths = re.findall(r'href="(/[^"#]*)"', links)
    assert len(paths) >= 8
    for path in paths:
        assert client.get(path).status_code == 200, path
