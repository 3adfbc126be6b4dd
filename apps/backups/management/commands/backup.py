"""python manage.py backup [--output PATH]

Write one archive with the database, the uploaded files and a manifest of what they hold
(apps/backups/services.py; docs/backup.md says how to run it every night and keep it safe).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from apps.backups.services import BackupError, backup_create


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into one archive (mode 0600)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            metavar="PATH",
            help="The archive's file name, or a directory for it (default: SLUSS_BACKUP_DIR).",
        )
        parser.add_argument("--database", default="default", help="The database alias.")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        output = Path(options["output"]) if options["output"] else None
        try:
            result = backup_create(output=output, using=options["database"], progress=self._say)
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(f"{len(manifest['tables'])} tables, {rows} rows.")
        if manifest["media"]["included"]:
            self.stdout.write(f"{len(manifest['media']['files'])} uploaded files.")
        else:
            self.stdout.write(self.style.WARNING(manifest["media"]["note"]))
        self.stdout.write(self.style.SUCCESS(f"Backup written: {result.path}"))

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stdout.write(message + " …")
