"""Background work of search: ideas' vectors for the semantic layer."""

from django_tasks import task

from . import semantic, services


@task()
def embed_ideas(idea_ids: list[int]) -> int:
    """Compute and store the vectors of these ideas (skipped when the semantic layer is
    off or its model missing). Returns how many vectors were computed."""
    if not semantic.enabled():
        return 0
    return services.search_store_embeddings(idea_ids=idea_ids)
