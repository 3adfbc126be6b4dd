"""SQLite: the FTS5 table `search_fts` (see migration 0002) ranked with BM25.

Stems are matched in the title and text columns, grams in their own column; the column
weights make a shared title word count most and a shared gram least.
"""

from collections.abc import Mapping, Sequence

from django.db import connections

#: The idea id in the query, and how the caller's scope is tested on it (see
#: backends.scope_condition).
ID_COLUMN = "hits.idea_id"
SCOPE_CORRELATED = True
#: A scope of at most this many ideas is tested as a list of its ids (`+rowid IN (...)`,
#: LISTED_ID_COLUMN), before BM25 is computed, instead of probing each match's idea
#: after: at 500,000 ideas a common prefix ("avtal*") matches 50,000 of them, which cost
#: 105-190 ms of probes and scores for a coach's 2,400 ideas, and costs 21-35 ms so.
#: Listing a scope costs about 0.6 ms per thousand ideas (65 ms at 100,000), so a large
#: scope keeps the probes. The `+` keeps SQLite from handing the IN to FTS5, which would
#: run the whole match again for every id.
LISTED = 20_000
LISTED_ID_COLUMN = "+search_fts.rowid"
#: BM25 weights of the FTS5 columns: title terms, text terms, grams.
COLUMN_WEIGHTS = (4.0, 1.0, 0.3)


def _phrases(tokens: Sequence[str], prefix: bool = False) -> str:
    star = "*" if prefix else ""
    return " OR ".join(f'"{token}"{star}' for token in tokens)


def match_expression(terms: Sequence[str], grams: Sequence[str], prefix: bool = False) -> str:
    """The FTS5 query: any stem (or stem prefix) in the title or text, or any gram."""
    parts = []
    if terms:
        parts.append(f"{{title_terms body_terms}} : ({_phrases(terms, prefix)})")
    if grams:
        parts.append(f"grams : ({_phrases(grams)})")
    return " OR ".join(parts)


def lexical_candidates(
    *,
    terms: Sequence[str],
    grams: Sequence[str],
    title_folded: str,
    scope_sql: str | None,  # a condition on ID_COLUMN
    scope_params: Sequence,
    limit: int,
    prefix: bool,
    using: str,
    weights: Mapping[str, float] | None = None,
    scope_listed: bool = False,
) -> list[tuple[int, float]]:
    # `weights` (sampled IDF) are not needed: FTS5's BM25 has its own.
    weights = ", ".join(str(weight) for weight in COLUMN_WEIGHTS)
    # bm25() is lower for better matches; negated so that higher is better everywhere.
    if scope_listed:
        # The scope's ids (LISTED_ID_COLUMN) are tested on each match before its
        # result columns, so BM25 is computed only for the matches in scope.
        sql = (
            f"SELECT rowid AS idea_id, -bm25(search_fts, {weights}) AS score "  # noqa: S608
            f"FROM search_fts WHERE search_fts MATCH %s AND {scope_sql} "
            "ORDER BY score DESC LIMIT %s"
        )
    else:
        # The matches are materialised before a correlated scope is applied: a
        # `rowid IN (...)` on the FTS5 table itself is re-evaluated per row (0.4 s at
        # 2,000 ideas instead of 2 ms).
        in_scope = f"WHERE {scope_sql} " if scope_sql is not None else ""
        sql = (
            "WITH hits AS MATERIALIZED ("  # noqa: S608
            f"SELECT rowid AS idea_id, -bm25(search_fts, {weights}) AS score FROM search_fts "
            "WHERE search_fts MATCH %s) "
            f"SELECT idea_id, score FROM hits {in_scope}"
            "ORDER BY score DESC LIMIT %s"
        )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [match_expression(terms, grams, prefix), *scope_params, limit])
        return [(int(idea_id), float(score)) for idea_id, score in cursor.fetchall()]
