"""Query counts: the workspace pages cost the same number of queries however much data.

The board, the list (plain and filtered) and the idea page are each loaded with a small
and a large data set, and must run exactly as many queries both times; a difference is
an N+1 (a query per row) that would grow with every idea a municipality hands in.
"""

import itertools
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core.testing import submit_idea
from apps.ideas import services
from apps.ideas.models import Idea, ReferenceCounter, Submitter, Tag, TimelineEntry, hash_token
from apps.workflow.models import Stage

SMALL, LARGE = 10, 300


def _queries(client, url: str, *, warm_up: bool = False) -> list[str]:
    """The SQL one GET of `url` runs. The first measurement of a test warms up first, so
    that process-wide caches (content types, templates) are equally warm both times."""
    if warm_up:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    # Savepoints are transaction bookkeeping around writes (the audit record, caches); an
    # N+1 shows as reads, and under a loaded CI one request once ran a savepoint the other
    # did not, failing the comparison on a statement that reads nothing.
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))
    ]


def _assert_same(url: str, few: list[str], many: list[str]) -> None:
    if len(few) != len(many):
        extra = "\n".join(many[len(few) :] if len(many) > len(few) else few[len(many) :])
        pytest.fail(f"{url}: {len(few)} queries with few rows, {len(many)} with many:\n{extra}")


def _stages(world) -> dict[str, Stage]:
    return {s.key: s for s in Stage.objects.filter(consortium=world.consortium)}


def _seed_through_services(world) -> None:
    """SMALL ideas made the production way, covering every filter the tests use."""
    stages = _stages(world)
    tag_ideas = []
    for number in range(SMALL):
        municipality = world.skovde if number % 2 == 0 else world.hjo
        unit = world.skovde_unit if number % 4 == 0 else None
        idea = submit_idea(municipality, unit=unit, title=f"Idé {number} om föräldrastöd")
        coach = world.coach if municipality == world.skovde else world.other_coach
        if number % 3 == 0:
            services.idea_assign_owner(idea=idea, actor=coach, owner=coach)
        if number % 5 != 4:
            idea = services.idea_move(
                idea=idea,
                actor=coach,
                to_stage=stages["capture"],
                expected_stage_id=stages["received"].pk,
            )
        if number % 5 in (1, 2):
            idea = services.idea_move(
                idea=idea,
                actor=coach,
                to_stage=stages["assess"],
                expected_stage_id=stages["capture"].pk,
            )
        if number % 5 == 2:
            services.idea_move(
                idea=idea,
                actor=world.process_leader,
                to_stage=stages["test"],
                expected_stage_id=stages["assess"].pk,
            )
        if number % 2 == 0:
            tag_ideas.append(idea)
    for idea in tag_ideas:
        services.idea_set_tags(idea=idea, actor=world.process_leader, names=["välfärd", "digitalt"])
    # Some ideas are old, so that the age filter finds something in the small set too.
    Idea.objects.filter(pk__in=[i.pk for i in tag_ideas[:2]]).update(
        created_at=timezone.now() - timedelta(days=100)
    )


def _bulk_ideas(world, count: int) -> None:
    """`count` more ideas written in bulk, shaped like the ones the services make:
    references, a primary submitter with a private link, the SUBMITTED entry and the moves
    on the timeline, owners, tags, several municipalities, units and ages."""
    stages = _stages(world)
    open_keys = ["received", "capture", "assess", "test", "develop", "spread"]
    year = timezone.localdate().year
    counter = ReferenceCounter.objects.get(prefix="SLU", year=year)
    first = counter.last_number + 1
    now = timezone.now()
    ideas = []
    for offset in range(count):
        number = first + offset
        municipality = world.skovde if offset % 3 else world.hjo
        owners = (
            [world.coach, None, world.process_leader]
            if municipality == world.skovde
            else [world.other_coach, None, world.process_leader]
        )
        key = open_keys[offset % len(open_keys)] if offset % 11 else "closed"
        moment = now - timedelta(days=offset % 200, minutes=offset)
        ideas.append(
            Idea(
                reference=f"SLU-{year}-{number:04d}",
                consortium=world.consortium,
                municipality=municipality,
                unit=world.skovde_unit if municipality == world.skovde and offset % 2 else None,
                title=f"Massidé {number} om föräldrastöd",
                need="Ett behov.",
                solution="En lösning.",
                stage=stages[key],
                stage_entered_at=moment,
                owner=owners[offset % 3],
                submission_token=f"00000000-0000-4000-8000-{number:012d}",
                created_at=moment,
                last_activity_at=moment,
            )
        )
    Idea.objects.bulk_create(ideas)
    counter.last_number = first + count - 1
    counter.save()
    ideas = list(Idea.objects.filter(reference__in=[i.reference for i in ideas]))
    submitters = []
    for idea in ideas:
        submitter = Submitter(
            idea=idea, name="Bo Bulk", email=f"bo{idea.pk}@example.se", is_primary=True
        )
        submitter.access_token_hash = hash_token(submitter.access_token)
        submitters.append(submitter)
    Submitter.objects.bulk_create(submitters)
    by_idea = {s.idea_id: s for s in Submitter.objects.filter(idea__in=ideas)}
    entries = []
    for idea in ideas:
        entries.append(
            TimelineEntry(
                idea=idea,
                kind=TimelineEntry.Kind.SUBMITTED,
                actor_submitter=by_idea[idea.pk],
                to_stage=stages["received"],
                created_at=idea.created_at,
            )
        )
        if idea.stage_id != stages["received"].pk:
            entries.append(
                TimelineEntry(
                    idea=idea,
                    kind=TimelineEntry.Kind.STAGE_CHANGED,
                    actor=world.process_leader,
                    from_stage=stages["received"],
                    to_stage=idea.stage,
                    created_at=idea.stage_entered_at,
                )
            )
    TimelineEntry.objects.bulk_create(entries)
    tags = list(Tag.objects.filter(consortium=world.consortium))
    Idea.tags.through.objects.bulk_create(
        Idea.tags.through(idea_id=idea.pk, tag_id=tag.pk)
        for idea, tag in itertools.product(ideas[::4], tags)
    )


