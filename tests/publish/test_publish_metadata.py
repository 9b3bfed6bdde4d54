"""metadata.json generated from metadata/ and metadata/site.yaml."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from pipelines.common.errors import PipelineError
from pipelines.package.metadata import load_metadata
from pipelines.publish.datasette_metadata import build_metadata, counted_facets
from pipelines.publish.siteconfig import QueryConfig, SiteConfig, load_site_config
from tests.paths import REPO_ROOT

SITE_YAML = REPO_ROOT / "metadata" / "site.yaml"


@pytest.fixture(scope="module")
def document(site_dir: Path) -> dict:
    return json.loads((site_dir / "metadata.json").read_text(encoding="utf-8"))


def test_every_table_view_and_column_is_described(document: dict, site_db: Path) -> None:
    tables = document["databases"]["chitieu"]["tables"]
    conn = sqlite3.connect(site_db)
    fts = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%USING fts5%'")}
    visible = [
        name
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
        if not any(name == f or name.startswith(f"{f}_") for f in fts) and not name.startswith("sqlite_")
    ]
    assert sorted(visible) == sorted(tables)
    for name in visible:
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{name}])")]
        assert tables[name]["description"]
        assert set(tables[name]["columns"]) == set(columns), name
        assert all(tables[name]["columns"].values()), name


def test_descriptions_facets_and_labels_come_from_the_resource_metadata(document: dict) -> None:
    metadata = load_metadata()
    tables = document["databases"]["chitieu"]["tables"]
    indicators = metadata.resources["indicators"]
    entry = tables["indicators"]
    assert entry["title"] == f"{indicators.title_vi} / {indicators.title}"
    assert (
        indicators.description in entry["description"] and indicators.description_vi in entry["description"]
    )
    # Both of its facet columns hold several values in the seed (one-value columns are left out).
    assert entry["facets"] == counted_facets(indicators.site.facets) and entry["sort"] == indicators.site.sort
    assert entry["label_column"] == "name_vi" and entry["fts_table"] == "indicators_fts"
    assert indicators.field("name_vi").description in entry["columns"]["name_vi"]
    assert tables["ratios"]["units"] == {"published_pct": "percent", "computed_pct": "percent"}
    assert tables["plan_vs_estimate"]["columns"]["name_vi"] == entry["columns"]["name_vi"]


def test_site_facts_licence_and_source(document: dict, root_package: Path) -> None:
    descriptor = json.loads(root_package.read_text(encoding="utf-8"))
    assert document["license"] == descriptor["licenses"][0]["name"]
    assert document["chitieu"]["version"] == descriptor["version"]
    assert document["chitieu"]["created"] == descriptor["created"]
    assert document["title"].startswith(load_metadata().package.title_vi)


def test_at_least_six_saved_queries_with_bilingual_titles(document: dict) -> None:
    queries = document["databases"]["chitieu"]["queries"]
    assert len(queries) >= 6
    assert {"missed_targets", "largest_gaps", "next_year_plan", "inconsistent_ratios"} <= set(queries)
    assert all(" / " in q["title"] and q["description"] for q in queries.values())
    assert not any("fragment" in q for q in queries.values())


def test_queries_follow_the_resources_of_the_package(document: dict, root_package: Path) -> None:
    site = load_site_config()
    present = {r["name"] for r in json.loads(root_package.read_text(encoding="utf-8"))["resources"]}
    queries = document["databases"]["chitieu"]["queries"]
    assert set(queries) == {q.name for q in site.queries if set(q.requires) <= present}
    names = {q.name for q in site.queries_for({"crops", "livestock", "narrative_checks"})}
    assert names == {"crops_missed_plan", "livestock_change", "narrative_disagreements"}


def test_an_undescribed_table_or_column_fails_the_build(
    site_db: Path, tmp_path: Path, root_package: Path
) -> None:
    db = tmp_path / "extra.db"
    db.write_bytes(site_db.read_bytes())
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE harvests (report_id TEXT, crop_vi TEXT)")
        conn.execute("ALTER TABLE warnings ADD COLUMN severity TEXT")
    descriptor = json.loads(root_package.read_text(encoding="utf-8"))
    with pytest.raises(PipelineError) as caught:
        build_metadata(db, descriptor, load_metadata(), load_site_config(), {})
    assert "harvests," in str(caught.value) and "warnings.severity" in str(caught.value)


def test_site_yaml_is_loaded_strictly() -> None:
    raw = yaml.safe_load(SITE_YAML.read_text(encoding="utf-8"))
    SiteConfig(**raw)
    with pytest.raises(ValidationError, match="facet"):
        SiteConfig(**{**raw, "facet": ["x"]})
    with pytest.raises(ValidationError, match="at least 6"):
        SiteConfig(**{**raw, "queries": raw["queries"][:5]})


def test_sql_fragments_are_written_once_and_expanded_where_used() -> None:
    raw = yaml.safe_load(SITE_YAML.read_text(encoding="utf-8"))
    fragment = raw["sql_fragments"]["chosen_report"]
    users = [q["name"] for q in raw["views"] + raw["queries"] if "{chosen_report}" in q["sql"]]
    assert len(users) >= 2
    assert SITE_YAML.read_text(encoding="utf-8").count("ORDER BY reporting_year DESC, report_id LIMIT 1") == 1
    loaded = {q.name: q.sql for q in SiteConfig(**raw).queries}
    assert all(fragment in loaded[name] and "{" not in loaded[name] for name in users if name in loaded)
    raw["queries"][0] = {**raw["queries"][0], "sql": "SELECT {no_such_fragment}"}
    with pytest.raises(ValidationError, match="unknown SQL fragment"):
        SiteConfig(**raw)


def test_query_parameters_must_match_the_sql() -> None:
    base = {
        "name": "q",
        "title": "t",
        "title_vi": "t",
        "description": "d",
        "description_vi": "d",
        "requires": ["x"],
    }
    assert QueryConfig(**base, sql="SELECT :name", params=["name"]).params == ["name"]
    with pytest.raises(ValidationError, match="params"):
        QueryConfig(**base, sql="SELECT :name AS a, :year")
