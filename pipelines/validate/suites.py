"""Expectation suites generated from the Table Schemas, stored as plain JSON in ``expectations/``.

Generating from the schemas means a new resource or field is covered without hand work; storing
the result as JSON means every change of what is checked shows up in review. Suites are plain
dicts in GX Core 1.x's format (``gx.ExpectationSuite(**suite)`` loads them) without ids, so the
files only change when the checks do.

Suite ``meta`` tells the runner what to run the suite on:
- ``kind``: ``integrity`` (blocks publishing) or ``source_quality`` (findings about the source);
- ``engine``: ``pandas`` (a resource or a derived check table read from the package's CSV text)
  or ``sql`` (a table of a SQLite database, checked with ``UnexpectedRowsExpectation``);
- ``target``: the resource or check table; ``key``: the columns that name an offending row.
Every expectation carries ``meta.id`` (``resource.column.check``) and ``meta.why``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pipelines.common.atomic import remove_stale, write_file_atomically
from pipelines.common.jsonio import json_bytes
from pipelines.common.paths import REPO_ROOT
from pipelines.validate.derived import DERIVED_CHECKS
from pipelines.validate.expectations import Suite, expectation, suite
from pipelines.validate.series_checks import CHECKS as ACROSS_CHECKS

SUITES_DIR = REPO_ROOT / "expectations"

# Lexical forms of Table Schema types in the published CSV (dot decimals, ISO dates).
TYPE_PATTERNS = {
    "integer": r"^-?[0-9]+$",
    "number": r"^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$",
    "boolean": r"^(?:true|false|True|False|TRUE|FALSE|1|0)$",
    "date": r"^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])$",
    "year": r"^-?[0-9]{4}$",
}


# The id (after ``<resource>.``) of the SQL check that runs a derived resource's column checks
# on its typed table (``typed_columns_check``).
TYPED_COLUMNS = "columns.typed.sql"
# Each type's written form (TYPE_PATTERNS) as a condition on the typed SQLite value that is true
# when the value would not be written so: the loader stores a number as INTEGER or REAL (an
# infinity is written "inf"), a boolean as 0 or 1, a date as ISO text.
TYPED_VALUE_BREAKS = {
    "integer": "typeof({c}) NOT IN ('integer', 'null')",
    "number": "typeof({c}) NOT IN ('integer', 'real', 'null') OR abs({c}) > 1.7976931348623157e308",
    "boolean": "typeof({c}) NOT IN ('integer', 'null') OR {c} NOT IN (0, 1)",
    "date": (
        "typeof({c}) NOT IN ('text', 'null') OR {c} NOT GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' "
        "OR substr({c}, 6, 2) NOT BETWEEN '01' AND '12' OR substr({c}, 9, 2) NOT BETWEEN '01' AND '31'"
    ),
    "year": "typeof({c}) NOT IN ('integer', 'null') OR abs({c}) NOT BETWEEN 1000 AND 9999",
}


def _sql(check_id: str, why: str, query: str) -> dict[str, Any]:
    found = expectation("unexpected_rows_expectation", {"unexpected_rows_query": query}, check_id, why)
    found["description"] = why
    return found


_PLAIN = re.compile(r"^[a-z_][a-z0-9_]*$")
_KEYWORDS = {
    "group",
    "order",
    "index",
    "table",
    "select",
    "from",
    "where",
    "key",
    "references",
    "check",
    "default",
}


def _q(name: str) -> str:
    """An SQL identifier, quoted only when it has to be, so the stored queries stay readable."""
    if _PLAIN.match(name) and name not in _KEYWORDS:
        return name
    return '"' + name.replace('"', '""') + '"'


def column_suite(resource: str, schema: dict[str, Any]) -> Suite:
    """Columns, types, required values, codes, patterns and keys of one resource, on its CSV text."""
    fields = schema["fields"]
    key = list(schema.get("primaryKey") or [])
    out = [
        expectation(
            "expect_table_columns_to_match_ordered_list",
            {"column_list": [f["name"] for f in fields]},
            f"{resource}.columns",
            "The CSV has exactly the columns of the Table Schema, in order.",
        )
    ]
    for field in fields:
        name, constraints = field["name"], field.get("constraints") or {}
        if constraints.get("required") or name in key:
            out.append(
                expectation(
                    "expect_column_values_to_not_be_null",
                    {"column": name},
                    f"{resource}.{name}.required",
                    "A required value (or part of the primary key) is present in every row.",
                )
            )
        if field["type"] in TYPE_PATTERNS:
            out.append(
                expectation(
                    "expect_column_values_to_match_regex",
                    {"column": name, "regex": TYPE_PATTERNS[field["type"]]},
                    f"{resource}.{name}.type",
                    f"Every value is written as a Table Schema {field['type']}.",
                )
            )
        if "enum" in constraints:
            out.append(
                expectation(
                    "expect_column_values_to_be_in_set",
                    {"column": name, "value_set": [str(v) for v in constraints["enum"]]},
                    f"{resource}.{name}.in_set",
                    "Codes come from the list the schema declares (metadata or a reference list).",
                )
            )
        if "pattern" in constraints:
            out.append(
                expectation(
                    "expect_column_values_to_match_regex",
                    {"column": name, "regex": constraints["pattern"]},
                    f"{resource}.{name}.pattern",
                    "Values have the form the schema declares.",
                )
            )
        if constraints.get("unique"):
            out.append(
                expectation(
                    "expect_column_values_to_be_unique",
                    {"column": name},
                    f"{resource}.{name}.unique",
                    "The schema declares the column unique.",
                )
            )
    if len(key) > 1:
        out.append(
            expectation(
                "expect_compound_columns_to_be_unique",
                {"column_list": key},
                f"{resource}.primary_key.unique",
                "No two rows share a primary key.",
            )
        )
    elif key and not any(f["name"] == key[0] and (f.get("constraints") or {}).get("unique") for f in fields):
        out.append(
            expectation(
                "expect_column_values_to_be_unique",
                {"column": key[0]},
                f"{resource}.primary_key.unique",
                "No two rows share a primary key.",
            )
        )
    return suite(f"integrity-{resource}", "integrity", "pandas", resource, key, out)


def _text(value: object) -> str:
    return "'" + str(value).replace("'", "''") + "'"


def typed_columns_check(resource: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    """``column_suite``'s checks of each value (present, of its type's written form, one of its
    codes) as one scan of the resource's typed table, naming each offending row's first problem;
    None when a check has no such form here (a pattern, a unique column, codes of another type).

    A database table the CSV is written from byte for byte (``same_bytes``) passes it exactly
    when the CSV's values pass those checks: the columns and their order are the header's, and
    the primary key's uniqueness is the SQL suite's own check.
    """
    fields = schema["fields"]
    key = list(schema.get("primaryKey") or [])
    breaks: list[tuple[str, str]] = []
    for field in fields:
        name, kind, constraints = field["name"], field["type"], field.get("constraints") or {}
        if (
            "pattern" in constraints
            or constraints.get("unique")
            or ("enum" in constraints and kind != "string")
        ):
            return None
        column = _q(name)
        if constraints.get("required") or name in key:
            breaks.append((f"{column} IS NULL OR {column} = ''", f"{name}: empty"))
        if kind in TYPE_PATTERNS:
            breaks.append((TYPED_VALUE_BREAKS[kind].format(c=column), f"{name}: not of type {kind}"))
        if "enum" in constraints:
            codes = ", ".join(_text(code) for code in constraints["enum"])
            breaks.append((f"{column} <> '' AND {column} NOT IN ({codes})", f"{name}: not one of its codes"))
    if not breaks:
        return None
    problem = " ".join(f"WHEN {condition} THEN {_text(label)}" for condition, label in breaks)
    shown = ", ".join(_q(c) for c in key) + ", " if key else ""
    return _sql(
        f"{resource}.{TYPED_COLUMNS}",
        "Every value is present where required, of its column's type and one of its codes: the "
        "CSV suite's column checks on the typed table, which take their place when the CSV is "
        "this table as written (same_bytes).",
        f"SELECT {shown}CASE {problem} END AS problem FROM {{batch}} WHERE "
        + " OR ".join(f"({condition})" for condition, _ in breaks),
    )


def _key_columns(alias: str, columns: list[str]) -> str:
    return ", ".join(f"{alias}.{_q(c)}" for c in columns)


def sql_suite(resource: str, schema: dict[str, Any], resources: set[str]) -> Suite:
    """Keys, foreign keys and the relations between tables, as SQL on a SQLite database."""
    key = list(schema.get("primaryKey") or [])
    out = []
    if key:
        cols = ", ".join(_q(c) for c in key)
        out.append(
            _sql(
                f"{resource}.primary_key.present.sql",
                "Every part of the primary key is present.",
                f"SELECT {cols} FROM {{batch}} WHERE " + " OR ".join(f"{_q(c)} IS NULL" for c in key),
            )
        )
        out.append(
            _sql(
                f"{resource}.primary_key.unique.sql",
                "No two rows share a primary key.",
                f"SELECT {cols}, COUNT(*) AS copies FROM {{batch}} GROUP BY {cols} HAVING COUNT(*) > 1",
            )
        )
    for fk in schema.get("foreignKeys") or []:
        parent = fk["reference"].get("resource") or resource
        on = " AND ".join(
            f"p.{_q(pf)} = c.{_q(cf)}" for cf, pf in zip(fk["fields"], fk["reference"]["fields"], strict=True)
        )
        present = " AND ".join(f"c.{_q(cf)} IS NOT NULL" for cf in fk["fields"])
        shown = list(dict.fromkeys(key + fk["fields"]))
        out.append(
            _sql(
                f"{resource}.foreign_key.{'+'.join(fk['fields'])}.sql",
                f"Every {', '.join(fk['fields'])} refers to an existing row of {parent}.",
                f"SELECT {_key_columns('c', shown)} FROM {{batch}} AS c LEFT JOIN {_q(parent)} AS p ON {on} "
                f"WHERE {present} AND p.{_q(fk['reference']['fields'][0])} IS NULL",
            )
        )
    typed = typed_columns_check(resource, schema) if resource in derived_resources() else None
    if typed is not None:
        out.append(typed)
    out.extend(_range_checks(resource, schema, key))
    out.extend(_value_shape_checks(resource, schema))
    out.extend(_relation_checks(resource, schema, resources))
    if {"series", "crosswalk"} <= resources:
        out.extend(_sql(check_id, why, query) for check_id, why, query in ACROSS_CHECKS.get(resource, []))
    return suite(f"integrity-sql-{resource}", "integrity", "sql", resource, key, out)


def _range_checks(resource: str, schema: dict[str, Any], key: list[str]) -> list:
    """The schema's minimum and maximum, on typed values (a value of the wrong type is the type
    check's to report, so it is not listed here as out of range too)."""
    out = []
    for field in schema["fields"]:
        constraints = field.get("constraints") or {}
        bounds = [
            f"{_q(field['name'])} {op} {constraints[name]!r}"
            for name, op in (("minimum", "<"), ("maximum", ">"))
            if constraints.get(name) is not None
        ]
        if not bounds:
            continue
        shown = ", ".join(_q(c) for c in dict.fromkeys([*key, field["name"]]))
        out.append(
            _sql(
                f"{resource}.{field['name']}.range.sql",
                "Values lie within the minimum and maximum the schema declares.",
                f"SELECT {shown} FROM {{batch}} WHERE typeof({_q(field['name'])}) IN ('integer', 'real') "
                f"AND ({' OR '.join(bounds)})",
            )
        )
    return out


