"""The table of the shared cache (settings.CACHES, a DatabaseCache) that the rate limits
of logins, one-time codes, the idea form and private links count in.

Made by a migration so that every way the system starts (make run, CI, production, test
databases) has it; `createcachetable` skips tables that exist, so this is safe to rerun
and harmless where the cache is configured elsewhere.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
