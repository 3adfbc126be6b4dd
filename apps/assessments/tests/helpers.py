"""Builders for the assessment tests; they go through the real services."""

from datetime import timedelta

from django.utils import timezone

from apps.assessments import services
from apps.assessments.models import AssessmentRound, Assignment, Criterion
from apps.core.testing import submit_idea
from apps.ideas import services as idea_services
from apps.workflow.models import Stage

#: The submitter of `blind_idea`, and everything that identifies them.
SUBMITTER = {
    "name": "Ingrid Idébärarsson",
    "email": "ingrid.idebararsson@skovde.se",
    "phone": "070-123 45 67",
    "workplace": "Solgårdens äldreboende",
}
CO_SUBMITTER = {"name": "Bertil Medförslagsson", "email": "bertil.medforslag@skovde.se"}


def stage(world, key: str) -> Stage:
    return Stage.objects.get(consortium=world.consortium, key=key)


def move(world, idea, key: str, actor=None):
    return idea_services.idea_move(
        idea=idea,
        actor=actor or world.process_leader,
        to_stage=stage(world, key),
        expected_stage_id=idea.stage_id,
    )


def idea_in_assess(world, **overrides):
    """An idea from Skövde's unit, moved on to the Assess stage."""
    idea = submit_idea(world.skovde, unit=world.skovde_unit, **overrides)
    idea = move(world, idea, "capture")
    return move(world, idea, "assess")


def blind_idea(world):
    """An idea whose submitter is named everywhere a careless page could show them."""
    return idea_in_assess(
        world,
        submitter_name=SUBMITTER["name"],
        submitter_email=SUBMITTER["email"],
        submitter_phone=SUBMITTER["phone"],
        workplace=SUBMITTER["workplace"],
        co_submitters=[idea_services.CoSubmitter(**CO_SUBMITTER)],
        title="Digital läxhjälp",
        need="Elever saknar stöd med läxor på kvällarna.",
        solution="En chatt där lärare svarar på frågor om läxor.",
    )


def criteria(world) -> list[Criterion]:
    return services.criteria_seed_default(consortium=world.consortium)


def open_round(
    world, idea, assessors, *, blind=False, actor=None, criteria_list=None, days=14
) -> AssessmentRound:
    return services.round_open(
        idea=idea,
        actor=actor or world.process_leader,
        assessors=list(assessors),
        criteria=criteria_list if criteria_list is not None else criteria(world),
        due_date=timezone.localdate() + timedelta(days=days),
        blind=blind,
    )


def assignment(round_, person) -> Assignment:
    return Assignment.objects.get(round=round_, assessor=person)


def score_all(round_, person, values, *, notes=None, hand_in=True):
    """Score the round's criteria in order with `values` (and optional notes)."""
    notes = notes or {}
    round_criteria = list(round_.criteria.order_by("position", "pk"))
    scores = {
        c.pk: services.ScoreInput(value=v, note=notes.get(i, ""))
        for i, (c, v) in enumerate(zip(round_criteria, values, strict=False))
    }
    return services.score_save(
        assignment=assignment(round_, person), actor=person, scores=scores, hand_in=hand_in
    )


def form_data(round_, values, *, notes=None, action="hand_in") -> dict:
    """The score form's POST data for `values` in the round's criterion order."""
    notes = notes or {}
    data = {action: "1"}
    for i, criterion in enumerate(round_.criteria.order_by("position", "pk")):
        if i < len(values) and values[i] is not None:
            data[f"score_{criterion.pk}"] = str(values[i])
        data[f"note_{criterion.pk}"] = notes.get(i, "")
    return data
