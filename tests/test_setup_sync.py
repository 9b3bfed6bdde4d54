"""``make setup`` leaves the environment holding exactly what requirements.lock pins."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from tests.paths import REPO_ROOT

SCRIPT = REPO_ROOT / ".ci" / "venv_extras.py"
LOCK = REPO_ROOT / "requirements.lock"


def _module():
    spec = importlib.util.spec_from_file_location("venv_extras", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_package_the_lock_dropped_is_listed_for_removal() -> None:
    lock = "datasette==0.65.1\nJinja2==3.1.4\nruamel.yaml==0.18.6\nuvicorn[standard]==0.30.0\n"
    installed = ["datasette", "jinja2", "ruamel-yaml", "uvicorn", "datasette-vega", "pip", "setuptools"]
    assert _module().extras(lock, installed) == ["datasette-vega"]


def test_the_makefile_removes_the_extras_after_installing_the_lock() -> None:
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("$(VENV)/.installed:") : makefile.index("\nsetup:")]
    assert recipe.index("-r requirements.lock") < recipe.index("venv_extras.py requirements.lock")
    assert "pip uninstall" in recipe and ".ci/venv_extras.py" in recipe.splitlines()[0]


def test_this_environment_holds_only_what_the_lock_pins() -> None:
    listed = subprocess.run(
        [sys.executable, str(SCRIPT), str(LOCK)], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not listed, f"installed but not in requirements.lock: {listed}; run `make setup`"
