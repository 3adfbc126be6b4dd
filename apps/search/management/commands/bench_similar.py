"""Benchmark of similar-idea search at scale: `python manage.py bench_similar --ideas 100000`.

Builds (or reuses) a data set of ideas in the current database (SQLite or PostgreSQL via
DATABASE_URL) in a consortium of its own, "Benchmark", with realistic Swedish text,
indexes it, gives every idea a vector, and times POST /api/v1/ideas/similar through
Django's test client with a process leader's personal access token (the real code path:
token, scope, both layers), reporting p50/p95/p99 and the queries per call.

Vectors: embedding 100,000 texts with the model would take about half an hour here, so
each idea's text is composed of fragments (title, need and solution sentences), only the
few thousand fragments are embedded, and an idea's stored vector is the normalised
weighted sum of its fragments' vectors. The query's vector in every timed call is real
(every timed query is a new text, so the per-process cache of query vectors never helps).

After building, the database is analysed as a live one would be (VACUUM ANALYZE on
PostgreSQL: statistics and merged GIN pending lists). With `--searches N` (default 200)
it also times the workspace's idea list with a search text (GET /workspace/ideas/?q=),
signed in as a coach of all fifteen municipalities (every idea in scope, filtered).
Beside each wall time it prints this process's CPU time per call (all its threads, not
the database server's) and the load average: on a shared machine the wall time follows
the load, the CPU time says whether a change did less work.

Target (issue 5): p95 <= 100 ms at 100,000 ideas on both databases. Measured:

- Before (last session, a quieter machine): SQLite p95 97-146 ms (best p50 82 ms),
  PostgreSQL 123-172 ms.
- 2026-11-28, with the changes of that day (the product over the matrix in the
  embedding thread beside the lexical query, a gist of title + 100 characters, no scope
  join for an all-ideas scope, float8 scores and small GIN pending lists on
  PostgreSQL), on 2 CPUs shared with other jobs at a load average of 10-20 the whole
  time: SQLite p95 515-1146 ms (p50 376-731), PostgreSQL p95 599-676 ms (p50 463-500),
  i.e. the wall time was 4-6 times the CPU time and the target could not be judged
  there. CPU of the process per call, fresh query text each time: 95-117 ms p50, of
  which the model about 40-65 ms (36 tokens; 1.1 ms a token on an idle core, up to 2 on
  a loaded one), the product over the 100,000 x 384 matrix 15-18, the lexical query
  10 on SQLite (PostgreSQL's runs in its server: 25-50 ms wall at that load, 1 ms of it
  the GIN index scan), the API (token, scope, answer) about 10. The model and the
  product run in one thread while the request's thread runs the lexical query, so on
  two free cores an answer costs about model + product + the rest (about 70-80 ms).
- 2026-11-28, a quiet machine (load average 1.0-1.6 on 2 CPUs, nothing else running):
  SQLite p95 53.0 ms (p50 43.2, p99 58.9); PostgreSQL p95 117.8 ms (p50 51.9) until its
  lexical query read the GIN index instead of scanning every document (the planner's
  page cost for an SSD, backends/postgresql.py), then p95 64.7 ms (p50 54.0, p99 91.8).
  Both meet the target. The workspace search page on the same runs: SQLite p95 332 ms,
  PostgreSQL 533 ms (9-17 queries a page).
- 2026-11-28, later, quiet machine (load average 1.0-1.2), with the matrix stored as int8
  with a scale per row (semantic.py) and the searched list paging its ranked ids in
  Python: similar ideas SQLite p95 50.7 ms (p50 44.4, CPU p50 48), PostgreSQL p95
  59.8 ms (p50 46.8, CPU p50 45); the search page SQLite p95 77 ms (p50 46), PostgreSQL
  p95 295 ms (p50 124; this process's CPU p50 32 ms, the rest the database's lexical
  query for short common words).
- The search page (the loaded runs above): 400-560 ms CPU per page, most of it outside apps/search:
  the list's ordering by rank (a CASE of up to 1,000 WHENs built through the ORM), the
  reference lookup (`reference__iexact`, a scan of the ideas) and the filter form's
  owner list. The engine's own part: 16 ms of CPU on SQLite, plus about 20 for checking
  that the listed ideas hold the words; on PostgreSQL its query took 0.4 s at that load
  (3.0 s before the near-title match had an index of its own), most of it a scan of the
  ideas table for the coach's scope.
"""

