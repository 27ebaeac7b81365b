"""Load benchmark: this site against a bare Flask app under the same gunicorn settings, on this machine, and
the site behind nginx (deploy/nginx.conf) against a static file of the same nginx.

Run with ./dev bench. Prints a table, writes bench/results/<time>.json, docs/performance.json and
docs/performance.md. Not part of the test suite: speed is measured here, never asserted in a test.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # helpers.py and servers.py: nginx on deploy/nginx.conf, as the tests run it

from load import THREADS, WORKERS, alternate, cookies_of, peak_rss_mb, request, timed_get, wrk  # noqa: E402
from report import TARGETS, write  # noqa: E402
from scenarios import (  # noqa: E402
    bench_nginx,
    bench_outbox,
    log_in,
    migrate,
    seed_proposals,
    site_env,
    stored_proposals,
)

from proxy import serve_nginx  # noqa: E402
from servers import gunicorn  # noqa: E402


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
        gunicorn(
            dict(os.environ), folder / "floor.log", WORKERS, app="bench.floor:app", threads=THREADS, ready="/"
        ) as floor,
        gunicorn(site_env(folder, database), folder / "site.log", WORKERS, threads=THREADS) as site,
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
        # Each answered POST stored a new proposal (none was a repeat answered from what was stored before).
        results["post_form"]["stored"] = stored_proposals(database)
        if results["post_form"]["stored"] < results["post_form"]["requests"] - results["post_form"]["errors"]:
            sys.exit(f"POST /proposer : {results['post_form']['stored']} propositions enregistrées seulement")
        conditional = {"extra": ["-H", f"If-None-Match: {etag}"]}
        results["conditional_home"] = alternate(
            "GET / (304)", measure(floor.port, "/"), measure(site.port, "/", **conditional), rounds
        )
        results["rss"] = {
            "peak_rss_mb_public": peak_rss_mb(site.process.pid),
            "floor_peak_rss_mb": peak_rss_mb(floor.process.pid),
        }

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
    with gunicorn(site_env(folder, admin_db), folder / "admin.log", WORKERS, threads=THREADS) as site:
        admin_cookie = log_in(site.port)
        for _ in range(2 * WORKERS):  # more logins, so that each worker checks a password (scrypt, 4 MB)
            log_in(site.port)
        results["rss"]["peak_rss_mb_login"] = peak_rss_mb(site.process.pid)
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
        results["rss"]["peak_rss_mb_admin"] = peak_rss_mb(site.process.pid)
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


if __name__ == "__main__":
    main()
