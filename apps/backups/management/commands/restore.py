"""python manage.py restore ARCHIVE [--yes]

Replace the database and the uploaded files with an archive made by `manage.py backup`,
then verify every table and file against the archive's manifest. Stop the web server and
the worker first (docs/backup.md).
"""

import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.backups.services import (
    BackupError,
    archive_open,
    restore_apply,
    restore_workdir_parent,
)


class ConfirmationRefused(CommandError):
    """The operator did not confirm (or could not be asked) that the data may be replaced."""


class Command(BaseCommand):
    help = "Restore the database and the uploaded files from a backup archive, then verify."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The archive written by `manage.py backup`.")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Replace the current data without asking (needed when not run from a terminal).",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, **options):
        using = options["database"]
        with tempfile.TemporaryDirectory(
            prefix=".sluss-restore-", dir=restore_workdir_parent()
        ) as work:
            try:
                opened = archive_open(
                    archive=Path(options["archive"]), into=Path(work), using=using
                )
            except BackupError as error:
                raise CommandError(str(error)) from error
            manifest = opened.manifest
            self.stdout.write(
                f"Archive of {manifest['created_at']} ({manifest['vendor']}, Sluss "
                f"{manifest['sluss_version']}): {len(manifest['tables'])} tables; checked."
            )
            self._confirm(options["yes"])
            try:
                report = restore_apply(opened=opened, using=using)
            except BackupError as error:
                raise CommandError(str(error)) from error

        for table, result in report.tables:
            line = f"  {table}: {result}"
            self.stdout.write(line if result == "ok" else self.style.ERROR(line))
        self.stdout.write(f"Uploaded files: {report.media}")
        for problem in report.media_problems:
            self.stdout.write(self.style.ERROR(f"  {problem}"))
        if report.unapplied_migrations:
            names = ", ".join(f"{app}.{name}" for app, name in report.unapplied_migrations)
            self.stdout.write(
                self.style.WARNING(
                    f"Migrations not current: the code has {len(report.unapplied_migrations)} "
                    f"migration(s) the restored data lacks ({names}); run `manage.py migrate`."
                )
            )
        else:
            self.stdout.write("Migrations are current.")
        if report.unknown_migrations:
            names = ", ".join(f"{app}.{name}" for app, name in report.unknown_migrations)
            self.stdout.write(
                self.style.ERROR(
                    f"The restored data has migrations this code does not know ({names}): "
                    "it comes from a newer version of Sluss; run that version."
                )
            )
        if not report.ok:
            raise CommandError(
                f"The restore does not match the archive: {len(report.mismatches)} table(s), "
                f"{len(report.media_problems)} file problem(s), "
                f"{len(report.unknown_migrations)} unknown migration(s)."
            )
        self.stdout.write(self.style.SUCCESS("Restored and verified: every table matches."))

    def _confirm(self, yes: bool) -> None:
        if yes:
            return
        if not sys.stdin.isatty():
            raise ConfirmationRefused(
                "This replaces the whole database and all uploaded files. Not run from a "
                "terminal, so there is no one to ask: add --yes to go ahead."
            )
        answer = input(
            "This replaces the whole database and all uploaded files with the archive's. "
            "Type 'yes' to go on: "
        )
        if answer.strip().lower() != "yes":
            raise ConfirmationRefused("Nothing was changed.")
