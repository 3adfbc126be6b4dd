"""The cheap per-row addresses give exactly what `reverse()` gives."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from apps.core.reversing import page_url, row_url


@pytest.mark.parametrize(
    "reference",
    ["SLU-2026-0042", "abc_DEF-123", "with space", "ÅÄÖ-1", "a.b", "a~b", "100%", "x?y=1#z"],
)
def test_row_url_is_what_reverse_gives(reference):
    for name in ("ideas:detail", "ideas:move", "ideas:similar"):
        assert row_url(name, reference=reference) == reverse(name, kwargs={"reference": reference})


def test_row_url_refuses_what_reverse_refuses():
    with pytest.raises(NoReverseMatch):
        row_url("ideas:detail", reference="a/b")
    with pytest.raises(NoReverseMatch):
        row_url("ideas:detail", reference="")


def test_row_url_with_a_number_pattern_falls_back_to_reverse():
    # An <int:> segment cannot take the marker: every value is reversed in full.
    url = row_url("ideas:submitter_attachment", token="abc", attachment_id=7)
    assert url == reverse("ideas:submitter_attachment", kwargs={"token": "abc", "attachment_id": 7})


def test_addresses_follow_the_script_prefix():
    try:
        set_script_prefix("/sluss/")
        assert (
            row_url("ideas:detail", reference="SLU-2026-1") == "/sluss/workspace/ideas/SLU-2026-1/"
        )
        assert page_url("ideas:board") == "/sluss/workspace/board/"
    finally:
        set_script_prefix("/")
    assert row_url("ideas:detail", reference="SLU-2026-1") == "/workspace/ideas/SLU-2026-1/"
    assert page_url("ideas:board") == reverse("ideas:board") == "/workspace/board/"
