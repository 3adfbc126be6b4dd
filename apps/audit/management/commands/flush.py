"""`manage.py flush`, which also empties the append-only audit tables.

Flushing empties the whole database (tests between cases, development). The audit
triggers (migration 0002) refuse deleting audit rows unless `audit_flush_in_progress`
holds a row, so this command puts one there for the length of the flush and takes it
away afterwards. It overrides Django's own flush because apps' commands come first.
"""

from django.core.management.commands.flush import Command as DjangoFlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

FLUSH_TABLE = "audit_flush_in_progress"


class Command(DjangoFlushCommand):
    def handle(self, **options):
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        with connection.cursor() as cursor:
            opened = FLUSH_TABLE in connection.introspection.table_names(cursor)
            if opened:
                cursor.execute("INSERT INTO audit_flush_in_progress (started) VALUES (1)")
        try:
            return super().handle(**options)
        finally:
            if opened:
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM audit_flush_in_progress")