import os
import random
import statistics
import sys
import time
import uuid

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.api.services import api_token_create
from apps.ideas.models import Idea
from apps.organisations.models import Membership, Organisation, Role
from apps.search import semantic
from apps.search.models import IdeaEmbedding, IdeaSearchText
from apps.search.services import batched, search_index_ideas
from apps.workflow.models import Stage
from apps.workflow.services import process_seed_default

CONSORTIUM_SLUG = "benchmark-consortium"
PREFIX = "BEN"
MUNICIPALITIES = [
    "Essunga", "Falköping", "Grästorp", "Gullspång", "Götene", "Hjo", "Karlsborg",
    "Lidköping", "Mariestad", "Skara", "Skövde", "Tibro", "Tidaholm", "Töreboda", "Vara",
]  # fmt: skip

SUBJECTS = [
    "snöröjning", "skolmat", "hemtjänst", "biblioteket", "färdtjänst", "förskolan",
    "äldreboendet", "fritidsgården", "badhuset", "gatubelysning", "återvinningscentralen",
    "socialtjänsten", "bygglov", "kontaktcenter", "tjänstebilar", "skolskjuts",
    "vikarieanskaffning", "matsvinn", "parkskötsel", "idrottshallar", "läxhjälp",
    "språkcafé", "trygghetslarm", "schemaläggning", "upphandling", "e-arkiv",
    "felanmälan", "laddstolpar", "solceller", "cykelvägar", "föräldrautbildning",
    "nattillsyn", "rekrytering", "introduktion av nyanställda", "friskvård", "tolkning",
    "kompostering", "lekplatser", "badplatser", "simundervisning",
]  # fmt: skip
ACTIONS = [
    "Digital", "Gemensam", "Enklare", "Snabbare", "Billigare", "Tryggare", "Hållbar",
    "Mobil", "Samordnad", "Tillgänglig", "Automatisk", "Förbättrad", "Ny modell för",
    "Pilotprojekt med", "Smartare",
]  # fmt: skip
PLACES = [
    "i tätorten", "på landsbygden", "i hela kommunen", "för Skaraborg", "i skolorna",
    "för äldre", "för unga", "för nyanlända", "för personalen", "för föreningslivet",
]  # fmt: skip
NEEDS = [
    "Invånarna väntar för länge på besked och ringer flera gånger.",
    "Personalen lägger mycket tid på papper och dubbelarbete.",
    "Kostnaderna har ökat varje år utan att kvaliteten blivit bättre.",
    "Äldre och personer med funktionsnedsättning har svårt att ta sig fram.",
    "Barn och unga saknar en trygg plats på kvällar och helger.",
    "Flera kommuner gör samma sak var för sig och ingen lär av de andra.",
    "Det är svårt att rekrytera och behålla medarbetare.",
    "Information finns bara på papper och på svenska.",
    "Vintertid halkar många och fallolyckorna ökar.",
    "Mycket material slängs fast det skulle kunna användas igen.",
]
SOLUTIONS = [
    "En e-tjänst med BankID där ärendet följs på webben.",
    "Ett gemensamt avtal för alla kommuner i förbundet.",
    "En app där personalen ser och byter sina arbetspass.",
    "Volontärer från föreningslivet hjälper till varje vecka.",
    "Sensorer och kartor visar var insatsen behövs först.",
    "En mentor och en tydlig introduktion de första veckorna.",
    "Utlåning och återbruk samordnas i ett lager med bokning på nätet.",
    "Pilotförsök under ett halvår i en kommundel med uppföljning av nyttan.",
    "Längre öppettider med självbetjäning och passerkort.",
    "Information på lättläst svenska och flera språk, också som film.",
]


def _titles() -> list[str]:
    return [f"{a} {s} {p}" for a in ACTIONS for s in SUBJECTS for p in PLACES]


