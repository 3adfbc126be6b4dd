"""Marking the words of a search in a text, for result lists."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .normalise import fold, query_words, stem

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def highlight(text: str, query: str) -> SafeString:
    """The text HTML-escaped, with each word that matches a word of the query wrapped in
    <mark>: same Swedish stem, or beginning with the query word's stem, both accent-folded
    ("Snöröjningen" for "snoröjning", "biblioteket" for "bibl")."""
    wanted = [word.stem for word in query_words(query)]
    if not wanted:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    parts = []
    position = 0
    for found in _WORD.finditer(text):
        word = found.group(0)
        lowered = word.lower()
        folded = fold(lowered)
        word_stem = stem(lowered)
        if any(word_stem == want or folded.startswith(want) for want in wanted):
            parts.append(escape(text[position : found.start()]))
            parts.append(f"<mark>{escape(word)}</mark>")
            position = found.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above
