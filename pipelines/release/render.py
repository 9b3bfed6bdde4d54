"""Present a package diff: a Markdown summary and tables for review and release notes, or JSON."""

from __future__ import annotations

from typing import Any

from pipelines.common.jsonio import json_text
from pipelines.release.diff import PackageDiff, ResourceDiff


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[object]], right: frozenset[int] = frozenset()) -> list[str]:
    align = ["---:" if i in right else "---" for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


# Lines of code-level changes in the Markdown summary; JSON has them all.
CODE_LINES = 50


def _version(label: str, version: str | None) -> str:
    return f"`{label}` (version {version})" if version else f"`{label}`"


def summary_markdown(diff: PackageDiff) -> str:
    """The overview: counts per resource, schema and metadata changes, the suggested bump."""
    bump, reason = diff.suggested_bump()
    lines = [
        f"Changes from {_version(diff.old_label, diff.old_version)} "
        f"to {_version(diff.new_label, diff.new_version)}.",
        "",
        f"Suggested version bump: **{bump}** ({reason})." if bump else "No changes.",
        "",
    ]
    header = ["Resource", "Rows before", "Rows after", "Added", "Removed", "Changed rows", "Changed values"]
    rows = [
        [r.name, r.old_rows, r.new_rows, len(r.added), len(r.removed), r.changed_rows, len(r.changed)]
        for r in diff.resources
    ]
    lines += [*_table(header, rows, right=frozenset(range(1, 7))), ""]
    if diff.schema_changes:
        lines += ["Schema changes:", ""]
        lines += [f"- `{c.resource}`: {c.kind}: `{c.detail}`" for c in diff.schema_changes]
        lines.append("")
    if diff.metadata_changes:
        lines += ["Metadata changed: " + ", ".join(f"`{m}`" for m in diff.metadata_changes), ""]
    if diff.code_changes:
        shown = diff.code_changes[:CODE_LINES]
        more = len(diff.code_changes) - len(shown)
        lines += [f"Best figures by indicator code ({len(diff.code_changes)}):", ""]
        lines += [f"- {line}" for line in shown]
        lines += [f"- … and {more} more (`python -m pipelines diff --format json`)"] if more else []
        lines.append("")
    return "\n".join(lines)


def _others(row: dict[str, str], key: list[str]) -> str:
    text = "; ".join(f"{k}={v}" for k, v in row.items() if k not in key and v != "")
    return text if len(text) <= 100 else text[:99] + "…"


def _limited(title: str, total: int, limit: int | None) -> str:
    shown = total if limit is None else min(total, limit)
    return f"#### {title} ({total})" + ("" if shown == total else f", first {shown} shown")


def details_markdown(resource: ResourceDiff, limit: int | None, added: bool = True) -> list[str]:
    """Added and removed rows by key, and every changed value with its old and new text."""
    lines: list[str] = []
    for title, rows in (("added rows", resource.added if added else []), ("removed rows", resource.removed)):
        if rows:
            lines += [_limited(f"{resource.name}: {title}", len(rows), limit), ""]
            shown = rows if limit is None else rows[:limit]
            body = [[*resource.key_of(r), _others(r, resource.primary_key)] for r in shown]
            lines += [*_table([*resource.primary_key, "other values"], body), ""]
    if resource.changed:
        lines += [_limited(f"{resource.name}: changed values", len(resource.changed), limit), ""]
        shown = resource.changed if limit is None else resource.changed[:limit]
        body = [[*c.key, c.field, c.old, c.new] for c in shown]
        lines += [*_table([*resource.primary_key, "field", "old", "new"], body), ""]
    return lines


def diff_markdown(diff: PackageDiff, limit: int | None = 50, added: bool = True) -> str:
    """Summary, then per resource the rows added (unless ``added`` is false), removed, changed."""
    lines = [summary_markdown(diff)]
    for resource in diff.resources:
        lines += details_markdown(resource, limit, added)
    return "\n".join(lines).rstrip("\n") + "\n"


def diff_json(diff: PackageDiff) -> str:
    """Everything, unabridged, for programs."""
    bump, reason = diff.suggested_bump()

    def resource(r: ResourceDiff) -> dict[str, Any]:
        return {
            "name": r.name,
            "primary_key": r.primary_key,
            "rows_before": r.old_rows,
            "rows_after": r.new_rows,
            "added": r.added,
            "removed": r.removed,
            "changed": [
                {"key": list(c.key), "field": c.field, "old": c.old, "new": c.new} for c in r.changed
            ],
        }

    document = {
        "old": {"label": diff.old_label, "version": diff.old_version},
        "new": {"label": diff.new_label, "version": diff.new_version},
        "suggested_bump": bump,
        "reason": reason,
        "schema_changes": [vars(c) for c in diff.schema_changes],
        "metadata_changes": diff.metadata_changes,
        "code_changes": diff.code_changes,
        "resources": [resource(r) for r in diff.resources],
    }
    return json_text(document)
