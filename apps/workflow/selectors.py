"""Reads of the process: stages and allowed moves, per consortium."""

from collections import defaultdict

from django.db.models import QuerySet

from .models import Stage, Transition


def stages_of(consortium_id: int, *, include_inactive: bool = False) -> QuerySet[Stage]:
    stages = Stage.objects.filter(consortium_id=consortium_id)
    if not include_inactive:
        stages = stages.filter(is_active=True)
    return stages.order_by("is_outcome", "position", "pk")


def stages_of_consortia(consortium_ids) -> QuerySet[Stage]:
    return Stage.objects.filter(consortium_id__in=consortium_ids, is_active=True).order_by(
        "consortium_id", "is_outcome", "position", "pk"
    )


def transitions_by_from_stage(consortium_ids) -> dict[int, list[Transition]]:
    """All active moves of the given consortia, keyed by the stage they leave (one query)."""
    moves: dict[int, list[Transition]] = defaultdict(list)
    transitions = Transition.objects.filter(
        from_stage__consortium_id__in=consortium_ids, to_stage__is_active=True
    ).select_related("to_stage")
    for transition in transitions:
        moves[transition.from_stage_id].append(transition)
    return moves


def transitions_from_stage(consortium_id: int, stage_id: int) -> list[Transition]:
    """The active moves out of one stage of a consortium (one query): what
    `transitions_by_from_stage([consortium_id]).get(stage_id, [])` gives, without
    building every other stage's moves (an idea page needs one stage's)."""
    return list(
        Transition.objects.filter(
            from_stage_id=stage_id,
            from_stage__consortium_id=consortium_id,
            to_stage__is_active=True,
        ).select_related("to_stage")
    )


def transitions_of(consortium_id: int) -> QuerySet[Transition]:
    return Transition.objects.filter(from_stage__consortium_id=consortium_id).select_related(
        "from_stage", "to_stage"
    )
