"""Scale benchmark: 10, 100 and 1,000 generated reports through the pipeline, then a load run.

For each size, the reports are generated (not timed), then each stage runs as its own process,
as ``dvc repro`` runs it: extract-all, package, build-db, validate (one GX run for all reports).
Per stage: wall time, CPU time (user + system of the stage's process and every child it waited for)
and peak resident memory, from ``os.wait4``'s rusage of that process.
Then ``site`` is built for the largest size and the load client of ``bench/load_site.py`` (wrk when
installed, else its Python client) sends requests from 32 concurrent loopback connections to the
table, search and saved-query endpoints.

    python bench/scale.py [--sizes 10 100 1000] [--work build/bench] [--clients 32] [--json FILE]

Targets (2-core machine): 1,000 reports end to end < 120 s, peak memory < 2 GB, p99 < 100 ms.

Across reports: the largest size also runs through a copy of the project whose package leaves out
the across-report resources (crosswalk, series, series_best, revisions), measured in the same run,
stage by stage in turn with the full project (``--rounds N``: each stage N times for each, in
turn, the run with the least CPU kept, so that the machine's drifting speed weighs on both alike);
their share of the end-to-end time, in CPU time and in wall time, is printed against its target
(<= 20 %); on a loaded machine the CPU figure is the meaningful one. Then the series page
``/series/<code>`` and its saved question ``indicator_series`` (one code across all provinces and
periods) are asked once per code, each URL new to the response cache, from one
client: median and worst against 50 ms, and the server's CPU time per page (in process; the
machine's load does not change it). ``--series-only`` measures the series pages alone on the
site a previous run left in ``--work``.
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

# Runs as a script from any folder: the project's root on the path, as `python -m` would do.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from servers import our_site, serving

from pipelines.common.paths import REPO_ROOT

STAGES = ("extract-all", "package", "build-db", "validate")
TARGET_SECONDS = 120.0
TARGET_PEAK_MB = 2048.0
TARGET_P99_MS = 100.0
ACROSS = ("crosswalk", "series", "series_best", "revisions")
TARGET_ACROSS_SHARE = 0.20
TARGET_SERIES_MS = 50.0
# What a copy of the project needs to run the pipeline stages.
PROJECT_PARTS = ("pipelines", "metadata", "reference", "gx", "expectations", "params.yaml")


def _environment(project: Path = REPO_ROOT) -> dict[str, str]:
    env = dict(os.environ)
    env.update(GX_ANALYTICS_ENABLED="false", DO_NOT_TRACK="1", PYTHONPATH=str(project))
    env.pop("CHITIEU_TEST_PAUSE_AT", None)
    return env


def run_measured(argv: list[str], project: Path = REPO_ROOT) -> dict[str, float]:
    """Run one stage; its wall time, CPU seconds and peak RSS (MB) from the kernel's accounting."""
    start = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=project, env=_environment(project), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
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


def baseline_project(work: Path) -> Path:
    """A copy of the project whose package leaves out the across-report resources, suites regenerated."""
    project = work / "without-across"
    shutil.rmtree(project, ignore_errors=True)
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, project / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, project / part)
    package_yaml = project / "metadata" / "package.yaml"
    kept = [line for line in package_yaml.read_text(encoding="utf-8").splitlines()
            if line.strip().removeprefix("- ") not in ACROSS]  # fmt: skip
    package_yaml.write_text("\n".join(kept) + "\n", encoding="utf-8")
    _drop_unused_fields(project / "metadata")
    run_measured([sys.executable, "-m", "pipelines", "validate", "--write-suites"], project)
    return project


