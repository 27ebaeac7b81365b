"""Browser fixtures: the real app on a loopback port, a real SMTP server, Debian's Chromium via Playwright."""

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from bluehats.admin.accounts import add_organiser

from browser_helpers import ORGANISER, read_at_once
from helpers import free_port

CHROMIUM = os.environ.get("BLUEHATS_CHROMIUM", "/usr/bin/chromium")

if not Path(CHROMIUM).exists():
    pytest.skip(
        f"tests du navigateur non lancés : Chromium est absent ({CHROMIUM}) ; ./dev test l’installe quand il "
        "tourne en root (apt-get install chromium)",
        allow_module_level=True,
    )

from playwright.sync_api import sync_playwright  # noqa: E402 - only once Chromium is known to be there


@pytest.fixture(scope="session")
def playwright_browser():
    """Debian's Chromium, headless, with no network but loopback (Playwright cannot download a browser here)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def live_server(make_app, smtp):
    """Serve the real app, mailing through the real SMTP server, on a free loopback port."""
    port = free_port()
    app = make_app(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
        SERVER_NAME=None,
        BLUEHATS_SITE_URL=f"http://127.0.0.1:{port}",
    )
    with app.app_context():
        add_organiser(*ORGANISER)
    server = make_server("127.0.0.1", port, read_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{port}"
    yield app
    server.shutdown()
    thread.join()


@pytest.fixture
def context(playwright_browser):
    """A fresh browser profile: desktop size, French."""
    context = playwright_browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A tab that records console errors and Content-Security-Policy violations."""
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    return page
