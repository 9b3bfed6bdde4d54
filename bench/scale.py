"""Scale benchmark: 10, 100 and 1,000 generated reports through the pipeline, then a load run.

For each size, the reports are generated (not timed), then each stage runs as its own process,
as ``dvc repro`` runs it: extract-all, package, build-db, validate (one GX run for all reports).
Per stage: wall time, CPU time and peak resident memory (``os.wait4``'s rusage of that process).
Then ``site`` is built for the largest size and the load client of ``bench/load_site.py`` (wrk when
installed, else its Python client) sends requests from 32 concurrent loopback connections to the
table, search and saved-query endpoints.

    python bench/scale.py [--sizes 10 100 1000] [--work build/bench] [--clients 32] [--json FILE]

Targets (2-core machine): 1,000 reports end to end < 120 s, peak memory < 2 GB, p99 < 100 ms.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from pipelines.common.paths import REPO_ROOT

STAGES = ("extract-all", "package", "build-db", "validate")
TARGET_SECONDS = 120.0
TARGET_PEAK_MB = 2048.0
TARGET_P99_MS = 100.0


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update(GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PYTHONPATH=str(REPO_ROOT))
    env.pop("CHITIEU_TEST_PAUSE_AT", None)
    return env


def run_measured(argv: list[str]) -> dict[str, float]:
    """Run one stage; its wall time, CPU seconds and peak RSS (MB) from the kernel's accounting."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=REPO_ROOT, env=_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    err = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if process.returncode != 0:
        tail = err.decode("utf-8", "replace").strip().splitlines()[-5:]
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}):\n" + "\n".join(tail))
    return {
        "seconds": wall,
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def pipeline(size: int, work: Path) -> dict[str, Any]:
    folder = work / str(size)
    shutil.rmtree(folder, ignore_errors=True)
    raw, extracted, package = folder / "raw", folder / "extracted", folder / "package"
    db, validation = folder / "site" / "chitieu.db", folder / "validation"
    py = [sys.executable, "-m", "pipelines"]
    generated = run_measured([*py, "generate", "--out", str(raw), "--count", str(size), "--no-truth"])
    commands = {
        "extract-all": [*py, "extract-all", str(raw), "--out", str(extracted)],
        "package": [*py, "package", str(extracted), "--out", str(package)],
        "build-db": [*py, "build-db", str(package / "datapackage.json"), "--out", str(db)],
        "validate": [
            *py,
            "validate",
            str(package / "datapackage.json"),
            "--db",
            str(db),
            "--out",
            str(validation),
        ],
    }
    commands["site"] = [*py, "site", str(package / "datapackage.json"), "--db", str(db),
                        "--validation", str(validation), "--out", str(db.parent)]  # fmt: skip
    stages = {name: run_measured(argv) for name, argv in commands.items()}
    total = sum(stages[name]["seconds"] for name in STAGES)
    return {
        "reports": size,
        "generate_seconds": generated["seconds"],
        "stages": stages,
        "total_seconds": total,
        "ms_per_report": total / size * 1000,
        "peak_mb": max(stages[name]["peak_mb"] for name in STAGES),
        "rows": {
            name: sum(1 for _ in (package / "data" / f"{name}.csv").open(encoding="utf-8")) - 1
            for name in ("indicators", "observations", "ratios")
        },
    }


def _load_site_module() -> Any:
    spec = importlib.util.spec_from_file_location("load_site", REPO_ROOT / "bench" / "load_site.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_run(folder: Path, clients: int, requests: int, seconds: float) -> dict[str, dict[str, float]]:
    """Load the site built for ``folder`` with the site's own benchmark client (our server only)."""
    site = folder / "site"
    load_site = _load_site_module()
    port = load_site.free_port()
    argv = [sys.executable, "-m", "pipelines", "serve", "--site", str(site), "--port", str(port)]
    with load_site.server(argv, port) as base:
        return load_site.measure(base, load_site.endpoints(site, True), clients, seconds, requests)


def report(results: list[dict[str, Any]], load: dict[str, dict[str, float]] | None, clients: int) -> str:
    if not results:
        return _load_lines(load or {}, clients, "?")
    lines = [
        f"{'reports':>8} {'extract-all':>12} {'package':>8} {'build-db':>9} {'validate':>9} "
        f"{'total s':>8} {'ms/report':>10} {'peak MB':>8} {'(site s)':>9}"
    ]
    for r in results:
        s = r["stages"]
        lines.append(
            f"{r['reports']:>8} {s['extract-all']['seconds']:>12.1f} {s['package']['seconds']:>8.1f} "
            f"{s['build-db']['seconds']:>9.1f} {s['validate']['seconds']:>9.1f} {r['total_seconds']:>8.1f} "
            f"{r['ms_per_report']:>10.1f} {r['peak_mb']:>8.0f} {s.get('site', {}).get('seconds', float('nan')):>9.1f}"
        )
    by_size = {r["reports"]: r for r in results}
    if 100 in by_size and 1000 in by_size:
        ratio = by_size[1000]["total_seconds"] / by_size[100]["total_seconds"]
        lines.append(f"time(1000)/time(100) = {ratio:.1f} (linear: 10)")
    largest = results[-1]
    verdict = (
        "meets"
        if largest["total_seconds"] < TARGET_SECONDS and largest["peak_mb"] < TARGET_PEAK_MB
        else "MISSES"
    )
    lines.append(
        f"{largest['reports']} reports: {largest['total_seconds']:.1f} s end to end, peak {largest['peak_mb']:.0f} MB "
        f"({verdict} < {TARGET_SECONDS:.0f} s and < {TARGET_PEAK_MB:.0f} MB)"
    )
    if load:
        lines.append(_load_lines(load, clients, largest["reports"]))
    return "\n".join(lines)


def _load_lines(load: dict[str, dict[str, float]], clients: int, reports: object) -> str:
    lines = [
        f"load on the {reports}-report site, {clients} concurrent loopback clients "
        f"({_load_site_module().client_note()}):",
        f"{'endpoint':<18}{'requests':>9}{'errors':>7}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}",
    ]
    for label, r in load.items():
        flag = "" if r["p99_ms"] < TARGET_P99_MS else "  (p99 over target)"
        lines.append(
            f"{label:<18}{r['requests']:>9.0f}{r['errors']:>7.0f}{r['rps']:>8.0f}"
            f"{r['p50_ms']:>8.1f}{r['p99_ms']:>8.1f}{flag}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--work", type=Path, default=REPO_ROOT / "build" / "bench")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint (bounded)")
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per endpoint")
    parser.add_argument("--no-load", action="store_true", help="skip the load run")
    parser.add_argument(
        "--load-only",
        action="store_true",
        help="only the load run, on the site a previous run left in --work",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    results = []
    if args.load_only:
        previous = (
            json.loads(args.json.read_text(encoding="utf-8")) if args.json and args.json.exists() else {}
        )
        results = previous.get("pipeline", [])
    for size in [] if args.load_only else sorted(args.sizes):
        results.append(pipeline(size, args.work))
        print(f"{size} reports: {results[-1]['total_seconds']:.1f} s", file=sys.stderr, flush=True)
    load = None
    if not args.no_load:
        load = load_run(args.work / str(max(args.sizes)), args.clients, args.requests, args.seconds)
    print(report(results, load, args.clients))
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cpus: {os.cpu_count()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({"pipeline": results, "load": load}, indent=2) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DATASETTE_SECRET", "bench")
    sys.exit(main())
