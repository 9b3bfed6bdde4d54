"""``release``: version bump in the metadata source, changelog entry with the diff, safety checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.errors import PipelineError
from pipelines.release.version import (
    CHANGELOG_HEADER,
    add_changelog_entry,
    bump_version,
    read_metadata_version,
    set_metadata_version,
)
from pipelines.release.workflow import latest_release_tag, prepare_release
from tests.release.release_helpers import ITEMS, OBS, commit_all, descriptor, git, init_repo, write_package

METADATA = '# The metadata source.\nname: demo\nversion: "{version}"  \nkeywords: [a, b]\n'
DAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(("part", "expected"), [("patch", "1.4.3"), ("minor", "1.5.0"), ("major", "2.0.0")])
def test_bump_version(part, expected):
    assert bump_version("1.4.2", part) == expected


def test_bump_refuses_a_non_semantic_version():
    with pytest.raises(PipelineError, match=r"not MAJOR\.MINOR\.PATCH"):
        bump_version("1.4", "patch")


def test_only_the_version_line_of_the_metadata_changes(tmp_path):
    path = tmp_path / "package.yaml"
    path.write_text(METADATA.format(version="0.1.0"), encoding="utf-8")
    set_metadata_version(path, "0.2.0")
    assert path.read_text(encoding="utf-8") == METADATA.format(version="0.2.0").replace("  \n", "\n", 1)
    assert read_metadata_version(path) == "0.2.0"


def test_changelog_newest_first_and_no_duplicates(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    add_changelog_entry(path, "0.1.0", "## [0.1.0] - 2024-01-01\n\nFirst.\n")
    add_changelog_entry(path, "0.2.0", "## [0.2.0] - 2024-02-01\n\nSecond.\n")
    text = path.read_text(encoding="utf-8")
    assert text.startswith(CHANGELOG_HEADER)
    assert text.index("## [0.2.0]") < text.index("## [0.1.0]")
    with pytest.raises(PipelineError, match=r"already has an entry for version 0\.2\.0"):
        add_changelog_entry(path, "0.2.0", "## [0.2.0] - 2024-02-02\n")


def test_unreleased_notes_move_into_the_new_entry(tmp_path):
    path = tmp_path / "CHANGELOG.md"
    path.write_text(
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n- Fixed a unit.\n\n## 0.1.0\n\n- First.\n",
        encoding="utf-8",
    )
    add_changelog_entry(path, "0.1.1", "## [0.1.1] - 2024-02-01\n\nGit tag `v0.1.1`.\n\n| table |\n")
    assert path.read_text(encoding="utf-8") == (
        "# Changelog\n\nIntro.\n\n## [Unreleased]\n\n"
        "## [0.1.1] - 2024-02-01\n\n- Fixed a unit.\n\nGit tag `v0.1.1`.\n\n| table |\n\n"
        "## 0.1.0\n\n- First.\n"
    )
    with pytest.raises(
        PipelineError, match=r"already has an entry for version 0\.1\.0 \(if it is released, tag"
    ):
        add_changelog_entry(path, "0.1.0", "## [0.1.0] - 2024-02-02\n")


def _project(tmp_path: Path, version: str = "0.1.0") -> Path:
    repo = init_repo(tmp_path / "repo")
    (repo / "metadata").mkdir()
    (repo / "metadata" / "package.yaml").write_text(METADATA.format(version=version), encoding="utf-8")
    write_package(repo, ITEMS, OBS, descriptor(version))
    commit_all(repo, "first")
    return repo


def test_first_release_keeps_the_version_and_lists_the_tables(tmp_path):
    repo = _project(tmp_path)
    prepared = prepare_release(repo, None, None, DAY)
    assert (prepared.old_version, prepared.version, prepared.tag) == ("0.1.0", "0.1.0", "v0.1.0")
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [0.1.0] - 2024-03-01\n\nGit tag `v0.1.0`. First release." in changelog
    assert "| obs | 0 | 3 | 3 | 0 | 0 | 0 |" in changelog


def test_new_data_is_a_minor_release_with_the_diff_in_the_changelog(tmp_path):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, [*OBS, ["c", 2022, "5"]], descriptor("0.1.0"))
    prepared = prepare_release(repo, None, None, DAY)
    assert prepared.version == "0.2.0" and prepared.warnings == []
    assert read_metadata_version(repo / "metadata" / "package.yaml") == "0.2.0"
    changelog = (repo / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Compared with `v0.1.0`." in changelog
    assert "Changes from `v0.1.0` (version 0.1.0) to `v0.2.0` (version 0.2.0)." in changelog
    assert "Suggested version bump: **minor** (rows were added)." in changelog
    assert "| obs | 3 | 4 | 1 | 0 | 0 | 0 |" in changelog
    assert any(step.startswith('git tag -a v0.2.0 -m "Release 0.2.0"') for step in prepared.next_steps)


def test_the_changelog_lists_corrected_values(tmp_path):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, [*OBS[:3], ["b", 2022, "21"]], descriptor("0.1.0"))
    assert prepare_release(repo, None, None, DAY).version == "0.1.1"
    assert "| b | 2022 | value | 20 | 21 |" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")


def test_a_smaller_bump_than_suggested_warns(tmp_path):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, OBS[:3], descriptor("0.1.0"))
    prepared = prepare_release(repo, "patch", None, DAY)
    assert prepared.version == "0.1.1"
    assert prepared.warnings == ["patch is smaller than the suggested major bump (rows were removed)"]


def test_refuses_when_nothing_changed(tmp_path):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    with pytest.raises(PipelineError, match=r"nothing changed since v0\.1\.0"):
        prepare_release(repo, None, None, DAY)
    assert not (repo / "CHANGELOG.md").exists()


def test_refuses_a_package_not_rebuilt_from_its_metadata(tmp_path):
    repo = _project(tmp_path)
    (repo / "metadata" / "package.yaml").write_text(METADATA.format(version="0.3.0"), encoding="utf-8")
    with pytest.raises(PipelineError, match="run `dvc repro` first"):
        prepare_release(repo, None, None, DAY)


def test_refuses_to_bump_twice_before_tagging(tmp_path):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, [*OBS, ["c", 2022, "5"]], descriptor("0.2.0"))
    (repo / "metadata" / "package.yaml").write_text(METADATA.format(version="0.2.0"), encoding="utf-8")
    with pytest.raises(PipelineError, match="finish \\(tag\\) or revert that release first"):
        prepare_release(repo, None, None, DAY)


def test_latest_tag_is_chosen_by_version_not_by_name(tmp_path):
    repo = _project(tmp_path)
    for tag in ("v0.9.0", "v0.10.0", "v0.2.0", "vnext"):
        git(repo, "tag", tag)
    assert latest_release_tag(repo) == "v0.10.0"


def test_cli_release(tmp_path, capsys):
    repo = _project(tmp_path)
    git(repo, "tag", "v0.1.0")
    write_package(repo, ITEMS, [*OBS, ["c", 2022, "5"]], descriptor("0.1.0"))
    assert main(["release", "--repo", str(repo), "--bump", "major", "--date", "2024-03-02"]) == 0
    out = capsys.readouterr().out
    assert "Version 0.1.0 -> 1.0.0" in out and "dvc repro" in out
    assert "## [1.0.0] - 2024-03-02" in (repo / "CHANGELOG.md").read_text(encoding="utf-8")
