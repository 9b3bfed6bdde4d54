"""Named code lists (``metadata/enums.yaml``), each declared once and used by schemas and code.

The field catalogue resolves a field's ``enum`` by name here; the code compares against the
members of the classes below (``Measure.plan``) rather than bare strings, so a renamed or added
code changes in one file. An enum is either a list of codes, a subset of another enum (in its
own order, checked against the parent), or the values of a reference list's column.
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache
from pathlib import Path

import yaml
from pydantic import Field, model_validator

from pipelines.common.models import Strict
from pipelines.common.paths import METADATA_DIR, REPO_ROOT
from pipelines.common.reference import read_rows

ENUMS_FILE = METADATA_DIR / "enums.yaml"


class Code(Strict):
    """One code: its value in the data, an identifier for the code when the value is not one,
    and its meaning in both languages."""

    code: str
    name: str | None = None
    title: str | None = None
    title_vi: str | None = None
    description: str | None = None

    @property
    def identifier(self) -> str:
        return self.name or self.code


class EnumDef(Strict):
    description: str
    codes: list[Code] = Field(default_factory=list)
    subset_of: str | None = None
    values: list[str] = Field(default_factory=list)
    source: str | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> EnumDef:
        kinds = [bool(self.codes), self.subset_of is not None, self.source is not None]
        if sum(kinds) != 1:
            raise ValueError("an enum has exactly one of codes, subset_of (with values) or source")
        if self.subset_of is not None and not self.values:
            raise ValueError("a subset enum lists its values")
        return self


def _read(path: Path) -> dict[str, EnumDef]:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    try:
        return {name: EnumDef(**body) for name, body in raw.items()}
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{path}: {exc}") from None


@cache
def load_enums(path: Path = ENUMS_FILE) -> dict[str, EnumDef]:
    """Every named enum, with subsets checked against their parents."""
    enums = _read(path)
    for name, enum in enums.items():
        if enum.subset_of is None:
            continue
        parent = enums.get(enum.subset_of)
        if parent is None or parent.subset_of is not None or not parent.codes:
            raise ValueError(f"{path}: enum {name} is a subset of {enum.subset_of!r}, not a list of codes")
        unknown = set(enum.values) - {c.code for c in parent.codes}
        if unknown:
            raise ValueError(f"{path}: enum {name} has codes outside {enum.subset_of}: {sorted(unknown)}")
    return enums


def enum_codes(name: str, enums: dict[str, EnumDef] | None = None) -> list[str]:
    """The codes of a named enum, in declared order (a reference list's codes sorted)."""
    enums = enums if enums is not None else load_enums()
    if name not in enums:
        raise KeyError(f"{ENUMS_FILE.name}: no enum named {name!r}")
    enum = enums[name]
    if enum.source is not None:
        path, column = enum.source.split("#")
        return sorted({row[column] for _, row in read_rows(REPO_ROOT / path)})
    if enum.subset_of is not None:
        return list(enum.values)
    return [c.code for c in enum.codes]


def _code_enum(name: str, class_name: str) -> type[StrEnum]:
    codes = load_enums()[name].codes
    return StrEnum(class_name, [(c.identifier, c.code) for c in codes], module=__name__)


Measure = _code_enum("measure", "Measure")
Assessment = _code_enum("assessment", "Assessment")
ReviewReason = _code_enum("review_reason", "ReviewReason")
ReviewStatus = _code_enum("review_status", "ReviewStatus")
Agreement = _code_enum("agreement", "Agreement")
Qualifier = _code_enum("qualifier", "Qualifier")
Direction = _code_enum("direction", "Direction")
Quantity = _code_enum("quantity", "Quantity")

# The breakdown of a figure its table does not split ("Miền Bắc" names a part). Observations and
# ratios are keyed by breakdown, and a key part is never empty, so the whole has this code.
NOT_SPLIT = "all"
