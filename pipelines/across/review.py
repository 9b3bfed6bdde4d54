"""The maintainers' side of the crosswalk: what still needs a decision, and the review file.

The package's ``crosswalk`` resource says how every printed row was matched. Rows that were only
suggested or not matched at all are listed here with their scores; ``--write`` adds them to
``reference/crosswalk.csv`` (``reviewed`` false) so that a maintainer can fill in or correct the
code and set ``reviewed`` to true. Rows already in the file are left as the maintainer wrote them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from pipelines.across.crosswalk import REVIEW_COLUMNS, SUGGESTED, UNMATCHED

Row = dict[str, str]


def pending(crosswalk: Iterable[Row]) -> list[Row]:
    """Suggested rows first (best score first), then unmatched ones, each printed row once."""
    seen: set[tuple[str, ...]] = set()
    out = []
    for row in crosswalk:
        key = _printed(row)
        if row["method"] in (SUGGESTED, UNMATCHED) and key not in seen:
            seen.add(key)
            out.append(row)
    return sorted(out, key=lambda r: (r["method"] != SUGGESTED, -float(r["score"] or 0), r["name_vi"]))


def _printed(row: Row) -> tuple[str, str, str, str]:
    """What a reader sees of a published crosswalk row: province, document, printed name and unit."""
    return (row["province"], row["document_number"], row["name_vi"], row["unit_vi"])


def listing(rows: list[Row]) -> str:
    """One line per printed row: where, what was printed, the method, the candidate and its score."""
    lines = [f"{len(rows)} printed rows need a decision (reference/crosswalk.csv):"]
    for row in rows:
        candidate = f"{row['suggested_code']} ({row['score']})" if row["suggested_code"] else "-"
        reason = f" [{row['series_exclusion']}]" if row["series_exclusion"] else ""
        lines.append(
            f"{row['method']:<10} {candidate:<40} {row['province']} {row['document_number']} "
            f"{row['source_ref']}: {row['name_vi']!r} ({row['unit_vi'] or 'no unit'}){reason}"
        )
    return "\n".join(lines) + "\n"


def merged_review_file(existing: str, rows: list[Row]) -> str:
    """The review file with the pending rows it does not hold yet, as suggestions to decide."""
    kept = list(csv.DictReader(io.StringIO(existing))) if existing.strip() else []
    present = {(r["province"], r["document"], r["name"], r["unit"]) for r in kept}
    for row in rows:
        key = _printed(row)
        if key in present:
            continue
        present.add(key)
        province, document, name, unit = key
        kept.append(
            {
                "province": province,
                "document": document,
                "name": name,
                "unit": unit,
                "indicator_code": row["suggested_code"],
                "method": row["method"],
                "score": row["score"],
                "reviewed": "false",
            }
        )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, REVIEW_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(kept)
    return buffer.getvalue()


def read_crosswalk(package_dir: Path) -> list[Row]:
    path = package_dir / "data" / "crosswalk.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))
