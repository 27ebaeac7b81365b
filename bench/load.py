"""Loading a server and reading what it did: gunicorn started as in production, wrk, peak memory."""

import http.client
import re
import runpy
import statistics
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The same for the floor and the site: two processes (one a core here, wrk beside them), with the threads that
# gunicorn.conf.py gives each process in production.
WORKERS, THREADS = 2, runpy.run_path(str(ROOT / "gunicorn.conf.py"))["threads"]


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
    """Return the cookies an answer set, as a Cookie header sends them back."""
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
    """Read one percentile of wrk's latency distribution, in milliseconds."""
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def errors(output: str) -> int:
    """Count wrk's failed answers: statuses other than 2xx or 3xx, and socket errors."""
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
        "requests": sum(run["requests"] for run in sites),
    }


def peak_rss_mb(master_pid: int) -> float:
    """Return the largest peak resident memory (VmHWM) among a gunicorn master's workers."""
    peaks = []
    for child in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split():
        status = Path(f"/proc/{child}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return round(max(peaks), 1)


def timed_get(port: int, path: str, cookie: str, runs: int) -> list[float]:
    """Time `runs` GETs of a path with a cookie, one after the other; each must answer 200."""
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        status, _, _body = request(port, "GET", path, headers={"Cookie": cookie})
        durations.append(time.perf_counter() - start)
        assert status == 200, (path, status)
    return durations
