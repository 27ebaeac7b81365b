"""The benchmark's scenarios that need the site itself: its database, its organiser, its outbox, nginx."""

import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask
from load import ROOT, alternate, cookies_of, request
from sqlalchemy import func, insert, select

from bluehats import create_app
from bluehats.admin.accounts import add_organiser
from bluehats.extensions import db
from bluehats.mail import outbox
from bluehats.models import Proposal

from helpers import free_port
from servers import site_environment

# The legal notice's publisher and host, which the site requires outside tests.
LEGAL = {"BLUEHATS_PUBLISHER": "DINUM, 20 avenue de Ségur, 75007 Paris", "BLUEHATS_HOST": "Hébergeur de test, Paris"}
ORGANISER = ("bench@numerique.gouv.fr", "une phrase de passe de banc")


def site_env(folder: Path, database: str) -> dict[str, str]:
    """The site's configuration for the benchmark: the tests' own, on a fresh SQLite file, mails left to the worker."""
    return site_environment(folder / "instance", database, free_port(), FLASK_BLUEHATS_MAIL_DELIVERY="worker")


def bench_app(database: str, **settings) -> Flask:
    """Build the site on a benchmark's database, to fill it or read it outside the served processes."""
    return create_app({"SQLALCHEMY_DATABASE_URI": database, "SECRET_KEY": "bench-secret-key", **LEGAL, **settings})


def seed_proposals(database: str, count: int) -> None:
    """Insert proposals straight into the database (the list and the export read them)."""
    app = bench_app(database)
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


def stored_proposals(database: str) -> int:
    """Count the proposals a database holds."""
    app = bench_app(database)
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Proposal))
        db.engine.dispose()
    return count


def migrate(database: str) -> None:
    """Create the schema as an operator does: flask db upgrade."""
    env = {**os.environ, "FLASK_SQLALCHEMY_DATABASE_URI": database, "FLASK_SECRET_KEY": "bench-secret-key"}
    env |= {f"FLASK_{key}": value for key, value in LEGAL.items()}
    flask = Path(sys.executable).parent / "flask"
    subprocess.run([flask, "--app", "app", "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)


def log_in(port: int) -> str:
    """Log the benchmark's organiser in; return the session cookie."""
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
        app = bench_app(
            database,
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=port,
            BLUEHATS_MAIL_DELIVERY="worker",
            BLUEHATS_SITE_URL="http://127.0.0.1",
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
