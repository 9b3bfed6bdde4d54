"""The rows of a generated appendix: which indicators, in what tree, with which printed figures.

The plan is the generator's truth: every row knows the indicator id, parent, kind, figures and
ratios the extraction must find. Rendering it as text is a separate step (``render``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from pipelines.common.enums import Measure
from pipelines.synth.catalogue import (
    CRAFTED_NAMES,
    EXTRA_COMPONENTS,
    EXTRA_INDICATORS,
    SECTIONS,
    Entry,
    Profile,
)
from pipelines.synth.printing import Printed, exact_pct, judgeable, quantize, ratio_verdict, vietnamese

ROMAN = ("I", "II", "III", "IV", "V", "VI")
# Column number -> (measure, offset from the reporting year), as in the seed's numbering row.
VALUE_COLUMNS: dict[int, tuple[Measure, int]] = {
    4: (Measure.actual, -1),
    5: (Measure.plan, 0),
    6: (Measure.estimate, 0),
    9: (Measure.plan, 1),
}
# Ratio column -> (numerator column, denominator column).
RATIO_COLUMNS: dict[int, tuple[int, int]] = {7: (6, 4), 8: (6, 5), 10: (9, 6)}
# The marker of a component added under a row of each style (rows of other styles get none).
COMPONENT_STYLE = {"numbered": "dash", "group": "dash", "dotted": "dash", "dash": "plus", "plain": "plus"}
NOTES = ("Ước tính", "Số liệu sơ bộ", "Theo số liệu Cục Thống kê")


@dataclass(frozen=True)
class Options:
    """What a generated report may contain beyond the seed's own traits."""

    inconsistent_share: float = 0.0  # share of printed ratios made deliberately wrong
    crafted_names: bool = False  # add indicators named with HTML/script payloads
    mutate: bool = True  # add, drop and restyle rows


@dataclass
class Row:
    """One printed data row (or a bare ``Trong đó:`` row when ``style == "of_which"``)."""

    style: str
    tt: str
    name_printed: str
    name: str
    unit: str = ""
    path: str = ""
    parent: str | None = None
    kind: str = ""
    note: str = ""
    figures: dict[int, Printed | None] = field(default_factory=dict)
    ratios: dict[int, Printed | None] = field(default_factory=dict)
    deliberate: set[int] = field(default_factory=set)


@dataclass
class _Node:
    entry: Entry
    name: str
    children: list[_Node]
    of_which: bool


def _mutated_children(rng: random.Random, entry: Entry, options: Options) -> list[_Node]:
    children = [_node(rng, child, options) for child in entry.children]
    if not options.mutate:
        return children
    keep_one = entry.style == "group"
    children = [c for c in children if rng.random() > 0.1] or (children[:1] if keep_one else [])
    styles = {c.entry.style for c in children}
    if entry.style in COMPONENT_STYLE and "inline" not in styles and rng.random() < 0.25:
        # A component printed like its siblings, or with the marker one level below its parent.
        style = next(iter(styles)) if len(styles) == 1 else COMPONENT_STYLE[entry.style]
        name, unit, profile = rng.choice(EXTRA_COMPONENTS)
        extra = _Node(Entry(style, name, unit, profile), name, [], False)
        children.insert(rng.randrange(len(children) + 1), extra)
    for child in children:
        if child.entry.style == "plus" and rng.random() < 0.3:
            child.entry = replace(child.entry, style="plus_name")
        elif child.entry.style == "plus_name" and rng.random() < 0.3:
            child.entry = replace(child.entry, style="plus")
    return children


def _node(rng: random.Random, entry: Entry, options: Options) -> _Node:
    children = _mutated_children(rng, entry, options)
    of_which = entry.of_which
    # A "Trong đó:" under an unmarked row would make its unmarked siblings ambiguous: never print one.
    togglable = entry.style != "plain" and all(c.entry.style != "inline" for c in children)
    if options.mutate and children and togglable and rng.random() < 0.2:
        of_which = not of_which
    return _Node(entry, entry.name, children, of_which and bool(children))


def _sections(rng: random.Random, options: Options) -> list[tuple[str, list[_Node]]]:
    sections = []
    for title, entries in SECTIONS:
        nodes = [_node(rng, entry, options) for entry in entries]
        if options.mutate:
            nodes = [n for n in nodes if rng.random() > 0.08] or nodes[:1]
            if rng.random() < 0.3:
                name, unit, profile = rng.choice(EXTRA_INDICATORS)
                nodes.insert(
                    rng.randrange(len(nodes) + 1),
                    _Node(Entry("numbered", name, unit, profile), name, [], False),
                )
        sections.append((title, nodes))
    if options.crafted_names:
        profile = Profile(Decimal(10), Decimal(90), (1,))
        for printed, _ in CRAFTED_NAMES:
            sections[-1][1].append(_Node(Entry("numbered", printed, "%", profile), printed, [], False))
    return sections


def _draw(rng: random.Random, profile: Profile) -> dict[int, Decimal]:
    span = profile.high - profile.low

    def uniform() -> Decimal:
        return profile.low + span * Decimal(rng.random())

    if not profile.ratios:
        return {column: uniform() for column in VALUE_COLUMNS}
    actual = uniform()
    plan = actual * Decimal(rng.uniform(0.9, 1.15))
    estimate = plan * Decimal(rng.uniform(0.7, 1.3))
    drawn = {4: actual, 5: plan, 6: estimate, 9: estimate * Decimal(rng.uniform(0.95, 1.2))}
    if profile.cap is None:
        return drawn
    cap = profile.cap
    return {column: min(value, cap) for column, value in drawn.items()}


