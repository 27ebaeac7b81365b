"""The benchmark's report: its targets, the table it prints, docs/performance.md and docs/performance.json."""

import json
import re

from load import ROOT, THREADS, WORKERS

TARGETS = {
    # The targets of the redesign (issue 11): pages through Flask's routing, no layer in front of it.
    "get_home": ("GET / ≥ 0,7 × le plancher", lambda r: r["ratio"] >= 0.7),
    "get_form": ("GET /proposer ≥ 0,45 × le plancher", lambda r: r["ratio"] >= 0.45),
    "post_form": (
        "POST /proposer : 99e centile < 100 ms à 16 connexions, sans erreur",
        lambda r: r["p99_ms"] < 100 and r["errors"] == 0,
    ),
    "conditional_home": ("GET / conditionnel (304) ≥ 0,8 × le plancher", lambda r: r["ratio"] >= 0.8),
    "outbox": ("Envoi de la file ≥ 300 courriels/s", lambda r: r["mails_per_second"] >= 300),
    "admin_list": ("Liste (10 000 propositions) ≤ 50 ms en médiane", lambda r: r["p50_ms"] <= 50),
    "admin_search": ("Recherche (10 000 propositions) ≤ 50 ms en médiane", lambda r: r["p50_ms"] <= 50),
    "admin_csv": ("Export CSV de 10 000 propositions ≤ 1 s", lambda r: r["median_s"] <= 1),
    "rss": ("Un processus ≤ 80 Mo de mémoire (RSS)", lambda r: r["peak_rss_mb"] <= 80),
    "nginx_home": ("GET / via nginx ≥ 0,5 × un fichier statique du même nginx", lambda r: r["ratio"] >= 0.5),
    "nginx_form": ("GET /proposer via nginx, sans erreur", lambda r: r["errors"] == 0),
    "nginx_post": ("POST /proposer via nginx, sans erreur", lambda r: r["errors"] == 0),
}


def row(label: str, r: dict) -> str:
    """One line of a comparison table: throughput, ratio, latencies beside the reference's, errors."""
    return (
        f"| {label} | {r['rps']:.0f} | {r['floor_rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} ms "
        f"({r['floor_p50_ms']:.1f} ms) | {r['p99_ms']:.1f} ms ({r['floor_p99_ms']:.1f} ms) | {r['errors']} |"
    )


def write(report: dict) -> None:
    """Print the table, keep the JSON, rewrite docs/performance.md's figures."""
    results = report["results"]
    rows = [
        ("GET / (l’annonce)", "get_home"),
        ("GET /proposer (le formulaire)", "get_form"),
        ("POST /proposer (une proposition)", "post_form"),
        ("GET / conditionnel (304)", "conditional_home"),
    ]
    lines = [
        "| scénario | site (req/s) | plancher (req/s) | rapport | p50 site (plancher) | p99 site (plancher) "
        "| erreurs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    lines += [row(label, results[key]) for label, key in rows]
    lines += [
        "",
        f"Chaque `POST /proposer` mesuré enregistre une nouvelle proposition (adresse et titre jamais envoyés) : "
        f"{results['post_form']['stored']} propositions en base pour {results['post_form']['requests']} réponses "
        "du site pendant ses tours.",
        "",
        "| mesure | résultat |",
        "| --- | --- |",
        f"| Envoi de 2 000 courriels (aiosmtpd local) | {results['outbox']['mails_per_second']:.0f} courriels/s "
        f"({results['outbox']['seconds']} s) |",
        f"| Liste, 10 000 propositions | {results['admin_list']['p50_ms']:.1f} ms en médiane, "
        f"{results['admin_list']['p99_ms']:.1f} ms au 99e centile |",
        f"| Recherche, 10 000 propositions | {results['admin_search']['p50_ms']:.1f} ms en médiane |",
        f"| Export CSV de 10 000 propositions | {results['admin_csv']['median_s']:.2f} s en médiane |",
        f"| Mémoire d’un processus (pic) | pages publiques : {results['rss']['peak_rss_mb_public']:.1f} Mo, "
        f"après cinq connexions (mots de passe vérifiés) : {results['rss']['peak_rss_mb_login']:.1f} Mo, "
        f"espace des organisateurs : {results['rss']['peak_rss_mb_admin']:.1f} Mo (plancher : "
        f"{results['rss']['floor_peak_rss_mb']:.0f} Mo) |",
        "",
        "Derrière nginx (`deploy/nginx.conf`), même exécution : `GET /` face à un fichier statique de taille voisine "
        f"servi par le même nginx (`{results['nginx_home']['static_file']}`), le formulaire et l’envoi face à "
        "gunicorn seul.",
        "",
        "| scénario | via nginx (req/s) | référence (req/s) | rapport | p50 via nginx (référence) "
        "| p99 via nginx (référence) | erreurs |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(
            row(label, results[key])
            for label, key in [
                ("GET / (l’annonce, du cache de nginx) ; référence : le fichier statique", "nginx_home"),
                ("GET /proposer (le formulaire) ; référence : gunicorn seul", "nginx_form"),
                ("POST /proposer (une proposition) ; référence : gunicorn seul", "nginx_post"),
            ]
        ),
        "",
        "| objectif | atteint |",
        "| --- | --- |",
        *(f"| {target['label']} | {'oui' if target['met'] else '**non**'} |" for target in report["targets"].values()),
    ]
    table = "\n".join(lines)
    print()
    print(table)
    stamp = report["when"].replace(":", "").replace("+0000", "")
    (ROOT / "bench/results").mkdir(exist_ok=True)
    (ROOT / f"bench/results/{stamp}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    (ROOT / "docs/performance.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    page = ROOT / "docs/performance.md"
    text = (
        page.read_text(encoding="utf-8") if page.exists() else "# Performance\n\n<!-- figures -->\n<!-- /figures -->\n"
    )
    figures = (
        f"<!-- figures -->\nDernière mesure : {report['when']}, {report['machine']['cpus']} cœurs, "
        f"Python {report['machine']['python']}, gunicorn {WORKERS} × {THREADS} (gthread), wrk "
        f"{report['settings']['connections']} connexions, {report['settings']['seconds']} s × "
        f"{report['settings']['rounds']} alternances plancher/site ; charge moyenne de la machine (1 min) : "
        f"{report['machine']['load_average_at_start']} au départ, {report['machine']['load_average_at_end']} à la fin."
        f"\n\n{table}\n<!-- /figures -->"
    )
    text = re.sub(r"<!-- figures -->.*<!-- /figures -->", lambda _: figures, text, flags=re.S)
    page.write_text(text, encoding="utf-8")
