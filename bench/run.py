"""Load benchmark: this site against a bare Flask app under the same gunicorn settings, on this machine, and
the site behind nginx (deploy/nginx.conf) against a static file of the same nginx.

Run with ./dev bench. Prints a table, writes bench/results/<time>.json, docs/performance.json and
docs/performance.md. Not part of the test suite: speed is measured here, never asserted in a test.
"""

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # servers.py: nginx on deploy/nginx.conf, as the tests run it

from sqlalchemy import insert  # noqa: E402

from bluehats import create_app  # noqa: E402
from bluehats.admin.accounts import add_organiser  # noqa: E402
from bluehats.extensions import db  # noqa: E402
from bluehats.mail import outbox  # noqa: E402
from bluehats.models import Proposal  # noqa: E402

from servers import serve_nginx  # noqa: E402

WORKERS, THREADS = 2, 4  # the same for the floor and the site
# The legal notice's publisher and host, which the site requires outside tests.
LEGAL = {"BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris", "BLUEHATS_HOST": "Hébergeur de test, Paris"}
ORGANISER = ("bench@numerique.gouv.fr", "une phrase de passe de banc")
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


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_env(folder: Path, database: str) -> dict[str, str]:
    """The site's configuration for the benchmark: a fresh SQLite file, mails left to the worker."""
    return {
        **os.environ,
        "BLUEHATS_INSTANCE_PATH": str(folder / "instance"),
        "FLASK_SECRET_KEY": "bench-secret-key",
        "FLASK_SQLALCHEMY_DATABASE_URI": database,
        "FLASK_BLUEHATS_MAIL_DELIVERY": "worker",
        "FLASK_BLUEHATS_SITE_URL": "http://127.0.0.1",
        "FLASK_BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris",
        "FLASK_BLUEHATS_HOST": "Hébergeur de test, 1 rue de l’Exemple, 75001 Paris, 01 23 45 67 89",
        "FLASK_BLUEHATS_ORGANISER_EMAILS": '["orga@numerique.gouv.fr"]',
        "FLASK_BLUEHATS_CFP_DEADLINE": (datetime.now(UTC) + timedelta(days=30)).isoformat(),
        "FLASK_SESSION_COOKIE_SECURE": "false",
        "FLASK_RATELIMIT_ENABLED": "false",  # one client address sends everything
    }


@contextmanager
def gunicorn(app_path: str, env: dict[str, str], log: Path):
    """Serve an app with the project's gunicorn settings and the benchmark's worker count."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "-c",
        "gunicorn.conf.py",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--bind",
        f"127.0.0.1:{port}",
        "--access-logfile",
        "/dev/null",
        app_path,
    ]
    with log.open("a") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _, _ = request(port, "GET", "/")
                if status < 500:
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"{app_path} did not start:\n{log.read_text()}") from None
                time.sleep(0.2)
        process.port = port
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def request(port: int, method: str, path: str, body: str | None = None, headers: dict | None = None):
    """Send one HTTP request; return (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.msg, response.read()
    finally:
        connection.close()


def cookies_of(headers) -> str:
    return "; ".join(header.split(";")[0] for header in headers.get_all("Set-Cookie") or [])


def wrk(
    port: int,
    path: str,
    seconds: int,
    connections: int,
    threads: int = 2,
    extra: list[str] | None = None,
    script_args: list[str] | None = None,
) -> dict:
    """Run wrk and read its figures: requests per second, p50 and p99 latency, errors."""
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--latency",
        *(extra or []),
        f"http://127.0.0.1:{port}{path}",
    ]
    if script_args:
        command += ["--", *script_args]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": latency(output, "50%"),
        "p99_ms": latency(output, "99%"),
        "errors": errors(output),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }


def latency(output: str, percentile: str) -> float:
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def errors(output: str) -> int:
    count = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", output):
        count += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        count += sum(int(group) for group in match.groups())
    return count


