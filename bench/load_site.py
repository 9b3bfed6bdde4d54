"""Loopback load benchmark: our site against plain ``datasette serve`` of the same database.

Starts each server on 127.0.0.1 in turn: ours with ``python -m pipelines serve`` (response cache
on, then off with ``CHITIEU_RESPONSE_CACHE=0``, to show what the server does without it), and
plain Datasette with the database alone (immutable, without our metadata, templates or plugin).
Each endpoint (table JSON and HTML, search, saved query) is loaded for a bounded time with
``wrk`` (32 connections, 2 threads, ``--latency``), which reports requests/s and p50/p99 latency.
Without ``wrk`` on PATH (Debian: ``apt-get install wrk``) an asyncio/httpx client does the same
work, bounded by count and time; it shares the 2 cores with the server and is several times
slower than wrk, so its figures are not comparable with wrk's. Figures are for comparison within
one run, not capacity planning: each is also printed as a ratio to plain Datasette's in the same
run (requests/s and p99), with the load average before and after.

    python bench/load_site.py [--site build/site] [--connections 32] [--seconds 10] [--json FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import httpx

# Runs as a script from any folder: the project's root on the path, as `python -m` would do.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from servers import our_site, plain_datasette, serving

from pipelines.common.paths import REPO_ROOT

SAVED_QUERY = "missed_targets"
CACHE_SWITCH = "CHITIEU_RESPONSE_CACHE"

# wrk prints one JSON line from its ``done`` hook; the ``request`` hook cycles through the paths,
# each thread from its own share of them (so no thread asks for a page another has just cached).
WRK_SCRIPT = """
local paths = {%s}
local threads = 0
setup = function(thread)
  thread:set("share", threads)
  threads = threads + 1
end
local i = nil
request = function()
  if i == nil then i = ((share or 0) * 997) %% #paths end
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


# Pages computed for the first time: one observations page per indicator, each URL asked once in
# turn (more URLs than a run can ask for on 1,000 reports), so the response cache cannot answer.
DISTINCT_URLS = 5000


