"""The benchmark data set: built at the tiny scale, every page the runner reads answers
200 for the manifest's logins, the data is consistent where the pages rely on it, and
--grow and reuse keep the manifest true to the database."""

import io
import json
import re
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.accounts.models import User
from apps.bench import dataset
from apps.core.periodic import run_jobs_once
from apps.ideas.models import Idea, ReferenceCounter, TimelineEntry
from apps.ideas.selectors import IdeaFilters, idea_list, ideas_visible_to
from apps.notifications.models import OutboxEmail
from apps.search import semantic
from apps.search.models import IdeaSearchText

#: The manifest's keys, as bench_contract.md lists them.
MANIFEST_KEYS = {
    "scale", "vendor", "seed", "build_seconds", "counts", "password", "coach", "leader",
    "api_token", "idea_references", "search_terms", "similar_queries", "list_filters",
    "stats_table_slug", "submit",
}  # fmt: skip
COUNT_KEYS = {
    "consortia", "municipalities", "people", "ideas", "timeline_entries", "referrals",
    "meetings", "benefits", "measurements", "solutions", "adoptions",
}  # fmt: skip


def build(tmp_path, *args) -> tuple[dict, str]:
    path = tmp_path / "manifest.json"
    out = io.StringIO()
    call_command("bench_build", *args, manifest=str(path), stdout=out, stderr=io.StringIO())
    return json.loads(path.read_text(encoding="utf-8")), out.getvalue()


def logged_in(manifest: dict, who: str) -> Client:
    client = Client()
    # A real password login: the manifest's password must be the one stored.
    assert client.login(email=manifest[who]["email"], password=manifest["password"])
    return client


def assert_consistent(manifest: dict) -> None:
    spec = dataset.SCALES[manifest["scale"]]
    assert set(manifest) == MANIFEST_KEYS
    assert set(manifest["counts"]) == COUNT_KEYS
    assert manifest["counts"] == dataset.dataset_counts(spec)
    coach = User.objects.get(email=manifest["coach"]["email"])
    visible = set(
        ideas_visible_to(coach)
        .filter(reference__in=manifest["idea_references"])
        .values_list("reference", flat=True)
    )
    assert visible == set(manifest["idea_references"])
    assert len(manifest["search_terms"]) == 50
    assert len(manifest["similar_queries"]) == 50
    assert len(manifest["list_filters"]) == 20


@pytest.mark.django_db(transaction=True)
def test_tiny_data_set_serves_every_page_the_runner_reads(tmp_path):
    manifest, out = build(tmp_path, "--scale", "tiny")
    try:
        assert "Building" in out
        assert manifest["scale"] == "tiny"
        assert manifest["counts"]["ideas"] == 2000
        assert manifest["counts"]["people"] == 2000
        assert manifest["counts"]["consortia"] == 2
        assert manifest["counts"]["municipalities"] == 6
        assert len(manifest["idea_references"]) == 200
        assert_consistent(manifest)
        if connection.vendor == "postgresql":
            # Vacuumed and analysed, as autovacuum would have it: -1 tuples is "never
            # analysed", no all-visible page "never vacuumed".
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples, relallvisible FROM pg_class WHERE relname = 'ideas_idea'"
                )
                tuples, all_visible = cursor.fetchone()
                assert tuples >= 2000
                assert all_visible > 0
        for key in ("timeline_entries", "referrals", "meetings", "benefits", "solutions"):
            assert manifest["counts"][key] > 0, key
        _assert_pages(manifest)
        _assert_data_consistent()
        _assert_reminders_caught_up(out)
    finally:
        semantic.reset_cache()


def _assert_reminders_caught_up(out: str) -> None:
    """The build leaves no reminder due: the benchmark's worker would otherwise send
    every reminder of the data set's history during the measurements."""
    caught_up = int(re.search(r"Periodic jobs caught up: (\d+)", out).group(1))
    assert caught_up > 0  # the tiny data set has reminders due, so this step did work
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()
    assert not DBTaskResult.objects.filter(status="READY", task_path__endswith="email").exists()
    before = OutboxEmail.objects.count()
    run_jobs_once(now=timezone.now())
    assert OutboxEmail.objects.count() == before


