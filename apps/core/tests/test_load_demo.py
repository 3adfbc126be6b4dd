"""The demo data command that `make run` loads: complete, consistent, idempotent."""

import re
from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from apps.accounts.models import User
from apps.core import demo_data
from apps.core.testing import submit_idea
from apps.ideas.models import Idea, ReferenceCounter, Submitter, Tag, TimelineEntry, hash_token
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Membership, Organisation, Role
from apps.workflow.models import Stage, Transition
from apps.workflow.services import DEFAULT_STAGES

DEMO_MODELS = [
    Organisation,
    Membership,
    User,
    Stage,
    Transition,
    Tag,
    Idea,
    Submitter,
    TimelineEntry,
    ReferenceCounter,
]
Kind = TimelineEntry.Kind


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in DEMO_MODELS}


@pytest.fixture
def demo(settings, db) -> str:
    settings.DEBUG = True  # the command refuses to create demo accounts otherwise
    return load_demo()


@pytest.mark.django_db
def test_second_run_creates_nothing_and_prints_the_logins_again(demo):
    counts = row_counts()
    again = load_demo()
    assert row_counts() == counts
    assert "already loaded" in again
    for output in (demo, again):
        assert "coach.skovde@demo.sluss.se" in output
        assert "processledare1@demo.sluss.se" in output
        assert "medarbetare@demo.sluss.se" in output
        assert demo_data.PASSWORD in output
    # Written straight to the models: no receipts or notifications in the outbox.
    assert not OutboxEmail.objects.exists()


@pytest.mark.django_db
def test_demo_covers_every_municipality_stage_and_outcome(demo):
    consortium = Organisation.objects.get(slug="skaraborg", parent__isnull=True)
    assert consortium.reference_prefix == "SLU"
    municipalities = Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
    assert municipalities.count() == 15
    assert 22_000 <= sum(m.employee_count for m in municipalities) <= 23_000
    for municipality in municipalities:
        assert 4 <= municipality.children.count() <= 6
        assert municipality.ideas.exists()

    assert 280 <= Idea.objects.count() <= 320
    for key, *_ in DEFAULT_STAGES:
        assert Idea.objects.filter(stage__key=key).exists(), key

    foraldraresan = Idea.objects.get(title__startswith="Föräldraresan")
    assert foraldraresan.title == "Föräldraresan – ett evidensbaserat tillgängligt stöd"
    assert foraldraresan.stage.key in ("test", "develop")


@pytest.mark.django_db
def test_every_timeline_follows_allowed_moves_to_the_current_stage(demo):
    allowed = set(Transition.objects.values_list("from_stage_id", "to_stage_id"))
    initial = Stage.objects.get(is_initial=True)
    now = timezone.now()
    entries = defaultdict(list)
    for entry in TimelineEntry.objects.order_by("created_at", "pk"):
        entries[entry.idea_id].append(entry)

    for idea in Idea.objects.select_related("stage"):
        timeline = entries[idea.pk]
        submitted = timeline[0]
        assert submitted.kind == Kind.SUBMITTED
        assert submitted.created_at == idea.created_at
        assert submitted.to_stage_id == initial.pk
        moves = [e for e in timeline if e.kind == Kind.STAGE_CHANGED]
        current = initial.pk
        for move in moves:
            assert move.from_stage_id == current, idea.reference
            assert (move.from_stage_id, move.to_stage_id) in allowed, idea.reference
            if move.to_stage.requires_reason:
                assert move.body, idea.reference
            current = move.to_stage_id
        last = (moves or [submitted])[-1]
        assert last.to_stage_id == idea.stage_id, idea.reference
        assert idea.stage_entered_at == last.created_at, idea.reference
        assert idea.last_activity_at == timeline[-1].created_at, idea.reference
        assert timeline[-1].created_at <= now
        assert len({e.created_at for e in moves}) == len(moves)


@pytest.mark.django_db
def test_references_counters_and_private_links_are_consistent(demo):
    references = list(Idea.objects.values_list("reference", "created_at"))
    assert len({r for r, _ in references}) == len(references)
    highest = defaultdict(int)
    for reference, created_at in references:
        match = re.fullmatch(r"SLU-(\d{4})-(\d{4})", reference)
        assert match, reference
        assert int(match[1]) == timezone.localtime(created_at).year
        highest[int(match[1])] = max(highest[int(match[1])], int(match[2]))
    counters = dict(
        ReferenceCounter.objects.filter(prefix="SLU").values_list("year", "last_number")
    )
    assert counters == highest

    tokens = list(Idea.objects.values_list("submission_token", flat=True))
    assert None not in tokens and len(set(tokens)) == len(tokens)
    submitters = list(Submitter.objects.all())
    assert all(s.access_token_hash == hash_token(s.access_token) for s in submitters)
    assert Submitter.objects.filter(is_primary=False).exists()
    for submitter in submitters:
        assert submitter.email.endswith("@example.se") or submitter.user_id, submitter.email


@pytest.mark.django_db
def test_a_new_submission_continues_after_the_demo_numbers(demo):
    skovde = Organisation.objects.get(kind=Organisation.Kind.MUNICIPALITY, slug="skovde")
    year = timezone.localdate().year
    before = ReferenceCounter.objects.get(prefix="SLU", year=year).last_number
    idea = submit_idea(skovde)
    assert idea.reference == f"SLU-{year}-{before + 1:04d}"


@pytest.mark.django_db
def test_demo_people_log_in_with_their_roles(demo, client):
    assert client.login(email="coach.skovde@demo.sluss.se", password=demo_data.PASSWORD)
    coach = User.objects.get(email="coach.skovde@demo.sluss.se")
    assert coach.memberships.get().role == Role.COACH
    assert coach.preferred_language == "sv"
    assert User.objects.filter(email__endswith="@demo.sluss.se", is_active=True).count() == 21

    admin = User.objects.get(email="admin@demo.sluss.se")
    assert not admin.is_superuser
    assert admin.memberships.get().role == Role.ADMINISTRATOR
    manager = Membership.objects.get(user__email="chef.skovde@demo.sluss.se")
    assert manager.role == Role.MANAGER
    assert manager.organisation.municipality.slug == "skovde"
    assert Membership.objects.filter(role=Role.PROCESS_LEADER).count() == 2
    assert not Membership.objects.filter(user__email="medarbetare@demo.sluss.se").exists()


def test_refuses_without_debug_and_creates_nothing(settings, db):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="allow-production"):
        load_demo()
    assert not Organisation.objects.exists()


def test_demo_ideas_are_found_by_search_and_similar_ideas(demo, settings):
    from apps.search.similarity import search_ideas, similar_ideas

    settings.SLUSS_SEMANTIC_SEARCH = False  # the lexical index is what the loader writes
    idea = Idea.objects.order_by("pk").first()
    everything = Idea.objects.all()
    assert idea.pk in {m.idea_id for m in search_ideas(query=idea.title, scope=everything)}
    similar = similar_ideas(
        title=idea.title, text=idea.solution, scope=everything, exclude_ids=[idea.pk]
    )
    assert similar, "a demo idea has no similar idea at all: the index is empty"
