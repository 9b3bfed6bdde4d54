"""What a release changed, said in indicator codes: "grdp_growth, Cao Bằng 2022: estimate 5.55 → actual 5.1 pct".

Read from the ``series_best`` resource of both versions (the best figure per code, province and
year), so a reader sees which figures moved without decoding report-specific row ids.
"""

from __future__ import annotations

from pipelines.package.reader import Package

BEST = "series_best"


def _figure(row: dict[str, str]) -> str:
    flagged = " (to be reviewed)" if row.get("review_reason") else ""
    return f"{row['measure']} {row['value']}{flagged}"


def code_changes(old: Package, new: Package) -> list[str]:
    """One line per code, province and year whose best figure appeared, changed or disappeared."""
    if BEST not in new.tables and BEST not in old.tables:
        return []

    def index(package: Package) -> dict[tuple[str, str, str], dict[str, str]]:
        table = package.tables.get(BEST)
        rows = table.rows if table else []
        return {(r["indicator_code"], r["province"], r["period"]): r for r in rows}

    before, after = index(old), index(new)
    lines = []
    for key in sorted(before.keys() | after.keys()):
        code, province, period = key
        was, now = before.get(key), after.get(key)
        where = f"{code}, {province} {period}"
        if was is None and now is not None:
            lines.append(f"{where}: {_figure(now)} {now['unit']} (new)")
        elif now is None and was is not None:
            lines.append(f"{where}: {_figure(was)} {was['unit']} no longer published")
        elif (
            was is not None
            and now is not None
            and (was["measure"], was["value"]) != (now["measure"], now["value"])
        ):
            lines.append(f"{where}: {_figure(was)} → {_figure(now)} {now['unit']}")
    return lines
