"""The package in PostgreSQL: one typed table per resource, keys and constraints from the Table Schemas.

Everything happens in one transaction: tables are created (or replaced), filled with ``COPY``
from the published CSVs, then the foreign keys are added (with a UNIQUE constraint on any
referenced column set that is not already a key), so a failure leaves the database as it was. Types: string → text, integer → bigint, year → integer, number → numeric (the printed
decimals, exactly), boolean, date. ``required`` → NOT NULL, ``unique`` → UNIQUE, ``enum``,
``minimum`` and ``maximum`` → CHECK; titles and descriptions become comments.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.common.errors import PipelineError

PG_TYPES = {
    "string": "text",
    "integer": "bigint",
    "year": "integer",
    "number": "numeric",
    "boolean": "boolean",
    "date": "date",
}


@dataclass(frozen=True)
class Loaded:
    table: str
    rows: int


def _type(field: dict[str, Any], resource: str) -> str:
    if field["type"] not in PG_TYPES:
        raise PipelineError(
            f"resource {resource}: field {field['name']} has type {field['type']!r}, no PostgreSQL type"
        )
    return PG_TYPES[field["type"]]


def _checks(field: dict[str, Any]) -> list[Any]:
    from psycopg import sql

    constraints = field.get("constraints") or {}
    column = sql.Identifier(field["name"])
    checks = []
    if "enum" in constraints:
        values = sql.SQL(", ").join(sql.Literal(v) for v in constraints["enum"])
        checks.append(sql.SQL("{} IN ({})").format(column, values))
    for key, operator in (("minimum", ">="), ("maximum", "<=")):
        if key in constraints:
            checks.append(
                sql.SQL("{} {} {}").format(column, sql.SQL(operator), sql.Literal(constraints[key]))
            )
    return checks


def create_table(schema_name: str, resource: dict[str, Any]) -> list[Any]:
    """CREATE TABLE with columns, NOT NULL, UNIQUE, CHECK and the primary key; then the comments."""
    from psycopg import sql

    table = sql.Identifier(schema_name, resource["name"])
    schema = resource["schema"]
    parts = []
    for field in schema["fields"]:
        constraints = field.get("constraints") or {}
        column = sql.SQL("{} {}").format(
            sql.Identifier(field["name"]), sql.SQL(_type(field, resource["name"]))
        )
        if constraints.get("required"):
            column += sql.SQL(" NOT NULL")
        if constraints.get("unique"):
            column += sql.SQL(" UNIQUE")
        for check in _checks(field):
            column += sql.SQL(" CHECK ({})").format(check)
        parts.append(column)
    if schema.get("primaryKey"):
        keys = sql.SQL(", ").join(sql.Identifier(k) for k in schema["primaryKey"])
        parts.append(sql.SQL("PRIMARY KEY ({})").format(keys))
    statements = [sql.SQL("CREATE TABLE {} ({})").format(table, sql.SQL(", ").join(parts))]
    title = " — ".join(t for t in (resource.get("title"), resource.get("description")) if t)
    if title:
        statements.append(sql.SQL("COMMENT ON TABLE {} IS {}").format(table, sql.Literal(title)))
    for field in schema["fields"]:
        text = " — ".join(t for t in (field.get("title"), field.get("description")) if t)
        if field.get("unit"):
            text += f" [unit: {field['unit']}]"
        if text:
            column = sql.Identifier(schema_name, resource["name"], field["name"])
            statements.append(sql.SQL("COMMENT ON COLUMN {} IS {}").format(column, sql.Literal(text)))
    return statements


def foreign_keys(schema_name: str, resource: dict[str, Any]) -> list[Any]:
    """ALTER TABLE … ADD FOREIGN KEY for each of the schema's foreign keys (a missing resource is itself)."""
    from psycopg import sql

    statements = []
    for index, key in enumerate(resource["schema"].get("foreignKeys", []), start=1):
        reference = key["reference"]
        target = reference.get("resource") or resource["name"]
        statements.append(
            sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})").format(
                sql.Identifier(schema_name, resource["name"]),
                sql.Identifier(f"{resource['name']}_fk{index}"),
                sql.SQL(", ").join(sql.Identifier(f) for f in key["fields"]),
                sql.Identifier(schema_name, target),
                sql.SQL(", ").join(sql.Identifier(f) for f in reference["fields"]),
            )
        )
    return statements


