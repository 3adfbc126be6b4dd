"""Normalisation units: stems meet across inflections, folding meets missing å/ä/ö,
4-grams meet across compounds."""

from apps.search.normalise import fold, normalise, stem, word_grams, words


def test_folding_removes_swedish_and_other_accents():
    assert fold("Snöröjning på Ängen, CAFÉ Åsa") == "snorojning pa angen, cafe asa"


def test_inflections_meet_in_one_stem():
    assert stem("föräldrarna") == stem("föräldrar") == "foraldr"
    assert stem("utbildningar") == stem("utbildningen") == stem("utbildning")
    assert stem("skolorna") == stem("skolor")


def test_a_stem_written_without_dots_and_rings_meets_the_right_one():
    assert stem("snoröjning") == stem("snöröjning")
    assert stem("foraldrarna") == stem("föräldrarna")


def test_stop_words_and_single_letters_are_left_out():
    assert words("Det är en idé om snöröjning i Hjo") == ["snöröjning", "hjo"]


def test_grams_of_a_compound_include_those_of_its_parts():
    compound = set(word_grams(fold("föräldrautbildning")))
    assert set(word_grams("utbildning")) <= compound
    assert {"fora", "oral", "rald", "aldr"} <= compound
    assert word_grams("skol") == []  # short words are matched by their stem alone


def test_normalise_gives_distinct_terms_and_grams_in_order():
    found = normalise("Utbildning för föräldrar, utbildning igen")
    assert found.terms == ("utbildning", "foraldr", "igen")
    assert len(found.grams) == len(set(found.grams))
    shared = set(found.grams) & set(normalise("Föräldrautbildning").grams)
    assert len(shared) >= 10


def test_a_word_too_long_to_be_swedish_is_left_out():
    # Pasted codes and noise: PostgreSQL refuses tsquery words of 2,048 bytes and more.
    assert words("snöröjning " + "0" * 3000 + " " + "x" * 61) == ["snöröjning"]
