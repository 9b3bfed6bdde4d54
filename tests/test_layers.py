"""The layers of pipelines/ and the one direction their imports may point.

common <- document <- extract; common <- across <- package <- extract, validate, publish, release. A stage
never imports another stage. Every import counts, including those inside functions (the
commands import lazily to start fast), so the contract cannot be dodged by moving an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.paths import PIPELINES

# Package under pipelines/ -> the packages it may import (itself always allowed).
LAYERS: dict[str, set[str]] = {
    "common": set(),
    # The document model and its format readers (OCR of scans is one of them).
    "document": {"common", "ocr"},
    "ocr": {"common", "document"},
    # Across reports: crosswalk, series and revisions, computed from a package's rows.
    "across": {"common"},
    "package": {"common", "across"},
    # Extraction applies a scan's corrections and review reasons (pipelines/ocr) to its rows.
    "extract": {"common", "document", "ocr", "package"},
    "validate": {"common", "package"},
    # The site shows a scan's pages with what OCR read in each cell (the stored reading).
    "publish": {"common", "package", "ocr"},
    "release": {"common", "package"},
    # The package loaded into other databases (PostgreSQL) for researchers.
    "load": {"common", "package"},
    # Generated reports, written independently of the extraction they test.
    "synth": {"common", "document", "package"},
}
# Modules at the top of pipelines/ wire the commands together and may import anything.
ENTRY_POINTS = {"__init__", "__main__", "cli"}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``pipelines.…`` import in the file, wherever it is written."""
    package = ".".join(path.relative_to(PIPELINES.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                found.append((node.lineno, ".".join([*base, *([node.module] if node.module else [])])))
            elif node.module:
                found.append((node.lineno, node.module))
    return [(line, module) for line, module in found if module.split(".")[0] == "pipelines"]


def layer_of(path: Path) -> str:
    parts = path.relative_to(PIPELINES).parts
    return parts[0] if len(parts) > 1 else path.stem


def violations(root: Path = PIPELINES) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        layer = layer_of(path)
        if layer in ENTRY_POINTS:
            continue
        if layer not in LAYERS:
            found.append(f"{path}: pipelines/{layer}/ is in no layer; add it to LAYERS in {__file__}")
            continue
        for line, module in imported_modules(path):
            target = module.split(".")[1] if "." in module else ""
            if target != layer and target not in LAYERS[layer]:
                found.append(f"{path}:{line}: {layer} imports {module}")
    return found


def test_imports_point_down_the_layers_only() -> None:
    found = violations()
    assert not found, "imports against the layering (docs/architecture.md):\n" + "\n".join(found)


@pytest.mark.parametrize(
    ("layer", "source"),
    [
        ("package", "def write():\n    from pipelines.extract.report import ExtractedReport\n"),
        ("validate", "import pipelines.extract.ratios\n"),
        ("common", "from pipelines.package import metadata\n"),
        ("publish", "from ..validate import checks\n"),
    ],
)
def test_the_contract_sees_an_upward_import_even_inside_a_function(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layer: str, source: str
) -> None:
    root = tmp_path / "pipelines"
    (root / layer).mkdir(parents=True)
    (root / layer / "module.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PIPELINES", root)
    assert len(violations(root)) == 1
