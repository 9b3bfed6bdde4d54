"""Datasette plugin copied into the site as ``plugins/chitieu_search.py``: one search for the site.

``/search?q=…`` looks in ``search_index`` (indicator names and notes, crops, livestock, headline
statements; built with the database) through its full-text index, which matches without
diacritics (``tang truong`` finds ``tăng trưởng``, ``duong`` finds ``đường``). Then:

- English words find Vietnamese rows through the synonyms of ``reference/search_synonyms.csv``
  (``poverty`` → ``hộ nghèo``, ``GDP`` → ``GRDP``), carried under ``search_synonyms`` in metadata;
- a query typed with its accents ranks the rows that contain it exactly as typed above the rows
  that match only once accents are removed (``tăng trưởng`` before ``trường``, school);
- nothing found: "did you mean" offers the indexed words closest to the query's.
It imports nothing from the project, so the site folder runs anywhere Datasette does; the fold
below is the same rule as ``pipelines.common.text.fold_diacritics``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response

INDEX = "search_index"
LIMIT = 100
MAX_QUERY = 200
# Results of the same match quality: indicators first, then the rest, then prose.
KIND_ORDER = {"indicator": 0, "crop": 1, "livestock": 1, "statement": 2}
KINDS = {
    "indicator": "Chỉ tiêu / indicator",
    "crop": "Cây trồng / crop",
    "livestock": "Vật nuôi / livestock",
    "statement": "Nhận định / statement",
}
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """Accent-free lower-case copy, ``đ`` to ``d`` (NFKD does not decompose it)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return " ".join(stripped.lower().split())


def has_accents(text: str) -> bool:
    return fold(text) != " ".join(text.lower().split())


def expansions(query: str, synonyms: dict[str, list[str]]) -> list[str]:
    """The query and what its English words mean in the reports' Vietnamese."""
    folded = fold(query)
    found = [query]
    for term, meanings in synonyms.items():
        if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", folded):
            found += meanings
    return list(dict.fromkeys(found))


def fts_phrase(text: str) -> str:
    """An FTS5 phrase of the query's words (quotes and operators are not passed through)."""
    words = _WORD.findall(fold(text))
    return '"' + " ".join(words) + '"' if words else ""


def rank(rows: list[dict[str, Any]], query: str, direct: set[int]) -> list[dict[str, Any]]:
    """Exact accented matches first (when the query has accents), then direct matches before
    synonym matches, indicators before prose, then full-text relevance."""
    exact = unicodedata.normalize("NFC", query).lower() if has_accents(query) else None

    def key(row: dict[str, Any]) -> tuple[int, int, int, float]:
        text = unicodedata.normalize("NFC", row["text"] or "").lower()
        return (
            0 if exact and exact in text else 1,
            0 if row["rowid"] in direct else 1,
            KIND_ORDER.get(row["kind"], 3),
            row["score"],
        )

    return sorted(rows, key=key)


def suggestions(query: str, vocabulary: list[str], limit: int = 5) -> list[str]:
    """Indexed words or names closest to what was typed."""
    folded = fold(query)
    return difflib.get_close_matches(folded, vocabulary, n=limit, cutoff=0.6)


async def _vocabulary(datasette: Any, database: Any, synonyms: dict[str, list[str]]) -> list[str]:
    """Indexed names, their words and the synonym list's terms: what "did you mean" offers."""
    cache = datasette.__dict__.setdefault("_chitieu_vocabulary", {})
    if database.name not in cache:
        titles = await database.execute(f"SELECT DISTINCT title FROM [{INDEX}] WHERE kind <> 'statement'")
        words = {fold(row[0]) for row in titles.rows if row[0]}
        words |= {w for title in list(words) for w in title.split() if len(w) > 2}
        words |= set(synonyms)
        cache[database.name] = sorted(words)
    return cache[database.name]


def link(row: dict[str, Any], database: str) -> str:
    table = row["target_table"]
    if row["target_key"]:
        return f"/{database}/{table}/{tilde_encode(row['target_key'])}"
    query = urlencode({"report_id": row["report_id"], row["target_filter"]: row["title"]})
    return f"/{database}/{table}?{query}"


async def _search(datasette: Any, request: Any) -> Response:
    info = datasette.metadata("chitieu") or {}
    database = datasette.get_database(info.get("database"))
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    results: list[dict[str, Any]] = []
    tables = await database.table_names()
    available = INDEX in tables
    meant: list[str] = []
    if query and available:
        variants = expansions(query, info.get("search_synonyms", {}))
        meant = variants[1:]
        found: dict[int, dict[str, Any]] = {}
        direct: set[int] = set()
        for number, variant in enumerate(variants):
            phrase = fts_phrase(variant)
            if not phrase:
                continue
            rows = await database.execute(
                f"SELECT s.rowid, s.*, r.province || ' ' || r.reporting_year || ' · ' || r.document_number AS report_label, "
                f"bm25([{INDEX}_fts]) AS score FROM [{INDEX}_fts] JOIN [{INDEX}] s ON s.rowid = [{INDEX}_fts].rowid "
                f"JOIN reports r ON r.report_id = s.report_id WHERE [{INDEX}_fts] MATCH ? ORDER BY score LIMIT ?",
                [phrase, LIMIT],
            )
            for row in rows.rows:
                found.setdefault(row["rowid"], dict(row))
                if number == 0:
                    direct.add(row["rowid"])
        results = rank(list(found.values()), query, direct)[:LIMIT]
        for row in results:
            row["url"] = link(row, database.name)
            row["kind_label"] = KINDS.get(row["kind"], row["kind"])
    suggested = []
    if query and available and not results:
        suggested = suggestions(
            query, await _vocabulary(datasette, database, info.get("search_synonyms", {}))
        )
    html = await datasette.render_template(
        ["chitieu-search.html"],
        {
            "query": query,
            "results": results,
            "suggested": suggested,
            "meant": meant,
            "database": database.name,
        },
        request=request,
        view_name="search",
    )
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/search$", _search)]
