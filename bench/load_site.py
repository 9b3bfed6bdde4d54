"""Loopback load benchmark: our site against plain ``datasette serve`` of the same database.

Starts both servers on 127.0.0.1 (ours with ``python -m pipelines serve``; plain Datasette with
the database alone, immutable, without our metadata, templates or plugin), then sends a bounded
number of requests (and for a bounded time) to the table, search and saved-query endpoints with
an asyncio/httpx client, and prints requests/s and p50/p99 latency. Client and servers share the
machine, so figures are for comparison within one run, not capacity planning.

    python bench/load_site.py [--site build/site] [--requests 1000] [--concurrency 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import httpx

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
SAVED_QUERY = "missed_targets"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@contextmanager
def server(argv: list[str], port: int) -> Iterator[str]:
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/-/versions.json", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"server {' '.join(argv)} did not start")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def endpoints(site: Path, ours: bool) -> dict[str, str]:
    """The same work asked of both servers; plain Datasette gets the FTS table and SQL spelled out."""
    metadata = json.loads((site / "metadata.json").read_text(encoding="utf-8"))
    database = next(iter(metadata["databases"]))
    sql = metadata["databases"][database]["queries"][SAVED_QUERY]["sql"]
    search = "_search=duong" if ours else "_search=duong&_fts_table=indicators_fts&_fts_pk=rowid"
    return {
        "table json": f"/{database}/observations.json?_size=100",
        "table html": f"/{database}/observations?_size=100",
        "search json": f"/{database}/indicators.json?{search}",
        "saved query json": f"/{database}/{SAVED_QUERY}.json"
        if ours
        else f"/{database}.json?sql={quote(sql)}",
    }


async def load(base: str, path: str, requests: int, concurrency: int, time_limit: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    remaining = requests
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        for _ in range(min(50, requests)):
            (await client.get(path)).raise_for_status()
        start = time.perf_counter()
        deadline = start + time_limit

        async def worker() -> None:
            nonlocal remaining, errors
            while remaining > 0 and time.perf_counter() < deadline:
                remaining -= 1
                sent = time.perf_counter()
                response = await client.get(path)
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


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--requests", type=int, default=1000, help="requests per endpoint and server")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--time-limit", type=float, default=20.0, help="seconds per endpoint and server")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    site = args.site.resolve()
    database = next(site.glob("*.db"), None)
    if database is None or not (site / "metadata.json").exists():
        raise SystemExit(f"{site}: build the site first (python -m pipelines build-db, then site)")
    datasette = str(Path(sys.executable).with_name("datasette"))
    servers = {
        "ours": lambda port: [
            sys.executable,
            "-m",
            "pipelines",
            "serve",
            "--site",
            str(site),
            "--port",
            str(port),
        ],
        "plain": lambda port: [datasette, "serve", "-i", str(database), "-h", LOOPBACK, "-p", str(port)],
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, argv in servers.items():
        port = free_port()
        with server(argv(port), port) as base:
            results[name] = {
                label: asyncio.run(load(base, path, args.requests, args.concurrency, args.time_limit))
                for label, path in endpoints(site, name == "ours").items()
            }
    print(f"{'endpoint':<18}{'server':<8}{'requests':>9}{'errors':>7}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
    for label in results["ours"]:
        for name in servers:
            r = results[name][label]
            print(
                f"{label:<18}{name:<8}{r['requests']:>9.0f}{r['errors']:>7.0f}"
                f"{r['rps']:>9.0f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DATASETTE_SECRET", "bench")
    sys.exit(main())
