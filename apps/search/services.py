"""Every write of the search indexes. Ideas' own services call `search_index_ideas`
(through similarity.ideas_written) in the transaction that changed an idea's text."""

from collections.abc import Collection, Iterable, Iterator, Sequence

from django.db import transaction
from django.utils import timezone

from apps.ideas.models import Idea

from . import semantic
from .models import IdeaEmbedding, IdeaSearchText
from .normalise import fold, normalise

#: Ideas read and written per statement when many are indexed at once (importer, loader).
INDEX_BATCH = 1000
#: Ideas per embedding task: one task's model call stays a few seconds long.
EMBED_BATCH = 64


def batched(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    """Consecutive slices of at most `size` items (itertools.batched is Python 3.12+)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def search_text_row(*, idea_id: int, title: str, need: str, solution: str, beneficiaries: str):
    """The normalised index row of one idea's title and text (not saved)."""
    title_part = normalise(title)
    body_part = normalise(f"{need}\n{solution}\n{beneficiaries}")
    grams = dict.fromkeys(title_part.grams + body_part.grams)
    return IdeaSearchText(
        idea_id=idea_id,
        title_terms=" ".join(title_part.terms),
        body_terms=" ".join(body_part.terms),
        grams=" ".join(grams),
        title_folded=fold(title)[:200],
        indexed_at=timezone.now(),
    )


@transaction.atomic
def search_index_ideas(*, idea_ids: Collection[int], embed: bool = True) -> int:
    """Rebuild the lexical index of these ideas now and, once the transaction commits,
    queue the worker to compute their vectors (when the semantic layer is on and `embed`).

    Takes any number of ids (written in batches of INDEX_BATCH); ids of ideas that no
    longer exist are skipped. Returns how many ideas were indexed.
    """
    ids = sorted({int(idea_id) for idea_id in idea_ids})
    indexed = 0
    for chunk in batched(ids, INDEX_BATCH):
        fields = Idea.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "need", "solution", "beneficiaries"
        )
        rows = [
            search_text_row(
                idea_id=pk, title=title, need=need, solution=solution, beneficiaries=beneficiaries
            )
            for pk, title, need, solution, beneficiaries in fields
        ]
        # Delete and insert (rather than update) so that the engine's triggers keep its
        # full-text table in step row by row on both databases.
        IdeaSearchText.objects.filter(idea_id__in=chunk).delete()
        IdeaSearchText.objects.bulk_create(rows, batch_size=INDEX_BATCH)
        indexed += len(rows)
    if embed and semantic.enabled():
        _embed_on_commit(ids)
    return indexed


def _embed_on_commit(ids: list[int]) -> None:
    from .tasks import embed_ideas

    for chunk in batched(ids, EMBED_BATCH):
        transaction.on_commit(lambda chunk=list(chunk): embed_ideas.enqueue(idea_ids=chunk))


@transaction.atomic
def search_store_embeddings(*, idea_ids: Iterable[int], force: bool = False) -> int:
    """Compute and store the vectors of these ideas (the worker's part; also the
    reembed_ideas command's). An idea whose text and model are unchanged keeps its
    vector unless `force`. Returns how many vectors were computed."""
    ideas = list(
        Idea.objects.filter(pk__in=list(idea_ids)).values_list("pk", "title", "need", "solution")
    )
    if not ideas:
        return 0
    texts = {
        pk: semantic.embedding_text(title=title, need=need, solution=solution)
        for pk, title, need, solution in ideas
    }
    stored = dict(
        IdeaEmbedding.objects.filter(idea_id__in=list(texts)).values_list("idea_id", "text_hash")
    )
    todo = [pk for pk, text in texts.items() if force or stored.get(pk) != semantic.text_hash(text)]
    if not todo:
        return 0
    vectors = semantic.embed_passages([texts[pk] for pk in todo])
    # A new row per new vector: its rising id lets each process's matrix catch up cheaply.
    IdeaEmbedding.objects.filter(idea_id__in=todo).delete()
    now = timezone.now()
    IdeaEmbedding.objects.bulk_create(
        [
            IdeaEmbedding(
                idea_id=pk,
                vector=semantic.to_bytes(vector),
                model_name=semantic.MODEL_NAME,
                text_hash=semantic.text_hash(texts[pk]),
                created_at=now,
            )
            for pk, vector in zip(todo, vectors, strict=True)
        ]
    )
    return len(todo)
