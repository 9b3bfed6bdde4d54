"""``diff``: rows by primary key, values by field, schema changes, git revisions and paths."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.errors import PipelineError
from pipelines.release.diff import diff_packages
from pipelines.release.render import diff_markdown
from pipelines.release.source import read_directory_package, read_release_package
from tests.release.release_helpers import ITEMS, OBS, commit_all, descriptor, git, init_repo, write_package


def _diff(tmp_path: Path, items=ITEMS, obs=OBS, desc=None):
    old = read_directory_package(write_package(tmp_path / "old", ITEMS, OBS))
    new = read_directory_package(write_package(tmp_path / "new", items, obs, desc))
    return diff_packages(old, new)


def _resource(diff, name):
    return next(r for r in diff.resources if r.name == name)


def test_identical_packages_have_no_changes(tmp_path):
    diff = _diff(tmp_path)
    assert not diff.has_changes
    assert diff.suggested_bump() == (None, "nothing changed")


def test_number_formatting_alone_is_not_a_change(tmp_path):
    items = [ITEMS[0], ["a", "Alpha", "1.5"], ["b", "Beta | pipe", "2.0"]]
    assert not _diff(tmp_path, items=items).has_changes


def test_added_rows_call_for_a_minor_version(tmp_path):
    diff = _diff(tmp_path, obs=[*OBS, ["b", 2023, "21"]])
    obs = _resource(diff, "obs")
    assert [obs.key_of(row) for row in obs.added] == [("b", "2023")]
    assert obs.removed == [] and obs.changed == []
    assert diff.suggested_bump()[0] == "minor"


def test_removed_rows_call_for_a_major_version(tmp_path):
    diff = _diff(tmp_path, obs=OBS[:2])
    obs = _resource(diff, "obs")
    assert [obs.key_of(row) for row in obs.removed] == [("a", "2022"), ("b", "2022")]
    assert diff.suggested_bump()[0] == "major"


def test_changed_values_are_reported_field_by_field_as_a_patch(tmp_path):
    diff = _diff(tmp_path, items=[ITEMS[0], ["a", "Alpha!", "1.6"], ITEMS[2]])
    items = _resource(diff, "items")
    assert [(c.key, c.field, c.old, c.new) for c in items.changed] == [
        (("a",), "label", "Alpha", "Alpha!"),
        (("a",), "amount", "1.50", "1.6"),
    ]
    assert items.changed_rows == 1
    assert diff.suggested_bump() == ("patch", "values were corrected")


def test_schema_changes_are_reported(tmp_path):
    desc = descriptor()
    fields = desc["resources"][0]["schema"]["fields"]
    fields[2] = {"name": "amount", "type": "string", "description": "Amount."}
    fields.append({"name": "extra", "type": "string", "description": "New."})
    items = [[*ITEMS[0], "extra"], [*ITEMS[1], "x"], [*ITEMS[2], "y"]]
    diff = _diff(tmp_path, items=items, desc=desc)
    kinds = {(c.resource, c.kind, c.detail) for c in diff.schema_changes}
    assert kinds == {("items", "field added", "extra"), ("items", "type changed", "amount: number -> string")}
    assert diff.suggested_bump()[0] == "major"
    assert _resource(diff, "items").changed == []


def test_relaxed_constraints_are_minor_and_descriptions_are_metadata(tmp_path):
    desc = descriptor()
    fields = desc["resources"][0]["schema"]["fields"]
    fields[1] = {**fields[1], "description": "Better label.", "constraints": {"required": True}}
    diff = _diff(tmp_path, desc=desc)
    assert [(c.kind, c.detail) for c in diff.schema_changes] == [("constraints changed", "label")]
    assert diff.metadata_changes == ["items.label.description"]
    assert diff.suggested_bump()[0] == "minor"


def test_new_resource_is_added_with_all_its_rows(tmp_path):
    desc = copy.deepcopy(descriptor())
    extra = copy.deepcopy(desc["resources"][0])
    extra.update(name="more", path="data/more.csv")
    desc["resources"].append(extra)
    root = write_package(tmp_path / "new", ITEMS, OBS, desc)
    (root / "data" / "more.csv").write_text("id,label,amount\nz,Zed,1\n", encoding="utf-8")
    old = read_directory_package(write_package(tmp_path / "old", ITEMS, OBS))
    diff = diff_packages(old, read_directory_package(root))
    assert [(c.resource, c.kind) for c in diff.schema_changes] == [("more", "resource added")]
    assert len(_resource(diff, "more").added) == 1
    assert diff.suggested_bump()[0] == "minor"


def test_duplicate_primary_key_is_an_error(tmp_path):
    with pytest.raises(PipelineError, match="duplicate primary key"):
        _diff(tmp_path, obs=[*OBS, ["a", 2021, "99"]])


def test_markdown_has_summary_and_detail_tables(tmp_path):
    diff = _diff(tmp_path, items=[ITEMS[0], ["a", "Alpha", "7"], ITEMS[2]], obs=[*OBS, ["c", 2022, "1"]])
    text = diff_markdown(diff)
    assert "| Resource | Rows before | Rows after | Added | Removed | Changed rows | Changed values |" in text
    assert "| items | 2 | 2 | 0 | 0 | 1 | 1 |" in text
    assert "| obs | 3 | 4 | 1 | 0 | 0 | 0 |" in text
    assert "| a | amount | 1.50 | 7 |" in text
    assert "| c | 2022 | value=1 |" in text
    assert "Suggested version bump: **minor**" in text


def test_pipes_in_values_are_escaped(tmp_path):
    diff = _diff(tmp_path, items=[ITEMS[0], ITEMS[1], ["b", "Beta | pipe!", "2"]])
    assert "| b | label | Beta \\| pipe | Beta \\| pipe! |" in diff_markdown(diff)


def test_cli_diff_between_git_revisions(tmp_path, capsys):
    repo = init_repo(tmp_path / "repo")
    write_package(repo, ITEMS, OBS)
    commit_all(repo, "first")
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, [*OBS[:3], ["b", 2022, "25"]], descriptor("0.1.1"))
    commit_all(repo, "correction")
    (repo / "data" / "obs.csv").write_text("garbage in the working tree\n", encoding="utf-8")

    assert main(["diff", "v0.1.0", "HEAD", "--repo", str(repo), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["old"] == {"label": "v0.1.0", "version": "0.1.0"}
    assert report["new"] == {"label": "HEAD", "version": "0.1.1"}
    assert report["suggested_bump"] == "patch"
    obs = next(r for r in report["resources"] if r["name"] == "obs")
    assert obs["changed"] == [{"key": ["b", "2022"], "field": "value", "old": "20", "new": "25"}]


def test_cli_diff_between_a_revision_and_a_path(tmp_path, capsys):
    repo = init_repo(tmp_path / "repo")
    write_package(repo, ITEMS, OBS)
    commit_all(repo, "first")
    write_package(repo, ITEMS, OBS[:3])
    assert main(["diff", "HEAD", str(repo), "--repo", str(repo)]) == 0
    assert "| obs | 3 | 2 | 0 | 1 | 0 | 0 |" in capsys.readouterr().out


def test_package_in_a_subfolder_of_a_revision(tmp_path):
    repo = init_repo(tmp_path / "repo")
    write_package(repo / "pkg", ITEMS, OBS)
    commit_all(repo, "first")
    package = read_release_package("HEAD:pkg/datapackage.json", repo)
    assert len(package.tables["obs"].rows) == 3


def test_unknown_version_is_a_clear_error(tmp_path, capsys):
    repo = init_repo(tmp_path / "repo")
    assert main(["diff", "no-such-tag", "HEAD", "--repo", str(repo)]) == 1
    assert "no-such-tag: neither a package path nor a git revision" in capsys.readouterr().err


def test_unsafe_resource_paths_are_refused(tmp_path):
    desc = descriptor()
    desc["resources"][0]["path"] = "../outside.csv"
    root = write_package(tmp_path / "pkg", ITEMS, OBS, desc)
    with pytest.raises(PipelineError, match="unsafe path"):
        read_directory_package(root)
