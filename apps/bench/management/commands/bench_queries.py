"""Count the database queries of every page and call `make bench` measures.

Reads the manifest that `bench_build` wrote, signs in as the bench's coach and process
leader with Django's test client (no network, the real views, middleware and database)
and counts, with `CaptureQueriesContext`, the queries of each endpoint for several of the
manifest's inputs (references, search terms, filters). It prints one JSON object on
stdout: per endpoint the highest and lowest count seen and the statuses, and the "plan"
the load generator needs (the export address in use, the municipality id of the public
form). `bench/run.py` runs it before and after `bench_build --grow` to show that no count
grows with the data.

Every request is a real one: the submission hands in a real idea (it is written to the
bench database like any other), a visit to an idea page is audited as it always is.
"""

from __future__ import annotations

import csv
import io
import json
import math
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from apps.accounts.models import User
from apps.organisations.models import Organisation

#: What htmx sends with the requests it makes.
HTMX = {"HX-Request": "true"}


class Command(BaseCommand):
    help = "Count the database queries of each benchmarked endpoint (JSON on stdout)."

    def add_arguments(self, parser):
        parser.add_argument("--manifest", default="var/bench/manifest.json")
        parser.add_argument(
            "--samples", type=int, default=5, help="inputs tried per endpoint (the highest counts)"
        )

    def handle(self, *args, manifest: str, samples: int, **options):
        with open(manifest, encoding="utf-8") as handle:
            data = json.load(handle)
        plan = _plan(data)
        coach = _client_for(data["coach"]["email"])
        leader = _client_for(data["leader"]["email"])
        anonymous = _client()
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {data['api_token']}"}
        references = data["idea_references"][:samples]
        terms = data["search_terms"][:samples]
        filters = data["list_filters"][:samples]
        similar = data["similar_queries"][:samples]
        municipality_id = plan["submit_municipality_id"]

        def submit(_):
            # A fresh form token per submission, as a fresh form gives.
            return anonymous.post(
                "/submit/",
                {
                    "title": "Benchmark: snabbare snöröjning vid skolor",
                    "need": "Gångvägarna till skolan plogas sent på morgonen.",
                    "solution": "Ploga skolornas gångvägar först, före klockan sju.",
                    "municipality": municipality_id,
                    "submitter_name": "Bench Inlämnare",
                    "submitter_email": "submitter@bench.sluss.invalid",
                    "submission_token": str(uuid.uuid4()),
                },
            )

        # name: (inputs, call[, expected status])
        endpoints: dict[str, tuple] = {
            "healthz": ([None], lambda _: anonymous.get(plan["healthz_path"])),
            "trivial": ([None], lambda _: anonymous.get(plan["trivial_path"])),
            "idea_form": ([None], lambda _: anonymous.get("/submit/")),
            "submission": ([None, None], submit, 302),
            "board": ([None], lambda _: coach.get("/workspace/board/")),
            "list": (filters, lambda f: coach.get(f"/workspace/ideas/?{urlencode(f)}")),
            "idea_page": (references, lambda r: coach.get(f"/workspace/ideas/{r}/")),
            # The idea page's similar ideas, which htmx fetches after the page.
            "idea_similar": (
                references,
                lambda r: coach.get(f"/workspace/ideas/{r}/similar/", headers=HTMX),
            ),
            "search": (terms, lambda t: coach.get(f"/workspace/ideas/?{urlencode({'q': t})}")),
            "similar": (
                similar,
                lambda q: anonymous.post(
                    "/api/v1/ideas/similar",
                    data=json.dumps({**q, "limit": 5}),
                    content_type="application/json",
                    **bearer,
                ),
            ),
            "dashboard": ([None], lambda _: leader.get("/statistics/")),
            "api_list": ([None], lambda _: anonymous.get("/api/v1/ideas", **bearer)),
            "export": (
                filters if plan["export_kind"] == "ideas" else [{}],
                lambda f: (coach if plan["export_kind"] == "ideas" else leader).get(
                    f"{plan['export_path']}?{urlencode(f)}"
                ),
            ),
        }
        results = {}
        for name, (inputs, call, *status) in endpoints.items():
            expected = status[0] if status else 200
            # One call first, not counted: first-use costs of a process (the session's
            # first touch, caches filled once) are not what grows with the data.
            _count(name, call, inputs[0], expected)
            measured = [_count(name, call, value, expected) for value in inputs]
            counts = [count for count, _rows in measured]
            by_input = [[value, count] for value, count in zip(inputs, counts, strict=True)]
            if name == "export" and plan["export_kind"] == "ideas":
                # The list export reads its rows in chunks, one query more per chunk by
                # design (memory holds one chunk): the part that must stay flat is the
                # count less the chunks. [input, flat part, queries, rows]
                size = _export_chunk_size()
                by_input = [
                    [value, count - math.ceil(rows / size), count, rows]
                    for value, (count, rows) in zip(inputs, measured, strict=True)
                ]
            results[name] = {
                "queries": max(counts),
                "min": min(counts),
                "samples": len(counts),
                "by_input": by_input,
            }
        results["dashboard"]["queries_cold"] = _dashboard_cold(leader)
        self.stdout.write(json.dumps({"endpoints": results, "plan": plan}, indent=1))


