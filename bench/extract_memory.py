"""Extraction of one large table: peak memory and time against the seed report, in the same run.

Builds reports in the seed's format whose appendix table has 5,000 and 25,000 extra indicator
rows (the seed's rows plus numbered copies of one of them with fresh names), extracts each in a
fresh process with ``python -m pipelines extract`` and reports that process's peak resident memory
(``VmHWM``) and wall time, as ratios to the seed's. A table beyond ``limits.max_table_rows``
(params.yaml) is refused with ``file:line: problem``; the last size shows it. The prose case
appends megabytes of paragraphs to the seed: refused by ``limits.max_blocks`` (or, past 64 MiB,
``limits.max_input_bytes``), and its peak shows what reading up to that point costs.

    python bench/extract_memory.py [--rows 5000 25000 60000] [--prose-mb 60] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "raw" / "cao-bang-2022-kt-xh-report.md"
ROW = (
    "| 2 | GRDP bình quân đầu người | Triệu đồng | 37,18 | 40,30 | 39,48 | 106,2 | 97,97 | 43,97 | 111,4 | |"
)


def large_report(extra_rows: int, out: Path) -> Path:
    """The seed with ``extra_rows`` more indicator rows after the GRDP-per-head row."""
    text = SEED.read_text(encoding="utf-8")
    if text.count(ROW) != 1:
        raise SystemExit(f"{SEED}: the row to copy is not there once")
    copies = "\n".join(
        f"| 2.{n} | Chỉ tiêu thử số {n} | Triệu đồng | 37,18 | 40,30 | 39,48 | 106,2 | 97,97 | 43,97 | 111,4 | |"
        for n in range(1, extra_rows + 1)
    )
    path = out / f"large-{extra_rows}.md"
    path.write_text(text.replace(ROW, f"{ROW}\n{copies}" if extra_rows else ROW), encoding="utf-8")
    return path


def large_prose(megabytes: int, out: Path) -> Path:
    """The seed followed by ``megabytes`` MB of numbered one-line paragraphs."""
    paragraph = "Đoạn văn thử số {n}: tình hình kinh tế - xã hội tiếp tục phục hồi và phát triển.\n"
    count = megabytes * 1_000_000 // len(paragraph.format(n=0).encode())
    path = out / f"prose-{megabytes}mb.md"
    with path.open("w", encoding="utf-8") as handle:
        handle.write(SEED.read_text(encoding="utf-8") + "\n\n")
        handle.writelines(paragraph.format(n=n) for n in range(count))
    return path


# The child's own high-water mark (VmHWM): ru_maxrss would also count this process's size at fork.
CHILD = (
    "import sys\n"
    "from pipelines.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "hwm = next(l for l in open('/proc/self/status') if l.startswith('VmHWM:')).split()[1]\n"
    "print('PEAK_KB', hwm, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def extract(report: Path, out: Path) -> dict[str, object]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, "extract", str(report), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    peak = next(int(line.split()[1]) for line in result.stderr.splitlines() if line.startswith("PEAK_KB"))
    error = next((line for line in result.stderr.splitlines() if line.startswith("error:")), None)
    return {
        "exit": result.returncode,
        "seconds": round(seconds, 2),
        "peak_mb": round(peak / 1024, 1),
        "error": error,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 25_000, 60_000])
    parser.add_argument("--prose-mb", type=int, default=60, help="megabytes of prose after the seed")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        base = Path(scratch)
        cases = [(f"+{rows:,} rows", large_report(rows, base)) for rows in [0, *args.rows]]
        cases.append((f"+{args.prose_mb} MB prose", large_prose(args.prose_mb, base)))
        extract(cases[0][1], base / "warm-up")  # compiles the bytecode, which the baseline must not count
        for number, (label, report) in enumerate(cases):
            results[label] = {"bytes": report.stat().st_size, **extract(report, base / f"out-{number}")}
    seed = results["+0 rows"]
    print(
        f"{'case':>16} {'input MB':>9} {'exit':>5} {'seconds':>8} {'x seed':>7} {'peak MB':>8} {'x seed':>7}"
    )
    for label, figures in results.items():
        print(
            f"{label:>16} {figures['bytes'] / 1e6:>9.1f} {figures['exit']:>5} {figures['seconds']:>8.2f} "
            f"{figures['seconds'] / seed['seconds']:>7.1f} {figures['peak_mb']:>8.1f} "
            f"{figures['peak_mb'] / seed['peak_mb']:>7.2f}"
        )
        if figures["error"]:
            print(f"{'':>10} {figures['error']}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    sys.exit(main())
