"""The RGAA 4.1 criteria a program can check, on every page of the audit's sample, at desktop and phone size.

The results are written to artifacts/rgaa/resultats.json, from which `./dev grille` writes the audit's grid and the
accessibility statement; the test then checks that the grid kept in docs/accessibilite/ says what they say.
"""

import json
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from rgaa_checks import CLIPPED, FOCUS, FOCUSABLE, MARKUP, OVERFLOW, TEXT_SPACING

from bluehats.accessibility.audit import PAGE_NAMES, SAMPLE, build_grid, read_grid, read_records

from browser_helpers import ARTIFACTS
from page_states import walk

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AUDIT = ROOT / "docs/accessibilite"
VIEWPORTS = {"bureau": {"width": 1280, "height": 900}, "téléphone": {"width": 360, "height": 740}}
# The other sizes the criteria name: 320 CSS pixels wide (10.11), a 200 % zoom of the desktop (10.4), a phone on
# its side (13.9).
NARROW, ZOOMED, LANDSCAPE = {"width": 320, "height": 640}, {"width": 640, "height": 450}, {"width": 740, "height": 360}


def show(page, html: str, base: str, viewport: dict) -> None:
    """Show a page as the server sent it, at a size."""
    page.set_viewport_size(viewport)
    page.set_content(html.replace("<head>", f'<head><base href="{base}/">', 1), wait_until="load")


def keyboard(page) -> dict[str, list[str]]:
    """Go through the page with Tab alone: every stop shows its focus (10.7), and the focus always moves on (12.9)."""
    stops = page.evaluate(FOCUSABLE)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen, hidden, stuck = [], [], []
    for _ in range(stops + 3):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUS)
        if now is None:  # past the last element: the focus went back to the page
            break
        if seen and now["key"] == seen[-1]:
            stuck.append(now["label"])
        seen.append(now["key"])
        if now["inView"] and not now["visible"]:
            hidden.append(now["label"])
    return {
        "10.7": ["NC", f"focus invisible sur {', '.join(hidden[:4])}"] if hidden
        else ["C", f"{len(seen)} éléments atteints au clavier, chacun avec un contour de focus visible"],
        "12.9": ["NC", f"le focus reste sur {stuck[:2]}"] if stuck
        else ["C", f"la tabulation traverse les {len(seen)} éléments et ressort de la page"],
    }  # fmt: skip


def display(page, html: str, base: str) -> dict[str, list[str]]:
    """Show the page at 320 px, zoomed, on its side and with the text spacing of 10.12: nothing lost."""
    found = {}
    for criterion, viewport, what in (
        ("10.11", NARROW, "à 320 pixels de large"),
        ("10.4", ZOOMED, "avec un zoom de 200 %"),
        ("13.9", LANDSCAPE, "sur un téléphone à l’horizontale"),
    ):
        show(page, html, base, viewport)
        overflow, clipped = page.evaluate(OVERFLOW), page.evaluate(CLIPPED)
        found[criterion] = (
            ["NC", f"{what} : défilement de {overflow['by']} px ({overflow['where']}), texte coupé {clipped[:3]}"]
            if overflow["by"] > 1 or clipped
            else ["C", f"{what} : ni défilement horizontal ni texte coupé"]
        )
    problems = []
    for device, viewport in VIEWPORTS.items():
        show(page, html, base, viewport)
        page.evaluate(TEXT_SPACING)
        overflow, clipped = page.evaluate(OVERFLOW), page.evaluate(CLIPPED)
        if overflow["by"] > 1 or clipped:
            problems.append(
                f"{device} : défilement de {overflow['by']} px ({overflow['where']}), texte coupé {clipped[:3]}"
            )
    found["10.12"] = ["NC", " ; ".join(problems)] if problems else [
        "C", "interlignage 1,5, espacement des lettres 0,12, des mots 0,16, des paragraphes 2 : rien de coupé"
    ]  # fmt: skip
    return found


def tree(page, name: str, device: str) -> dict[str, list[str]]:
    """Read the accessibility tree Chromium gives screen readers; keep it as evidence."""
    snapshot = page.locator("body").aria_snapshot()
    path = ARTIFACTS / "rgaa" / "arbres" / f"{name}-{device}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(snapshot, encoding="utf-8")
    unnamed = [line.strip() for line in snapshot.splitlines() if line.strip() in ("- textbox", "- radio", "- checkbox")]
    return {
        "11.2": ["NC", f"champs sans nom dans l’arbre : {unnamed[:3]}"] if unnamed
        else ["C", "chaque champ a dans l’arbre d’accessibilité le nom de son étiquette"],
    }  # fmt: skip