class Command(BaseCommand):
    help = "Build a large idea set (or reuse it) and time the similar-ideas API."

    def add_arguments(self, parser):
        parser.add_argument("--ideas", type=int, default=100_000)
        parser.add_argument("--queries", type=int, default=300)
        parser.add_argument("--fragments", type=int, default=2500, help="Titles embedded.")
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument(
            "--searches", type=int, default=200, help="Workspace searches timed (0: none)."
        )

    def handle(
        self, *args, ideas: int, queries: int, fragments: int, seed: int, searches: int, **options
    ):
        if not semantic.enabled():
            self.stderr.write("The semantic layer is off: timing the lexical layer alone.")
        rng = random.Random(seed)
        consortium = self._consortium()
        existing = Idea.objects.filter(consortium=consortium).count()
        if existing < ideas:
            self._build(consortium, ideas - existing, existing, fragments, rng)
            self._analyse()
        else:
            self.stdout.write(f"Reusing {existing} benchmark ideas.")
        self._time(consortium, queries, rng)
        if searches:
            self._time_search(consortium, searches, rng)

    # --- data ----------------------------------------------------------------------------

    def _consortium(self) -> Organisation:
        consortium = Organisation.objects.filter(slug=CONSORTIUM_SLUG).first()
        if consortium is None:
            with transaction.atomic():
                consortium = Organisation.objects.create(
                    kind=Organisation.Kind.CONSORTIUM,
                    name="Benchmark",
                    slug=CONSORTIUM_SLUG,
                    reference_prefix=PREFIX,
                )
                process_seed_default(consortium=consortium)
                for name in MUNICIPALITIES:
                    Organisation.objects.create(
                        kind=Organisation.Kind.MUNICIPALITY,
                        name=name,
                        slug=f"benchmark-{name.lower()}",
                        parent=consortium,
                        employee_count=1500,
                    )
        return consortium

    def _build(self, consortium, count: int, start: int, fragments: int, rng) -> None:
        municipalities = list(consortium.children.filter(kind=Organisation.Kind.MUNICIPALITY))
        stage = Stage.objects.get(consortium=consortium, is_initial=True)
        titles = rng.sample(_titles(), min(fragments, len(_titles())))
        vectors = self._fragment_vectors(titles)
        now = timezone.now()
        self.stderr.write(f"Creating {count} ideas…")
        started = time.monotonic()
        for chunk in batched(range(start, start + count), 5000):
            rows, parts = [], []
            for number in chunk:
                t, n, s = (
                    rng.randrange(len(titles)),
                    rng.randrange(len(NEEDS)),
                    rng.randrange(len(SOLUTIONS)),
                )
                parts.append((t, n, s))
                rows.append(
                    Idea(
                        reference=f"{PREFIX}-2026-{number + 1:06d}",
                        consortium=consortium,
                        municipality=municipalities[number % len(municipalities)],
                        title=titles[t][:150],
                        need=f"{NEEDS[n]} Gäller {titles[t].lower()}.",
                        solution=SOLUTIONS[s],
                        stage=stage,
                        stage_entered_at=now,
                        submission_token=uuid.uuid4(),
                        created_at=now,
                        last_activity_at=now,
                    )
                )
            with transaction.atomic():
                created = Idea.objects.bulk_create(rows, batch_size=1000)
                ids = [idea.pk for idea in created]
                if not all(ids):  # backends that return no ids from bulk_create
                    refs = [idea.reference for idea in rows]
                    by_ref = dict(
                        Idea.objects.filter(reference__in=refs).values_list("reference", "pk")
                    )
                    ids = [by_ref[ref] for ref in refs]
                search_index_ideas(idea_ids=ids, embed=False)
                if vectors is not None:
                    IdeaEmbedding.objects.bulk_create(
                        [
                            IdeaEmbedding(
                                idea_id=pk,
                                vector=semantic.to_bytes(self._derived(vectors, t, n, s)),
                                model_name=f"{semantic.MODEL_NAME} (derived from fragments)",
                                text_hash="",
                                created_at=now,
                            )
                            for pk, (t, n, s) in zip(ids, parts, strict=True)
                        ],
                        batch_size=2000,
                    )
            done = chunk[-1] + 1 - start
            sys.stderr.write(f"\r{done}/{count} ideas, {time.monotonic() - started:.0f} s")
        sys.stderr.write("\n")
        self.stdout.write(
            f"{count} ideas created and indexed; vectors derived from "
            f"{len(titles) + len(NEEDS) + len(SOLUTIONS)} embedded fragments."
        )

    @staticmethod
    def _analyse() -> None:
        # What a live database does after bulk writes: statistics (without them the
        # planner takes the ideas table for a fraction of its size and picks plans no live
        # site runs) and, on PostgreSQL, GIN pending lists merged: autovacuum does both,
        # and it may be off on a scratch server.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")

    def _fragment_vectors(self, titles):
        if not semantic.enabled():
            return None
        self.stderr.write(f"Embedding {len(titles) + len(NEEDS) + len(SOLUTIONS)} fragments…")
        title_vectors = np.concatenate(
            [semantic.embed_passages(list(chunk)) for chunk in batched(titles, 64)]
        )
        return (title_vectors, semantic.embed_passages(NEEDS), semantic.embed_passages(SOLUTIONS))

    @staticmethod
    def _derived(vectors, t: int, n: int, s: int) -> np.ndarray:
        title_vectors, need_vectors, solution_vectors = vectors
        combined = 2.0 * title_vectors[t] + need_vectors[n] + solution_vectors[s]
        return combined / np.linalg.norm(combined)

    # --- timing --------------------------------------------------------------------------

    def _time(self, consortium, queries: int, rng) -> None:
        user = User.objects.filter(email="bench-leader@example.se").first()
        if user is None:
            user = User.objects.create_user(
                email="bench-leader@example.se", password=None, full_name="Bench Leader"
            )
            Membership.objects.create(user=user, organisation=consortium, role=Role.PROCESS_LEADER)
        _token, secret = api_token_create(user=user, name=f"bench {timezone.now():%H:%M:%S}")
        client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {secret}")
        total = Idea.objects.filter(consortium=consortium).count()
        sample = list(
            Idea.objects.filter(consortium=consortium)
            .order_by("?")
            .values_list("title", "need", "solution")[: queries + 5]
        )
        if not sample:
            raise CommandError("No benchmark ideas to ask about.")

        def ask(title, need, solution):
            words = f"{need} {solution}".split()
            rng.shuffle(words)  # a rewording: same words, another order, some left out
            text = " ".join(words[: max(4, len(words) * 2 // 3)])
            return client.post(
                "/api/v1/ideas/similar",
                {"title": title, "text": text, "limit": 5},
                content_type="application/json",
            )

        for row in sample[:5]:  # warm-up: model, matrix, caches
            answer = ask(*row)
            if answer.status_code != 200:
                raise CommandError(f"The API answered {answer.status_code}: {answer.content!r}")
        rows = iter(sample[5:])
        timings, cpu, query_counts = _measure(lambda: ask(*next(rows)), len(sample) - 5)
        self.stdout.write(
            f"Database: {connection.vendor}; ideas in the benchmark consortium: {total}; "
            f"ideas with vectors: {IdeaEmbedding.objects.count()}; indexed: "
            f"{IdeaSearchText.objects.count()}; semantic layer: "
            f"{'on' if semantic.enabled() else 'off'}"
        )
        self.stdout.write(
            f"POST /api/v1/ideas/similar x {len(timings)}: {_summary(timings)}; "
            f"queries per call {min(query_counts)}-{max(query_counts)}"
        )
        self.stdout.write(f"  CPU of this process per call: {_summary(cpu)}; {_load()}")

    def _time_search(self, consortium, searches: int, rng) -> None:
        """Time the workspace's idea list with a search text, as a coach of every
        municipality of the benchmark (the widest scope a coach has: all its ideas)."""
        user = User.objects.filter(email="bench-coach@example.se").first()
        if user is None:
            user = User.objects.create_user(
                email="bench-coach@example.se", password=None, full_name="Bench Coach"
            )
            for municipality in consortium.children.filter(kind=Organisation.Kind.MUNICIPALITY):
                Membership.objects.create(user=user, organisation=municipality, role=Role.COACH)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        words = [word for title in _titles() for word in title.split() if len(word) > 3]

        def search():
            # One or two words of the titles, at times shortened as someone still typing.
            text = " ".join(rng.sample(words, rng.choice((1, 1, 2))))
            if rng.random() < 0.3:
                text = text[: max(4, len(text) - 3)]
            return client.get("/workspace/ideas/", {"q": text})

        for _ in range(5):
            answer = search()
            if answer.status_code != 200:
                raise CommandError(f"The search page answered {answer.status_code}.")
        timings, cpu, query_counts = _measure(search, searches)
        self.stdout.write(
            f"GET /workspace/ideas/?q=... (coach of all {len(MUNICIPALITIES)} municipalities) "
            f"x {len(timings)}: {_summary(timings)}; "
            f"queries per page {min(query_counts)}-{max(query_counts)}"
        )
        self.stdout.write(f"  CPU of this process per page: {_summary(cpu)}; {_load()}")


def _measure(call, runs: int) -> tuple[list[float], list[float], list[int]]:
    """Wall time and this process's CPU time (all its threads; not the database server's)
    of each call in ms, and its number of queries. On a shared machine the wall time
    follows the load; the CPU time tells whether a change did less work."""
    timings, cpu, query_counts = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            call()
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        query_counts.append(len(captured))
    return timings, cpu, query_counts


def _load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def _summary(timings: list[float]) -> str:
    ordered = sorted(timings)

    def percentile(p):
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return (
        f"p50 {percentile(50):.1f} ms, p95 {percentile(95):.1f} ms, "
        f"p99 {percentile(99):.1f} ms, mean {statistics.mean(ordered):.1f} ms"
    )
