"""Maintainers' decisions on values read from a scan: ``data/raw/<name>.corrections.yaml``.

Each entry names a cell by what a person sees (its ``source_ref`` box and the value as read) and
gives the value as printed, who decided and when::

    corrections:
      - source_ref: "p44:301.2,200.5,340.0,215.1"
        read: "1,949,545"
        value: "1.949,545"
        by: Nguyễn Văn An
        date: 2026-11-29

``value`` equal to ``read`` confirms the reading; anything else corrects it. An entry whose value
as read no longer matches the scan (the scan was replaced, or read differently) is not applied
and is reported: a decision about one reading never silently moves to another.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from pipelines.common.errors import ExtractionError
from pipelines.document.model import Block, BoxRef, Cell, PartRef, Table

SUFFIX = ".corrections.yaml"
# A box on a page of a scan; in a report of several files, prefixed by the file: ``<file>#p<page>:…``.
_BOX = re.compile(r"^(?:([^#]+)#)?p(\d+):(-?[\d.]+),(-?[\d.]+),(-?[\d.]+),(-?[\d.]+)$")
_FIELDS = {"source_ref", "read", "value", "by", "date", "note"}
_REQUIRED = ("source_ref", "read", "value", "by", "date")
# Boxes found again by a later reading may move by a fraction of a point.
BOX_TOLERANCE_PT = 3.0


@dataclass(frozen=True)
class Correction:
    """One decision: the cell at ``source_ref`` read as ``read`` is ``value`` (by whom, when)."""

    source_ref: str
    read: str
    value: str
    by: str
    date: datetime.date
    note: str | None
    line: int

    @property
    def status(self) -> str:
        return "confirmed" if self.value == self.read else "corrected"


@dataclass(frozen=True)
class Applied:
    """A decision applied to a cell: where it stands now and what it says."""

    correction: Correction
    source_ref: str


def corrections_path(report: Path) -> Path:
    """The corrections file beside a report: ``<name>.corrections.yaml``."""
    return report.with_name(report.name.split(".")[0] + SUFFIX)


def parse_box(source_ref: str) -> BoxRef | PartRef | None:
    """The box a ``source_ref`` names (with its file in a report of several files), or None."""
    match = _BOX.match(source_ref)
    if not match:
        return None
    part, page, *coordinates = match.groups()
    box = BoxRef(int(page), *(float(v) for v in coordinates))
    return PartRef(part, box) if part else box


def load_corrections(path: Path) -> list[Correction]:
    """The decisions in ``path`` (none when it does not exist); an error names the line."""
    if not path.exists():
        return []
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise ExtractionError(
            path, line + 1 if line is not None else None, f"not a readable YAML file: {exc}"
        ) from None
    if root is None:
        return []
    entries = _entries(path, root)
    out, seen = [], {}
    for node in entries:
        correction = _correction(path, node)
        key = (correction.source_ref, correction.read)
        if key in seen:
            raise ExtractionError(
                path,
                correction.line,
                f"a second decision for {correction.source_ref} (first at line {seen[key]})",
            )
        seen[key] = correction.line
        out.append(correction)
    return out


def _entries(path: Path, root: yaml.Node) -> list[yaml.MappingNode]:
    if not isinstance(root, yaml.MappingNode):
        raise ExtractionError(path, root.start_mark.line + 1, "expected a mapping with a 'corrections' list")
    for key, value in root.value:
        if key.value == "corrections":
            if not isinstance(value, yaml.SequenceNode) or not all(
                isinstance(item, yaml.MappingNode) for item in value.value
            ):
                raise ExtractionError(
                    path, value.start_mark.line + 1, "'corrections' must be a list of entries"
                )
            return value.value
        raise ExtractionError(
            path, key.start_mark.line + 1, f"unknown key {key.value!r} (expected 'corrections')"
        )
    return []


def _correction(path: Path, node: yaml.MappingNode) -> Correction:
    line = node.start_mark.line + 1
    fields: dict[str, object] = {}
    for key, value in node.value:
        if key.value not in _FIELDS:
            raise ExtractionError(path, key.start_mark.line + 1, f"unknown field {key.value!r}")
        if not isinstance(value, yaml.ScalarNode):
            raise ExtractionError(path, value.start_mark.line + 1, f"{key.value!r} must be a single value")
        fields[key.value] = yaml.safe_load(yaml.serialize(value)) if key.value == "date" else value.value
    # ``read`` may be empty (a cell nothing could be read from), but must be given.
    missing = [name for name in _REQUIRED if not str(fields.get(name, "")).strip() and name != "read"]
    missing += [] if "read" in fields else ["read"]
    if missing:
        raise ExtractionError(path, line, f"entry lacks {', '.join(missing)}")
    source_ref = str(fields["source_ref"]).strip()
    if parse_box(source_ref) is None:
        raise ExtractionError(
            path,
            line,
            f"source_ref {source_ref!r} is not a scan box p<page>:<x0>,<y0>,<x1>,<y1> "
            "(<file>#p<page>:… in a report of several files)",
        )
    date = fields["date"]
    if isinstance(date, str):
        try:
            date = datetime.date.fromisoformat(date.strip())
        except ValueError:
            raise ExtractionError(path, line, f"date {date!r} is not YYYY-MM-DD") from None
    if not isinstance(date, datetime.date):
        raise ExtractionError(path, line, f"date {date!r} is not YYYY-MM-DD")
    note = fields.get("note")
    return Correction(
        source_ref,
        str(fields["read"]).strip(),
        str(fields["value"]).strip(),
        str(fields["by"]).strip(),
        date,
        str(note).strip() if note else None,
        line,
    )


def _same_box(a: BoxRef | PartRef, b: BoxRef | PartRef) -> bool:
    if isinstance(a, PartRef) or isinstance(b, PartRef):
        return (
            isinstance(a, PartRef)
            and isinstance(b, PartRef)
            and a.part == b.part
            and _same_box(a.inner, b.inner)
        )
    return a.page == b.page and all(
        abs(x - y) <= BOX_TOLERANCE_PT
        for x, y in zip((a.x0, a.y0, a.x1, a.y1), (b.x0, b.y0, b.x1, b.y1), strict=True)
    )


def _match(correction: Correction, cells: list[Cell]) -> Cell | None:
    box = parse_box(correction.source_ref)
    exact = [c for c in cells if str(c.locator) == correction.source_ref]
    near = exact or [
        c for c in cells if isinstance(c.locator, BoxRef | PartRef) and box and _same_box(c.locator, box)
    ]
    return next((c for c in near if c.text == correction.read), None)


def apply_corrections(
    blocks: tuple[Block, ...], corrections: list[Correction]
) -> tuple[tuple[Block, ...], list[Applied], list[Correction]]:
    """Blocks with each decision applied (the cell's text becomes the decided value, its doubt
    resolved), the decisions applied, and those that match no cell as read."""
    if not corrections:
        return blocks, [], []
    decided: dict[int, Correction] = {}
    applied: list[Applied] = []
    stale: list[Correction] = []
    all_cells = [cell for block in blocks if isinstance(block, Table) for cell in block.cells]
    for correction in corrections:
        cell = _match(correction, all_cells)
        if cell is None:
            stale.append(correction)
            continue
        decided[id(cell)] = correction
        applied.append(Applied(correction, str(cell.locator)))
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and any(id(cell) in decided for cell in block.cells):
            cells = tuple(
                replace(cell, text=decided[id(cell)].value, confidence=100.0) if id(cell) in decided else cell
                for cell in block.cells
            )
            block = Table(cells, header_rows=block.header_rows)
        out.append(block)
    return tuple(out), applied, stale