def _assert_pages(manifest: dict) -> None:
    coach = logged_in(manifest, "coach")
    assert coach.get("/workspace/board/").status_code == 200
    for query in manifest["list_filters"]:
        assert coach.get("/workspace/ideas/", query).status_code == 200, query
    for reference in manifest["idea_references"][:5]:
        assert coach.get(f"/workspace/ideas/{reference}/").status_code == 200, reference
    for term in manifest["search_terms"][:5]:
        response = coach.get("/workspace/ideas/", {"q": term})
        assert response.status_code == 200
        assert response.context["page"].paginator.count > 0, term
    # Every search term finds ideas in the coach's own municipality.
    user = User.objects.get(email=manifest["coach"]["email"])
    for term in manifest["search_terms"]:
        assert idea_list(user, IdeaFilters(text=term)).exists(), term

    leader = logged_in(manifest, "leader")
    consortium = {"consortium": manifest["leader"]["consortium_id"]}
    assert leader.get("/statistics/", consortium).status_code == 200
    export = leader.get(f"/statistics/export/{manifest['stats_table_slug']}.csv", consortium)
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")

    api = Client(HTTP_AUTHORIZATION=f"Bearer {manifest['api_token']}")
    for question in manifest["similar_queries"][:3]:
        answer = api.post(
            "/api/v1/ideas/similar", {**question, "limit": 5}, content_type="application/json"
        )
        assert answer.status_code == 200
        assert answer.json()["results"], question
    listed = api.get("/api/v1/ideas")
    assert listed.status_code == 200
    assert listed.json()["count"] > 0


def _assert_data_consistent() -> None:
    ideas = {
        pk: (stage, entered, activity, reference, created)
        for pk, stage, entered, activity, reference, created in Idea.objects.filter(
            consortium__slug__startswith="bench-tiny-"
        ).values_list(
            "pk", "stage_id", "stage_entered_at", "last_activity_at", "reference", "created_at"
        )
    }
    last_move, last_entry = {}, defaultdict(lambda: None)
    moves = (TimelineEntry.Kind.SUBMITTED, TimelineEntry.Kind.STAGE_CHANGED)
    previous_entered = {}
    for idea_id, kind, to_stage, at, stay in (
        TimelineEntry.objects.filter(idea_id__in=list(ideas))
        .order_by("idea_id", "created_at", "pk")
        .values_list("idea_id", "kind", "to_stage_id", "created_at", "stay_started_at")
    ):
        if kind in moves:
            if kind == TimelineEntry.Kind.STAGE_CHANGED:
                # Each move keeps when the stay it ends began.
                assert stay == previous_entered[idea_id]
            last_move[idea_id] = (to_stage, at)
            previous_entered[idea_id] = at
        last_entry[idea_id] = at
    for pk, (stage, entered, activity, _reference, _created) in ideas.items():
        assert last_move[pk] == (stage, entered), pk
        assert last_entry[pk] == activity, pk
    assert IdeaSearchText.objects.filter(idea_id__in=list(ideas)).count() == len(ideas)
    # References: one per idea, numbered per consortium and year of handing in, and the
    # counters are where the next real idea goes on from.
    highest = defaultdict(int)
    for _stage, _entered, _activity, reference, created in ideas.values():
        prefix, year, number = re.fullmatch(r"(\w+)-(\d{4})-(\d+)", reference).groups()
        assert int(year) == timezone.localtime(created).year
        highest[(prefix, int(year))] = max(highest[(prefix, int(year))], int(number))
    counters = {
        (c.prefix, c.year): c.last_number
        for c in ReferenceCounter.objects.filter(prefix__startswith="BT")
    }
    assert counters == dict(highest)


@pytest.mark.django_db(transaction=True)
def test_grow_doubles_the_ideas_and_reuse_changes_nothing(tmp_path, settings):
    settings.SLUSS_SEMANTIC_SEARCH = False  # the vectors are covered above
    first, out = build(tmp_path, "--scale", "tiny", "--ideas", "300", "--people", "300")
    assert "Building" in out
    assert first["counts"]["ideas"] == 300
    assert_consistent(first)

    grown, out = build(tmp_path, "--scale", "tiny", "--ideas", "300", "--grow")
    assert grown["counts"]["ideas"] == 600
    assert grown["counts"]["people"] == 300
    for key in ("timeline_entries", "referrals"):
        assert grown["counts"][key] > first["counts"][key], key
    assert_consistent(grown)
    references = list(Idea.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 600

    again, out = build(tmp_path, "--scale", "tiny")
    assert "reusing" in out
    assert again["counts"] == grown["counts"]
    assert again["password"] != grown["password"]  # fresh logins on every run
    assert_consistent(again)
    assert logged_in(again, "leader").get("/workspace/board/").status_code == 200
    old = Client(HTTP_AUTHORIZATION=f"Bearer {grown['api_token']}")
    assert old.get("/api/v1/ideas").status_code == 401  # the earlier token was revoked
