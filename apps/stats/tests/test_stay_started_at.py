"""Each move keeps when the stay it ends began (`TimelineEntry.stay_started_at`), and the
migration that fills it on older rows gives exactly what the move service records: for
handed-in ideas, imported ones (in the first stage and in a later one), and ideas that go
back and forth or are re-opened after being parked."""

import importlib

from django.apps import apps as django_apps

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.services import idea_move
from apps.imports.checking import check_file
from apps.imports.services import ideas_import
from apps.imports.testing import csv_bytes
from apps.stats import figures
from apps.workflow.models import Stage

from .fixtures import build_statistics_world

backfill = importlib.import_module("apps.ideas.migrations.0009_backfill_stay_started_at")


def _walk(idea: Idea, actor, *keys: str) -> Idea:
    for key in keys:
        idea = idea_move(
            idea=Idea.objects.get(pk=idea.pk),
            actor=actor,
            to_stage=Stage.objects.get(consortium_id=idea.consortium_id, key=key),
            expected_stage_id=Idea.objects.get(pk=idea.pk).stage_id,
            reason="Väntar på budget" if key == "parked" else "",
        )
    return idea


def _moves() -> dict[int, object]:
    return dict(
        TimelineEntry.objects.filter(kind=TimelineEntry.Kind.STAGE_CHANGED).values_list(
            "pk", "stay_started_at"
        )
    )


def _imported(world) -> list[Idea]:
    checked = check_file(
        data=csv_bytes(
            [
                ["Lånecyklar", "Cyklar till möten.", "Skövde", "", "2024-03-05"],
                ["Matsvinn", "Väg maten som slängs.", "Hjo", "Fånga", "2023-10-01"],
            ],
            header=["Titel", "Beskrivning", "Kommun", "Steg", "Datum"],
        ),
        filename="a.csv",
        consortium=world.consortium,
    )
    assert not checked.errors
    result = ideas_import(consortium=world.consortium, rows=checked.rows, source_name="a.csv")
    return list(Idea.objects.filter(pk__in=result.idea_ids).order_by("pk"))


def test_a_move_keeps_when_the_idea_entered_the_stage_it_leaves(world):
    idea = testing.submit_idea(world.skovde)
    entered = Idea.objects.get(pk=idea.pk).stage_entered_at
    _walk(idea, world.process_leader, "capture", "assess")
    first, second = TimelineEntry.objects.filter(
        idea=idea, kind=TimelineEntry.Kind.STAGE_CHANGED
    ).order_by("created_at", "pk")
    assert first.stay_started_at == entered
    assert second.stay_started_at == first.created_at
    # Entries that end no stay keep it empty.
    assert not TimelineEntry.objects.exclude(kind=TimelineEntry.Kind.STAGE_CHANGED).filter(
        stay_started_at__isnull=False
    )


def test_the_backfill_gives_the_same_stays_as_the_move_service(world):
    leader = world.process_leader
    handed_in = testing.submit_idea(world.skovde)
    _walk(handed_in, leader, "capture", "assess", "capture", "parked", "capture", "assess")
    in_first_stage, in_capture = _imported(world)
    _walk(in_first_stage, leader, "capture", "assess")
    _walk(in_capture, leader, "assess", "capture")
    recorded = _moves()
    assert len(recorded) == 10
    assert None not in recorded.values()
    # The imported idea's first stay began on its hand-in date, as the importer set it.
    first_move = TimelineEntry.objects.filter(
        idea=in_first_stage, kind=TimelineEntry.Kind.STAGE_CHANGED
    ).earliest("created_at", "pk")
    assert first_move.stay_started_at == in_first_stage.created_at

    TimelineEntry.objects.update(stay_started_at=None)
    backfill.backfill(django_apps, None)

    assert _moves() == recorded


def test_lead_time_reads_the_kept_stays(world):
    """The hand-computed lead times come from the kept moment: a move whose stay start is
    lost is left out, never counted as a stay of some other length."""
    stats = build_statistics_world(world)
    start, end = figures._period(stats.filters)
    before = figures.lead_time(filters=stats.filters)
    stays = sum(row[1] for row in before.rows)
    assert stays
    one = TimelineEntry.objects.filter(
        kind=TimelineEntry.Kind.STAGE_CHANGED,
        stay_started_at__isnull=False,
        from_stage__is_outcome=False,
        created_at__gte=start,
        created_at__lt=end,
    ).first()
    TimelineEntry.objects.filter(pk=one.pk).update(stay_started_at=None, stay_microseconds=None)
    after = figures.lead_time(filters=stats.filters)
    assert sum(row[1] for row in after.rows) == stays - 1
