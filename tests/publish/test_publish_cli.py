"""The build-db, site, serve and deploy commands as a maintainer runs them."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import main
from pipelines.common.errors import PipelineError
from pipelines.publish.serve import check_site, deploy_command
from tests.paths import REPO_ROOT


def test_commands_have_help() -> None:
    for command in ("build-db", "site", "serve", "deploy"):
        result = subprocess.run(
            [sys.executable, "-m", "pipelines", command, "--help"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0 and "usage:" in result.stdout, command


def test_build_db_and_site_commands(
    root_package: Path, candidate_db: Path, validation_dir: Path, tmp_path: Path
) -> None:
    db = tmp_path / "candidate.db"
    assert main(["build-db", str(root_package), "--out", str(db)]) == 0
    assert db.read_bytes() == candidate_db.read_bytes(), "build-db is reproducible"
    site = tmp_path / "site"
    args = [
        "site",
        str(root_package),
        "--db",
        str(db),
        "--validation",
        str(validation_dir),
        "--out",
        str(site),
    ]
    assert main(args) == 0
    assert check_site(site) == site / "chitieu.db"
    assert (site / "plugins" / "chitieu_site.py").exists() and (site / "templates" / "index.html").exists()


def test_site_without_a_database_is_a_clear_error(root_package: Path, tmp_path: Path, capsys) -> None:
    assert (
        main(["site", str(root_package), "--db", str(tmp_path / "none.db"), "--out", str(tmp_path / "s")])
        == 1
    )
    assert "no database" in capsys.readouterr().err


def test_serve_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path, capsys) -> None:
    assert main(["serve", "--site", str(tmp_path)]) == 1
    assert "not a built site" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["package", "cloudrun"])
def test_deploy_command_carries_the_whole_site(site_dir: Path, target: str, capsys) -> None:
    argv = deploy_command(site_dir, target, "chitieu")
    assert argv[:2] == ["datasette", "package" if target == "package" else "publish"]
    for option in (
        "--metadata",
        "--template-dir",
        "--plugins-dir",
        "--static",
        "--extra-options",
    ):
        assert option in argv
    # The site needs no plugin from PyPI: its own plugins travel in plugins/.
    assert "--install" not in argv
    assert "--setting sql_time_limit_ms" in argv[argv.index("--extra-options") + 1]
    assert main(["deploy", target, "--site", str(site_dir)]) == 0
    assert shlex.split(capsys.readouterr().out.strip()) == argv


def test_check_site_names_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "metadata.json").write_text("{}", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"settings\.json, inspect-data\.json"):
        check_site(tmp_path)