def _client() -> Client:
    # The host the server is reached by, and HTTPS as the proxy in front says it is.
    return Client(
        SERVER_NAME="localhost", HTTP_X_FORWARDED_PROTO="https", **{"wsgi.url_scheme": "https"}
    )


def _client_for(email: str) -> Client:
    client = _client()
    user = User.objects.filter(email=email).first()
    if user is None:
        raise CommandError(f"No user {email}: is the manifest from this database?")
    client.force_login(user)
    return client


def _count(name: str, call: Callable, value, expected: int = 200) -> tuple[int, int]:
    """The queries of one request, and the CSV rows of a streamed answer (else 0). Any
    status but the expected one fails the command, so a count is never reported for an
    error page."""
    content = b""
    with CaptureQueriesContext(connection) as captured:
        response = call(value)
        # A streamed answer runs its queries while it is read.
        if getattr(response, "streaming", False):
            content = b"".join(response.streaming_content)
    if response.status_code != expected:
        raise CommandError(f"{name} ({value!r}) answered {response.status_code}")
    rows = 0
    if content:
        text = content.decode("utf-8-sig", errors="replace")
        rows = max(sum(1 for _row in csv.reader(io.StringIO(text))) - 1, 0)  # less the header
    return len(captured), rows


def _export_chunk_size() -> int:
    from apps.ideas import exports

    return exports.CHUNK_SIZE


def _dashboard_cold(client: Client) -> int:
    """The dashboard computed afresh (its figures are kept in the cache otherwise)."""
    from apps.stats import caching

    caching.BYPASS = True
    try:
        return _count("dashboard (cold)", lambda _: client.get("/statistics/"), None)[0]
    finally:
        caching.BYPASS = False


def _plan(data: dict) -> dict:
    """What the load generator needs beyond the manifest, resolved on this database."""
    try:
        export_path, export_kind = reverse("ideas:list_export"), "ideas"
    except NoReverseMatch:
        export_path = reverse(
            "stats:export", kwargs={"slug": data["stats_table_slug"], "fmt": "csv"}
        )
        export_kind = "statistics"
    # The trivial page is the front page: fixed text in the site's layout, through every
    # middleware and the template engine. /healthz is answered before any middleware.
    trivial_path, healthz_path = reverse("core:home"), reverse("healthz")
    municipality = Organisation.objects.filter(slug=data["submit"]["municipality_slug"]).first()
    if municipality is None:
        raise CommandError("The manifest's submit municipality is not in this database.")
    return {
        "export_path": export_path,
        "export_kind": export_kind,
        "trivial_path": trivial_path,
        "healthz_path": healthz_path,
        "submit_municipality_id": municipality.pk,
    }
