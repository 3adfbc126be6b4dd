"""Benchmark of the statistics: `python manage.py bench_dashboard --ideas 100000 --runs 50`.

Builds (or reuses) a data set in a consortium of its own, "Benchmark statistics", in the
current database (SQLite, or PostgreSQL via DATABASE_URL), with bulk_create: ideas handed
in over three years, each with a realistic timeline (handed in, then several moves along
the process with random stays, some ending in an outcome with a reason), referrals to an
outside actor (most answered), solutions from ideas that reached Spread with adoptions by
other municipalities, and benefits with measurements. Then times `dashboard_tables` and
`public_tables` for the dashboard's default filters (the last 365 days, every
municipality) and the two pages, and reports p50/p95 and the number of queries per call.
Not a test: the target is p95 ≤ 200 ms at 100,000 ideas.

Three paths are timed, each printed under its own heading:

- Cold: the cache bypassed (apps.stats.caching.BYPASS), so every call recomputes every
  part. A reader gets this on the first view of a set of filters on a given day and in
  a given language. **The target is judged on the cold dashboard page's p95.**
- After one write: the pages as readers get them (the cache in use) right after one
  write made through the services before each call (not timed): a note on an idea (the
  parts kept under the process version stay; referrals, adoptions and benefits are
  recomputed) and a move of an open idea one stage on along the process (the process
  parts are recomputed as well). Each run moves an idea of its own, so every run leaves
  the data set with that many more notes and moves (nothing is undone).
- Warm: as readers get them when nothing has changed (every part kept).

Beside each wall time it prints this process's CPU time per call and the load average:
the machine is shared, so wall times grow with its load. On SQLite the CPU time is the
whole cost (the database runs in this process); on PostgreSQL the server's is not in it
(see EXPLAIN ANALYZE of the queries). After building on PostgreSQL it runs VACUUM
ANALYZE, as autovacuum would after a bulk load.

Measured on 2026-11-28 at 100,000 ideas (336,000 timeline entries), 50 runs, on a
2-core machine shared with other work (load average 3-6), cold dashboard page:

- SQLite: CPU p50 172 ms, p95 186 ms (wall p50 193, p95 234 at load 5.5); it was
  646-685 ms of CPU before the figures read the summary columns (`Idea.stages_reached`,
  `TimelineEntry.stay_microseconds` and `reason_key`), the key figures and benefits
  were reshaped and the per-row work in Python was moved to numpy or the driver.
  Public page CPU p50 113, p95 120 ms; warm dashboard page CPU p50 44 ms.
- PostgreSQL: wall p50 192 ms, p95 222 ms at load 3.4 (this process's CPU p50 66 ms;
  the server's execution of the page's queries about 125 ms by EXPLAIN ANALYZE at load
  6, down from 286 ms before VACUUM ANALYZE and the (consortium, id) index of ideas).
  The quiet-machine figure is the one to compare with the target.

The same day on a quiet machine (load average 1.0-1.3, nothing else running), after the
referral, adoption and benefit parts got a version of their own that a move leaves as
it is (apps.stats.caching.other_version), p95 of 50 runs:

| path | SQLite | PostgreSQL |
|---|---|---|
| cold dashboard page | 177-187 ms | 184-186 ms (226 in the first run after building) |
| cold public page | 105-114 ms | 106-119 ms |
| dashboard page after a note | 135-138 ms | 144-181 ms |
| dashboard page after a move | 134-136 ms (302 before the own version) | 136-157 ms (299 before) |
| warm dashboard page | 45-58 ms | 51-61 ms |
"""

import os
import random
import statistics
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.core.links import hash_token, new_link_salt
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.services import idea_add_note, idea_move
from apps.organisations.models import Membership, Organisation, Role
from apps.referrals.models import ExternalActor, Referral, referral_token_from_salt
from apps.search.services import batched, search_index_ideas
from apps.spread.models import (
    Adoption,
    AdoptionStage,
    BenefitHypothesis,
    Measurement,
    Solution,
)
from apps.stats import caching, selectors
from apps.stats.tables import Filters
from apps.workflow.models import Stage
from apps.workflow.services import process_seed_default

CONSORTIUM_SLUG = "benchmark-statistics"
PREFIX = "BST"
MUNICIPALITIES = [
    ("Essunga", 520), ("Falköping", 2900), ("Grästorp", 480), ("Gullspång", 450),
    ("Götene", 1100), ("Hjo", 800), ("Karlsborg", 600), ("Lidköping", 3500),
    ("Mariestad", 2200), ("Skara", 1600), ("Skövde", 4500), ("Tibro", None),
    ("Tidaholm", 1100), ("Töreboda", 800), ("Vara", 1400),
]  # fmt: skip
PATH = ["received", "capture", "assess", "test", "develop", "spread"]
#: Where an idea may end from each stage, and a reason sometimes given.
OUTCOMES = {
    "received": ["closed"],
    "capture": ["closed", "parked"],
    "assess": ["closed", "parked", "handed_over"],
    "test": ["closed", "parked"],
    "develop": ["implemented", "closed", "handed_over"],
    "spread": ["implemented"],
}
REASONS = ["Finns redan", "Ingen budget", "Passar inte verksamheten", "Överlämnad till IT", ""]
YEARS = 3