def alternate(name: str, floor_run, site_run, rounds: int, labels: tuple[str, str] = ("plancher", "site")) -> dict:
    """Run floor, site, floor, site …: drift on a shared machine hits both alike."""
    floors, sites = [], []
    for index in range(rounds):
        floors.append(floor_run())
        sites.append(site_run())
        print(
            f"  {name} {index + 1}/{rounds} : {labels[0]} {floors[-1]['rps']:.0f} req/s, "
            f"{labels[1]} {sites[-1]['rps']:.0f} req/s",
            flush=True,
        )
    floor_rps = statistics.mean(run["rps"] for run in floors)
    site_rps = statistics.mean(run["rps"] for run in sites)
    return {
        "floor_rps": round(floor_rps, 1),
        "rps": round(site_rps, 1),
        "ratio": round(site_rps / floor_rps, 3),
        "p50_ms": round(statistics.median(run["p50_ms"] for run in sites), 2),
        "p99_ms": round(statistics.median(run["p99_ms"] for run in sites), 2),
        "floor_p50_ms": round(statistics.median(run["p50_ms"] for run in floors), 2),
        "floor_p99_ms": round(statistics.median(run["p99_ms"] for run in floors), 2),
        "errors": sum(run["errors"] for run in sites),
    }


def peak_rss_mb(master_pid: int) -> float:
    """Return the largest peak resident memory (VmHWM) among a gunicorn master's workers."""
    peaks = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return round(max(peaks), 1)


