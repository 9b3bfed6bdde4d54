"""Default facets: only columns that can tell rows apart, counted once per server (plugins/chitieu_facets.py)."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path
from typing import Any

from pipelines.package.metadata import load_metadata
from pipelines.publish.datasette_metadata import COUNTED_FACET, informative_facets
from pipelines.publish.siteconfig import load_site_config

STORE = "_chitieu_facet_counts"


def test_a_column_with_one_value_gets_no_default_facet_and_a_many_valued_one_keeps_it(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "t.db")
    conn.execute("CREATE TABLE t (breakdown TEXT, measure TEXT, empty TEXT, half TEXT)")
    conn.executemany(
        "INSERT INTO t VALUES (?, ?, ?, ?)",
        [("all", m, None, h) for m, h in (("plan", None), ("actual", "x"), ("plan", None))],
    )
    assert informative_facets(conn, "t", ["breakdown", "measure", "empty", "half"]) == ["measure", "half"]
    conn.execute("DELETE FROM t")
    assert informative_facets(conn, "t", ["measure"]) == []


def _declared() -> dict[str, list[str]]:
    declared = {name: r.site.facets for name, r in load_metadata().resources.items() if r.site.facets}
    return declared | {v.name: v.facets for v in load_site_config().views if v.facets}


def test_the_site_offers_every_declared_facet_whose_column_holds_several_values(
    site_dir: Path, site_db: Path
) -> None:
    tables = json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))["databases"]["chitieu"][
        "tables"
    ]
    conn = sqlite3.connect(site_db)
    kept = dropped = 0
    for table, facets in _declared().items():
        if table not in tables:
            continue
        offered = [next(iter(f.values())) for f in tables[table].get("facets", [])]
        assert all(list(f) == [COUNTED_FACET] for f in tables[table].get("facets", [])), table
        several = [c for c in facets if len({v for (v,) in conn.execute(f"SELECT [{c}] FROM [{table}]")}) > 1]
        assert offered == several, table
        kept += len(several)
        dropped += len(facets) - len(several)
    # The seed package has both kinds (one province in series, several measures in observations).
    assert kept and dropped


def _pages(site: Path, urls: list[str], **datasette: Any) -> tuple[list[Any], Any]:
    from datasette.app import Datasette

    async def run() -> tuple[list[Any], Any]:
        ds = Datasette(**datasette) if datasette else Datasette(config_dir=site)
        await ds.invoke_startup()
        return [(await ds.client.get(url)).json() for url in urls], ds

    return asyncio.run(run())


def test_default_facet_counts_are_the_rows_counts_and_are_counted_once_per_filter(
    site_dir: Path, site_db: Path
) -> None:
    report = "cao-bang-2022-2960-bc-ubnd"
    urls = [
        "/chitieu/observations.json?_size=1",
        f"/chitieu/observations.json?_size=1&report_id={report}",
        "/chitieu/observations.json?_size=2",
        f"/chitieu/observations.json?_size=1&report_id={report}",
    ]
    pages, ds = _pages(site_dir, urls)
    tables = json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))["databases"]["chitieu"][
        "tables"
    ]
    offered = [f[COUNTED_FACET] for f in tables["observations"]["facets"]]
    assert "measure" in offered
    conn = sqlite3.connect(site_db)
    for page, where in ((pages[0], ""), (pages[1], f"WHERE report_id = '{report}'")):
        assert list(page["facet_results"]) == offered
        for name, facet in page["facet_results"].items():
            counts = dict(conn.execute(f"SELECT [{name}], COUNT(*) FROM observations {where} GROUP BY 1"))
            counts.pop(None, None)
            assert {v["value"]: v["count"] for v in facet["results"]} == counts, name
            assert facet["type"] == "column" and not facet["hideable"]
    # One stored count per facet and filter: another page size or a repeat asks SQLite nothing new.
    facets = len(pages[0]["facet_results"])
    assert len(ds.__dict__[STORE]) == 2 * facets
    assert pages[3]["facet_results"] == pages[1]["facet_results"]
    # Links stay the page's own: only the counts are shared.
    for name, facet in pages[2]["facet_results"].items():
        first = pages[0]["facet_results"][name]["results"]
        assert [(v["value"], v["count"]) for v in facet["results"]] == [
            (v["value"], v["count"]) for v in first
        ]
        assert all("_size=2" in v["toggle_url"] for v in facet["results"])


def test_counts_of_a_database_that_can_change_are_not_kept(
    site_dir: Path, site_db: Path, tmp_path: Path
) -> None:
    mutable = tmp_path / "chitieu.db"
    mutable.write_bytes(site_db.read_bytes())
    metadata = json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))
    pages, ds = _pages(
        site_dir,
        ["/chitieu/observations.json?_size=1"] * 2,
        files=[str(mutable)],
        metadata=metadata,
        plugins_dir=str(site_dir / "plugins"),
    )
    assert pages[0]["facet_results"] and pages[0]["facet_results"] == pages[1]["facet_results"]
    assert not ds.__dict__.get(STORE)
