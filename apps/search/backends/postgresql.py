"""PostgreSQL: full-text search over the generated `document` tsvector (see migration
0002) ranked with ts_rank, plus pg_trgm's similarity of the folded titles, which also
brings in ideas whose title is near the query's title with typos no stem or gram catches.
"""

from collections.abc import Sequence

from django.db import connections

#: ts_rank weights for D (grams), C (unused), B (text terms), A (title terms).
RANK_WEIGHTS = "{0.05, 0.1, 0.4, 1.0}"
#: How much a near title (pg_trgm similarity, 0..1) adds to the full-text rank.
TITLE_SIMILARITY_WEIGHT = 0.3


def tsquery(terms: Sequence[str], grams: Sequence[str], prefix: bool = False) -> str:
    """A tsquery of quoted lexemes (no parser: the tokens are already normalised), grams
    marked with '#' as in the generated column; with `prefix`, terms match as prefixes."""
    star = ":*" if prefix else ""
    lexemes = [f"'{term}'{star}" for term in terms] + [f"'#{gram}'" for gram in grams]
    return " | ".join(lexemes)


def lexical_candidates(
    *,
    terms: Sequence[str],
    grams: Sequence[str],
    title_folded: str,
    scope_sql: str,
    scope_params: Sequence,
    limit: int,
    prefix: bool,
    using: str,
) -> list[tuple[int, float]]:
    # `%%` is pg_trgm's similarity operator (threshold pg_trgm.similarity_threshold).
    # Only constants and the ORM's own compiled scope are formatted in; values are
    # parameters.
    sql = (
        "SELECT s.idea_id, "  # noqa: S608
        f"ts_rank('{RANK_WEIGHTS}', s.document, q.query, 1) "
        f"+ {TITLE_SIMILARITY_WEIGHT} * similarity(s.title_folded, %s) AS score "
        "FROM search_ideasearchtext s, (SELECT %s::tsquery AS query) q "
        "WHERE (s.document @@ q.query OR s.title_folded %% %s) "
        f"AND s.idea_id IN ({scope_sql}) "
        "ORDER BY score DESC LIMIT %s"
    )
    params = [title_folded, tsquery(terms, grams, prefix), title_folded, *scope_params, limit]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(idea_id), float(score)) for idea_id, score in cursor.fetchall()]
