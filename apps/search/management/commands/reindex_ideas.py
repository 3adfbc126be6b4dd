"""Rebuild the lexical search index of all ideas (e.g. ideas that existed before search)."""

import sys

from django.core.management.base import BaseCommand

from apps.ideas.models import Idea
from apps.search.services import INDEX_BATCH, batched, search_index_ideas


class Command(BaseCommand):
    help = "Rebuild every idea's lexical search index; optionally queue their vectors too."

    def add_arguments(self, parser):
        parser.add_argument(
            "--embed", action="store_true", help="Also queue the worker to compute vectors."
        )

    def handle(self, *args, embed: bool, **options):
        ids = list(Idea.objects.order_by("pk").values_list("pk", flat=True))
        indexed = 0
        for chunk in batched(ids, INDEX_BATCH * 5):
            indexed += search_index_ideas(idea_ids=chunk, embed=embed)
            sys.stderr.write(f"\r{indexed}/{len(ids)} ideas indexed")
        sys.stderr.write("\n")
        self.stdout.write(f"{indexed} ideas indexed.")