def distinct_pages(site: Path, database: str) -> list[str]:
    import sqlite3

    with sqlite3.connect(f"file:{site / (database + '.db')}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute("SELECT indicator_id FROM indicators LIMIT ?", [DISTINCT_URLS])]
    return [f"/{database}/observations?_size=100&indicator_id={quote(i, safe='')}" for i in ids]


def endpoints(site: Path, ours: bool) -> dict[str, str | list[str]]:
    """The same work asked of both servers; plain Datasette gets the FTS table and SQL spelled out."""
    metadata = json.loads((site / "metadata.json").read_text(encoding="utf-8"))
    database = next(iter(metadata["databases"]))
    sql = metadata["databases"][database]["queries"][SAVED_QUERY]["sql"]
    search = "_search=duong" if ours else "_search=duong&_fts_table=indicators_fts&_fts_pk=rowid"
    params = "".join(f"&{p}=" for p in re.findall(r"(?<!:):([a-z_][a-z0-9_]*)", sql))
    return {
        "table json": f"/{database}/observations.json?_size=100",
        "table html": f"/{database}/observations?_size=100",
        "search json": f"/{database}/indicators.json?{search}",
        "saved query json": f"/{database}/{SAVED_QUERY}.json"
        if ours
        else f"/{database}.json?sql={quote(sql)}{params}",
        "table html, new URLs": distinct_pages(site, database),
    }


def run_wrk(
    base: str, path: str | list[str], connections: int, threads: int, seconds: float
) -> dict[str, float]:
    """One bounded wrk run against one path (or cycling through several); requests/s and latency
    percentiles from wrk itself."""
    paths = [path] if isinstance(path, str) else path
    httpx.get(base + paths[-1], timeout=60).raise_for_status()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % ", ".join(json.dumps(p) for p in paths))
    try:
        argv = [
            "wrk",
            f"-c{connections}",
            f"-t{threads}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "30s",
            "--latency",
            "-s",
            script.name,
            base,
        ]
        output = subprocess.run(argv, capture_output=True, text=True, check=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(script.name)
    match = re.search(r"^WRK-RESULT (\{.*\})$", output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    r = json.loads(match.group(1))
    return {
        "requests": r["requests"],
        "errors": r["errors"],
        "rps": r["requests"] / (r["duration_us"] / 1e6),
        "p50_ms": r["p50_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
    }


async def run_python(
    base: str, path: str | list[str], requests: int, concurrency: int, seconds: float
) -> dict[str, float]:
    """The fallback client: bounded by request count and by time."""
    paths = [path] if isinstance(path, str) else path
    latencies: list[float] = []
    errors = 0
    remaining = requests
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        (await client.get(paths[-1])).raise_for_status()
        start = time.perf_counter()
        deadline = start + seconds

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                sent = time.perf_counter()
                response = await client.get(paths[remaining % len(paths)])
                latencies.append(time.perf_counter() - sent)
                errors += response.status_code != 200

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / elapsed,
        "p50_ms": cuts[49] * 1000,
        "p99_ms": cuts[98] * 1000,
    }


def against_plain(r: dict[str, float], plain: dict[str, float]) -> dict[str, float | None]:
    """A server's figures as ratios to plain Datasette's in the same run (None where plain
    answered nothing, so there is nothing to divide by)."""
    answered = plain["requests"] > 0 and r["requests"] > 0
    return {
        "rps_vs_plain": r["rps"] / plain["rps"] if answered else None,
        "p99_vs_plain": r["p99_ms"] / plain["p99_ms"] if answered and plain["p99_ms"] else None,
    }


def ratio_text(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def client_name() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def measure(
    base: str, paths: dict[str, str | list[str]], connections: int, seconds: float, requests: int = 5000
) -> dict[str, dict[str, float]]:
    """Every endpoint in turn, with wrk when it is installed, else with the Python client."""
    if client_name() == "wrk":
        return {label: run_wrk(base, path, connections, 2, seconds) for label, path in paths.items()}
    return {
        label: asyncio.run(run_python(base, path, requests, connections, seconds))
        for label, path in paths.items()
    }


def client_note() -> str:
    if client_name() == "wrk":
        return "client: wrk (2 threads)"
    return (
        "client: Python/httpx fallback (wrk not found; `apt-get install wrk`): the client shares the "
        "cores with the server and is itself the bottleneck, so latencies are far above wrk's"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=REPO_ROOT / "build" / "site")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per endpoint and server")
    parser.add_argument(
        "--requests", type=int, default=5000, help="request cap of the Python fallback client"
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    site = args.site.resolve()
    database = next(site.glob("*.db"), None)
    if database is None or not (site / "metadata.json").exists():
        raise SystemExit(f"{site}: build the site first (python -m pipelines build-db, then site)")
    servers = {
        "ours": (our_site(site), {}, True),
        "ours, no cache": (our_site(site), {CACHE_SWITCH: "0"}, True),
        "plain": (plain_datasette(database), {}, False),
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    load = {"start": os.getloadavg()}
    for name, (command, env, ours) in servers.items():
        with serving(command, env) as base:
            paths = endpoints(site, ours)
            results[name] = measure(base, paths, args.connections, args.seconds, args.requests)
    print(f"{client_note()}, {args.connections} connections, {args.seconds:.0f} s per endpoint and server")
    load["end"] = os.getloadavg()
    for name in servers:
        for label, r in results[name].items():
            r |= against_plain(r, results["plain"][label])
    print(f"{'endpoint':<22}{'server':<16}{'requests':>9}{'errors':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'req/s÷plain':>12}{'p99÷plain':>10}")  # fmt: skip
    for label in results["ours"]:
        for name in servers:
            r = results[name][label]
            latency = (
                f"{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}" if r["requests"] else "  (none answered in time)"
            )
            ratios = f"{ratio_text(r['rps_vs_plain']):>12}{ratio_text(r['p99_vs_plain']):>10}"
            print(
                f"{label:<22}{name:<16}{r['requests']:>9.0f}{r['errors']:>7.0f}{r['rps']:>9.0f}{latency}{ratios}"
            )
    for when, averages in load.items():
        print(f"load average at {when}: {' '.join(f'{x:.2f}' for x in averages)}, cpus: {os.cpu_count()}")
    if args.json:
        document = {"client": client_name(), "load_average": load, **results}
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DATASETTE_SECRET", "bench")
    sys.exit(main())
