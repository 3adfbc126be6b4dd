"""Search tests start from empty per-process caches (matrix, sampled frequencies), since
every test brings its own ideas under the same database name."""

import pytest

from apps.search import lexical, semantic


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    lexical.reset_cache()
    semantic.reset_cache()
    yield
    lexical.reset_cache()
    semantic.reset_cache()
