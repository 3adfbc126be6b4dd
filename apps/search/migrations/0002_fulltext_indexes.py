"""The database's own full-text indexes over search_ideasearchtext, one kind per engine.

SQLite: an external-content FTS5 table kept by triggers on insert, update and delete.
PostgreSQL: a generated tsvector (title terms weight A, text terms B, grams D, grams marked
with '#' so they never meet a stem) with a GIN index, and pg_trgm on the folded title.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, body_terms, grams,
        content='search_ideasearchtext', content_rowid='idea_id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER search_fts_after_insert AFTER INSERT ON search_ideasearchtext BEGIN
        INSERT INTO search_fts(rowid, title_terms, body_terms, grams)
        VALUES (new.idea_id, new.title_terms, new.body_terms, new.grams);
    END
    """,
    """
    CREATE TRIGGER search_fts_after_delete AFTER DELETE ON search_ideasearchtext BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, grams)
        VALUES ('delete', old.idea_id, old.title_terms, old.body_terms, old.grams);
    END
    """,
    """
    CREATE TRIGGER search_fts_after_update AFTER UPDATE ON search_ideasearchtext BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, grams)
        VALUES ('delete', old.idea_id, old.title_terms, old.body_terms, old.grams);
        INSERT INTO search_fts(rowid, title_terms, body_terms, grams)
        VALUES (new.idea_id, new.title_terms, new.body_terms, new.grams);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_fts_after_update",
    "DROP TRIGGER IF EXISTS search_fts_after_delete",
    "DROP TRIGGER IF EXISTS search_fts_after_insert",
    "DROP TABLE IF EXISTS search_fts",
]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """
    ALTER TABLE search_ideasearchtext ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(array_to_tsvector(string_to_array(title_terms, ' ')), 'A')
        || setweight(array_to_tsvector(string_to_array(body_terms, ' ')), 'B')
        || setweight(array_to_tsvector(
               string_to_array(regexp_replace(grams, '(\\S+)', '#\\1', 'g'), ' ')), 'D')
    ) STORED
    """,
    "CREATE INDEX search_document_gin ON search_ideasearchtext USING gin (document)",
    """
    CREATE INDEX search_title_trgm ON search_ideasearchtext
    USING gin (title_folded gin_trgm_ops)
    """,
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_title_trgm",
    "DROP INDEX IF EXISTS search_document_gin",
    "ALTER TABLE search_ideasearchtext DROP COLUMN IF EXISTS document",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
