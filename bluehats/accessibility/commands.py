"""flask accessibilite grille: the audit's grid and the accessibility statement, from the records and the tests."""

import json
from pathlib import Path

import click
from flask.cli import AppGroup

from ..core import clock
from ..core.dates import format_date
from .audit import AuditError, build_grid, rates, read_records, write_grid
from .statement import grid_table, statement

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "docs/accessibilite"
RESULTS = ROOT / "artifacts/rgaa/resultats.json"
STATEMENT = Path(__file__).resolve().parents[1] / "content/accessibilite.md"

accessibility_cli = AppGroup("accessibilite", help="L’audit RGAA et la déclaration d’accessibilité.")


@accessibility_cli.command("grille")
@click.option("--resultats", "results_path", type=click.Path(exists=True, path_type=Path), default=RESULTS,
              help="Les résultats des tests du navigateur (tests/browser/test_rgaa.py).")  # fmt: skip
def grid_command(results_path: Path) -> None:
    """Write docs/accessibilite/grille.csv and grille.md, and the statement that /accessibilite shows."""
    results = json.loads(results_path.read_text(encoding="utf-8"))
    try:
        lines = build_grid(read_records(AUDIT / "verifications.csv"), results["pages"])
    except AuditError as error:
        raise click.ClickException(str(error)) from None
    environment = {**results["environnement"], "date": format_date(clock.now())}
    write_grid(lines, AUDIT / "grille.csv")
    (AUDIT / "grille.md").write_text(grid_table(lines), encoding="utf-8")
    (AUDIT / "environnement.json").write_text(json.dumps(environment, ensure_ascii=False, indent=1) + "\n")
    STATEMENT.write_text(statement(lines, environment), encoding="utf-8")
    result = rates(lines)
    click.echo(
        f"Grille : {len(lines)} lignes ; {len(result.conforming)} critères conformes, {len(result.failing)} non "
        f"conformes, {len(result.not_applicable)} non applicables ; taux {result.global_rate:.1f} %."
    )
