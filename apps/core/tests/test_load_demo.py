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
from apps.newsletters.models import Delivery, Newsletter, NewsletterBlock, Subscriber
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Membership, Organisation, Role
from apps.resources.models import Resource, ResourceVersion
from apps.showcase.models import ShowcaseEntry
from apps.trainings.models import Course, Registration, Session
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
    ShowcaseEntry,
    Course,
    Session,
    Registration,
    Resource,
    ResourceVersion,
    Subscriber,
    Newsletter,
    NewsletterBlock,
    Delivery,
    OutboxEmail,
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
    # Nothing waits in the outbox: loading the demo emails nobody.
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()


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
    # Everyone else (the managers who take part in trainings) cannot log in.
    others = User.objects.exclude(email__endswith="@demo.sluss.se")
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)

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


# --- Making the work visible (issue 6) ------------------------------------------------------

Status = Registration.Status


@pytest.mark.django_db
def test_showcase_has_published_stories_of_consented_later_ideas_and_a_draft(demo, client):
    communicator = User.objects.get(email="kommunikator@demo.sluss.se")
    published = list(ShowcaseEntry.objects.published().select_related("idea__stage"))
    assert 5 <= len(published) <= 6
    assert len({entry.category for entry in published}) >= 4
    now = timezone.now()
    for entry in published:
        assert entry.idea.consent_to_publish
        assert entry.idea.stage.key in ("test", "develop", "spread", "implemented")
        assert entry.approved_by == communicator
        assert entry.results
        assert entry.created_at <= entry.approved_at < now
        assert entry.approved_at >= entry.idea.stage_entered_at
        # The timeline says when it was published, and that is the idea's latest news.
        recorded = entry.idea.timeline.get(kind=Kind.SHOWCASE_PUBLISHED)
        assert recorded.created_at == entry.approved_at
        assert recorded.actor == communicator
    # Published over months, not all at once.
    dates = sorted(entry.approved_at for entry in published)
    assert (dates[-1] - dates[0]).days >= 90
    # Not a name in public unless agreed.
    assert all(entry.credit == "" or entry.credit_agreed for entry in published)

    drafts = ShowcaseEntry.objects.filter(approved_at__isnull=True)
    assert drafts.count() == 1
    draft = drafts.get()
    assert draft.idea.consent_to_publish and draft.created_by != communicator
    assert client.get(draft.get_absolute_url()).status_code == 404

    story = published[0]
    page = client.get("/showcase/")
    assert page.status_code == 200
    assert story.get_absolute_url() in page.content.decode()
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get("/showcase/feed.atom").status_code == 200


@pytest.mark.django_db
def test_trainings_have_past_attendance_and_a_full_session_with_a_waiting_list(demo, client):
    now = timezone.now()
    topics = set(Course.objects.values_list("topic", flat=True))
    assert {
        Course.Topic.INNOVATION_LEADERSHIP,
        Course.Topic.SERVICE_DESIGN,
        Course.Topic.GENDER_EQUALITY,
        Course.Topic.BENEFITS_REALISATION,
    } <= topics

    past = Session.objects.filter(starts_at__lt=now)
    assert past.count() >= 4
    attended = Registration.objects.filter(session__in=past, attended=True)
    assert attended.count() >= 40
    assert attended.values("municipality").distinct().count() >= 8
    assert attended.exclude(unit=None).values("unit").distinct().count() >= 5
    for registration in Registration.objects.filter(session__in=past).select_related("session"):
        assert registration.created_at < registration.session.starts_at
        if registration.attended is not None:
            assert registration.marked_at >= registration.session.ends_at
    assert not Registration.objects.filter(session__in=past, status=Status.WAITING).exists()

    upcoming = Session.objects.filter(starts_at__gt=now)
    assert upcoming.count() >= 4
    full = [s for s in upcoming if s.registered_count == s.seats and s.waiting_count]
    assert len(full) == 1
    session = full[0]
    waiting = list(session.registrations.filter(status=Status.WAITING).order_by("created_at"))
    seated = session.registrations.filter(status=Status.REGISTERED)
    assert max(r.created_at for r in seated) < waiting[0].created_at  # the line is fair
    chef = User.objects.get(email="chef.skovde@demo.sluss.se")
    assert chef in [r.user for r in waiting]
    assert Registration.objects.filter(
        user=chef, session__in=upcoming, status=Status.REGISTERED
    ).exists()
    assert Registration.objects.filter(user=chef, session__in=past, attended=True).exists()

    assert client.get("/trainings/").status_code == 200
    assert client.get(session.get_absolute_url()).status_code == 200
    assert client.login(email="chef.skovde@demo.sluss.se", password=demo_data.PASSWORD)
    mine = client.get("/trainings/mine/")
    assert mine.status_code == 200
    assert session.get_absolute_url() in mine.content.decode()


