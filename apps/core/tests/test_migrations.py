"""Migrations (issue 8, item 4): every model change has its migration, and every new
migration is safe to apply while the old version of the code still runs.

The linter (django-migration-linter) reads the SQL that `sqlmigrate` makes for the database
the suite runs on, so CI lints for SQLite and for PostgreSQL alike.
"""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django_migration_linter import MigrationLinter

# Migrations written before the first release that the linter flags, on SQLite or on
# PostgreSQL (SQLite's list is the longer one: it rebuilds tables within a migration, which
# reads as adding NOT NULL columns). No installation ran an older version while they were
# applied, so they were safe in practice; they are listed by (app, name) so that every
# migration written from now on is linted. Do not add to this list: make the migration
# safe instead (a default or a nullable column, a constraint added in a later release, ...).
BEFORE_THE_FIRST_RELEASE = {
    ("assessments", "0001_initial"),
    ("ideas", "0001_initial"),
    ("meetings", "0001_initial"),
    ("meetings", "0002_participant_availability"),
    ("meetings", "0003_participant_availability_url"),
    ("newsletters", "0001_initial"),
    ("notifications", "0003_outboxemail_attachments"),
    ("notifications", "0004_outbox_headers_and_html"),
    ("organisations", "0001_initial"),
    ("organisations", "0002_unique_consortium_slug"),
    ("referrals", "0001_initial"),
    ("resources", "0001_initial"),
    ("resources", "0002_search_text"),
    ("spread", "0001_initial"),
    ("trainings", "0001_initial"),
    ("workflow", "0001_initial"),
    ("workflow", "0002_stage_is_spreadable"),
}


class ProjectLinter(MigrationLinter):
    """The linter over our own apps, leaving out the baseline by app and name (its own
    `ignore_name` matches the name alone, which would skip every app's 0001_initial)."""

    def __init__(self):
        ours = sorted(
            config.label for config in apps.get_app_configs() if config.name.startswith("apps.")
        )
        super().__init__(include_apps=ours, no_cache=True, no_output=True)
        self.flagged: list[str] = []

    def should_ignore_migration(self, app_label, migration_name, *args, **kwargs) -> bool:
        if (app_label, migration_name) in BEFORE_THE_FIRST_RELEASE:
            return True
        return super().should_ignore_migration(app_label, migration_name, *args, **kwargs)

    def print_linting_msg(self, app_label, migration_name, msg, lint_result) -> None:
        if msg == "ERR":
            self.flagged.append(f"{app_label}.{migration_name}:")

    def print_errors(self, errors) -> None:
        self.flagged[-1] += " " + "; ".join(error.message for error in errors)


def test_every_model_change_has_a_migration(db):
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:
        pytest.fail(f"Model changes without a migration (run makemigrations):\n{out.getvalue()}")


def test_new_migrations_are_safe_for_a_running_system(transactional_db):
    # Transactional: on SQLite, `sqlmigrate` opens a schema editor, which refuses to work
    # inside the transaction the `db` fixture wraps a test in.
    linter = ProjectLinter()
    linter.lint_all_migrations()
    assert linter.nb_total > len(BEFORE_THE_FIRST_RELEASE)
    assert linter.flagged == [], (
        "Migrations not safe to apply while the previous version runs: "
        + " | ".join(linter.flagged)
    )


def test_the_baseline_names_only_migrations_that_exist(db):
    from django.db.migrations.loader import MigrationLoader

    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    assert on_disk >= BEFORE_THE_FIRST_RELEASE
