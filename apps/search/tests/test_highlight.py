"""highlight(): the search's words marked, everything else escaped."""

from django.utils.safestring import SafeString

from apps.search.highlight import highlight


def test_inflected_and_unaccented_forms_are_marked():
    marked = highlight("Snöröjningen av skolvägar börjar klockan sju.", "snoröjning skolväg")
    assert marked == ("<mark>Snöröjningen</mark> av <mark>skolvägar</mark> börjar klockan sju.")
    assert isinstance(marked, SafeString)


def test_a_prefix_of_a_word_marks_the_whole_word():
    assert highlight("Meröppet bibliotek", "bibl") == "Meröppet <mark>bibliotek</mark>"


def test_everything_else_is_escaped():
    marked = highlight('<script>alert("x")</script> & bibliotek', "bibliotek")
    assert "<script>" not in marked
    assert "&lt;script&gt;" in marked and "&amp;" in marked
    assert marked.endswith("<mark>bibliotek</mark>")


def test_a_query_of_stop_words_marks_nothing():
    assert highlight("Det är <b>bra</b>", "det är") == "Det är &lt;b&gt;bra&lt;/b&gt;"
