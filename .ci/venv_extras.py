"""Print the packages installed in this Python's environment that requirements.lock does not pin.

``make setup`` uninstalls them, so a virtual environment made for an older lock holds exactly the
packages of the current one (a package dropped from the lock would otherwise stay importable and
change what the tests see). Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import re
import sys
from importlib import metadata
from pathlib import Path

# The installer's own tools are never pinned.
TOOLS = {"pip", "setuptools", "wheel"}
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==")


def normalise(name: str) -> str:
    """PEP 503 form: ``Jinja2`` and ``jinja2``, ``ruamel.yaml`` and ``ruamel-yaml`` are one name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def pinned(lock_text: str) -> set[str]:
    return {normalise(m[1]) for line in lock_text.splitlines() if (m := _PIN.match(line.strip()))}


def extras(lock_text: str, installed: list[str]) -> list[str]:
    """Installed names (as installed) that the lock does not pin, sorted."""
    wanted = pinned(lock_text) | TOOLS
    return sorted({name for name in installed if normalise(name) not in wanted}, key=normalise)


def main(lock: Path) -> int:
    installed = [d.metadata["Name"] for d in metadata.distributions() if d.metadata["Name"]]
    print(" ".join(extras(lock.read_text(encoding="utf-8"), installed)))
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "requirements.lock")))