@pytest.mark.django_db
def test_resource_library_has_public_and_internal_items_with_valid_files(demo, client):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.ideas.uploads import validate_upload

    resources = Resource.objects.all()
    assert 6 <= resources.count() <= 8
    assert {r.visibility for r in resources} == {"public", "internal"}
    assert {r.category for r in resources} >= {"handbook", "template", "leaflet"}
    handbook = resources.get(version_count=2)
    first, second = handbook.versions.order_by("number")
    assert handbook.current_version == second
    assert first.uploaded_at < second.uploaded_at <= timezone.now()
    assert second.change_note

    for version in ResourceVersion.objects.all():
        with version.file.open("rb") as stored:
            content = stored.read()
        assert len(content) == version.size
        validate_upload(SimpleUploadedFile(version.original_name, content))
        if version.extension == "PDF":
            # The cross-reference table points at the objects, as readers expect.
            start = int(content.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
            assert content[start:].startswith(b"xref")
            offsets = re.findall(rb"(\d{10}) 00000 n ", content)
            for number, offset in enumerate(offsets, start=1):
                assert content[int(offset) :].startswith(b"%d 0 obj" % number)
        elif version.extension == "DOCX":
            with zipfile.ZipFile(version.file.path) as document:
                assert document.testzip() is None
                assert "word/document.xml" in document.namelist()

    public = resources.filter(visibility="public").first()
    internal = resources.filter(visibility="internal").first()
    assert client.get(f"/resources/{public.pk}/").status_code == 200
    assert client.get(f"/resources/{public.pk}/versions/1/").status_code == 200
    assert client.get(f"/resources/{internal.pk}/").status_code in (302, 404)
    assert client.get(f"/resources/{handbook.pk}/versions/2/").status_code == 200


@pytest.mark.django_db
def test_newsletters_two_sent_issues_in_the_archive_and_a_draft(demo, client):
    confirmed = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)
    assert 18 <= confirmed.count() <= 22
    sent = list(Newsletter.objects.filter(status=Newsletter.Status.SENT).order_by("sent_at"))
    assert len(sent) == 2
    assert Newsletter.objects.filter(status=Newsletter.Status.DRAFT).count() == 1
    kinds = set(NewsletterBlock.objects.filter(newsletter__in=sent).values_list("kind", flat=True))
    assert {"text", "showcase", "trainings"} <= kinds
    now = timezone.now()
    for issue in sent:
        assert issue.created_at < issue.sent_at < issue.finished_at < now
        assert issue.body_text and issue.body_html  # frozen as a real send does
        deliveries = issue.deliveries.select_related("subscriber", "email")
        # Each subscriber confirmed by the issue's date got it once, and only they did.
        expected = Subscriber.objects.filter(confirmed_at__lte=issue.sent_at).exclude(
            unsubscribed_at__lt=issue.sent_at
        )
        assert {d.subscriber_id for d in deliveries} == set(expected.values_list("pk", flat=True))
        for delivery in deliveries:
            assert delivery.email.status == OutboxEmail.Status.SENT
            assert delivery.email.sent_at >= issue.sent_at
            assert delivery.email.headers["List-Unsubscribe"]
        # The showcase entries an issue tells about were public before it was sent.
        for block in issue.blocks.filter(kind="showcase"):
            for entry in ShowcaseEntry.objects.filter(pk__in=block.entry_ids):
                assert entry.approved_at < issue.sent_at
                assert entry.headline in issue.body_text
    # The one who left between the issues got the first only; the unconfirmed got none.
    left = Subscriber.objects.get(status=Subscriber.Status.UNSUBSCRIBED)
    assert [issue.deliveries.filter(subscriber=left).exists() for issue in sent] == [True, False]
    pending = Subscriber.objects.get(status=Subscriber.Status.PENDING)
    assert not pending.deliveries.exists()

    archive = client.get("/newsletters/")
    assert archive.status_code == 200
    for issue in sent:
        assert issue.get_absolute_url() in archive.content.decode()
        assert client.get(issue.get_absolute_url()).status_code == 200


@pytest.mark.django_db
def test_statistics_dashboard_shows_every_part_of_the_demo(demo, client):
    assert client.login(email="processledare1@demo.sluss.se", password=demo_data.PASSWORD)
    response = client.get("/statistics/")
    assert response.status_code == 200
    tables = {table.slug: table for table in response.context["tables"]}
    assert tables
    for table in tables.values():
        assert table.rows, table.slug
    trainings = tables["trainings"]
    people = [row[3] for row in trainings.rows]
    assert sum(people) > 0 and sum(1 for n in people if n) >= 8
    assert any(row[1] for row in tables["funnel"].rows)
    assert client.get("/statistics/public/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_loading_the_demo_sends_no_email_even_with_the_worker_running(settings):
    from django.core import mail

    from apps.core.testing import run_worker

    settings.DEBUG = True
    # The worker would also compute every demo idea's vector (a minute and a half of the
    # model here, the suite's slowest test); vectors are apps/search's tests' concern,
    # the emails of every other task are this test's.
    settings.SLUSS_SEMANTIC_SEARCH = False
    load_demo()
    run_worker()
    assert mail.outbox == []
    assert not OutboxEmail.objects.exclude(status=OutboxEmail.Status.SENT).exists()
    # The issues stay sent: a late batch task changes nothing.
    assert Newsletter.objects.filter(status=Newsletter.Status.SENT).count() == 2