def _drop_unused_fields(metadata: Path) -> None:
    """The copy's field catalogue without the fields only the left-out resources use (the loader
    refuses a catalogue field no resource lists)."""
    import yaml

    used: set[str] = set()
    for path in (metadata / "resources").glob("*.yaml"):
        if path.stem in ACROSS:
            path.unlink()
            continue
        resource = yaml.safe_load(path.read_text(encoding="utf-8"))
        used |= {f if isinstance(f, str) else f["name"] for f in resource["fields"]}
    catalogue = metadata / "fields.yaml"
    fields = yaml.safe_load(catalogue.read_text(encoding="utf-8"))
    kept = {name: spec for name, spec in fields.items() if name in used}
    catalogue.write_text(yaml.safe_dump(kept, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _stage_commands(
    size: int, work: Path, project: Path, raw: Path | None
) -> tuple[Path, dict[str, list[str]], float]:
    """The size's work folder (emptied), each stage's command, and the seconds generating the
    reports took (they are generated when ``raw`` is None)."""
    folder = work / (str(size) if project == REPO_ROOT else f"{size}-{project.name}")
    shutil.rmtree(folder, ignore_errors=True)
    extracted, package = folder / "extracted", folder / "package"
    db, validation = folder / "site" / "chitieu.db", folder / "validation"
    py = [sys.executable, "-m", "pipelines"]
    generated = 0.0
    if raw is None:
        raw = folder / "raw"
        generated = run_measured([*py, "generate", "--out", str(raw), "--count", str(size), "--no-truth"])[
            "seconds"
        ]
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
    return folder, commands, generated


def _figures(
    size: int, folder: Path, generated: float, stages: dict[str, dict[str, float]]
) -> dict[str, Any]:
    package = folder / "package"
    total = sum(stages[name]["seconds"] for name in STAGES)
    return {
        "reports": size,
        "generate_seconds": generated,
        "stages": stages,
        "total_seconds": total,
        "total_cpu_seconds": sum(stages[name]["cpu_seconds"] for name in STAGES),
        "ms_per_report": total / size * 1000,
        "peak_mb": max(stages[name]["peak_mb"] for name in STAGES),
        "rows": {
            name: sum(1 for _ in (package / "data" / f"{name}.csv").open(encoding="utf-8")) - 1
            for name in ("indicators", "observations", "ratios")
        },
    }


def pipeline(size: int, work: Path, project: Path = REPO_ROOT, raw: Path | None = None) -> dict[str, Any]:
    folder, commands, generated = _stage_commands(size, work, project, raw)
    stages = {name: run_measured(argv, project) for name, argv in commands.items()}
    return _figures(size, folder, generated, stages)


def paired_pipelines(
    size: int, work: Path, baseline: Path, rounds: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The pipeline with the across resources and without them (``baseline``), on the same
    reports, stage by stage in turn: each stage runs ``rounds`` times for each, alternately, and
    keeps its run with the least CPU. A machine whose speed drifts during the run (other work,
    its clock) then weighs on both alike, rather than on whichever ran in the slower minutes."""
    folder, commands, generated = _stage_commands(size, work, REPO_ROOT, None)
    base_folder, base_commands, _ = _stage_commands(size, work, baseline, folder / "raw")
    sides = ((commands, REPO_ROOT, {}), (base_commands, baseline, {}))
    for name in commands:
        for _ in range(rounds if name in STAGES else 1):
            for argvs, project, kept in sides:
                measured = run_measured(argvs[name], project)
                if name not in kept or measured["cpu_seconds"] < kept[name]["cpu_seconds"]:
                    kept[name] = measured
    return (
        _figures(size, folder, generated, sides[0][2]),
        _figures(size, base_folder, 0.0, sides[1][2]),
    )


def across_share(with_across: dict[str, Any], without: dict[str, Any]) -> dict[str, float]:
    """What the across-report resources add to the end-to-end time, stage by stage and in all.

    Both in wall time and in CPU time (user + system of each stage's process tree): on a machine
    other work is loading, wall time measures the neighbours as much as the pipeline, CPU does not.
    """
    figures: dict[str, float] = {"reports": with_across["reports"]}
    for measure, total in (("seconds", "total_seconds"), ("cpu_seconds", "total_cpu_seconds")):
        prefix = "" if measure == "seconds" else "cpu_"
        before, after = without[total], with_across[total]
        figures.update({f"{prefix}without_seconds": before, f"{prefix}with_seconds": after,
                        f"{prefix}share": (after - before) / before})  # fmt: skip
        for name in STAGES:
            stage_before, stage_after = without["stages"][name][measure], with_across["stages"][name][measure]
            figures[f"{prefix}{name}_without"] = stage_before
            figures[f"{prefix}{name}_added"] = stage_after - stage_before
    return figures


# A server's first requests pay its start-up: the home page, then the series page's template
# (compiled once per server; an unknown code is answered from it with 404).
WARM_UP = (("/", 200), ("/series/not-a-code", 404))


def _warm_up(get: Any) -> None:
    for path, status in WARM_UP:
        assert get(path).status_code == status, path


def series_pages(folder: Path, codes: int) -> dict[str, float]:
    """The series page ``/series/<code>`` (one code across all provinces and periods, rendered by
    the server: tables and chart data) and the saved question ``indicator_series`` it is built
    from, for the codes with the most figures; each URL asked once (so never answered from the
    response cache), one client: response times in ms."""
    import sqlite3

    import httpx

    site = folder / "site"
    with sqlite3.connect(site / "chitieu.db") as db:
        ranked = db.execute(
            "SELECT indicator_code, COUNT(*) AS n FROM series GROUP BY indicator_code ORDER BY n DESC LIMIT ?",
            [codes],
        ).fetchall()
    times: dict[str, list[float]] = {"page": [], "question": []}
    with serving(our_site(site)) as base, httpx.Client(base_url=base, timeout=60) as client:
        _warm_up(client.get)
        for code, _ in ranked:
            for kind, url, params in (
                ("page", f"/series/{code}", {}),
                ("question", "/chitieu/indicator_series.json", {"code": code, "province": ""}),
            ):
                start = time.perf_counter()
                response = client.get(url, params=params)
                times[kind].append((time.perf_counter() - start) * 1000)
                response.raise_for_status()
    times["page_cpu"] = series_page_cpu(site, [code for code, _ in ranked])
    for values in times.values():
        values.sort()
    return {
        "codes": len(ranked),
        "rows_max": ranked[0][1] if ranked else 0,
        **{f"{kind}_median_ms": values[len(values) // 2] for kind, values in times.items()},
        **{f"{kind}_max_ms": values[-1] for kind, values in times.items()},
    }


def series_page_cpu(site: Path, codes: list[str]) -> list[float]:
    """CPU time in ms (this process, every thread) of each code's series page asked once of the
    site's Datasette in this process, built as ``serve`` builds it: the server's own cost per page,
    which the machine's load does not change as it changes response times."""
    import asyncio

    from datasette.app import Datasette

    from pipelines.publish.serve import static_mounts

    async def run() -> list[float]:
        datasette = Datasette(config_dir=site, static_mounts=static_mounts(site, None))
        await datasette.invoke_startup()
        for path, status in WARM_UP:
            assert (await datasette.client.get(path)).status_code == status, path
        spent = []
        for code in codes:
            start = time.process_time()
            response = await datasette.client.get(f"/series/{code}")
            spent.append((time.process_time() - start) * 1000)
            response.raise_for_status()
        return spent

    return asyncio.run(run())


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
    with serving(our_site(site)) as base:
        return load_site.measure(base, load_site.endpoints(site, True), clients, seconds, requests)


def across_lines(share: dict[str, float] | None, pages: dict[str, float] | None) -> list[str]:
    lines = []
    if share:
        for prefix, label in (("cpu_", "CPU (user+sys)"), ("", "wall")):
            verdict = "meets" if share[f"{prefix}share"] <= TARGET_ACROSS_SHARE else "MISSES"
            added = ", ".join(
                f"{name} {share[f'{prefix}{name}_without']:.1f} +{share[f'{prefix}{name}_added']:.1f} s"
                for name in STAGES
            )
            lines.append(
                f"across reports at {share['reports']:.0f} reports, {label}: "
                f"{share[f'{prefix}without_seconds']:.1f} s without, {share[f'{prefix}with_seconds']:.1f} s "
                f"with crosswalk and series = +{100 * share[f'{prefix}share']:.1f} % "
                f"({verdict} <= {100 * TARGET_ACROSS_SHARE:.0f} %; without +added: {added})"
            )
    if pages:
        for kind, label in (
            ("page", "series page /series/<code>"),
            ("question", "its saved question (JSON)"),
        ):
            verdict = "meets" if pages[f"{kind}_max_ms"] < TARGET_SERIES_MS else "MISSES"
            lines.append(
                f"{label} (one code, all provinces and periods, up to {pages['rows_max']:.0f} rows), "
                f"{pages['codes']:.0f} codes uncached, one client: median {pages[f'{kind}_median_ms']:.1f} ms, "
                f"worst {pages[f'{kind}_max_ms']:.1f} ms ({verdict} < {TARGET_SERIES_MS:.0f} ms)"
            )
        if "page_cpu_max_ms" in pages:
            lines.append(
                f"series page server CPU (in process, same codes, each once): median "
                f"{pages['page_cpu_median_ms']:.1f} ms, worst {pages['page_cpu_max_ms']:.1f} ms"
            )
    return lines


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
    parser.add_argument(
        "--series-only",
        action="store_true",
        help="only the series pages, on the site a previous run left in --work for the largest size",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--no-across", action="store_true", help="skip the across-report share and the series pages"
    )
    parser.add_argument("--series-codes", type=int, default=20, help="codes asked of the series page")
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="runs of each stage with and without the across resources, in turn (least CPU kept)",
    )
    args = parser.parse_args()
    if args.series_only:
        pages = series_pages(args.work / str(max(args.sizes)), args.series_codes)
        for line in across_lines(None, pages):
            print(line)
        print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cpus: {os.cpu_count()}")
        return 0
    results = []
    if args.load_only:
        previous = (
            json.loads(args.json.read_text(encoding="utf-8")) if args.json and args.json.exists() else {}
        )
        results = previous.get("pipeline", [])
    share = pages = results_without = None
    sizes = [] if args.load_only else sorted(args.sizes)
    for size in sizes:
        if size == sizes[-1] and not args.no_across:
            largest, results_without = paired_pipelines(
                size, args.work, baseline_project(args.work), args.rounds
            )
            results.append(largest)
            share = across_share(largest, results_without)
            pages = series_pages(args.work / str(size), args.series_codes)
        else:
            results.append(pipeline(size, args.work))
        print(f"{size} reports: {results[-1]['total_seconds']:.1f} s", file=sys.stderr, flush=True)
    load = None
    if not args.no_load:
        load = load_run(args.work / str(max(args.sizes)), args.clients, args.requests, args.seconds)
    print(report(results, load, args.clients))
    for line in across_lines(share, pages):
        print(line)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}, cpus: {os.cpu_count()}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(
                {
                    "pipeline": results,
                    "without_across": results_without,
                    "load": load,
                    "across": share,
                    "series_pages": pages,
                },
                indent=2,
            )
            + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    os.environ.setdefault("DATASETTE_SECRET", "bench")
    sys.exit(main())
