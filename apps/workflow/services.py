"""Writes to the process: the seeded default and the process leaders' edits."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from .models import Stage, Transition
from .policies import can_edit_process

# DESIGN.md §3: key, Swedish, English, outcome?, needs a reason?, target working days.
DEFAULT_STAGES = [
    (
        "received",
        "Inkommen",
        "Received",
        False,
        False,
        10,
        "Idén har kommit in. Idécoacherna i kommunen får besked och tar första kontakt.",
        "The idea has arrived. The municipality's idea coaches are told and make first contact.",
    ),
    (
        "capture",
        "Fånga",
        "Capture",
        False,
        False,
        30,
        "Coach och idébärare skärper behov, lösning och målgrupp. Liknande idéer kontrolleras.",
        "Coach and submitter sharpen the need, solution and target group; similar ideas checked.",
    ),
    (
        "assess",
        "Pröva",
        "Assess",
        False,
        False,
        30,
        "Idén bedöms mot kriterierna och vid behov av externa experter. Beslut vid grinden.",
        "The idea is scored on the criteria, with outside experts where needed. Gate decision.",
    ),
    (
        "test",
        "Testa",
        "Test",
        False,
        False,
        60,
        "Ett litet test eller en prototyp i en verksamhet. Nyttohypoteser skrivs.",
        "A small test or prototype in a unit. Benefit hypotheses are written.",
    ),
    (
        "develop",
        "Utveckla",
        "Develop",
        False,
        False,
        120,
        "Utveckling eller pilot, ofta med partner.",
        "Development or pilot, often with partners.",
    ),
    (
        "spread",
        "Sprida",
        "Spread",
        False,
        False,
        None,
        "I bruk. Erbjuds de andra kommunerna; införanden och nyttor följs upp.",
        "In use. Offered to the other municipalities; adoptions and benefits followed.",
    ),
    (
        "implemented",
        "Införd",
        "Implemented",
        True,
        False,
        None,
        "Idén är införd i verksamheten.",
        "The idea is implemented.",
    ),
    (
        "closed",
        "Avslutad",
        "Closed",
        True,
        True,
        None,
        "Idén går inte vidare. Idébäraren får veta varför.",
        "The idea does not go on. The submitter is told why.",
    ),
    (
        "parked",
        "Vilande",
        "Parked",
        True,
        True,
        None,
        "Idén ligger på hyllan och kan väckas igen.",
        "The idea is on the shelf and can be woken.",
    ),
    (
        "handed_over",
        "Överlämnad",
        "Handed over",
        True,
        False,
        None,
        "Idén är överlämnad till en annan aktör, till exempel IT-avdelningen eller en partner.",
        "The idea is handed over to another actor, such as the IT department or a partner.",
    ),
]

# from, to, coaches may, process leaders may.
DEFAULT_TRANSITIONS = [
    ("received", "capture", True, True),
    ("received", "closed", True, True),
    ("capture", "assess", True, True),
    ("capture", "closed", True, True),
    ("capture", "parked", True, True),
    ("assess", "capture", True, True),
    ("assess", "test", False, True),
    ("assess", "closed", False, True),
    ("assess", "parked", False, True),
    ("assess", "handed_over", False, True),
    ("test", "develop", False, True),
    ("test", "assess", False, True),
    ("test", "closed", False, True),
    ("test", "parked", False, True),
    ("develop", "spread", False, True),
    ("develop", "implemented", False, True),
    ("develop", "closed", False, True),
    ("develop", "parked", False, True),
    ("develop", "handed_over", False, True),
    ("spread", "implemented", True, True),
    ("parked", "capture", True, True),
]

# Ideas in these stages are reusable solutions for the other municipalities (the catalogue).
SPREADABLE_STAGE_KEYS = ("spread", "implemented")


@transaction.atomic
def process_seed_default(*, consortium: Organisation) -> list[Stage]:
    """Give a consortium the default process of DESIGN.md §3, unless it has stages already."""
    if Stage.objects.filter(consortium=consortium).exists():
        return list(Stage.objects.filter(consortium=consortium))
    stages = {}
    for position, (key, sv, en, outcome, reason, days, desc_sv, desc_en) in enumerate(
        DEFAULT_STAGES
    ):
        stages[key] = Stage.objects.create(
            consortium=consortium,
            key=key,
            name_sv=sv,
            name_en=en,
            description_sv=desc_sv,
            description_en=desc_en,
            position=position,
            is_outcome=outcome,
            is_initial=position == 0,
            requires_reason=reason,
            target_days=days,
            is_spreadable=key in SPREADABLE_STAGE_KEYS,
        )
    Transition.objects.bulk_create(
        Transition(
            from_stage=stages[source],
            to_stage=stages[target],
            coach_may=coach,
            process_leader_may=leader,
        )
        for source, target, coach, leader in DEFAULT_TRANSITIONS
    )
    return list(stages.values())


def _require_process_leader(actor, consortium_id: int) -> None:
    if not can_edit_process(access_for(actor), consortium_id):
        raise PermissionDenied


@transaction.atomic
def stage_save(*, actor, stage: Stage) -> Stage:
    """Create or change a stage of the actor's consortium (a process leader's edit)."""
    _require_process_leader(actor, stage.consortium_id)
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def transition_save(
    *, actor, from_stage: Stage, to_stage: Stage, coach_may: bool, process_leader_may: bool
) -> Transition:
    """Allow a move (or change who may make it)."""
    _require_process_leader(actor, from_stage.consortium_id)
    if from_stage.consortium_id != to_stage.consortium_id:
        raise ValidationError(_("Both stages must belong to the same process."))
    if from_stage == to_stage:
        raise ValidationError(_("A move must go to another stage."))
    if not (coach_may or process_leader_may):
        raise ValidationError(_("Choose at least one role that may make the move."))
    transition, _created = Transition.objects.update_or_create(
        from_stage=from_stage,
        to_stage=to_stage,
        defaults={"coach_may": coach_may, "process_leader_may": process_leader_may},
    )
    return transition


@transaction.atomic
def transition_delete(*, actor, transition: Transition) -> None:
    """Stop allowing a move. Ideas already moved keep their history."""
    _require_process_leader(actor, transition.from_stage.consortium_id)
    transition.delete()
