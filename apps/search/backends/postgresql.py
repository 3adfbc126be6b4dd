"""PostgreSQL: full-text search over the generated `document` tsvector (see migration
0002) and pg_trgm on the folded titles.

Candidates are the ideas whose tsvector holds any query token (GIN index); for a search
box query, also those whose title holds a word near the query (pg_trgm's `<%`, GIN trgm
index), which catches typos no stem or gram does. ts_rank knows no inverse document
frequency, so the score is computed here as BM25's core: the sum, over the query's tokens
an idea holds, of the token's IDF (from lexical.py's sampled frequencies), counting a
title term twice, a text term once and a gram at GRAM_WEIGHT; plus TITLE_SIMILARITY_WEIGHT
times pg_trgm's similarity of the two titles.
"""

from collections.abc import Mapping, Sequence

from django.db import connections, transaction

#: The idea id in the query, and how the caller's scope is tested on it (see
#: backends.scope_condition; the planner treats IN and EXISTS alike).
ID_COLUMN = "s.idea_id"
SCOPE_CORRELATED = False
#: Never a list (the scope condition is an IN for the planner to choose how to read).
LISTED = 0
LISTED_ID_COLUMN = ID_COLUMN
GRAM_WEIGHT = 0.3
#: A server tuned lower than an SSD's usual 1.1 keeps its own value.
SSD_PAGE_COST = (
    "SELECT set_config('random_page_cost',"
    " least(current_setting('random_page_cost')::float8, 1.1)::text, true)"
)
TITLE_WEIGHT = 2.0
#: How much a near title (pg_trgm similarity, 0..1) adds, in units of one rare term.
TITLE_SIMILARITY_WEIGHT = 2.0
#: Similar-idea answers compute the title similarity for this many candidates per answer.
SHORTLIST_FACTOR = 3
SHORTLIST_MIN = 300


def tsquery(terms: Sequence[str], grams: Sequence[str], prefix: bool = False) -> str:
    """A tsquery of quoted lexemes (no parser: the tokens are already normalised), grams
    marked with '#' as in the generated column; with `prefix`, terms match as prefixes."""
    star = ":*" if prefix else ""
    lexemes = [f"'{term}'{star}" for term in terms] + [f"'#{gram}'" for gram in grams]
    return " | ".join(lexemes)


def _score(
    terms: Sequence[str], grams: Sequence[str], weights: Mapping[str, float], prefix: bool
) -> tuple[str, list]:
    """The SQL sum of IDF weights of the tokens an idea's document holds, and its params.

    The weights are cast to float8: a bare parameter is a numeric, and numeric arithmetic
    over a few thousand matches cost about twice the matching itself."""
    star = "*" if prefix else ""
    parts, params = [], []
    for term in terms:
        idf = weights.get(term, 1.0)
        parts.append(
            "%s::float8 * (s.document @@ %s::tsquery)::int"
            " + %s::float8 * (s.document @@ %s::tsquery)::int"
        )
        params += [TITLE_WEIGHT * idf, f"'{term}':{star}A", idf, f"'{term}':{star}B"]
    for gram in grams:
        parts.append("%s::float8 * (s.document @@ %s::tsquery)::int")
        params += [GRAM_WEIGHT * weights.get(f"#{gram}", 1.0), f"'#{gram}'"]
    return " + ".join(parts) or "0", params


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
    scope_listed: bool = False,  # never, as SCOPE_CORRELATED is False
) -> list[tuple[int, float]]:
    score_sql, score_params = _score(terms, grams, weights or {}, prefix)
    in_scope = f"AND {scope_sql} " if scope_sql is not None else ""
    # Only constants, generated placeholders and the ORM's own compiled scope are
    # formatted in; every value is a parameter.
    if prefix and scope_sql is not None:
        # A search box also finds titles with a word near the query (pg_trgm's `<%%`,
        # word similarity; `%%` escapes the driver's `%`), which catches typos no stem or
        # gram does. Within a scope (a coach's municipality: a few thousand of 500,000
        # ideas) the planner starts from the scope's ideas and tests each one's row: 25-50
        # ms, where collecting every match in the country from the GIN indexes first and
        # keeping the scope's afterwards read 25,000 rows for a common prefix (250-450 ms).
        sql = (
            f"SELECT s.idea_id, {score_sql} "  # noqa: S608
            f"+ {TITLE_SIMILARITY_WEIGHT} * similarity(s.title_folded, %s) AS score "
            "FROM search_ideasearchtext s "
            "WHERE (s.document @@ %s::tsquery OR %s <%% s.title_folded) "
            f"AND {scope_sql} "
            "ORDER BY score DESC LIMIT %s"
        )
        params = [
            *score_params,
            title_folded,
            tsquery(terms, grams, prefix),
            title_folded,
            *scope_params,
            limit,
        ]
    elif prefix:
        # Without a scope the two matches are asked separately, each from its own GIN
        # index: written as one condition with OR, the planner scans the whole table
        # instead (2-3 s at 100,000 ideas).
        sql = (
            f"SELECT s.idea_id, {score_sql} "  # noqa: S608
            f"+ {TITLE_SIMILARITY_WEIGHT} * similarity(s.title_folded, %s) AS score "
            "FROM search_ideasearchtext s "
            "WHERE s.idea_id IN ("
            "SELECT idea_id FROM search_ideasearchtext WHERE document @@ %s::tsquery UNION "
            "SELECT idea_id FROM search_ideasearchtext WHERE %s <%% title_folded) "
            "ORDER BY score DESC LIMIT %s"
        )
        params = [*score_params, title_folded, tsquery(terms, grams, prefix), title_folded, limit]
    else:
        # pg_trgm's similarity() costs as much as the rest of the score (15 of 45 ms at
        # 100,000 ideas): compute it only for the best SHORTLIST by the tokens' weights.
        sql = (
            "SELECT c.idea_id, "  # noqa: S608
            f"c.base + {TITLE_SIMILARITY_WEIGHT} * similarity(c.title_folded, %s) AS score "
            f"FROM (SELECT s.idea_id, s.title_folded, {score_sql} AS base "
            "FROM search_ideasearchtext s "
            "WHERE s.document @@ %s::tsquery "
            f"{in_scope}"
            "ORDER BY base DESC LIMIT %s) c "
            "ORDER BY score DESC LIMIT %s"
        )
        params = [
            title_folded,
            *score_params,
            tsquery(terms, grams, prefix),
            *scope_params,
            max(limit * SHORTLIST_FACTOR, SHORTLIST_MIN),
            limit,
        ]
    # The planner overestimates how many documents an OR of stems and grams matches
    # (15,000 for 2,400 found at 100,000 ideas) and with the default random_page_cost
    # of 4 (spinning disks) it then scores every document in a sequential scan: 60-110
    # ms, the similar-ideas answer's whole tail. At an SSD's cost it reads the GIN index
    # (10-15 ms). SET LOCAL ends with the transaction, or in an outer one, at the RESET.
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute(SSD_PAGE_COST)
        cursor.execute(sql, params)
        found = [(int(idea_id), float(score)) for idea_id, score in cursor.fetchall()]
        cursor.execute("RESET random_page_cost")
    return found
