"""`python manage.py bench_build --scale {tiny,consortium,national}`: the benchmark data
set and its manifest (see apps/bench/dataset.py)."""

import time

from django.core.management.base import BaseCommand, CommandError

from apps.bench import dataset


class Command(BaseCommand):
    help = "Build (or reuse, or grow) the benchmark data set of a scale and write its manifest."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(dataset.SCALES), default="tiny")
        parser.add_argument("--ideas", type=int, help="Ideas (default: the scale's).")
        parser.add_argument("--people", type=int, help="People (default: the scale's).")
        parser.add_argument("--seed", type=int, default=7)
        parser.add_argument(
            "--manifest", default=str(dataset.DEFAULT_MANIFEST), help="Where to write it."
        )
        parser.add_argument(
            "--grow", action="store_true", help="Add as many ideas again to the data set."
        )

    def handle(self, *args, scale, ideas, people, seed, manifest, grow, **options):
        try:
            result = dataset.build(
                scale=scale,
                ideas=ideas,
                people=people,
                seed=seed,
                manifest=manifest,
                grow=grow,
                err=self.stderr,
                say=self.stdout.write,
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{key} {value:,}" for key, value in result["counts"].items())
        self.stdout.write(
            f"{result['vendor']}: {counts}; {result['build_seconds']} s "
            f"({time.process_time():.0f} s of this process's CPU time)."
        )
        self.stdout.write(f"Manifest: {manifest}")