def contrast(page, html: str, base: str) -> dict[str, list[str]]:
    """Run axe-core's contrast rule in the light theme and in the dark one DSFR gives a system set to dark (3.2)."""
    failures = []
    for theme in ("light", "dark"):
        show(page, html, base, VIEWPORTS["bureau"])
        # What DSFR's script does on a system set to dark (it does not start in a page shown with set_content).
        page.evaluate("(theme) => document.documentElement.setAttribute('data-fr-theme', theme)", theme)
        background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
        assert (background == "rgb(22, 22, 22)") == (theme == "dark"), f"{theme} theme not applied: {background}"
        found = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["color-contrast"]}})
        failures += [f"{theme} : {node['target'][0]}" for v in found.response["violations"] for node in v["nodes"]]
    return {"3.2": ["NC", " ; ".join(failures[:4])] if failures else [
        "C", "axe-core, règle color-contrast : aucun contraste insuffisant, thème clair et thème sombre"
    ]}  # fmt: skip


def merge(by_device: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, str]]:
    """One verdict per criterion over both sizes: non conforme at one size is non conforme."""
    merged = {}
    for criterion in sorted({key for found in by_device.values() for key in found}):
        verdicts = {device: found[criterion] for device, found in by_device.items() if criterion in found}
        statuses = {verdict for verdict, _ in verdicts.values()}
        status = "NC" if "NC" in statuses else "C" if "C" in statuses else "NA"
        evidence = {text for _, text in verdicts.values()}
        text = evidence.pop() if len(evidence) == 1 else " ; ".join(f"{d} : {t}" for d, (_, t) in verdicts.items())
        merged[criterion] = {"statut": status, "preuve": text}
    return merged


def environment(page) -> dict[str, str]:
    """Name the browser and the tools the audit used, with their versions."""
    package = ROOT / ".tools/node_modules/vnu-jar/package.json"
    vnu = json.loads(package.read_text())["version"] if package.exists() else "absent"
    page.set_content("<!DOCTYPE html><html lang='fr'><title>x</title><main><p>x</p></main></html>")
    axe = Axe().run(page).response["testEngine"]["version"]
    return {"browser": f"Chromium {page.context.browser.version}", "axe": axe, "vnu": vnu}


def test_the_rgaa_checks_hold_on_every_page_of_the_sample(live_server, page, smtp, clock):
    states = dict(walk(live_server, page, smtp, clock))
    assert set(PAGE_NAMES) <= set(states), f"pages of the sample never reached: {set(PAGE_NAMES) - set(states)}"
    base = live_server.base_url
    results = {}
    for name in PAGE_NAMES:
        kept = ARTIFACTS / "rgaa" / "pages" / f"{name}.html"  # the page as the server sent it, for a person to look at
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(states[name], encoding="utf-8")
        by_device = {}
        for device, viewport in VIEWPORTS.items():
            show(page, states[name], base, viewport)
            by_device[device] = page.evaluate(MARKUP) | keyboard(page) | tree(page, name, device)
        by_device["affichage"] = display(page, states[name], base) | contrast(page, states[name], base)
        doctype = states[name].lstrip().lower().startswith("<!doctype html>")
        by_device["code"] = {"8.1": ["C", "<!DOCTYPE html> en tête du code"] if doctype else ["NC", "pas de DOCTYPE"]}
        results[name] = merge(by_device)
    # 13.1 in the back office: the session is a time limit the organiser cannot extend, so 20 hours at least.
    hours = live_server.permanent_session_lifetime.total_seconds() / 3600
    for sample_page in SAMPLE:
        if sample_page.path.startswith("/organisation") and results[sample_page.name]["13.1"]["statut"] == "C":
            results[sample_page.name]["13.1"] = {
                "statut": "C" if hours >= 20 else "NC",
                "preuve": f"aucune actualisation minutée ; la session se termine après {hours:g} heures sans activité",
            }
    report = {"environnement": environment(page), "pages": results}
    path = ARTIFACTS / "rgaa" / "resultats.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")

    failing = [f"{name} {c}: {found['preuve']}" for name, page_results in results.items()
               for c, found in page_results.items() if found["statut"] == "NC"]  # fmt: skip
    assert failing == [], "\n".join(failing)
    grid = {
        (line.criterion, line.page): line.verdict
        for line in build_grid(read_records(AUDIT / "verifications.csv"), results)
    }
    kept = {(line.criterion, line.page): line.verdict for line in read_grid(AUDIT / "grille.csv")}
    assert kept == grid, "docs/accessibilite/grille.csv does not say what the tests found: run ./dev grille"