def seed_proposals(database: str, count: int) -> None:
    """Insert proposals straight into the database (the list and the export read them)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench-secret-key", **LEGAL})
    administrations = ["DINUM", "Ministère de la Culture", "Ville de Lyon", "Ministère des Armées", "CNRS"]
    now = datetime.now(UTC)
    rows = [
        {
            # The 2022 edition's references, as the form would have numbered them.
            "edition": "osxp-2022",
            "number": index + 1,
            "reference": f"BH22-{index + 1:04d}",
            "first_name": f"Prénom{index}",
            "last_name": f"Nom{index}",
            "email": f"agent{index}@exemple.gouv.fr",
            "administration": administrations[index % 5],
            "job_title": "",
            "title": f"Intervention numéro {index}",
            "abstract": "Une description de quelques lignes, assez longue pour ressembler à une vraie. " * 3,
            "kind": ["retour-experience", "logiciel-libre", "bonne-pratique", "autre"][index % 4],
            "duration": [5, 10, 15, 20][index % 4],
            "status": "submitted",
            "honeypot": "",
            "consent_at": now,
            "created_at": now - timedelta(minutes=index),
            "updated_at": now,
        }
        for index in range(count)
    ]
    with app.app_context():
        db.session.execute(insert(Proposal), rows)
        db.session.commit()
        add_organiser(*ORGANISER)
        db.engine.dispose()


def migrate(database: str) -> None:
    """Create the schema as an operator does: flask db upgrade."""
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": database, "FLASK_SECRET_KEY": "bench-secret-key"}
    env |= {f"FLASK_{key}": value for key, value in LEGAL.items()}
    flask = Path(sys.executable).parent / "flask"
    subprocess.run([flask, "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


def log_in(port: int) -> str:
    status, headers, body = request(port, "GET", "/organisation/connexion")
    cookie = cookies_of(headers)
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()
    form = urlencode({"email": ORGANISER[0], "password": ORGANISER[1], "csrf_token": token})
    status, headers, _ = request(
        port,
        "POST",
        "/organisation/connexion",
        form,
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    assert status == 303, status
    return cookies_of(headers) or cookie


def bench_outbox(database: str, folder: Path, mails: int) -> dict:
    """Queue mails, then time their delivery over one connection per batch to a local aiosmtpd sink."""
    port = free_port()
    sink = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(1)
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database,
                "SECRET_KEY": "bench-secret-key",
                "MAIL_SERVER": "127.0.0.1",
                "MAIL_PORT": port,
                "BLUEHATS_MAIL_DELIVERY": "worker",
                "BLUEHATS_SITE_URL": "http://127.0.0.1",
                **LEGAL,
            }
        )
        with app.app_context():
            for index in range(mails):
                outbox.queue(
                    outbox.Mail(
                        [f"Agent {index} <agent{index}@exemple.gouv.fr>"],
                        f"Courriel {index}",
                        "Texte du courriel.\n" * 20,
                        "<p>Texte du courriel.</p>" * 20,
                    ),
                    "bench",
                )
            db.session.commit()
            start = time.perf_counter()
            total = outbox.DeliveryReport()
            while True:
                report = outbox.deliver(force=True)
                total.add(report)
                if report.sent + report.failed + report.retried == 0:
                    break
            elapsed = time.perf_counter() - start
            db.engine.dispose()
    finally:
        sink.terminate()
        sink.wait()
    return {"mails": total.sent, "seconds": round(elapsed, 2), "mails_per_second": round(total.sent / elapsed, 1)}


def closest_static_file(size: int) -> str:
    """Return the URL of the static file whose size is nearest to `size` (a fair match for a page)."""
    files = [path for path in (ROOT / "static").rglob("*") if path.is_file()]
    nearest = min(files, key=lambda path: abs(path.stat().st_size - size))
    return "/" + nearest.relative_to(ROOT).as_posix()


def bench_nginx(proxy: int, site: int, measure, post: dict, rounds: int) -> dict:
    """GET / through nginx against a static file of the same nginx; the form and a POST through it, against gunicorn."""
    status, _, body = request(proxy, "GET", "/")
    assert status == 200, status
    static = closest_static_file(len(body))
    print(f"  nginx : GET / ({len(body)} octets) face à {static} ({(ROOT / static[1:]).stat().st_size} octets)")
    results = {
        "nginx_home": alternate(
            "GET / via nginx", measure(proxy, static), measure(proxy, "/"), rounds, ("fichier statique", "GET /")
        ),
        "nginx_form": alternate(
            "GET /proposer via nginx",
            measure(site, "/proposer"),
            measure(proxy, "/proposer"),
            rounds,
            ("gunicorn seul", "via nginx"),
        ),
        "nginx_post": alternate(
            "POST /proposer via nginx",
            measure(site, "/proposer", **post),
            measure(proxy, "/proposer", **post),
            rounds,
            ("gunicorn seul", "via nginx"),
        ),
    }
    results["nginx_home"] |= {"static_file": static, "page_bytes": len(body)}
    return results


def timed_get(port: int, path: str, cookie: str, runs: int) -> list[float]:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        status, _, _body = request(port, "GET", path, headers={"Cookie": cookie})
        durations.append(time.perf_counter() - start)
        assert status == 200, (path, status)
    return durations


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="durée de chaque mesure wrk")
    parser.add_argument("--rounds", type=int, default=2, help="alternances plancher/site par scénario")
    parser.add_argument("--connections", type=int, default=16)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk est nécessaire (apt-get install wrk)")

    load_at_start = round(os.getloadavg()[0], 1)
    folder = Path(tempfile.mkdtemp(prefix="bluehats-bench-"))
    log = folder / "gunicorn.log"
    database = f"sqlite:///{folder / 'bench.sqlite'}"
    migrate(database)
    results: dict = {}
    seconds, rounds, connections = options.seconds, options.rounds, options.connections
    print(
        f"Banc d’essai : gunicorn {WORKERS} processus × {THREADS} fils, wrk {connections} connexions, "
        f"{seconds} s par mesure, {rounds} alternances.",
        flush=True,
    )
    with (
        gunicorn("bench.floor:app", dict(os.environ), log) as floor,
        gunicorn("app:app", site_env(folder, database), log) as site,
    ):
        _, headers, _ = request(site.port, "GET", "/")
        etag = headers["ETag"]
        _, headers, body = request(site.port, "GET", "/proposer")
        cookie = cookies_of(headers)
        token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', body).group(1).decode()

        def measure(port, path, **kwargs):
            return lambda: wrk(port, path, seconds, connections, **kwargs)

        results["get_home"] = alternate("GET /", measure(floor.port, "/"), measure(site.port, "/"), rounds)
        results["get_form"] = alternate(
            "GET /proposer", measure(floor.port, "/proposer"), measure(site.port, "/proposer"), rounds
        )
        post = {"extra": ["-s", str(ROOT / "bench/post.lua")], "script_args": [cookie, token]}
        results["post_form"] = alternate(
            "POST /proposer", measure(floor.port, "/proposer", **post), measure(site.port, "/proposer", **post), rounds
        )
        conditional = {"extra": ["-H", f"If-None-Match: {etag}"]}
        results["conditional_home"] = alternate(
            "GET / (304)", measure(floor.port, "/"), measure(site.port, "/", **conditional), rounds
        )
        results["rss"] = {"peak_rss_mb_public": peak_rss_mb(site.pid), "floor_peak_rss_mb": peak_rss_mb(floor.pid)}

        with serve_nginx(folder / "nginx", site.port) as proxy:
            results.update(bench_nginx(proxy, site.port, measure, post, rounds))

    print("  file des courriels…", flush=True)
    outbox_db = f"sqlite:///{folder / 'outbox.sqlite'}"
    migrate(outbox_db)
    results["outbox"] = bench_outbox(outbox_db, folder, 2000)

    print("  espace des organisateurs avec 10 000 propositions…", flush=True)
    admin_db = f"sqlite:///{folder / 'admin.sqlite'}"
    migrate(admin_db)
    seed_proposals(admin_db, 10_000)
    with gunicorn("app:app", site_env(folder, admin_db), log) as site:
        admin_cookie = log_in(site.port)
        for _ in range(2 * WORKERS):  # more logins, so that each worker checks a password (scrypt, 4 MB)
            log_in(site.port)
        results["rss"]["peak_rss_mb_login"] = peak_rss_mb(site.pid)
        for key, path in [
            ("admin_list", "/organisation/propositions"),
            ("admin_search", "/organisation/propositions?q=Nom123"),
        ]:
            run = wrk(site.port, path, seconds, 1, threads=1, extra=["-H", f"Cookie: {admin_cookie}"])
            results[key] = {
                "p50_ms": round(run["p50_ms"], 2),
                "p99_ms": round(run["p99_ms"], 2),
                "rps": run["rps"],
                "errors": run["errors"],
            }
        durations = timed_get(site.port, "/organisation/export.csv", admin_cookie, 5)
        results["admin_csv"] = {"median_s": round(statistics.median(durations), 3), "runs": len(durations)}
        results["rss"]["peak_rss_mb_admin"] = peak_rss_mb(site.pid)
    results["rss"]["peak_rss_mb"] = max(results["rss"]["peak_rss_mb_public"], results["rss"]["peak_rss_mb_admin"])

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "system": platform.platform(),
            # Other work on a shared machine lowers every figure: the load beside them says how much.
            "load_average_at_start": load_at_start,
            "load_average_at_end": round(os.getloadavg()[0], 1),
        },
        "settings": {
            "workers": WORKERS,
            "threads": THREADS,
            "connections": connections,
            "seconds": seconds,
            "rounds": rounds,
        },
        "results": results,
        "targets": {key: {"label": label, "met": check(results[key])} for key, (label, check) in TARGETS.items()},
    }
    write(report)
    shutil.rmtree(folder, ignore_errors=True)


def nginx_row(label: str, r: dict) -> str:
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
    for label, key in rows:
        r = results[key]
        lines.append(
            f"| {label} | {r['rps']:.0f} | {r['floor_rps']:.0f} | {r['ratio']:.2f} | {r['p50_ms']:.1f} ms "
            f"({r['floor_p50_ms']:.1f} ms) | {r['p99_ms']:.1f} ms ({r['floor_p99_ms']:.1f} ms) | {r['errors']} |"
        )
    lines += [
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
            nginx_row(label, results[key])
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


if __name__ == "__main__":
    main()
