"""python manage.py import_ideas FILE [--dry-run] [--consortium SLUG] [--by EMAIL]

Import existing ideas from a CSV or XLSX file (docs/import.md lists the columns). The
same check and the same service as the upload page: every row is checked first, then
every idea is written in one transaction, or none is.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from apps.accounts.models import User
from apps.imports.checking import check_file
from apps.imports.problems import FileProblem
from apps.imports.services import ideas_import
from apps.organisations.models import Organisation


class Command(BaseCommand):
    help = "Import ideas from a CSV or XLSX file: every row or none."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The CSV (.csv) or Excel (.xlsx) file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and report, but import nothing.",
        )
        parser.add_argument(
            "--consortium",
            help="The consortium's short name (slug); needed when there is more than one.",
        )
        parser.add_argument(
            "--by",
            metavar="EMAIL",
            help="The person recorded on the ideas' timelines as having imported them.",
        )

    def handle(self, *args, **options):
        # Messages in the site's language, as on the upload page.
        with translation.override(settings.LANGUAGE_CODE):
            return self._import(options)

    def _import(self, options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        consortium = self._consortium(options["consortium"])
        actor = None
        if options["by"]:
            actor = User.objects.filter(email__iexact=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(f"No active account with the email address {options['by']}")

        def report(phase: str, done: int, total: int) -> None:
            label = "Checked" if phase == "checking" else "Imported"
            self.stdout.write(f"{label} {done}/{total} rows ({100 * done // total} %)")

        try:
            checked = check_file(
                data=path.read_bytes(), filename=path.name, consortium=consortium, progress=report
            )
        except FileProblem as problem:
            raise CommandError(problem.message) from None
        for ignored in checked.ignored_columns:
            self.stdout.write(f"Column not imported: {ignored}")
        if not checked.ok:
            for error in checked.errors:
                self.stderr.write(error.message)
            raise CommandError(
                f"{len(checked.errors)} error(s) in {checked.total_rows} rows: nothing imported."
            )
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Dry run: all {len(checked.rows)} ideas can be imported; nothing was changed."
                )
            )
            return
        result = ideas_import(
            consortium=consortium,
            rows=checked.rows,
            source_name=path.name,
            actor=actor,
            progress=report,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {len(result.idea_ids)} ideas "
                f"({result.first_reference} – {result.last_reference})."
            )
        )

    def _consortium(self, slug: str | None) -> Organisation:
        consortia = Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM)
        if slug:
            consortium = consortia.filter(slug=slug).first()
            if consortium is None:
                raise CommandError(f"No consortium with the short name {slug!r}")
            return consortium
        found = list(consortia[:2])
        if len(found) != 1:
            raise CommandError(
                "Name the consortium with --consortium SLUG (there are "
                f"{consortia.count()}: {', '.join(consortia.values_list('slug', flat=True))})."
            )
        return found[0]
