"""Cost of the researchers' formats on a generated package: the csvkit structural check, writing
the Parquet copy and checking it against the CSV, each as a ratio of a baseline measured in the
same run (parsing every CSV with Python's csv module, the least any check of the files costs).

    python bench/researchers.py [--count 1000] [--work build/bench/researchers] [--repeat 3]

The reports are generated and extracted first (not timed); the root package is then merged by
the real ``package`` command (timed, Parquet included).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipelines.package.parquet import parquet_package  # noqa: E402
from pipelines.validate.parquet_check import check_parquet  # noqa: E402
from pipelines.validate.structure import check_files  # noqa: E402


def pipelines(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pipelines", *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="generated reports (default 1000)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench" / "researchers")
    parser.add_argument("--repeat", type=int, default=3, help="best of N for the in-process steps")
    args = parser.parse_args()

    raw, extracted, package = args.work / "raw", args.work / "extracted", args.work / "package"
    pipelines("generate", "--out", str(raw), "--count", str(args.count), "--seed", "7", "--no-truth")
    pipelines("extract-all", str(raw), "--out", str(extracted))
    package_seconds = pipelines("package", str(extracted), "--out", str(package))

    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    csvs = {r["name"]: (package / r["path"]).read_bytes() for r in descriptor["resources"]}
    rows = sum(data.count(b"\n") - 1 for data in csvs.values())
    files = {
        r["path"]: (package / r["path"], [f["name"] for f in r["schema"]["fields"]])
        for r in descriptor["resources"]
    }
    steps = {
        "structure check (csvkit + encoding, header, quoting)": lambda: check_files(files),
        "Parquet write (all resources)": lambda: parquet_package(descriptor, csvs),
        "Parquet check against the CSV": lambda: check_parquet(package, descriptor),
    }
    for step in steps.values():  # the first call imports agate, pyarrow, frictionless: not measured
        step()
    baseline = best(args.repeat, lambda: [list(csv.reader(io.StringIO(d.decode()))) for d in csvs.values()])
    measured = {name: best(args.repeat, step) for name, step in steps.items()}
    parquet_bytes = sum(p.stat().st_size for p in (package / "data" / "parquet").glob("*.parquet"))
    print(f"{args.count} reports, {rows:,} rows, CSV {sum(map(len, csvs.values())) / 1e6:.1f} MB, "
          f"Parquet {parquet_bytes / 1e6:.1f} MB")  # fmt: skip
    print(f"baseline: parse every CSV with Python's csv module  {baseline:7.2f} s")
    for name, seconds in measured.items():
        print(f"{name:<52} {seconds:7.2f} s  ({seconds / baseline:.1f}x baseline)")
    print(f"{'package stage (process, Parquet included)':<52} {package_seconds:7.2f} s")
    print(f"median of the measured steps: {statistics.median(measured.values()) / baseline:.1f}x baseline")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
