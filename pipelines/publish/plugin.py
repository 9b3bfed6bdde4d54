"""Datasette plugin copied into the site as ``plugins/chitieu_site.py``.

It gives our templates what Datasette does not: the package facts stored under the ``chitieu``
key of metadata.json, the reports' facts for the home and about pages, and, on an indicator's
page, its name for the heading and its figures (Datasette shows no reverse links for a table
with a compound primary key). It draws the table cells a reader sees (the site's one
``render_cell`` hook, with the links from a figure to where its report printed it) and the body
rows of a table page in one pass.
It imports nothing from the project, so the site folder runs anywhere Datasette does.
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, to_css_class, urlsafe_components
from markupsafe import Markup, escape

PAGE_VIEWS = {"index", "page"}
QUERY_VIEWS = {"database", "table"}
# The home and about pages list the most recent reports; the reports table has them all.
LISTED_REPORTS = 20
# Saved questions offer the most recent reports in a list (an id can still be typed in the URL).
REPORT_OPTIONS = 500
MEASURES = {
    "actual": "Thực hiện / actual",
    "preliminary": "Sơ bộ / preliminary",
    "estimate": "Ước thực hiện / estimate",
    "plan": "Kế hoạch / plan",
    "target": "Mục tiêu / target",
}
# Colours of the measures in charts: distinguishable and at least 3:1 against white.
MEASURE_COLOURS = {
    "actual": "#1d5fa8",
    "preliminary": "#5e4fa2",
    "estimate": "#b35806",
    "plan": "#2a7a3b",
    "target": "#8c2d5a",
}
# Names that say the figure is a change over the year, not a level (a cut or a rise).
CHANGE_WORDS = {"giảm": "decrease", "tăng": "increase"}
CHART_SCRIPTS = ("vendor/d3.min.js", "vendor/plot.umd.min.js", "plot-figure.js", "chart.js")
SERIES_SCRIPTS = ("vendor/d3.min.js", "vendor/plot.umd.min.js", "plot-figure.js", "series-chart.js")
# The series page of one indicator code, /series/<code>, answers with the saved question of this name.
SERIES_PAGE = "/series/"
SERIES_QUESTION = "indicator_series"
# The derived table (metadata/site.yaml) judging each target of a source's reporting year.
TARGETS_JUDGED = "target_assessments"
# The measures a result is judged against, in the order target_assessments prefers them.
GOALS = {"target": 1, "plan": 2}
# The breakdown of a figure its table does not split (common.enums.NOT_SPLIT).
NOT_SPLIT = "all"
ASSESSMENTS = {
    "met": "Đạt / met",
    "exceeded": "Vượt / exceeded",
    "not_met": "Không đạt / not met",
    "not_assessable": "Không đánh giá được / not assessable",
}


# Thousands and decimal marks per page language: Vietnamese writes 1.575,205, English 1,575.205.
NUMBER_MARKS = {"vi": (".", ","), "en": (",", ".")}
# Python's 1,575.205 rewritten in each language's marks.
NUMBER_STYLES = {
    lang: str.maketrans({",": thousands, ".": decimal}) for lang, (thousands, decimal) in NUMBER_MARKS.items()
}


def format_number(value: Any, lang: str = "vi") -> str:
    """A number as a reader of ``lang`` writes it (the one formatting rule of the site); text is
    returned as it is, nothing as ''."""
    if value is None or value == "":
        return ""
    if not isinstance(value, int | float):
        return str(value)
    text = f"{int(value):,}" if float(value).is_integer() else f"{value:,.6f}".rstrip("0").rstrip(".")
    return text.translate(NUMBER_STYLES[lang])


def vi_number(value: Any) -> str:
    """``1.575,205``: dot thousands, comma decimals (Vietnamese text)."""
    return format_number(value, "vi")


def en_number(value: Any) -> str:
    """``1,575.205``: comma thousands, dot decimals (English text)."""
    return format_number(value, "en")


def both_numbers(value: Any) -> Markup:
    """The Vietnamese form, and the English one beside it in an English span where they differ."""
    vi, en = vi_number(value), en_number(value)
    if vi == en:
        return Markup(escape(vi))
    return Markup(f'{escape(vi)} <span class="en" lang="en">({escape(en)})</span>')


def figure_value(figure: dict[str, Any]) -> Markup:
    """A figure's value as data: the number, else a range's two ends (``45 – 47``), else the words
    it was printed as (``Đạt``)."""
    if figure.get("value") is not None:
        return both_numbers(figure["value"])
    low, high = figure.get("value_low"), figure.get("value_high")
    if low is not None and high is not None:
        vi = f"{vi_number(low)} – {vi_number(high)}"
        en = f"{en_number(low)} – {en_number(high)}"
        tail = "" if vi == en else f' <span class="en" lang="en">({escape(en)})</span>'
        return Markup(f'<span class="range">{escape(vi)}</span>{tail}')
    if figure.get("value_text"):
        return Markup(f'<span class="words">{escape(figure["value_text"])}</span>')
    return Markup("")


def change_of(name: str | None, quantity: str | None = None) -> str | None:
    """``decrease``/``increase`` when the indicator is a change over the year, else None.

    The reference list's ``quantity`` decides where it is known; otherwise the printed name's
    first word (``Giảm tỷ lệ hộ nghèo`` is a cut in the rate, not the rate).
    """
    if quantity and quantity != "change":
        return None
    first = (name or "").strip().split(" ", 1)[0].lower()
    return CHANGE_WORDS.get(first) or ("change" if quantity == "change" else None)


def problem_url(address: str | None, page: str, figure: dict[str, Any] | None = None) -> str | None:
    """Where a reader reports a problem: the address of site.yaml with the page and the figure."""
    if not address:
        return None
    facts = {"page": page}
    for key in (
        "report_id",
        "indicator_id",
        "measure",
        "period",
        "value_printed",
        "source_ref",
        "source_line",
    ):
        if figure and figure.get(key) not in (None, ""):
            facts[key] = str(figure[key])
    if address.startswith("mailto:"):
        subject = "Báo lỗi số liệu / data problem"
        body = "\n".join(f"{k}: {v}" for k, v in facts.items()) + "\n\nVấn đề / problem:\n"
        return f"{address}?subject={quote(subject)}&body={quote(body)}"
    return f"{address}{'&' if '?' in address else '?'}{urlencode(facts)}"


async def _site_vars(datasette: Any) -> dict[str, Any]:
    info = datasette.metadata("chitieu") or {}
    database = datasette.get_database(info.get("database"))
    reports = await database.execute(
        "SELECT * FROM reports ORDER BY reporting_year DESC, province, report_id LIMIT ?", [LISTED_REPORTS]
    )
    # An immutable database's counts come from the inspect file: no COUNT(*) over big tables per page view.
    known = await database.table_counts(limit=1000)
    counts = {table: known.get(table) for table in info.get("counted_tables", [])}
    inconsistent = None
    if "ratios" in counts:
        inconsistent = (await database.execute("SELECT COUNT(*) FROM ratios WHERE consistent = 0")).first()[0]
    database_meta = (datasette.metadata("databases") or {}).get(info.get("database"), {})
    report_ids = [row["report_id"] for row in reports.rows]
    return {
        "chitieu_findings": await _findings(database, report_ids, set(known)),
        "chitieu_assessments": ASSESSMENTS,
        "chitieu": info,
        "chitieu_reports": [dict(row) for row in reports.rows],
        "chitieu_report_count": counts.get("reports") or len(reports.rows),
        "chitieu_counts": counts,
        "chitieu_tables": database_meta.get("tables", {}),
        "chitieu_queries": database_meta.get("queries", {}),
        "chitieu_inconsistent_ratios": inconsistent,
    }


# The front page's counts per report: (table, finding, SQL of (report_id, key, count), whether the
# finding keeps its counts by key or is their sum). {reports} is the listed reports' placeholders.
FINDING_COUNTS = (
    ("assessments", "assessed", "SELECT report_id, assessment, COUNT(*) FROM assessments WHERE report_id IN "
     "({reports}) AND plan_value IS NOT NULL AND flagged = 0 GROUP BY report_id, assessment", True),
    ("assessments", "flagged", "SELECT report_id, 'flagged', COUNT(*) FROM assessments WHERE report_id IN "
     "({reports}) AND flagged = 1 GROUP BY report_id", False),
    ("ratios", "inconsistent_ratios", "SELECT report_id, 'inconsistent', COUNT(*) FROM ratios WHERE report_id IN "
     "({reports}) AND consistent = 0 GROUP BY report_id", False),
    ("narrative_checks", "disagreements", "SELECT report_id, agrees, COUNT(*) FROM narrative_checks WHERE "
     "report_id IN ({reports}) AND agrees <> 'yes' GROUP BY report_id, agrees", False),
)  # fmt: skip


async def _grouped(database: Any, sql: str, report_ids: list[str]) -> dict[str, dict[str, int]]:
    """``sql`` (report_id, key, count) over the listed reports, as {report_id: {key: count}}."""
    marks = ", ".join("?" for _ in report_ids)
    rows = await database.execute(sql.format(reports=marks), report_ids)
    grouped: dict[str, dict[str, int]] = {}
    for report_id, key, count in rows.rows:
        grouped.setdefault(report_id, {})[key] = count
    return grouped


async def _findings(database: Any, report_ids: list[str], tables: set[str]) -> dict[str, dict[str, Any]]:
    """Per report on the home page: headline figures, targets by assessment, inconsistent ratios,
    prose statements that disagree with the appendix; each links to its evidence."""
    if not report_ids:
        return {}
    found: dict[str, dict[str, Any]] = {r: {"headline": [], "assessed": {}, "flagged": 0} for r in report_ids}
    marks = ", ".join("?" for _ in report_ids)
    if "assessments" in tables:
        headline = await database.execute(
            f"SELECT * FROM assessments WHERE report_id IN ({marks}) AND headline = 1 ORDER BY rowid",
            report_ids,
        )
        for row in headline.rows:
            found[row["report_id"]]["headline"].append(dict(row))
    for resource, name, sql, by_key in FINDING_COUNTS:
        if resource in tables:
            grouped = await _grouped(database, sql, report_ids)
            for report_id in report_ids:
                counts = grouped.get(report_id, {})
                found[report_id][name] = counts if by_key else sum(counts.values())
    return found


async def _indicator_vars(datasette: Any, database_name: str, request: Any) -> dict[str, Any]:
    database = datasette.get_database(database_name)
    indicator_id = (urlsafe_components(request.url_vars["pks"]) or [""])[0]
    indicator = await database.execute(
        "SELECT i.*, r.reporting_year, r.plan_year FROM indicators i "
        "JOIN reports r ON r.report_id = i.report_id WHERE i.indicator_id = ?",
        [indicator_id],
    )
    observations = await database.execute(
        "SELECT o.*, i.unit_vi, i.unit_en FROM observations o "
        "JOIN indicators i ON i.indicator_id = o.indicator_id WHERE o.indicator_id = ? ORDER BY o.period, o.measure",
        [indicator_id],
    )
    ratios = await database.execute(
        "SELECT * FROM ratios WHERE indicator_id = ? ORDER BY column_number",
        [indicator_id],
    )
    children = await database.execute(
        "SELECT report_id, indicator_id, tt, name_vi, name_en FROM indicators WHERE parent_id = ? ORDER BY row_number",
        [indicator_id],
    )
    found = dict(indicator.first() or {})
    if found:
        found["report_label"] = await _report_label(datasette, database_name, found["report_id"])
    figures = [dict(r) for r in observations.rows]
    info = _package_facts(datasette)
    names = info.get("code_names", {})
    for figure in figures:
        figure["shape"] = value_shape(figure, names.get("qualifier", {}))
    judged = []
    if await database.table_exists(TARGETS_JUDGED):
        rows = await database.execute(
            f"SELECT * FROM [{TARGETS_JUDGED}] WHERE indicator_id = ? ORDER BY rowid", [indicator_id]
        )
        judged = [dict(r) for r in rows.rows]
    assets = info.get("assets", {})
    chart = chart_spec(found, figures)
    return {
        "chitieu_targets": target_section(found, figures, judged),
        "chitieu_directions": names.get("direction", {}),
        "chitieu_assessments": ASSESSMENTS,
        "chitieu_split": any(f.get("breakdown") not in (None, "", NOT_SPLIT) for f in figures),
        "chitieu_shaped": any(f["shape"] for f in figures),
        "chitieu_measures": MEASURES,
        "chitieu_change": change_of(found.get("name_vi"), found.get("quantity")),
        "chitieu_chart": chart,
        "chitieu_scripts": [assets[a] for a in CHART_SCRIPTS if a in assets] if chart else [],
        "chitieu_indicator_id": indicator_id,
        "chitieu_indicator": found,
        "chitieu_report_path": tilde_encode(found.get("report_id") or ""),
        "chitieu_observations": figures,
        "chitieu_ratios": [dict(r) for r in ratios.rows],
        "chitieu_children": [{**dict(r), "row_path": tilde_encode(r["indicator_id"])} for r in children.rows],
    }


def value_shape(figure: dict[str, Any], qualifiers: dict[str, str]) -> str:
    """What a figure is besides one plain number, in words: its qualifier (``Trên / Above``), a
    range, a value printed as words; '' for a plain number."""
    parts = []
    if figure.get("qualifier"):
        parts.append(qualifiers.get(figure["qualifier"], figure["qualifier"]))
    low, high = figure.get("value_low"), figure.get("value_high")
    if low is not None and high is not None and low != high:
        parts.append("từ … đến … / range")
    if figure.get("value_text"):
        parts.append("bằng chữ / in words")
    return " · ".join(parts)


def target_section(
    indicator: dict[str, Any], figures: list[dict[str, Any]], judged: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The indicator's target of its source's reporting year and how it was judged (the rows of
    ``target_assessments``); a target with no result of that year is said to be not assessable.
    A source that reports on no year (a plan) is about its plan year."""
    year = indicator.get("reporting_year") or indicator.get("plan_year")
    goals = [
        f
        for f in figures
        if f["measure"] in GOALS and f["period"] == year and f.get("breakdown") in (None, "", NOT_SPLIT)
    ]
    if judged:
        by_measure = {g["measure"]: g for g in goals}
        return {
            "judged": [{**t, "goal": by_measure.get(t["goal_measure"], {})} for t in judged],
            "year": year,
        }
    if goals:
        return {"judged": [], "year": year, "goals": goals}
    return None