class Command(BaseCommand):
    help = "Build a large statistics data set (or reuse it) and time the dashboard's figures."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=50)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, ideas: int, runs: int, seed: int, **options):
        rng = random.Random(seed)
        consortium = self._consortium()
        existing = Idea.objects.filter(consortium=consortium).count()
        if existing < ideas:
            self._build(consortium, ideas - existing, existing, rng)
            if connection.vendor == "postgresql":
                # As autovacuum would soon after a bulk load: fresh statistics for the
                # planner, and the visibility map that lets the counts read indexes
                # alone (without it each counted row is looked up in the table too).
                # VACUUM cannot run in a transaction (a test's): statistics alone there.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        else:
            self.stdout.write(f"Reusing {existing} benchmark ideas.")
        today = timezone.localdate()
        filters = Filters(
            start=today - timedelta(days=364), end=today, consortium_ids=frozenset({consortium.pk})
        )
        total = Idea.objects.filter(consortium=consortium).count()
        entries = TimelineEntry.objects.filter(idea__consortium=consortium).count()
        self.stdout.write(
            f"{connection.vendor}: {total} ideas, {entries} timeline entries; "
            f"period {filters.start} – {filters.end}."
        )
        self.stdout.write(
            "Cold path (cache bypassed: every call recomputes every part; "
            "the dashboard page's p95 is the one compared with the target):"
        )
        caching.BYPASS = True
        try:
            self._time("dashboard_tables", selectors.dashboard_tables, filters, runs)
            self._time("public_tables", selectors.public_tables, filters, runs)
            self._time_pages(consortium, runs)
        finally:
            caching.BYPASS = False
        self.stdout.write("After one write (as readers get it right after a note or a move):")
        self._time_after_writes(consortium, runs)
        self.stdout.write("Warm path (as readers get it when nothing has changed):")
        self._time("dashboard_tables", selectors.dashboard_tables, filters, runs)
        self._time("public_tables", selectors.public_tables, filters, runs)
        self._time_pages(consortium, runs)

    # --- data ----------------------------------------------------------------------------

    def _consortium(self) -> Organisation:
        consortium = Organisation.objects.filter(slug=CONSORTIUM_SLUG).first()
        if consortium is None:
            with transaction.atomic():
                consortium = Organisation.objects.create(
                    kind=Organisation.Kind.CONSORTIUM,
                    name="Benchmark statistics",
                    slug=CONSORTIUM_SLUG,
                    reference_prefix=PREFIX,
                )
                process_seed_default(consortium=consortium)
                for name, employees in MUNICIPALITIES:
                    Organisation.objects.create(
                        kind=Organisation.Kind.MUNICIPALITY,
                        name=name,
                        slug=f"bench-stats-{name.lower()}",
                        parent=consortium,
                        employee_count=employees,
                    )
        return consortium

    def _people(self, consortium):
        user = User.objects.filter(email="bench-stats@example.se").first()
        if user is None:
            user = User.objects.create_user(
                email="bench-stats@example.se", password=None, full_name="Bench Statistics"
            )
        actor = ExternalActor.objects.filter(consortium=consortium).first()
        if actor is None:
            actor = ExternalActor.objects.create(
                consortium=consortium,
                name="Eva Expert",
                organisation="Högskolan",
                email="bench-expert@example.se",
            )
        return user, actor

    def _build(self, consortium, count: int, start: int, rng) -> None:
        municipalities = list(consortium.children.filter(kind=Organisation.Kind.MUNICIPALITY))
        stages = {s.key: s for s in Stage.objects.filter(consortium=consortium)}
        user, actor = self._people(consortium)
        now = timezone.now()
        began = now - timedelta(days=365 * YEARS)
        self.stderr.write(f"Creating {count} ideas with timelines…")
        started = time.monotonic()
        for chunk in batched(range(start, start + count), 5000):
            ideas, journeys = [], []
            for number in chunk:
                handed_in = began + timedelta(seconds=rng.uniform(0, 365 * YEARS * 86400))
                journey = self._journey(handed_in, now, rng)
                key, entered, _reason = journey[-1]
                journeys.append(journey)
                ideas.append(
                    Idea(
                        reference=f"{PREFIX}-{handed_in.year}-{number + 1:06d}",
                        consortium=consortium,
                        municipality=municipalities[rng.randrange(len(municipalities))],
                        title=f"Benchmark-idé {number + 1}",
                        need="Ett behov.",
                        solution="En lösning.",
                        stage=stages[key],
                        stage_entered_at=entered,
                        stages_reached=Idea.stages_reached_text(
                            stages[step].pk for step, _at, _reason in journey
                        ),
                        submission_token=uuid.uuid4(),
                        created_at=handed_in,
                        last_activity_at=entered,
                    )
                )
            with transaction.atomic():
                created = Idea.objects.bulk_create(ideas, batch_size=1000)
                if not all(idea.pk for idea in created):  # backends without RETURNING
                    by_ref = dict(
                        Idea.objects.filter(reference__in=[i.reference for i in ideas]).values_list(
                            "reference", "pk"
                        )
                    )
                    for idea in created:
                        idea.pk = by_ref[idea.reference]
                search_index_ideas(idea_ids=[idea.pk for idea in created], embed=False)
                self._timelines(created, journeys, stages, user)
                self._referrals(created, user, actor, now, rng)
                self._spread(created, municipalities, user, now, rng)
            done = chunk[-1] + 1 - start
            elapsed = time.monotonic() - started
            self.stderr.write(f"\r{done}/{count} ideas, {elapsed:.0f} s", ending="")
        self.stderr.write("")

    @staticmethod
    def _journey(handed_in, now, rng) -> list[tuple[str, object, str]]:
        """(stage key, entered at, reason) from handing in to today or an outcome."""
        journey = [("received", handed_in, "")]
        when = handed_in
        for index, key in enumerate(PATH):
            when = when + timedelta(days=rng.uniform(1, 60 if index < 2 else 120))
            if when >= now:
                break
            if rng.random() < 0.35:  # ends here in an outcome
                outcome = rng.choice(OUTCOMES[key])
                journey.append((outcome, when, rng.choice(REASONS)))
                break
            if index + 1 == len(PATH):
                break
            journey.append((PATH[index + 1], when, ""))
        return journey

    @staticmethod
    def _timelines(ideas, journeys, stages, user) -> None:
        rows = []
        for idea, journey in zip(ideas, journeys, strict=True):
            previous, entered = None, None
            for key, when, reason in journey:
                rows.append(
                    TimelineEntry(
                        idea_id=idea.pk,
                        kind=TimelineEntry.Kind.SUBMITTED
                        if previous is None
                        else TimelineEntry.Kind.STAGE_CHANGED,
                        actor=None if previous is None else user,
                        from_stage=previous,
                        to_stage=stages[key],
                        body=reason,
                        created_at=when,
                        stay_started_at=entered,
                    )
                )
                previous, entered = stages[key], when
        TimelineEntry.objects.bulk_create(rows, batch_size=2000)

    @staticmethod
    def _referrals(ideas, user, actor, now, rng) -> None:
        rows = []
        for idea in ideas:
            if rng.random() >= 0.15:
                continue
            sent = idea.created_at + timedelta(days=rng.uniform(5, 60))
            if sent >= now:
                continue
            answered = sent + timedelta(days=rng.uniform(1, 40))
            due = (sent + timedelta(days=21)).date()
            salt = new_link_salt()
            rows.append(
                Referral(
                    idea_id=idea.pk,
                    created_by=user,
                    external_actor=actor,
                    question="Vad tror ni?",
                    due_date=due,
                    expires_at=Referral.expiry_for(due),
                    sent_at=sent,
                    answered_at=answered if answered < now and rng.random() < 0.8 else None,
                    link_salt=salt,
                    token_hash=hash_token(referral_token_from_salt(salt)),
                )
            )
        Referral.objects.bulk_create(rows, batch_size=2000)

    @staticmethod
    def _spread(ideas, municipalities, user, now, rng) -> None:
        spreading = [idea for idea in ideas if idea.stage.key in ("spread", "implemented")]
        solutions = Solution.objects.bulk_create(
            [
                Solution(
                    idea_id=idea.pk,
                    title=f"Lösning {idea.reference}",
                    summary="Sammanfattning.",
                    category="other",
                    contact=user,
                    created_by=user,
                )
                for idea in spreading
                if rng.random() < 0.5
            ]
        )
        if not all(s.pk for s in solutions):
            by_idea = dict(
                Solution.objects.filter(idea_id__in=[s.idea_id for s in solutions]).values_list(
                    "idea_id", "pk"
                )
            )
            for solution in solutions:
                solution.pk = by_idea[solution.idea_id]
        origin = {idea.pk: idea.municipality for idea in ideas}
        adoptions, benefits = [], []
        for solution in solutions:
            home = origin[solution.idea_id]
            benefits.append((solution.idea_id, None, home))
            for municipality in rng.sample(municipalities, rng.randrange(0, 4)):
                if municipality == home:
                    continue
                stage = rng.choice(AdoptionStage.values)
                adoptions.append(
                    Adoption(
                        solution_id=solution.pk,
                        municipality=municipality,
                        owner=user,
                        stage=stage,
                        stop_reason="Passade inte" if stage == AdoptionStage.STOPPED else "",
                        created_by=user,
                    )
                )
        Adoption.objects.bulk_create(adoptions)
        benefit_rows = [
            BenefitHypothesis(
                idea_id=idea_id,
                municipality=municipality,
                description="Nytta",
                indicator="Timmar",
                unit="h",
                baseline=Decimal(100),
                target=Decimal(60),
                how_measured="Räknas",
                owner=user,
                value_per_unit_sek=Decimal(450),
                hours_per_unit=Decimal(1),
            )
            for idea_id, _adoption, municipality in benefits
        ]
        created = BenefitHypothesis.objects.bulk_create(benefit_rows)
        if created and not all(b.pk for b in created):
            created = list(BenefitHypothesis.objects.filter(idea_id__in=[b[0] for b in benefits]))
        Measurement.objects.bulk_create(
            Measurement(
                benefit_id=benefit.pk,
                measured_on=(now - timedelta(days=rng.randrange(1, 700))).date(),
                value=Decimal(rng.randrange(60, 100)),
                recorded_by=user,
            )
            for benefit in created
            for _ in range(rng.randrange(0, 4))
        )

    # --- timing --------------------------------------------------------------------------

    def _page(self, consortium, name: str):
        """A call that gets a whole page as a reader gets it (filters, figures, SVG
        charts, tables), through Django's request handling with a process leader of the
        benchmark consortium logged in."""
        user, _actor = self._people(consortium)
        Membership.objects.get_or_create(
            user=user, organisation=consortium, role=Role.PROCESS_LEADER
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        path = reverse(name)

        def call(filters=None):
            response = client.get(path, {"consortium": consortium.pk})
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")

        return call

    def _time_pages(self, consortium, runs: int) -> None:
        self._time("dashboard page", self._page(consortium, "stats:dashboard"), None, runs)
        self._time("public page", self._page(consortium, "stats:public"), None, runs)

    def _time_after_writes(self, consortium, runs: int) -> None:
        """The dashboard page right after a note, and right after a move, each made
        through the services before every call (see the module docstring)."""
        user, _actor = self._people(consortium)
        stages = {stage.key: stage for stage in Stage.objects.filter(consortium=consortium)}
        following = {stages[key].pk: stages[after] for key, after in pairwise(PATH)}
        # One open idea per move (the warm-up takes one too), each moved one stage on.
        movable = iter(
            Idea.objects.filter(consortium=consortium, stage_id__in=following)
            .select_related("stage")
            .order_by("-pk")[: runs + 1]
        )
        noted = Idea.objects.filter(consortium=consortium).order_by("-pk").first()

        def note():
            idea_add_note(idea=noted, actor=user, body="Benchmark note.")

        def move():
            idea = next(movable, None)
            if idea is None:
                raise CommandError("Too few open ideas to move; use fewer --runs.")
            idea_move(
                idea=idea,
                actor=user,
                to_stage=following[idea.stage_id],
                expected_stage_id=idea.stage_id,
            )

        page = self._page(consortium, "stats:dashboard")
        self._time("dashboard page after a note", page, None, runs, before=note)
        self._time("dashboard page after a move", page, None, runs, before=move)

    def _time(self, name: str, function, filters: Filters | None, runs: int, before=None) -> None:
        """p50/p95 of `runs` calls after a warm-up; `before` (not timed) runs first each
        time."""
        if before is not None:
            before()
        function(filters)  # warm-up: translations, and the cache when not bypassed
        timings, cpu, queries = [], [], []
        for _ in range(runs):
            if before is not None:
                before()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                function(filters)
                cpu.append((time.process_time() - started_cpu) * 1000)
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
        timings.sort()
        cpu.sort()

        def percentile(values: list[float], p: int) -> float:
            return values[max(0, min(len(values) - 1, -(-p * len(values) // 100) - 1))]

        # The wall time grows with the machine's load; this process's CPU time does much
        # less (on SQLite it is the whole cost; on PostgreSQL the server's is not in it).
        self.stdout.write(
            f"  {name}: p50 {statistics.median(timings):.0f} ms, "
            f"p95 {percentile(timings, 95):.0f} ms, max {timings[-1]:.0f} ms; "
            f"CPU p50 {statistics.median(cpu):.0f} ms, p95 {percentile(cpu, 95):.0f} ms; "
            f"{max(queries)} queries per call ({runs} runs, load average "
            f"{os.getloadavg()[0]:.1f}; target p95 ≤ 200 ms)"
        )
