"""Search across essays: one query function over SQLite FTS5 or PostgreSQL full text."""

import re
from dataclasses import dataclass

from django.db import connection
from markupsafe import Markup, escape

from microsolidarity.library.models import Essay
from microsolidarity.library.search_sql import PG_VECTOR

# Snippet markers that cannot occur in text people type; replaced by <mark> after escaping.
_START, _STOP = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


@dataclass(frozen=True)
class SearchHit:
    essay: Essay
    snippet: Markup


def _terms(query: str) -> list[str]:
    return _WORD.findall(query or "")[:MAX_TERMS]


_MARKDOWN_MARKS = re.compile(r"(^|\s)#{1,6}\s|[*_`>]+")


def _snippet(raw: str) -> Markup:
    # The index holds Markdown: a snippet shows the words without the marks.
    text = _MARKDOWN_MARKS.sub(lambda match: match.group(1) or "", raw or "")
    text = str(escape(" ".join(text.split())))
    return Markup(text.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S704


def _sqlite_rows(terms: list[str], limit: int) -> list[tuple[int, str]]:
    # Each word quoted, the last one as a prefix: FTS5's own syntax never comes from a visitor.
    quoted = [f'"{term}"' for term in terms]
    quoted[-1] += "*"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid, snippet(library_essay_fts, 3, %s, %s, '…', 24) "
            "FROM library_essay_fts WHERE library_essay_fts MATCH %s "
            "ORDER BY bm25(library_essay_fts, 10.0, 4.0, 4.0, 1.0) LIMIT %s",
            [_START, _STOP, " ".join(quoted), limit],
        )
        return cursor.fetchall()


def _postgresql_rows(terms: list[str], limit: int) -> list[tuple[int, str]]:
    # Each word ANDed as a prefix, the same as on SQLite.
    tsquery = " & ".join(f"{term}:*" for term in (t.replace("'", "") for t in terms) if term)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, ts_headline('english', body, query, %s) "  # noqa: S608 - constant SQL
            f"FROM library_essay, to_tsquery('english', %s) AS query "
            f"WHERE {PG_VECTOR} @@ query "
            f"ORDER BY ts_rank({PG_VECTOR}, query) DESC, id LIMIT %s",
            [
                f"StartSel={_START}, StopSel={_STOP}, MaxWords=24, MinWords=8, MaxFragments=1",
                tsquery,
                limit,
            ],
        )
        return cursor.fetchall()


def essay_search(query: str, *, limit: int = 20) -> list[SearchHit]:
    """Essays matching every word of the query (the last as a prefix), best first."""
    terms = _terms(query)
    if not terms:
        return []
    rows = (_postgresql_rows if connection.vendor == "postgresql" else _sqlite_rows)(terms, limit)
    essays = Essay.objects.in_bulk([essay_id for essay_id, _snippet_text in rows])
    return [
        SearchHit(essay=essays[essay_id], snippet=_snippet(snippet_text))
        for essay_id, snippet_text in rows
        if essay_id in essays
    ]


def search_reindex() -> None:
    """Rebuild the SQLite index from the essays (PostgreSQL's index needs no help)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO library_essay_fts(library_essay_fts) VALUES ('rebuild')")
