"""Every page, public and back office, normal and in error: axe-core (WCAG 2.1 A/AA, RGAA) and the Nu validator."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from browser_helpers import screenshot
from page_states import walk

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = Path(os.environ.get("BLUEHATS_VNU_JAR", ROOT / ".tools/node_modules/vnu-jar/build/dist/vnu.jar"))
VIEWPORTS = {"bureau": {"width": 1280, "height": 900}, "telephone": {"width": 360, "height": 740}}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "RGAAv4"]


def test_axe_finds_no_violation_on_any_page(live_server, page, smtp, clock):
    axe = Axe()
    failures = []
    base = live_server.base_url
    for name, html in walk(live_server, page, smtp, clock):
        for device, viewport in VIEWPORTS.items():
            # Each state is shown again from the HTML the server sent, so that axe sees that exact page.
            page.set_viewport_size(viewport)
            page.set_content(html.replace("<head>", f'<head><base href="{base}/">', 1), wait_until="load")
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
            for violation in results.response["violations"]:
                nodes = "; ".join(node["target"][0] for node in violation["nodes"][:3])
                failures.append(
                    f"{name} ({device}): {violation['id']} ({violation['impact']}) {violation['help']} — {nodes}"
                )
            screenshot(page, f"pages/{name}-{device}")
        page.set_viewport_size(VIEWPORTS["bureau"])
    assert failures == [], "\n".join(failures)


def test_every_page_is_valid_html(live_server, page, smtp, clock, tmp_path):
    if not shutil.which("java") or not VNU_JAR.exists():
        pytest.skip(
            f"validateur HTML non lancé : il faut Java et {VNU_JAR.relative_to(ROOT)} "
            "(./dev test l’installe avec npm quand Java et npm sont là)"
        )
    files = []
    for name, html in walk(live_server, page, smtp, clock):
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        files.append(path)
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--format", "json", "--stdout", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stdout)["messages"]
    errors = [f"{Path(m['url']).stem}:{m.get('lastLine')}: {m['message']}" for m in messages if m["type"] == "error"]
    assert errors == [], "\n".join(errors)
    assert len(files) >= 39