def test_board_and_list_run_as_many_queries_for_300_ideas_as_for_10(world, client):
    _seed_through_services(world)
    stages = _stages(world)
    tag = Tag.objects.get(consortium=world.consortium, name="välfärd")
    urls = [
        reverse("ideas:board"),
        reverse("ideas:list"),
        f"{reverse('ideas:list')}?stage={stages['capture'].pk}&q=föräldrastöd",
        f"{reverse('ideas:list')}?owner={world.coach.pk}&municipality={world.skovde.pk}",
        f"{reverse('ideas:list')}?tag={tag.pk}&age=30",
        f"{reverse('ideas:list')}?owner=0",
    ]
    people = [world.process_leader, world.coach, world.manager]
    few = {}
    for person in people:
        client.force_login(person)
        for url in urls:
            few[person.pk, url] = _queries(client, url, warm_up=True)

    _bulk_ideas(world, LARGE - SMALL)
    assert Idea.objects.count() == LARGE

    for person in people:
        client.force_login(person)
        for url in urls:
            _assert_same(f"{person} {url}", few[person.pk, url], _queries(client, url))
    # The large set really is on the pages: full board columns and many pages of the list.
    client.force_login(world.process_leader)
    columns = client.get(reverse("ideas:board")).context["columns"]
    assert sum(column.total for column in columns) > 250
    assert any(len(column.cards) == 25 for column in columns)
    assert client.get(reverse("ideas:list")).context["page"].paginator.count == LARGE


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n% test\n", content_type="application/pdf")


def _give_a_long_history(world, idea: Idea) -> None:
    """Every kind of timeline entry, many times over, by several people."""
    stages = _stages(world)
    submitter = idea.submitters.get(is_primary=True)
    services.idea_assign_owner(idea=idea, actor=world.process_leader, owner=world.coach)
    for round_ in range(6):
        idea = services.idea_move(
            idea=idea,
            actor=world.coach,
            to_stage=stages["capture"],
            expected_stage_id=idea.stage_id,
        )
        services.idea_add_note(idea=idea, actor=world.coach, body=f"Anteckning {round_}")
        services.idea_add_note(idea=idea, actor=world.process_leader, body=f"PL-notis {round_}")
        services.idea_message_submitters(idea=idea, actor=world.coach, body=f"Fråga {round_}")
        services.idea_submitter_reply(
            submitter=submitter, body=f"Svar {round_}", files=[_pdf(f"bilaga-{round_}.pdf")]
        )
        services.idea_add_attachments(
            idea=idea, actor=world.coach, files=[_pdf(f"coach-{round_}.pdf")]
        )
        services.idea_set_tags(idea=idea, actor=world.coach, names=[f"tagg{round_}", "välfärd"])
        services.idea_assign_owner(
            idea=idea,
            actor=world.process_leader,
            owner=world.process_leader if round_ % 2 else world.coach,
        )
        idea = services.idea_move(
            idea=idea,
            actor=world.coach,
            to_stage=stages["assess"],
            expected_stage_id=stages["capture"].pk,
        )
    Submitter.objects.bulk_create(
        Submitter(
            idea=idea,
            name=f"Medförslagsställare {n}",
            email=f"med{n}@skovde.se",
            access_token_hash=hash_token(f"co-{idea.pk}-{n}"),
        )
        for n in range(5)
    )


def test_idea_page_runs_as_many_queries_for_a_long_history_as_for_a_short_one(world, client):
    short = submit_idea(world.skovde, unit=world.skovde_unit)
    long = submit_idea(world.skovde, unit=world.skovde_unit)
    _give_a_long_history(world, long)
    assert long.timeline.count() > 60
    assert long.attachments.count() == 12

    for person in [world.coach, world.process_leader, world.manager]:
        client.force_login(person)
        few = _queries(client, reverse("ideas:detail", args=[short.reference]), warm_up=True)
        many = _queries(client, reverse("ideas:detail", args=[long.reference]))
        _assert_same(f"{person} idea page", few, many)
        # The similar-ideas search is the section's own request (ideas:similar), not the
        # page's: it was most of the page's queries and time.
        tables = ("search_fts", "search_ideasearchtext", "search_ideaembedding")
        searched = [sql for sql in many if any(table in sql for table in tables)]
        assert not searched, "the page searched"
        _assert_same(
            f"{person} similar ideas",
            _queries(client, reverse("ideas:similar", args=[short.reference]), warm_up=True),
            _queries(client, reverse("ideas:similar", args=[long.reference])),
        )

    # The submitter's private page shows the same timeline and files.
    client.logout()
    for_short = short.submitters.get(is_primary=True).access_token
    for_long = long.submitters.get(is_primary=True).access_token
    _assert_same(
        "submitter page",
        _queries(client, reverse("ideas:submitter_page", args=[for_short]), warm_up=True),
        _queries(client, reverse("ideas:submitter_page", args=[for_long])),
    )