def referenced_keys(schema_name: str, resources: list[dict[str, Any]]) -> list[Any]:
    """UNIQUE constraints for the column sets that foreign keys reference but that are not a key of
    their table (``observations`` references ``indicators (report_id, indicator_id)`` while the key
    is ``indicator_id``): PostgreSQL needs one, and a superset of a key is unique anyway."""
    from psycopg import sql

    declared = {
        r["name"]: {
            tuple(r["schema"].get("primaryKey") or ()),
            *((f["name"],) for f in r["schema"]["fields"] if (f.get("constraints") or {}).get("unique")),
        }
        for r in resources
    }
    statements = []
    for resource in resources:
        for key in resource["schema"].get("foreignKeys", []):
            target = key["reference"].get("resource") or resource["name"]
            columns = tuple(key["reference"]["fields"])
            if columns in declared.setdefault(target, set()):
                continue
            declared[target].add(columns)
            statements.append(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})").format(
                    sql.Identifier(schema_name, target),
                    sql.Identifier(f"{target}_{'_'.join(columns)}_key"),
                    sql.SQL(", ").join(sql.Identifier(c) for c in columns),
                )
            )
    return statements


def load_package(url: str, package: Path, schema_name: str, replace: bool) -> list[Loaded]:
    """Create the tables in ``schema_name`` and load every resource, all in one transaction."""
    import psycopg
    from psycopg import sql

    from pipelines.package.reader import read_package

    published = read_package(package)
    resources = published.resources
    try:
        connection = psycopg.connect(url, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise PipelineError(f"cannot connect to PostgreSQL: {str(exc).strip()}") from None
    loaded = []
    with connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema_name)))
        existing = {
            row[0]
            for row in cursor.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema_name]
            )
        }
        clash = [r["name"] for r in resources if r["name"] in existing]
        if clash and not replace:
            raise PipelineError(
                f"tables {', '.join(clash)} already exist in schema {schema_name}; "
                "add --replace to replace them (in one transaction)"
            )
        for name in clash:
            cursor.execute(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(schema_name, name)))
        for resource in resources:
            for statement in create_table(schema_name, resource):
                cursor.execute(statement)
        for resource in resources:
            loaded.append(
                _copy(
                    cursor, schema_name, resource, published.root / published.relative_path(resource["name"])
                )
            )
        for statement in referenced_keys(schema_name, resources):
            cursor.execute(statement)
        for resource in resources:
            for statement in foreign_keys(schema_name, resource):
                try:
                    cursor.execute(statement)
                except psycopg.errors.ForeignKeyViolation as exc:
                    raise PipelineError(f"{resource['path']}: {str(exc).strip()}") from None
    return loaded


def _copy(cursor: Any, schema_name: str, resource: dict[str, Any], path: Path) -> Loaded:
    import psycopg
    from psycopg import sql

    columns = sql.SQL(", ").join(sql.Identifier(f["name"]) for f in resource["schema"]["fields"])
    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv, HEADER true, ENCODING 'UTF8')").format(
        sql.Identifier(schema_name, resource["name"]), columns
    )
    try:
        with path.open("rb") as handle, cursor.copy(statement) as copy:
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
    except OSError as exc:
        raise PipelineError(f"{path}: {exc.strerror or exc}") from None
    except psycopg.Error as exc:
        message = exc.diag.message_primary or str(exc).strip()
        context = f" ({exc.diag.context.strip()})" if exc.diag.context else ""
        raise PipelineError(f"{resource['path']}: {message}{context}") from None
    return Loaded(resource["name"], cursor.rowcount)
