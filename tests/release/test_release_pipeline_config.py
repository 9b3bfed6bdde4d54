"""The committed pipeline definition agrees with the metadata, the CLI and the rules of the house."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest
import yaml

from pipelines.cli import build_parser
from pipelines.package.metadata import load_metadata
from tests.paths import REPO_ROOT

DVC = yaml.safe_load((REPO_ROOT / "dvc.yaml").read_text(encoding="utf-8"))
STAGES = DVC["stages"]
GATE = "build/validation/summary.json"


def _paths(entries: list) -> list[str]:
    return [next(iter(e)) if isinstance(e, dict) else e for e in entries]


def _options(entries: list) -> dict[str, dict]:
    return {next(iter(e)): next(iter(e.values())) for e in entries if isinstance(e, dict)}


def _command(stage: dict) -> list[str]:
    return shlex.split(stage["cmd"])


def _package_files() -> list[str]:
    return ["datapackage.json", *(f"data/{name}.csv" for name in load_metadata().package.resources)]


def test_dvc_config_is_offline_and_pulls_from_the_site():
    config = configparser.ConfigParser(inline_comment_prefixes=("#",))
    config.read(REPO_ROOT / ".dvc" / "config")
    assert config["core"]["analytics"] == "false"
    assert config["core"]["check_update"] == "false"

    def url(name: str) -> str:
        return config[f"'remote \"{name}\"'"]["url"]

    assert config["core"]["remote"] == "site"
    assert url("site").startswith("https://") and url("site").endswith("/dvc"), "the site's cache"
    assert url("publish") == "../build/dvc-public", "what the site serves as /dvc, outside build/site"
    assert "://" not in url("storage") and not url("storage").startswith("/"), "archive: a relative folder"


def test_byte_code_caches_do_not_change_code_dependencies():
    assert "__pycache__/" in (REPO_ROOT / ".dvcignore").read_text(encoding="utf-8").split()


def test_every_stage_runs_a_registered_command_of_the_project():
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    for name, stage in STAGES.items():
        argv = _command(stage)
        assert argv[:3] == ["python", "-m", "pipelines"], name
        assert argv[3] in subparsers.choices, f"stage {name}: command {argv[3]!r} is not registered"


def test_every_stage_depends_on_the_code_it_runs():
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    for name, stage in STAGES.items():
        handler = subparsers.choices[_command(stage)[3]].get_default("handler")
        folder = "/".join(handler.__module__.split(".")[:2])
        assert folder in stage["deps"], (
            f"stage {name} runs {handler.__module__} but does not depend on {folder}"
        )


def test_promote_stage_writes_every_resource_of_the_metadata_to_git():
    outs = STAGES["promote"]["outs"]
    assert _paths(outs) == [*_package_files(), "data/parquet"]
    # In git, not the DVC cache; persisted so that a killed run cannot delete the published package
    # (the promotion's commit manifest keeps it whole).
    assert all(option == {"cache": False, "persist": True} for option in _options(outs).values())
    assert len(_options(outs)) == len(outs)


def test_package_and_database_are_candidates_until_validation_passes():
    candidates = _paths(STAGES["package"]["outs"]) + _paths(STAGES["build-db"]["outs"])
    assert all(path.startswith("build/candidate/") for path in candidates)
    for stage in ("promote", "site"):
        assert GATE in STAGES[stage]["deps"], stage
    assert _options(STAGES["site"]["outs"]) == {"build/site": {"persist": True}}


@pytest.mark.parametrize("stage", [s for s in STAGES if "datapackage.json" in STAGES[s].get("deps", [])])
def test_stages_reading_the_package_depend_on_all_its_files(stage):
    assert set(_package_files()) <= set(STAGES[stage]["deps"])


def test_the_parquet_copy_is_written_with_the_candidate_and_offered_by_the_site():
    assert STAGES["package"]["cmd"].endswith("--out build/candidate/package")
    assert "build/candidate/package" in STAGES["validate"]["deps"]
    assert "data/parquet" in STAGES["site"]["deps"]


def test_validation_gates_the_publishing_stages():
    assert GATE in _paths(STAGES["validate"]["outs"])
    for stage in ("promote", "site", "metrics"):
        assert GATE in STAGES[stage]["deps"], stage


def test_files_committed_to_git_are_not_cached_and_build_outputs_are():
    for name, stage in STAGES.items():
        for path in _paths(stage.get("outs", [])):
            cached = _options(stage["outs"]).get(path, {}).get("cache", True)
            assert cached == path.startswith("build/"), f"stage {name}: {path}"
    assert not (set(_paths(STAGES["metrics"]["metrics"])) - {"metrics.json"})


def test_params_cover_what_the_stages_use():
    params = yaml.safe_load((REPO_ROOT / "params.yaml").read_text(encoding="utf-8"))
    assert params["ratios"]["tolerance_pct"] == 0.0
    for name, stage in STAGES.items():
        for key in stage.get("params", []):
            assert key in params, f"stage {name}: params key {key} missing from params.yaml"


def test_stages_use_only_paths_inside_the_project():
    for name, stage in STAGES.items():
        paths = _command(stage)[4:] + stage.get("deps", []) + _paths(stage.get("outs", []))
        for path in (p for p in paths if not p.startswith("-")):
            assert not path.startswith(("/", "~")) and ".." not in Path(path).parts, f"stage {name}: {path}"
