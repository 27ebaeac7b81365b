"""Check the dependencies and the code: pip-audit over requirements.lock, bandit over the package."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def run_bandit() -> bool:
    """Run bandit with the project's settings; return whether it found nothing."""
    result = subprocess.run([BIN / "bandit", "-q", "-c", "pyproject.toml", "-r", "bluehats"], cwd=ROOT, check=False)
    print("bandit : aucun problème." if result.returncode == 0 else "bandit : problèmes ci-dessus.")
    return result.returncode == 0


def run_pip_audit() -> bool:
    """Run pip-audit on the locked dependencies; return whether no known vulnerability was found."""
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        command = [
            BIN / "pip-audit",
            "-r",
            "requirements.lock",
            "--no-deps",
            "--disable-pip",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--output",
            report_path,
        ]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        if not report_path.exists():
            print(f"pip-audit n’a pas pu s’exécuter :\n{result.stderr}")
            return False
        report = json.loads(report_path.read_text())
    dependencies = report["dependencies"]
    vulnerable = [dep for dep in dependencies if dep.get("vulns")]
    skipped = [dep for dep in dependencies if dep.get("skip_reason")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions", [])) or "aucune"
            print(f"pip-audit : {dep['name']} {dep['version']} : {vuln['id']} (corrigé dans : {fixes})")
    audited = len(dependencies) - len(skipped)
    print(f"pip-audit : {audited} paquet(s) audité(s), {len(vulnerable)} vulnérable(s).")
    if skipped:
        # The vulnerability data comes from PyPI's JSON API; where only the package index is reachable
        # (a mirror, a closed network), nothing can be audited, and that is said rather than hidden.
        print(
            f"pip-audit : ATTENTION, {len(skipped)} paquet(s) non audité(s) : la base de vulnérabilités "
            f"n’est pas joignable d’ici ({skipped[0]['skip_reason']})."
        )
    return not vulnerable


if __name__ == "__main__":
    ok = run_bandit() & run_pip_audit()
    sys.exit(0 if ok else 1)
