"""Addresses for many rows of a page, without a full `reverse()` for each row.

`reverse()` walks the URL resolver, checks the arguments against the pattern and quotes
them: about 25 µs each, which a board of 150 cards with two links each paid on every
request. The address of a row differs from its neighbours' only in one path segment, so
the address is reversed once with a marker in that segment and the marker is replaced
per row. Only values that `reverse()` would put in the address unchanged and that every
text converter (`str`, `slug`, `path`) accepts take that way (letters, digits, `-`, `_`);
any other value is reversed in full, so the result is always what `reverse()` gives.
"""

import re
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

#: Values `reverse()` puts in a path segment as they are (no quoting, no `/`) and that
#: the `str`, `slug` and `path` converters all accept.
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
#: Stands for the row's value while the address is reversed once; plain itself.
_MARKER = "sluss-row-value-7f3a"


# The script prefix, the URL configuration (the request's own, else the settings') and
# the language (translated patterns) are part of every key: they are what else a
# `reverse()` depends on.


def _urlconf():
    return get_urlconf() or settings.ROOT_URLCONF


@lru_cache(maxsize=256)
def _plain(viewname: str, prefix: str, urlconf, language) -> str:
    return reverse(viewname, urlconf=urlconf)


def page_url(viewname: str) -> str:
    """`reverse(viewname)` for a URL without arguments (the menu's, the footer's), worked
    out once and then remembered."""
    return _plain(viewname, get_script_prefix(), _urlconf(), get_language())


@lru_cache(maxsize=128)
def _halves(viewname: str, kwarg: str, prefix: str, urlconf, language) -> tuple[str, str] | None:
    """The address around the marker, or None when it cannot stand in for a value (the
    pattern takes no text there, or the marker shows up more than once)."""
    try:
        url = reverse(viewname, urlconf=urlconf, kwargs={kwarg: _MARKER})
    except NoReverseMatch:
        return None
    if url.count(_MARKER) != 1:
        return None
    before, _marker, after = url.partition(_MARKER)
    return before, after


def row_url(viewname: str, **kwargs: str) -> str:
    """`reverse(viewname, kwargs=kwargs)` for a URL pattern with one text argument (the
    `str` converter), e.g. an idea page by its reference, cheaply when called per row.
    """
    if len(kwargs) == 1:
        ((kwarg, value),) = kwargs.items()
        value = str(value)
        if _PLAIN.fullmatch(value):
            halves = _halves(viewname, kwarg, get_script_prefix(), _urlconf(), get_language())
            if halves is not None:
                return f"{halves[0]}{value}{halves[1]}"
    return reverse(viewname, kwargs=kwargs)
