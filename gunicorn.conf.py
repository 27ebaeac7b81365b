"""gunicorn settings: gunicorn -c gunicorn.conf.py app:app (each value can be overridden on the command line)."""

import multiprocessing
import os
import re

from gunicorn import glogging

bind = os.environ.get("BLUEHATS_BIND", "127.0.0.1:8000")
# Threads serve the requests that wait on SQLite's lock or on the mail server without holding a process.
worker_class = "gthread"
# WEB_CONCURRENCY: what a hosting platform sets for the size of the container it gives.
workers = int(
    os.environ.get("BLUEHATS_WORKERS") or os.environ.get("WEB_CONCURRENCY") or min(multiprocessing.cpu_count() * 2, 8)
)
# Two: a page is Python work, done under the interpreter's lock; a third and fourth thread of the same process
# only queued behind it and made the thread holding SQLite's write turn wait (2 processes, 16 connections, each
# POST a new proposal: 438–463 a second and a 99th percentile of 64–73 ms with 2 threads, 379–402 and 83–100 ms
# with 4).
threads = int(os.environ.get("BLUEHATS_THREADS", 2))
# Each process listens on its own socket (SO_REUSEPORT) and the kernel shares new connections among them. On one
# shared socket, the process that woke first took them all: nginx's kept-alive connections, or a load test's,
# then stayed on one process and one core while the other idled (seen: 16 of 16 connections on one process).
# The price: a second gunicorn started on the same address shares it instead of failing; stop the old one first.
reuse_port = True
# Each worker builds its own application, so no database connection is opened before the fork.
preload_app = False
timeout = 30
graceful_timeout = 30
keepalive = 5
# No periodic worker restart (max_requests): a restart re-imports the application, and under a rush the
# requests queued behind it waited hundreds of milliseconds (seen in bench/run.py's 99th percentile).
accesslog = "-"
errorlog = "-"
# Behind a reverse proxy on the same host; set FORWARDED_ALLOW_IPS for another one.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


class PrivateLinksHidden(glogging.Logger):
    """gunicorn's logger, leaving the secret part of private and single-use links out of the access log."""

    def atoms(self, resp, req, environ, request_time):
        """Return the access log's fields with the tokens of links (path, request line, referrer) masked."""
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = PRIVATE_LINK.sub(r"\1…", atoms[key])
        return atoms


# Also /proposition%2F<token>, which the site serves too, and the organisers' single-use links.
PRIVATE_LINK = re.compile(r"(/proposition(?:/|%2[fF])|/organisation/mot-de-passe/)[^/\s?\"]+")
logger_class = PrivateLinksHidden
