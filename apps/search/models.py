"""The search indexes of ideas: normalised text for the lexical layer, vectors for the
semantic one. Both are derived data, rebuilt from the idea whenever its text changes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ideas.models import Idea


class IdeaSearchText(models.Model):
    """An idea's title and text reduced to stems and character grams (see normalise.py).

    The database's own full-text index is kept from this table by triggers created in the
    migrations: an FTS5 table on SQLite, a generated tsvector with a GIN index (and a
    pg_trgm index on the folded title) on PostgreSQL.
    """

    idea = models.OneToOneField(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
    )
    title_terms = models.TextField(_("title terms"), blank=True)
    body_terms = models.TextField(_("text terms"), blank=True)
    grams = models.TextField(_("character grams"), blank=True)
    title_folded = models.CharField(_("folded title"), max_length=200, blank=True)
    indexed_at = models.DateTimeField(_("indexed"), default=timezone.now)

    class Meta:
        verbose_name = _("idea search text")
        verbose_name_plural = _("idea search texts")

    def __str__(self) -> str:
        return f"{self.idea_id}: {self.title_folded}"


class IdeaEmbedding(models.Model):
    """An idea's vector from the multilingual embedding model, computed by the worker.

    A new vector is a new row (the old one deleted), so the id rises with every change and
    a process's in-memory matrix can catch up by reading the rows above the last id it saw.
    """

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="embedding"
    )
    vector = models.BinaryField(_("vector (float16)"))
    model_name = models.CharField(_("model"), max_length=80)
    text_hash = models.CharField(_("hash of the embedded text"), max_length=64)
    created_at = models.DateTimeField(_("computed"), default=timezone.now)

    class Meta:
        verbose_name = _("idea embedding")
        verbose_name_plural = _("idea embeddings")

    def __str__(self) -> str:
        return f"{self.idea_id} ({self.model_name})"