def _value_shape_checks(resource: str, schema: dict[str, Any]) -> list:
    """A value printed as a range, a bound or words keeps the conventions' shape (docs/decisions.md)."""
    names = {f["name"] for f in schema["fields"]}
    if not {"value", "value_low", "value_high", "value_text"} <= names:
        return []
    return [
        _sql(
            f"{resource}.value_range.ordered.sql",
            "The low end of a range is not above its high end.",
            "SELECT * FROM {batch} WHERE value_low > value_high",
        ),
        _sql(
            f"{resource}.value.is_both_ends.sql",
            "A single number (or bound) is also both ends of its range: value = value_low = value_high.",
            "SELECT * FROM {batch} WHERE value IS NOT NULL "
            "AND (value_low IS NULL OR value_high IS NULL OR value <> value_low OR value <> value_high)",
        ),
        _sql(
            f"{resource}.value_text.only_without_value.sql",
            "Words stand only where there is no number: value_text is empty wherever value is given.",
            "SELECT * FROM {batch} WHERE value_text IS NOT NULL AND value_text <> '' AND value IS NOT NULL",
        ),
    ]


def _relation_checks(resource: str, schema: dict[str, Any], resources: set[str]) -> list:
    """Checks that need more than one table and are not keys: years covered, indicators with figures."""
    names = {f["name"] for f in schema["fields"]}
    out = []
    if resource == "observations" and "reports" in resources and {"report_id", "period"} <= names:
        out.append(
            _sql(
                "observations.period.within_report_years.sql",
                "A report's figure (source kind 'report') lies between the year before the reporting year "
                "(the 'actual' column) and the plan year; other sources (a time series) cover any years.",
                "SELECT o.report_id, o.indicator_id, o.measure, o.period, r.reporting_year, r.plan_year "
                "FROM {batch} AS o JOIN reports AS r ON r.report_id = o.report_id "
                "WHERE r.source_kind = 'report' AND (o.period < r.reporting_year - 1 OR o.period > r.plan_year)",
            )
        )
    if resource == "reports" and "source_kind" in names:
        out.append(
            _sql(
                "reports.kind_report.has_number_and_date.sql",
                "A source of kind 'report' has its document number and date; only sources of other "
                "kinds (an appendix, a database or web page) may lack them.",
                "SELECT report_id, source_kind, document_number, issued_date FROM {batch} "
                "WHERE source_kind = 'report' AND (document_number IS NULL OR issued_date IS NULL)",
            )
        )
    if resource == "ratios" and "reports" in resources:
        out.append(
            _sql(
                "ratios.periods.within_report_years.sql",
                "Both years a report's ratio compares (source kind 'report') lie within the years it covers.",
                "SELECT t.report_id, t.indicator_id, t.numerator_period, t.denominator_period "
                "FROM {batch} AS t JOIN reports AS r ON r.report_id = t.report_id "
                "WHERE r.source_kind = 'report' AND (t.numerator_period NOT BETWEEN r.reporting_year - 1 AND r.plan_year "
                "OR t.denominator_period NOT BETWEEN r.reporting_year - 1 AND r.plan_year)",
            )
        )
    if resource == "indicators" and "observations" in resources and "kind" in names:
        out.append(
            _sql(
                "indicators.kind_indicator.has_observation.sql",
                "Every row of kind 'indicator' has at least one figure; headings (section, group) have none.",
                "SELECT i.report_id, i.indicator_id, i.kind FROM {batch} AS i "
                "LEFT JOIN observations AS o ON o.report_id = i.report_id AND o.indicator_id = i.indicator_id "
                "WHERE i.kind = 'indicator' AND o.indicator_id IS NULL",
            )
        )
    return out


