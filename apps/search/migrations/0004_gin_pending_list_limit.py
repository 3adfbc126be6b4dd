"""PostgreSQL: a small pending list for the two GIN indexes of search_ideasearchtext.

A GIN index takes new entries into an unsorted pending list (4 MB by default) that every
search reads through until a vacuum or the list's limit merges it into the index. Ideas
arrive a few at a time, and searches far outnumber them: on the benchmark set (100,000
ideas, bench_similar) the index scan of a similar-ideas query took 15 ms with 1.4 MB in
the list and 1 ms without. At 256 kB a writer merges the list after some tens of ideas,
and a search reads little of it.
"""

from django.db import migrations

INDEXES = ("search_document_gin", "search_title_trgm")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = 256)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_index_existing_ideas")]

    operations = [migrations.RunPython(forward, backward)]
