"""A small world with known dates, for statistics whose every figure is computed by hand.

Everything is made through the real services; afterwards the timestamps the services set
to "now" are moved to the dates below (plain updates of the rows, no mocks), because the
figures are about when things happened. The period of interest is the calendar year 2025
(`PERIOD`), in local time (Europe/Stockholm). Times are at noon unless said otherwise.

Municipalities: Skövde (4,500 employees), Hjo (800), Tibro (employee count unknown).

Ideas and their journeys (days in a stage in brackets):

    A Skövde  handed in 2025-01-10; Capture 01-20 (10); Assess 02-19 (30); Test 03-01 (10);
              Develop 04-30 (60); Spread 06-29 (60). Open in Spread for 40 days now.
    B Skövde  handed in 2025-02-01; Capture 02-05 (4); Closed 02-25 (20) "finns redan".
    C Hjo     handed in 2025-03-01; Capture 03-03 (2); Parked 03-13 (10) "Ingen budget".
    D Hjo     handed in 2025-05-01; open in Received for 12 days now.
    E Skövde  handed in 2024-12-20 (before the period); Capture 2025-01-03 (14);
              Closed 01-13 (10) "Finns  redan" (two spaces: grouped with B's reason).
    F Tibro   handed in 2025-12-31 23:30 (inside the period); open in Received, 3 days now.
    G Skövde  handed in 2025-11-01; Capture 11-05 (4); open in Capture for 7 days now.
    H Tibro   handed in 2026-01-01 00:30 (outside: 2025-12-31 23:30 UTC); open in
              Received for 1 day now.
    I Hjo     handed in 2024-06-01; Capture 06-03; Assess 06-10; Handed over 2025-02-01
              (236 days in Assess), no reason.

Referrals (sent → first answer):
    R1 A outside actor 2025-02-20 → 02-25 (5 days)
    R2 A outside actor 2025-03-01 → 03-13 (12 days)
    R3 B colleague     2025-02-10 → 02-12 (2 days)
    R4 G outside actor 2025-11-10, due 11-24, never answered (overdue)
    R5 C outside actor 2025-03-05, withdrawn (left out)
    R6 E outside actor 2024-12-28 (before the period)

Solution "Digital hemtjänst" from A; adopted by Hjo (planned → in use) and Tibro (planned
→ stopped).

Benefits:
    A (Skövde's own): baseline 100 → target 60, 250 SEK and 0.5 hours per unit; measured
        90 on 2025-09-01, 80 on 2025-12-15, 70 on 2026-01-10 (after the period).
    Hjo adoption: baseline 10 → target 50, 100 SEK per unit; measured 30 on 2025-10-01.
    Hjo adoption: baseline 0 → target 10, never measured.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from apps.core import testing
from apps.ideas.models import Idea, TimelineEntry
from apps.ideas.services import idea_move
from apps.organisations.models import Organisation, Role
from apps.referrals import services as referrals
from apps.referrals.models import Referral
from apps.spread import services as spread
from apps.stats.tables import Filters
from apps.workflow.models import Stage

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))


def local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@dataclass
class StatisticsWorld:
    filters: Filters
    now: datetime
    tibro: Organisation
    ideas: dict[str, Idea]
    solution_title: str


def _submit(municipality: Organisation, when: datetime) -> Idea:
    idea = testing.submit_idea(municipality)
    Idea.objects.filter(pk=idea.pk).update(created_at=when, stage_entered_at=when)
    TimelineEntry.objects.filter(idea=idea).update(created_at=when)
    idea.refresh_from_db()
    return idea


def _move(idea: Idea, actor, key: str, when: datetime, reason: str = "") -> Idea:
    stage = Stage.objects.get(consortium_id=idea.consortium_id, key=key)
    idea = idea_move(
        idea=idea, actor=actor, to_stage=stage, expected_stage_id=idea.stage_id, reason=reason
    )
    latest = TimelineEntry.objects.filter(idea=idea, kind=TimelineEntry.Kind.STAGE_CHANGED).latest(
        "pk"
    )
    # Saved rather than updated, so the row works out its stay's length again.
    latest.created_at = when
    latest.save(update_fields=["created_at", "stay_microseconds"])
    Idea.objects.filter(pk=idea.pk).update(stage_entered_at=when)
    idea.refresh_from_db()
    return idea


def _journey(municipality, actor, handed_in: datetime, *moves) -> Idea:
    idea = _submit(municipality, handed_in)
    for move in moves:
        idea = _move(idea, actor, *move)
    return idea


def _referral(idea, actor, *, sent, answered=None, due=None, revoke=False, **recipient):
    referral = referrals.referral_send(
        idea=idea,
        actor=actor,
        question="Vad tror ni?",
        due_date=timezone.localdate() + timedelta(days=14),
        **recipient,
    )
    if answered is not None:
        referrals.referral_answer(referral=referral, body="Svar.")
    if revoke:
        referrals.referral_revoke(referral=referral, actor=actor)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=sent,
        answered_at=answered,
        due_date=due or (sent + timedelta(days=14)).date(),
    )
    return referral


def build_statistics_world(world) -> StatisticsWorld:
    """The world of this module's docstring, on top of the shared `world` fixture."""
    leader = world.process_leader
    now = timezone.now()
    tibro = testing.make_municipality(world.consortium, "Tibro")
    Organisation.objects.filter(pk=tibro.pk).update(employee_count=None)
    tibro_coach = testing.make_user("Tina Tibro", (Role.COACH, tibro))

    ideas = {
        "A": _journey(
            world.skovde,
            leader,
            local(2025, 1, 10),
            ("capture", local(2025, 1, 20)),
            ("assess", local(2025, 2, 19)),
            ("test", local(2025, 3, 1)),
            ("develop", local(2025, 4, 30)),
            ("spread", local(2025, 6, 29)),
        ),
        "B": _journey(
            world.skovde,
            leader,
            local(2025, 2, 1),
            ("capture", local(2025, 2, 5)),
            ("closed", local(2025, 2, 25), "finns redan"),
        ),
        "C": _journey(
            world.hjo,
            leader,
            local(2025, 3, 1),
            ("capture", local(2025, 3, 3)),
            ("parked", local(2025, 3, 13), "Ingen budget"),
        ),
        "D": _journey(world.hjo, leader, local(2025, 5, 1)),
        "E": _journey(
            world.skovde,
            leader,
            local(2024, 12, 20),
            ("capture", local(2025, 1, 3)),
            ("closed", local(2025, 1, 13), "Finns  redan"),
        ),
        "F": _journey(tibro, leader, local(2025, 12, 31, 23, 30)),
        "G": _journey(world.skovde, leader, local(2025, 11, 1), ("capture", local(2025, 11, 5))),
        "H": _journey(tibro, leader, local(2026, 1, 1, 0, 30)),
        "I": _journey(
            world.hjo,
            leader,
            local(2024, 6, 1),
            ("capture", local(2024, 6, 3)),
            ("assess", local(2024, 6, 10)),
            ("handed_over", local(2025, 2, 1)),
        ),
    }
    # The time open ideas have been in their stage now, counted from `now`.
    for key, days in {"A": 40, "D": 12, "F": 3, "G": 7, "H": 1}.items():
        Idea.objects.filter(pk=ideas[key].pk).update(stage_entered_at=now - timedelta(days=days))

    expert = referrals.external_actor_create(
        actor=leader,
        consortium=world.consortium,
        name="Eva Expert",
        organisation="Högskolan i Skövde",
        email="eva@his.se",
    )
    _referral(
        ideas["A"], leader, sent=local(2025, 2, 20), answered=local(2025, 2, 25),
        external_actor=expert,
    )  # fmt: skip
    _referral(
        ideas["A"], leader, sent=local(2025, 3, 1), answered=local(2025, 3, 13),
        external_actor=expert,
    )  # fmt: skip
    _referral(
        ideas["B"], leader, sent=local(2025, 2, 10), answered=local(2025, 2, 12),
        colleague=world.communicator,
    )  # fmt: skip
    _referral(
        ideas["G"], leader, sent=local(2025, 11, 10), due=date(2025, 11, 24),
        external_actor=expert,
    )  # fmt: skip
    _referral(ideas["C"], leader, sent=local(2025, 3, 5), revoke=True, external_actor=expert)
    _referral(ideas["E"], leader, sent=local(2024, 12, 28), external_actor=expert)

    solution = spread.solution_create(
        actor=leader,
        idea=ideas["A"],
        title="Digital hemtjänst",
        summary="Tillsyn på distans.",
        results="",
        category="care",
        contact=world.coach,
        documents=[],
    )
    in_hjo = spread.adoption_create(
        actor=leader, solution=solution, municipality=world.hjo, owner=world.other_coach
    )
    spread.adoption_change_stage(
        actor=leader, adoption=in_hjo, stage="in_use", on_date=date(2025, 9, 1)
    )
    in_tibro = spread.adoption_create(
        actor=leader, solution=solution, municipality=tibro, owner=tibro_coach
    )
    spread.adoption_change_stage(
        actor=leader,
        adoption=in_tibro,
        stage="stopped",
        on_date=date(2025, 10, 1),
        reason="Passade inte",
    )

    def benefit(**fields):
        return spread.benefit_create(
            actor=leader,
            idea=ideas["A"],
            description="Nytta",
            indicator="Indikator",
            unit="st",
            how_measured="Räknas",
            phase="realise",
            **fields,
        )

    own = benefit(
        owner=world.coach,
        baseline=Decimal(100),
        target=Decimal(60),
        value_per_unit_sek=Decimal(250),
        hours_per_unit=Decimal("0.5"),
    )
    for day, value in ((date(2025, 9, 1), 90), (date(2025, 12, 15), 80), (date(2026, 1, 10), 70)):
        spread.measurement_record(actor=leader, benefit=own, measured_on=day, value=Decimal(value))
    rising = benefit(
        owner=world.other_coach,
        adoption=in_hjo,
        baseline=Decimal(10),
        target=Decimal(50),
        value_per_unit_sek=Decimal(100),
    )
    spread.measurement_record(
        actor=leader, benefit=rising, measured_on=date(2025, 10, 1), value=Decimal(30)
    )
    benefit(owner=world.other_coach, adoption=in_hjo, baseline=Decimal(0), target=Decimal(10))

    return StatisticsWorld(
        filters=Filters(
            start=PERIOD[0], end=PERIOD[1], consortium_ids=frozenset({world.consortium.pk})
        ),
        now=now,
        tibro=tibro,
        ideas=ideas,
        solution_title=solution.title,
    )