def chart_spec(indicator: dict[str, Any], figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """What chart.js draws: the indicator's figures by year and measure, flagged ones left out."""
    rows = [
        {
            "period": f["period"],
            "measure": MEASURES.get(f["measure"], f["measure"]),
            "value": f["value"],
            "printed": f["value_printed"],
        }
        for f in figures
        if f.get("value") is not None and not f.get("review_reason")
    ]
    if not rows:
        return None
    present = [m for m in MEASURES if any(f["measure"] == m for f in figures)]
    unit = " / ".join(u for u in (indicator.get("unit_vi"), indicator.get("unit_en")) if u)
    return {
        "rows": rows,
        "measures": [MEASURES[m] for m in present],
        "colors": [MEASURE_COLOURS[m] for m in present],
        "x_label": "Năm / Year",
        "y_label": unit or None,
        "locale": "vi-VN",
        "label": f"{indicator.get('name_vi')}: {len(rows)} số liệu / figures ({unit})",
    }


async def _series_vars(datasette: Any, request: Any) -> dict[str, Any]:
    """One indicator code across reports: its catalogue entry and, per province, its figures (the
    saved question ``indicator_series``, so the page and the question never disagree). The figures
    are sent once, as compact JSON that series-chart.js draws as each province's chart and table;
    SQLite writes that JSON (``SERIES_PROVINCES``), so no figure passes through Python."""
    from urllib.parse import unquote

    info = datasette.metadata("chitieu") or {}
    name = info.get("database")
    queries = ((datasette.metadata("databases") or {}).get(name, {})).get("queries", {})
    code = unquote(request.path[len(SERIES_PAGE) :]).strip("/")
    if SERIES_QUESTION not in queries or not code:
        return {"chitieu_series": None}
    database = datasette.get_database(name)
    entry = (
        await database.execute("SELECT * FROM indicator_catalogue WHERE indicator_code = ?", [code])
    ).first()
    if entry is None:
        return {"chitieu_series": None}
    question = queries[SERIES_QUESTION]["sql"]
    params = {"code": code, "province": ""}
    provinces = (await database.execute(SERIES_PROVINCES.format(question=question), params)).rows
    reports = {at: (report, date) for p in provinces for at, report, date in json.loads(p["reports"])}
    unit = (info.get("unit_names") or {}).get(entry["unit"], entry["unit"])
    table = datasette.urls.table(name, "reports")
    tilde, source_view = (datasette.jinja_env.filters[f] for f in ("tilde", "source_view"))
    present = {m for p in provinces for m in p["measures"].split(",")}
    head = {
        "columns": SERIES_COLUMNS,
        "reports": {
            at: [f"{table}/{tilde(report)}", report, date, source_view(report)]
            for at, (report, date) in reports.items()
        },
        "measures": {m: MEASURES[m] for m in MEASURES if m in present},
        "colors": {m: MEASURE_COLOURS[m] for m in MEASURES if m in present},
        "name": entry["name_vi"],
        "unit": unit or "",
        "x_label": "Năm / Year",
        "locale": "vi-VN",
    }
    assets = info.get("assets", {})
    return {
        "chitieu": info,
        "chitieu_series": dict(entry),
        "chitieu_series_unit": unit,
        "chitieu_series_provinces": [dict(p) for p in provinces],
        "chitieu_series_data": json_script(head, provinces=[p["data"] for p in provinces]),
        "chitieu_scripts": [assets[a] for a in SERIES_SCRIPTS if a in assets] if provinces else [],
    }


# The columns of one figure in the series page's data (series-chart.js reads them by position):
# ``report`` is a key of the data's ``reports`` (address, id, date, source view), sent once each.
SERIES_COLUMNS = ("period", "measure", "value", "printed", "latest", "review", "report", "source_ref")
# The series page's figures, per province, as JSON written by SQLite: the saved question's rows
# (``{question}``) grouped by province, each figure a list of SERIES_COLUMNS in the question's
# order (SQLite's sorter keeps the order of rows with equal keys; the tests compare the order). A
# figure's report is the rowid of its row in ``reports``; the column ``reports`` lists a province's
# reports as [rowid, report_id, report_date] (the page sends each one's address once).
SERIES_PROVINCES = """WITH figures AS ({question}),
numbered AS (SELECT *, (SELECT rowid FROM reports WHERE reports.report_id = figures.report_id) AS report
  FROM figures)
SELECT province, NULLIF(MIN(successor_2025), province) AS successor, COUNT(*) AS figures,
  GROUP_CONCAT(DISTINCT measure) AS measures,
  json_group_array(DISTINCT json_array(report, report_id, report_date)) AS reports,
  json_object('province', province, 'successor', NULLIF(MIN(successor_2025), province),
    'rows', json_group_array(json_array(period, measure, value,
      CASE WHEN value_printed <> '' THEN trim(value_printed || ' ' || COALESCE(unit_vi, '')) ELSE '' END,
      latest, review_reason, report, source_ref))) AS data
FROM numbered GROUP BY province ORDER BY province"""


def json_script(data: dict[str, Any], **written: list[str]) -> Markup:
    """``data`` as compact JSON safe inside ``<script type="application/json">`` (no ``</script>``,
    no markup characters); each of ``written`` joins it as a list of JSON texts already written
    (by SQLite), under its name."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    lists = [f"{json.dumps(name)}:[{','.join(items)}]" for name, items in written.items()]
    if lists:
        text = f"{text[:-1]}{',' if data else ''}{','.join(lists)}}}"
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


@hookimpl
def startup(datasette: Any) -> None:
    """What a started server holds (modules, metadata, plugins) lives as long as it does: frozen out
    of the cyclic garbage collector, whose full collections otherwise walked it all inside some
    request (~30 ms of CPU each time: the worst series page of a 1,000-report site). Once per
    process, after a collection, so nothing that is already garbage is kept."""
    import gc

    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    def page_problem_url(request: Any, figure: dict[str, Any] | None = None) -> str | None:
        address = (datasette.metadata("chitieu") or {}).get("report_problem")
        page = getattr(request, "url", None) or "/"
        return problem_url(address, page, figure)

    env.filters["vi_number"] = vi_number
    env.filters["en_number"] = en_number
    env.filters["both_numbers"] = both_numbers
    env.filters["figure_value"] = figure_value
    env.filters["short_row_link"] = short_row_link
    env.filters["table_rows"] = table_rows
    env.globals["chitieu_problem_url"] = page_problem_url


_ROW_LINK = re.compile(r'^<a href="([^"]*)">(.*)</a>$', re.S)


def short_row_link(cell: Any) -> Markup:
    """Datasette's link to a row of a compound key (``report,indicator,measure,period``) as a short
    "row" link; the key stays in its title. Anything else is returned as it came."""
    match = _ROW_LINK.match(str(cell))
    if not match:
        return Markup(cell)
    return Markup(f'<a href="{match[1]}" title="{match[2]}">dòng <span lang="en">/ row</span></a>')


# Columns that say where a row was read: shown as a link to the source view.
SOURCE_COLUMNS = ("source_ref", "source_line")


def _plain(value: Any) -> Any:
    """A cell's value; Datasette passes a foreign key expanded to its label as {value, label}."""
    return value.get("value") if isinstance(value, dict) else value


def _source_cell(row: Any, value: Any, datasette: Any) -> Markup | None:
    """A row's ``source_line``/``source_ref`` cell as a link to that place of the report."""
    keys = row.keys()
    if value in (None, "") or "report_id" not in keys:
        return None
    ref = _plain(row["source_ref"]) if "source_ref" in keys else None
    line = _plain(row["source_line"]) if "source_line" in keys else None
    # plugins/chitieu_links.py's mapping, None where the site does not publish the report.
    url = datasette.jinja_env.filters["source_url"](_plain(row["report_id"]), ref, line)
    if url is None:
        return None
    label = ref or f"L{line}"
    return Markup(
        f'<a class="source-link" href="{escape(url)}" title="Xem trong văn bản nguồn / see it in the source">{escape(label)}</a>'
    )


def table_rows(rows: Any) -> Markup:
    """The body rows of a table of rows (_table.html): what the template drew cell by cell, drawn
    in one pass here (Jinja's per-cell work was a third of a 100-row page's time)."""
    classes: dict[str, Markup] = {}
    drawn = []
    for row in rows:
        cells = []
        for cell in row:
            if cell.get("is_special_link_column"):
                cells.append(
                    f'<td class="col-Link type-pk" data-copy-skip>{short_row_link(cell["value"])}</td>'
                )
                continue
            column = cell["column"]
            css = classes.get(column)
            if css is None:
                css = classes[column] = escape(to_css_class(column))
            cells.append(
                f'<td class="col-{css} type-{escape(cell["value_type"])}">{escape(cell["value"])}</td>'
            )
        drawn.append(f"<tr>{''.join(cells)}</tr>")
    return Markup("\n".join(drawn))


YES_NO = {1: "có / yes", 0: "không / no"}
# Columns whose values are figures of a row that may carry a review_reason.
FIGURE_COLUMNS = ("value", "value_printed")


def _package_facts(datasette: Any) -> dict[str, Any]:
    """The ``chitieu`` metadata, read once per server: ``render_cell`` runs for every cell, and
    Datasette rebuilds its metadata on each call (the site's metadata.json never changes while
    it serves)."""
    facts = datasette.__dict__.get("_chitieu_facts")
    if facts is None:
        facts = datasette.__dict__["_chitieu_facts"] = datasette.metadata("chitieu") or {}
    return facts


async def _report_label(datasette: Any, database: str, report_id: str) -> str | None:
    """``Cao Bằng 2022 · 2960/BC-UBND``: the short label of a report (all of them read once)."""
    labels = datasette.__dict__.get("_chitieu_report_labels")
    if labels is None:
        rows = await datasette.get_database(database).execute(
            "SELECT report_id, COALESCE(province, issuer, report_id) || COALESCE(' ' || reporting_year, '') || COALESCE(' · ' || document_number, '') FROM reports"
        )
        labels = datasette.__dict__["_chitieu_report_labels"] = dict(rows.rows)
    return labels.get(report_id)


async def _indicator_unit(datasette: Any, database: str, report_id: Any, indicator_id: str) -> str | None:
    """An indicator's printed unit; a report's indicators are read together when one is first shown."""
    units = datasette.__dict__.setdefault("_chitieu_indicator_units", {})
    if report_id not in units:
        rows = await datasette.get_database(database).execute(
            "SELECT indicator_id, unit_vi FROM indicators WHERE report_id = ?", [report_id]
        )
        units[report_id] = dict(rows.rows)
    return units[report_id].get(indicator_id)


async def _labelled_key(
    datasette: Any, database: str, column: str, key: dict[str, Any], report_id: Any
) -> Markup | None:
    """A foreign key Datasette expanded to {value, label}, shown by what a reader recognises: the
    report's short label, the indicator's name with its unit; the id stays in the link's title."""
    value, label = key.get("value"), key.get("label")
    if column == "report_id":
        label = await _report_label(datasette, database, value) or label
        table = "reports"
    elif column == "indicator_id":
        unit = await _indicator_unit(datasette, database, report_id, value)
        label = f"{label} ({unit})" if unit and label else label
        table = "indicators"
    else:
        return None
    if value is None or not label:
        return None
    url = datasette.urls.row(database, table, tilde_encode(str(value)))
    return Markup(f'<a href="{escape(url)}" title="{escape(value)}">{escape(label)}</a>')


@hookimpl
def render_cell(row: Any, value: Any, column: str, database: str, datasette: Any) -> Any:
    """Cells as a reader expects them: where a figure was read as a link to the source view, keys by
    their labels, yes/no, unit names, Vietnamese number style, flags marked. The site's one
    ``render_cell`` hook: Datasette calls every plugin's hook for every cell of a page.

    The JSON and CSV keep the stored values; only the HTML tables change.
    """
    if column in SOURCE_COLUMNS:
        link = _source_cell(row, value, datasette)
        if link is not None:
            return link
    info = _package_facts(datasette)
    keys = row.keys() if hasattr(row, "keys") else []
    if isinstance(value, dict) and "label" in value and database:
        report_id = row["report_id"] if "report_id" in keys else None
        if isinstance(report_id, dict):
            report_id = report_id.get("value")
        return _labelled_key(datasette, database, column, value, report_id)
    if column in FIGURE_COLUMNS and "review_reason" in keys and row["review_reason"]:
        shown = vi_number(value) if isinstance(value, float) else escape(value)
        return Markup(
            f'{shown} <span class="flag-mark" title="{escape(row["review_reason"])}">⚑ cần xem lại / flagged</span>'
        )
    if column in info.get("boolean_columns", ()) and value in YES_NO:
        return YES_NO[value]
    if column.endswith("measure") and isinstance(value, str) and value in MEASURES:
        return MEASURES[value]
    if column == "unit" and isinstance(value, str) and value in info.get("unit_names", {}):
        return info["unit_names"][value]
    if isinstance(value, float):
        return vi_number(value)
    return None


# Pages with tables of rows, which get the "copy as table" button.
TABLE_VIEWS = {"table", "database", "row"}


@hookimpl
def extra_js_urls(datasette: Any, view_name: str) -> list[str]:
    assets = (datasette.metadata("chitieu") or {}).get("assets", {})
    wanted = ["a11y.js"] + (["copy-table.js"] if view_name in TABLE_VIEWS else [])
    return [assets[name] for name in wanted if name in assets]


@hookimpl
def extra_css_urls(datasette: Any) -> list[str]:
    css = (datasette.metadata("chitieu") or {}).get("assets", {}).get("chitieu.css")
    return [css] if css else []


async def _report_options(datasette: Any, database_name: str) -> dict[str, Any]:
    """The reports a saved question can be asked of, newest first, as their short labels."""
    database = datasette.get_database(database_name)
    rows = await database.execute(
        "SELECT report_id, COALESCE(province, issuer, report_id) || COALESCE(' ' || reporting_year, '') || COALESCE(' · ' || document_number, '') AS label FROM reports "
        "ORDER BY reporting_year DESC, province, report_id LIMIT ?",
        [REPORT_OPTIONS],
    )
    return {"chitieu_report_options": [dict(r) for r in rows.rows]}


@hookimpl
def extra_template_vars(datasette: Any, database: str, table: str, view_name: str, request: Any) -> Any:
    if view_name == "page" and request is not None and request.path.startswith(SERIES_PAGE):
        return lambda: _series_vars(datasette, request)
    if view_name in PAGE_VIEWS:
        return lambda: _site_vars(datasette)
    # Datasette 0.65 renders a saved query as view "table" with no table, the database page as "database".
    if view_name in QUERY_VIEWS and database and not table:
        return lambda: _report_options(datasette, database)
    if view_name == "row" and table == "indicators" and request is not None:
        return lambda: _indicator_vars(datasette, database, request)
    return {}
