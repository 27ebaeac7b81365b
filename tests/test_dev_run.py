"""./dev run, the README's first command, on a machine with no configuration: it migrates, then serves the site."""

import os
import signal
import subprocess

from helpers import free_port
from servers import ROOT, http_get, wait_until_up


def test_dev_run_migrates_and_serves_the_announcement(tmp_path):
    port = free_port()
    # A newcomer's environment: none of the site's settings, an instance folder of its own.
    environment = {
        key: value
        for key, value in os.environ.items()
        if key == "BLUEHATS_VENV" or not key.startswith(("FLASK_", "BLUEHATS_"))
    }
    environment["BLUEHATS_INSTANCE_PATH"] = str(tmp_path / "instance")
    log = tmp_path / "dev-run.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [ROOT / "dev", "run", "--port", str(port)],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=output,
            start_new_session=True,  # the debug server's reloader is a second process: stop the whole group
        )
    try:
        wait_until_up(port, process, log, seconds=60, path="/")
        status, _, body = http_get(port, "/proposer")
        assert status == 200
        assert "Proposer une intervention" in body
        assert (tmp_path / "instance" / "bluehats.sqlite").exists()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