def derived_resources() -> frozenset[str]:
    """Resources the package builds from the others (whose CSV the database may give back)."""
    from pipelines.package.derived import BUILDERS

    return frozenset(BUILDERS)


def generate_suites(schemas: dict[str, dict[str, Any]]) -> list[Suite]:
    """Every suite, from the resources' Table Schemas (in package order)."""
    names = set(schemas)
    suites = [column_suite(name, schema) for name, schema in schemas.items()]
    suites += [sql_suite(name, schema, names) for name, schema in schemas.items()]
    return suites + [check.suite() for check in DERIVED_CHECKS if check.applies_to(names)]


def metadata_schemas() -> dict[str, dict[str, Any]]:
    """The Table Schemas the package is built with, from the single metadata source."""
    from pipelines.package.descriptor import table_schema
    from pipelines.package.metadata import load_metadata

    return {resource.name: table_schema(resource) for resource in load_metadata().ordered()}


def suite_bytes(suite: Suite) -> bytes:
    return json_bytes(suite)


def write_suites(suites: list[Suite], directory: Path = SUITES_DIR) -> list[Path]:
    """Write one JSON file per suite and remove files of suites that no longer exist."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = {f"{s['name']}.json": s for s in suites}
    remove_stale(directory, wanted, "*.json")
    written = []
    for filename, stored in wanted.items():
        path = directory / filename
        data = suite_bytes(stored)
        if not path.exists() or path.read_bytes() != data:
            write_file_atomically(path, data)
            written.append(path)
    return written


def read_suites(directory: Path = SUITES_DIR) -> list[Suite]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(directory.glob("*.json"))]


def outdated_suites(suites: list[Suite], directory: Path = SUITES_DIR) -> list[str]:
    """Names of suite files that differ from what the schemas generate (missing, changed or extra)."""
    stored = {s["name"]: s for s in read_suites(directory)} if directory.is_dir() else {}
    generated = {s["name"]: s for s in suites}
    return sorted(n for n in stored.keys() | generated.keys() if stored.get(n) != generated.get(n))