def _figures(rng: random.Random, profile: Profile) -> dict[int, Printed | None]:
    decimals = rng.choice(profile.decimals)
    figures: dict[int, Printed | None] = {}
    for column, value in _draw(rng, profile).items():
        places = rng.choice(profile.decimals) if rng.random() < 0.2 else decimals
        figures[column] = None if rng.random() < 0.08 else vietnamese(value, places, rng.random() < 0.9)
    if all(v is None for v in figures.values()):
        figures[6] = vietnamese(_draw(rng, profile)[6], decimals)
    return figures


def _published(rng: random.Random, top: Printed, bottom: Printed, wrong: bool) -> tuple[Printed, bool]:
    places = rng.choices((1, 0, 2), weights=(8, 1, 1))[0]
    exact = exact_pct(top, bottom)
    if wrong:
        for _ in range(5):
            factor = rng.choice((rng.uniform(0.5, 0.85), rng.uniform(1.15, 1.6)))
            candidate = vietnamese(Decimal(float(exact) * factor), places)
            if ratio_verdict(candidate, top, bottom) is False:
                return candidate, True
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return vietnamese(quantize(value, places), places), False


def _ratios(
    rng: random.Random, figures: dict[int, Printed | None], options: Options
) -> tuple[dict[int, Printed | None], set[int]]:
    ratios: dict[int, Printed | None] = {}
    deliberate: set[int] = set()
    for column, (top_col, bottom_col) in RATIO_COLUMNS.items():
        top, bottom = figures[top_col], figures[bottom_col]
        if top is None or bottom is None or not judgeable(bottom) or rng.random() > 0.85:
            ratios[column] = None
            continue
        published, wrong = _published(rng, top, bottom, rng.random() < options.inconsistent_share)
        ratios[column] = published
        if wrong:
            deliberate.add(column)
    return ratios, deliberate


def _value_row(rng: random.Random, row: Row, profile: Profile, options: Options) -> Row:
    row.figures = _figures(rng, profile)
    if profile.ratios:
        row.ratios, row.deliberate = _ratios(rng, row.figures, options)
        printed = [c for c, v in row.figures.items() if v is not None]
        if any(row.ratios.values()) and len(printed) > 1 and rng.random() < 0.05:
            # A ratio printed beside a missing figure (as in the seed): it cannot be judged.
            blank = rng.choice(printed)
            row.figures[blank] = None
            row.deliberate -= {c for c, operands in RATIO_COLUMNS.items() if blank in operands}
    else:
        row.ratios = {column: None for column in RATIO_COLUMNS}
    row.kind = "indicator"
    if rng.random() < 0.05:
        row.note = rng.choice(NOTES)
    return row


def _crafted_expected(printed: str) -> str:
    return dict(CRAFTED_NAMES).get(printed, printed)


class _Planner:
    def __init__(self, rng: random.Random, options: Options) -> None:
        self.rng = rng
        self.options = options
        self.rows: list[Row] = []

    def plan(self) -> list[Row]:
        number = 0
        for index, (title, nodes) in enumerate(_sections(self.rng, self.options)):
            roman = ROMAN[index]
            self.rows.append(Row("section", roman, title, title, path=roman, kind="section"))
            for node in nodes:
                number += 1
                self._place(node, str(number), str(number), roman)
        return self.rows

    def _place(self, node: _Node, tt: str, path: str, parent: str | None) -> None:
        entry = node.entry
        style = "numbered" if entry.style == "group" else entry.style
        row = Row(style, tt, entry.name, _crafted_expected(entry.name), entry.unit, path, parent, "group")
        if entry.profile is not None:
            _value_row(self.rng, row, entry.profile, self.options)
        self.rows.append(row)
        if node.of_which:
            self.rows.append(Row("of_which", "", "Trong đó:", ""))
        for position, child in enumerate(node.children, start=1):
            child_style = child.entry.style
            child_path = f"{path}.{position}"
            child_tt = {"dotted": child_path, "dash": "-", "plus": "+", "plus_name": "+"}.get(child_style, "")
            self._place(child, child_tt, child_path, path)


@dataclass(frozen=True)
class RatioTruth:
    column: int
    published: Printed
    numerator: Printed | None
    denominator: Printed | None
    computed: Fraction | None
    consistent: bool | None


def ratio_truth(row: Row, column: int) -> RatioTruth | None:
    published = row.ratios.get(column)
    if published is None:
        return None
    top_col, bottom_col = RATIO_COLUMNS[column]
    top, bottom = row.figures[top_col], row.figures[bottom_col]
    if top is None or bottom is None:
        return RatioTruth(column, published, top, bottom, None, None)
    computed = exact_pct(top, bottom) if bottom.value != 0 else None
    return RatioTruth(column, published, top, bottom, computed, ratio_verdict(published, top, bottom))


def plan_rows(rng: random.Random, options: Options) -> list[Row]:
    """The appendix's rows in printed order, each with the ids and figures extraction must find."""
    return _Planner(rng, options).plan()
