"""Next year's call as a visitor sees it, and the past edition's programme in the archive, in Chromium."""

import threading
from datetime import datetime

import pytest
from werkzeug.serving import make_server

from bluehats.core.clock import PARIS
from bluehats.core.content import CONTENT_DIR

from browser_helpers import read_at_once, screenshot
from helpers import build_programme, free_port


@pytest.fixture
def site_2023(make_app, smtp, clock):
    """The 2023 call, open, on a database that holds the published 2022 programme."""
    build_programme(make_app())
    clock.set(datetime(2023, 11, 2, 10, tzinfo=PARIS))
    port = free_port()
    app = make_app(
        BLUEHATS_EVENT=str(CONTENT_DIR / "journee-bluehats-osxp-2023.md"),
        BLUEHATS_CFP_PREVIEW=True,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        BLUEHATS_MAIL_DELIVERY="immediate",
        SERVER_NAME=None,
        BLUEHATS_SITE_URL=f"http://127.0.0.1:{port}",
    )
    server = make_server("127.0.0.1", port, read_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    thread.join()


def test_the_2023_call_and_the_2022_archive(site_2023, page):
    page.goto(site_2023)
    info = page.locator("aside").inner_text()
    assert "mercredi 6 décembre 2023" in info.replace("\u00a0", " ")
    assert "jeudi 7 décembre 2023" in info.replace("\u00a0", " ")
    screenshot(page, "accueil-2023-bureau")
    page.goto(f"{site_2023}/proposer")
    assert page.get_by_role("radio", name="30 minutes").count() == 1
    assert page.get_by_role("group", name="Le jour qui vous convient le mieux").count() == 1
    page.goto(f"{site_2023}/editions")
    page.get_by_role("link", name="Journée BlueHats 2022").click()
    page.wait_for_url(f"{site_2023}/editions/osxp-2022/programme")
    text = page.locator("main").inner_text().replace("\u00a0", " ")
    assert "Pause déjeuner" in text and "Revoir" in text
    screenshot(page, "edition-2022-archive-bureau")
    assert page.console_errors == []
