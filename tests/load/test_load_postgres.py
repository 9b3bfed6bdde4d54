"""`python -m pipelines load-postgres` against a real, throwaway PostgreSQL server: counts, types,
keys enforced, a join giving names and units beside values, all-or-nothing loading."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.load.postgres_cluster import throwaway_cluster
from tests.paths import REPO_ROOT
from tests.support import environment

pytestmark = pytest.mark.slow

DESCRIPTOR = json.loads((REPO_ROOT / "datapackage.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with throwaway_cluster() as url:
        yield url


def _load(url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pipelines", "load-postgres", url, *extra],
        cwd=REPO_ROOT,
        env=environment(),
        capture_output=True,
        text=True,
    )


def _csv(name: str) -> list[dict[str, str]]:
    with (REPO_ROOT / "data" / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def loaded(server: str) -> str:
    done = _load(server, "--schema", "chitieu")
    assert done.returncode == 0, done.stderr
    return server


def test_every_resource_is_a_table_with_the_csv_row_count(loaded: str) -> None:
    with psycopg.connect(loaded) as connection:
        for resource in DESCRIPTOR["resources"]:
            count = connection.execute(f'SELECT count(*) FROM chitieu."{resource["name"]}"').fetchone()[0]
            assert count == len(_csv(resource["name"])), resource["name"]


def test_columns_are_typed_from_the_table_schema(loaded: str) -> None:
    with psycopg.connect(loaded) as connection:
        types = {
            (table, column): kind
            for table, column, kind in connection.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = 'chitieu'"
            )
        }
    assert types[("observations", "value")] == "numeric"
    assert types[("observations", "period")] == "bigint"
    assert types[("reports", "issued_date")] == "date"
    assert types[("reports", "province_code")] == "text"
    assert types[("ratios", "consistent")] == "boolean"


def test_primary_and_foreign_keys_are_declared_and_enforced(loaded: str) -> None:
    with psycopg.connect(loaded) as connection:
        keys = connection.execute(
            "SELECT tc.table_name, tc.constraint_type, count(*) FROM information_schema.table_constraints tc "
            "WHERE tc.table_schema = 'chitieu' AND tc.constraint_type IN ('PRIMARY KEY', 'FOREIGN KEY') "
            "GROUP BY 1, 2"
        ).fetchall()
        declared = {(t, k): n for t, k, n in keys}
        for resource in DESCRIPTOR["resources"]:
            schema = resource["schema"]
            assert declared.get((resource["name"], "PRIMARY KEY"), 0) == (
                1 if schema.get("primaryKey") else 0
            )
            assert declared.get((resource["name"], "FOREIGN KEY"), 0) == len(schema.get("foreignKeys", []))
        observation = _csv("observations")[0]
        with pytest.raises(psycopg.errors.UniqueViolation):
            connection.execute(
                "INSERT INTO chitieu.observations SELECT * FROM chitieu.observations "
                "WHERE report_id = %s AND indicator_id = %s AND measure = %s AND period = %s",
                [observation[k] for k in ("report_id", "indicator_id", "measure", "period")],
            )
        connection.rollback()
        # A real row whose indicator does not exist: only the foreign key can refuse it.
        connection.execute("CREATE TEMP TABLE orphan AS SELECT * FROM chitieu.observations LIMIT 1")
        connection.execute("UPDATE orphan SET indicator_id = 'no-such-indicator'")
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            connection.execute("INSERT INTO chitieu.observations SELECT * FROM orphan")


def test_a_join_puts_names_and_units_beside_values(loaded: str) -> None:
    indicators = {(i["report_id"], i["indicator_id"]): i for i in _csv("indicators")}
    expected = sorted(
        (indicators[(o["report_id"], o["indicator_id"])]["name_vi"], o["measure"], int(o["period"]), o["value"],
         indicators[(o["report_id"], o["indicator_id"])]["unit_vi"])
        for o in _csv("observations")
    )  # fmt: skip
    with psycopg.connect(loaded) as connection:
        rows = connection.execute(
            "SELECT i.name_vi, o.measure, o.period, coalesce(o.value::text, ''), coalesce(i.unit_vi, '') "
            "FROM chitieu.observations o JOIN chitieu.indicators i USING (report_id, indicator_id)"
        ).fetchall()
    assert sorted((n, m, p, str(float(v)) if "." in v else v, u) for n, m, p, v, u in rows) == sorted(
        (n, m, p, str(float(v)) if "." in v else v, u) for n, m, p, v, u in expected
    )
    assert any("Cao Bằng" in r[0] or "GRDP" in r[0] for r in rows)


def test_a_second_load_is_refused_unless_replace_and_replacing_keeps_the_data(loaded: str) -> None:
    refused = _load(loaded, "--schema", "chitieu")
    assert refused.returncode == 1
    assert "already exist in schema chitieu; add --replace" in refused.stderr
    replaced = _load(loaded, "--schema", "chitieu", "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert f"chitieu.observations: {len(_csv('observations'))} rows" in replaced.stdout


def test_a_bad_row_fails_naming_file_and_line_and_loads_nothing(server: str, tmp_path: Path) -> None:
    package = tmp_path / "package"
    shutil.copytree(REPO_ROOT / "data", package / "data", ignore=shutil.ignore_patterns("raw", "parquet"))
    shutil.copy(REPO_ROOT / "datapackage.json", package / "datapackage.json")
    path = package / "data" / "observations.csv"
    rows = _csv("observations")
    rows[2]["value"] = "n/a"  # line 4 of the file
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    done = _load(server, "--schema", "broken", "--package", str(package / "datapackage.json"))
    assert done.returncode == 1
    assert done.stderr.strip() == (
        'error: data/observations.csv: invalid input syntax for type numeric: "n/a" '
        '(COPY observations, line 4, column value: "n/a")'
    )
    with psycopg.connect(server) as connection:
        assert (
            connection.execute(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'broken'"
            ).fetchone()[0]
            == 0
        )
