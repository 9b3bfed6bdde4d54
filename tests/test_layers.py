"""The layers of pipelines/ and the one direction their imports may point.

common <- document <- extract; common <- across <- package <- extract, validate, publish, release. A stage
never imports another stage. Every import counts, including those inside functions (the
commands import lazily to start fast), so the contract cannot be dodged by moving an import.
``ocr`` is the document layer's reader of scans (it builds the model; ``document/read.py`` may hand
it a scan), so those two folders may use each other; no module imports in a cycle, anywhere.
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
    # The site shows a scan's pages with what OCR read in each cell (the stored reading), and
    # other non-text sources through their document model, each cell anchored by its source_ref.
    "publish": {"common", "package", "document", "ocr"},
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


def _module_name(path: Path, root: Path) -> str:
    name = ".".join(path.relative_to(root.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def import_cycles(root: Path = PIPELINES) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (imports in functions too)."""
    modules = {_module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _, module in imported_modules(path):
            parts = module.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != name:
                targets.add(".".join(parts))
        graph[name] = targets
    return _strongly_connected(graph)


def _strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module: each is a set of modules on a common loop."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_in_a_cycle() -> None:
    cycles = import_cycles()
    assert not cycles, "modules importing each other round a loop:\n" + "\n".join(map(str, cycles))


def test_a_cycle_through_an_import_inside_a_function_is_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "pipelines"
    monkeypatch.setattr(f"{__name__}.PIPELINES", root)
    (root / "document").mkdir(parents=True)
    (root / "ocr").mkdir()
    (root / "document" / "read.py").write_text("from pipelines.ocr.reader import scan\n", encoding="utf-8")
    (root / "ocr" / "reader.py").write_text(
        "def scan():\n    from pipelines.document.read import read\n", encoding="utf-8"
    )
    assert import_cycles(root) == [["pipelines.document.read", "pipelines.ocr.reader"]]


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
