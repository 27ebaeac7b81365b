"""PostgreSQL and Redis servers of the tests' own, on free ports, started and stopped by the tests."""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import redis

from helpers import free_port
from servers import wait_for

POSTGRESQL_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def postgresql_missing() -> str | None:
    """Say why a throwaway PostgreSQL cluster cannot be made here, or None when it can."""
    if not POSTGRESQL_BIN:
        return "PostgreSQL's programs (initdb, pg_ctl) are not installed in /usr/lib/postgresql"
    if os.geteuid() != 0:
        return "a throwaway PostgreSQL cluster is run as the postgres user: the tests must run as root"
    if shutil.which("runuser") is None:
        return "runuser (util-linux) is missing"
    return None


class PostgresCluster:
    """A PostgreSQL cluster of the test's own, on a free port, run as the postgres user; the machine's is left alone."""

    def __init__(self) -> None:
        self.bin = POSTGRESQL_BIN[-1]
        self.port = free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="bluehats-pg-"))
        shutil.chown(self.directory, "postgres", "postgres")
        self.data = self.directory / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"
        self._as_postgres("initdb", "--auth=trust", "--username=postgres", "--no-sync", "-D", str(self.data))

    def _as_postgres(self, program: str, *arguments: str) -> None:
        command = ["runuser", "-u", "postgres", "--", str(self.bin / program), *arguments]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the server: `fast` ends every session at once, as a restart by an administrator does."""
        self._as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        pid_file = self.data / "postmaster.pid"
        if pid_file.exists():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class RedisServer:
    """A redis-server of the test's own on a free port, keeping nothing on disk."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the server and wait until it answers."""
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--daemonize", "no"]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, 10, f"redis-server on port {self.port}")

    def answers(self) -> bool:
        """Tell whether the server answers PING."""
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def stored_keys(self) -> list[bytes]:
        """Return the keys stored in the server."""
        return redis.Redis(port=self.port, socket_timeout=2).keys("*")

    def stop(self) -> None:
        """Stop the server (SIGKILL: gone at once, as in a crash)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None
