"""Error-flood benchmark: what a hostile visitor costs the other visitors.

A reader requests cached pages one after another (home, a table, a saved query, a search) and
records each latency. It runs alone (the baseline), then while an attacker sends 10 error
requests per second (missing pages, ``_sort`` of no column, a search that is not valid syntax)
and a cache-buster sends 10 requests per second with junk parameters (``?x=1``, ``?x=2`` …) to
the same pages. The reader's p50/p95 under attack are printed as ratios to its baseline in the
same run, for the site as served (``python -m pipelines serve``) and for the same site without
its guard plugin (Datasette's own error handling: a ``rich`` traceback with locals per error).
Figures are for comparison within one run on one machine, not capacity planning.

    python bench/error_flood.py [--site build/site] [--seconds 8] [--json FILE]
"""

from __future__ import annotations

import argparse
import itertools
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from servers import our_site, serving

ROOT = Path(__file__).resolve().parents[1]
GUARD = "chitieu_guard.py"
READER_PAGES = ("/", "/chitieu/indicators", "/chitieu/missed_targets", "/chitieu/indicators?_search=ho+ngheo")
ERRORS = (
    "/missing-{n}",
    "/chitieu/indicators?_sort=nothing{n}",
    "/chitieu/indicators?_search=%22{n}",
    "//evil{n}",
)
JUNK = ("/?x={n}", "/chitieu/indicators?x={n}", "/chitieu/missed_targets?x={n}")


def paced(base: str, templates: tuple[str, ...], rate: float, stop: threading.Event) -> None:
    """Requests at ``rate`` per second, cycling through ``templates`` with a fresh number each time."""
    with httpx.Client(timeout=30) as client:
        for number in itertools.count():
            if stop.is_set():
                return
            started = time.monotonic()
            client.get(base + templates[number % len(templates)].format(n=number))
            time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))


def reader(base: str, seconds: float) -> list[float]:
    """Latencies (ms) of cached pages read back to back for ``seconds``."""
    latencies = []
    with httpx.Client(timeout=30) as client:
        for page in READER_PAGES:  # warm the cache
            client.get(base + page)
        deadline = time.monotonic() + seconds
        for page in itertools.cycle(READER_PAGES):
            if time.monotonic() > deadline:
                return latencies
            started = time.perf_counter()
            client.get(base + page)
            latencies.append((time.perf_counter() - started) * 1000)
            time.sleep(0.02)
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 2),
    }


def measure(base: str, seconds: float) -> dict[str, dict[str, float]]:
    baseline = summary(reader(base, seconds))
    stop = threading.Event()
    attackers = [
        threading.Thread(target=paced, args=(base, ERRORS, 10, stop), daemon=True),
        threading.Thread(target=paced, args=(base, JUNK, 10, stop), daemon=True),
    ]
    for thread in attackers:
        thread.start()
    try:
        attacked = summary(reader(base, seconds))
    finally:
        stop.set()
        for thread in attackers:
            thread.join(timeout=30)
    return {"baseline": baseline, "under_attack": attacked}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not (args.site / "plugins" / GUARD).exists():
        parser.error(f"{args.site}: not a built site with its guard plugin (run `dvc repro`)")

    results = {}
    with tempfile.TemporaryDirectory() as scratch:
        unguarded = Path(scratch) / "site"
        shutil.copytree(args.site, unguarded)
        (unguarded / "plugins" / GUARD).unlink()
        for name, site in (("guarded", args.site), ("without guard", unguarded)):
            with serving(our_site(site)) as base:
                results[name] = measure(base, args.seconds)

    print(f"{'site':<15} {'reader alone p50/p95 ms':>24} {'under attack p50/p95 ms':>24} {'ratio p50':>10}")
    for name, figures in results.items():
        alone, attacked = figures["baseline"], figures["under_attack"]
        ratio = attacked["p50_ms"] / alone["p50_ms"]
        figures["ratio_p50"] = round(ratio, 2)
        print(
            f"{name:<15} {alone['p50_ms']:>11.1f} / {alone['p95_ms']:<10.1f} "
            f"{attacked['p50_ms']:>11.1f} / {attacked['p95_ms']:<10.1f} {ratio:>10.2f}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
