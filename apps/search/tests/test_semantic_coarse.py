"""The coarse pass over a large matrix: rows compared first along their principal
directions, then the shortlist exactly. It must find what the whole product finds, keep
its coordinates through appends and re-embeddings, and score with exact cosines.

The thresholds are lowered so that a few thousand rows count as large; the rows are
built like e5 vectors, close to a common mean and spread along a few dozen directions."""

import numpy as np
import pytest

from apps.search import semantic


@pytest.fixture(autouse=True)
def small_is_large(monkeypatch):
    monkeypatch.setattr(semantic, "COARSE_FROM_ROWS", 1_000)
    monkeypatch.setattr(semantic, "COARSE_SHORTLIST", 150)
    monkeypatch.setattr(semantic, "BASIS_SAMPLE", 1_000)


def _embedding_like(count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    mean = np.random.default_rng(99).standard_normal(semantic.DIMENSIONS) * 2
    spread = np.random.default_rng(98).standard_normal((40, semantic.DIMENSIONS))
    rows = mean + rng.standard_normal((count, 40)) @ spread
    rows += rng.standard_normal(rows.shape) * 0.3
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def _room(rows: np.ndarray, *, spare: int = 0) -> semantic._Room:
    room = semantic._Room(len(rows) + spare)
    vectors, scales = semantic._quantise(rows)
    room.put(np.arange(len(rows)), np.arange(len(rows)) + 1, vectors, scales)
    room.index_coarsely()
    return room


def _top(found, rows_for_exact: np.ndarray, query: np.ndarray, count: int):
    nearest = semantic._nearest_to(query, found, count)
    exact = rows_for_exact @ query
    wanted = set(np.argsort(-exact)[:count].tolist())
    return nearest, wanted, exact


def test_the_coarse_pass_finds_what_the_whole_product_finds():
    rows = _embedding_like(6_000, seed=1)
    found = _room(rows).matrix()
    assert found.coarse is not None and found.coarse.shape == (6_000, 96)
    queries = _embedding_like(30, seed=2)
    recall = []
    for query in queries:
        nearest, wanted, exact = _top(found, rows, query, 20)
        recall.append(len(wanted & set(nearest.rows.tolist())) / 20)
        # Whatever the pass shortlisted, the answer's rows are scored exactly.
        assert np.abs(nearest.cosines[nearest.rows] - exact[nearest.rows]).max() < 0.005
        some = np.array([0, 17, 5_999])
        assert np.abs(nearest.exact(some) - exact[some]).max() < 0.005
    assert np.mean(recall) >= 0.98, recall


def test_a_small_matrix_has_no_coarse_rows_and_ranks_every_row_exactly():
    rows = _embedding_like(900, seed=3)
    found = _room(rows).matrix()
    assert found.coarse is None
    nearest, _wanted, exact = _top(found, rows, rows[0], 10)
    # The same rows up to int8 rounding, which may swap near ties at the tenth place.
    assert np.allclose(np.sort(exact[nearest.rows]), np.sort(exact)[-10:], atol=0.005)
    assert np.abs(nearest.cosines - exact).max() < 0.005


def test_appended_and_re_embedded_rows_get_coarse_coordinates_on_the_same_basis():
    rows = _embedding_like(3_000, seed=4)
    room = _room(rows, spare=100)
    found = room.matrix()
    basis = found.basis
    added = _embedding_like(2, seed=5)
    vectors, scales = semantic._quantise(added)
    appended = semantic._merge(found, [3_000, 3_001], [3_001, 3_002], vectors, scales)
    assert appended.basis is basis and len(appended.coarse) == 3_002
    # Idea 1 re-embedded as something else: a new room, the same basis.
    changed = _embedding_like(1, seed=6)
    vectors, scales = semantic._quantise(changed)
    merged = semantic._merge(appended, [3_002], [1], vectors, scales)
    assert merged.basis is basis and len(merged.ids) == 3_002
    held = np.vstack([rows[1:], added, changed])
    assert np.array_equal(merged.ids, np.r_[np.arange(2, 3_001), 3_001, 3_002, 1])
    expected_coarse, _ = basis.project(*semantic._quantise(held))
    assert np.array_equal(merged.coarse, expected_coarse)
    nearest, wanted, _exact = _top(merged, held, changed[0], 5)
    assert int(merged.ids[nearest.rows[np.argmax(nearest.cosines[nearest.rows])]]) == 1
    assert len(wanted & set(nearest.rows.tolist())) >= 4


def test_a_matrix_that_grows_large_gets_its_coarse_rows_then():
    rows = _embedding_like(1_100, seed=7)
    room = _room(rows[:990], spare=200)
    found = room.matrix()
    assert found.coarse is None
    vectors, scales = semantic._quantise(rows[990:])
    grown = semantic._merge(found, np.arange(990, 1_100), np.arange(991, 1_101), vectors, scales)
    assert grown.coarse is not None and len(grown.coarse) == 1_100
    assert found.coarse is None, "a matrix already handed out does not change"
