"""Search results on the idea list: the title and a snippet with the matches marked."""

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString

from apps.search.highlight import highlight
from apps.search.normalise import fold, query_words, stem

register = template.Library()

#: About how many characters of the idea's text a search result shows.
SNIPPET_CHARS = 200
#: Words shown before the first match, so that it is read in its context.
WORDS_BEFORE = 8


@register.filter
def marked(text: str, query: str) -> SafeString:
    """The text, escaped, with the words matching the search wrapped in <mark>."""
    if not query:
        return SafeString(escape(text))
    return highlight(text, query)


def _matches(word: str, wanted: list[str]) -> bool:
    # The rule `highlight` marks by: the same stem, or a word starting with the stem.
    lowered = word.strip(".,;:!?()\"'").lower()
    return bool(lowered) and any(
        stem(lowered) == want or fold(lowered).startswith(want) for want in wanted
    )


def _window(text: str, query: str) -> tuple[str, bool, bool]:
    """About SNIPPET_CHARS of `text` around the first word that matches the query, cut at
    word boundaries; and whether something was cut before and after."""
    words = text.split()
    wanted = [word.stem for word in query_words(query)]
    first = next((i for i, word in enumerate(words) if _matches(word, wanted)), 0)
    start = max(0, first - WORDS_BEFORE)
    length, end = 0, start
    while end < len(words) and length < SNIPPET_CHARS:
        length += len(words[end]) + 1
        end += 1
    return " ".join(words[start:end]), start > 0, end < len(words)


@register.filter
def snippet(idea, query: str) -> SafeString:
    """A short passage of the idea's need and solution around the first match, marked."""
    text, cut_before, cut_after = _window(f"{idea.need} {idea.solution}", query)
    return SafeString(
        ("… " if cut_before else "") + marked(text, query) + (" …" if cut_after else "")
    )
