"""Solutions, publication, adoptions and benefits through the real services."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from apps.core import testing
from apps.ideas.models import TimelineEntry
from apps.notifications.models import OutboxEmail
from apps.organisations.models import Role
from apps.spread import selectors, services
from apps.spread.models import AdoptionStage
from apps.spread.testing import (
    adopt,
    make_benefit,
    make_solution,
    measure,
    solution_in,
    spreadable_idea,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def kinds(idea) -> list[str]:
    return list(idea.timeline.values_list("kind", flat=True))


# --- Solutions and publication -------------------------------------------------------------


def test_only_an_idea_in_a_spreadable_stage_becomes_a_solution(world):
    idea = testing.submit_idea(world.skovde)
    with pytest.raises(ValidationError):
        make_solution(idea, world.coach)
    idea = spreadable_idea(world.skovde, world.process_leader)
    solution = make_solution(idea, world.coach)
    assert TimelineEntry.Kind.SOLUTION_PUBLISHED in kinds(idea)
    assert solution.idea == idea


def test_the_coach_of_another_municipality_cannot_write_the_solution(world):
    solution = solution_in(world)
    with pytest.raises(PermissionDenied):
        services.solution_update(
            actor=world.other_coach,
            solution=solution,
            title="Kapad",
            summary="x",
            results="",
            category="care",
            contact=world.coach,
            documents=[],
        )


def test_published_ideas_need_consent_and_approval(world):
    approved_without_consent = solution_in(world, consent=False)
    consent_not_approved = solution_in(world, consent=True)
    both = solution_in(world, consent=True, approved=True)

    with pytest.raises(ValidationError):
        services.solution_approve_publication(
            actor=world.communicator, solution=approved_without_consent
        )
    assert list(selectors.published_ideas()) == [both.idea]
    assert consent_not_approved.idea not in selectors.published_ideas()

    both.refresh_from_db()
    assert both.approved_by == world.communicator
    assert both.approved_at is not None


def test_only_communicators_and_process_leaders_approve(world):
    solution = solution_in(world)
    for someone in (world.coach, world.other_coach, world.manager, world.administrator):
        with pytest.raises(PermissionDenied):
            services.solution_approve_publication(actor=someone, solution=solution)
    services.solution_approve_publication(actor=world.process_leader, solution=solution)
    assert list(selectors.published_ideas()) == [solution.idea]


def test_changing_the_public_text_withdraws_the_approval(world):
    solution = solution_in(world, approved=True)
    services.solution_update(
        actor=world.coach,
        solution=solution,
        title=solution.title,
        summary="En ny text som ingen har godkänt.",
        results=solution.results,
        category=solution.category,
        contact=world.coach,
        documents=[],
    )
    solution.refresh_from_db()
    assert solution.approved_at is None
    assert not selectors.published_ideas().exists()


def test_a_published_idea_leaving_the_spread_stage_is_no_longer_public(world):
    solution = solution_in(world, approved=True)
    from apps.ideas.services import idea_move
    from apps.workflow.models import Stage

    implemented = Stage.objects.get(consortium=world.consortium, key="implemented")
    idea_move(
        idea=solution.idea,
        actor=world.process_leader,
        to_stage=implemented,
        expected_stage_id=solution.idea.stage_id,
    )
    assert selectors.published_ideas().count() == 1  # Implemented is spreadable too
    implemented.is_spreadable = False
    implemented.save()
    assert not selectors.published_ideas().exists()


# --- Adoptions -----------------------------------------------------------------------------


def test_hjo_adopts_a_skovde_solution_recorded_and_the_owner_told(world):
    solution = solution_in(world)
    idea = solution.idea
    from apps.ideas.services import idea_assign_owner

    idea_assign_owner(idea=idea, actor=world.coach, owner=world.coach)
    adoption = adopt(solution, world.other_coach, world.hjo)

    assert adoption.stage == AdoptionStage.PLANNED
    entry = idea.timeline.filter(kind=TimelineEntry.Kind.ADOPTED).get()
    assert "Hjo" in entry.body
    email = OutboxEmail.objects.filter(kind="spread_adopted").get()
    assert email.recipient == world.coach.email
    assert "Hjo" in email.subject


def test_an_adoption_is_unique_per_municipality_and_never_the_origin(world):
    solution = solution_in(world)
    adopt(solution, world.other_coach, world.hjo)
    with pytest.raises(ValidationError):
        adopt(solution, world.other_coach, world.hjo)
    with pytest.raises(PermissionDenied):
        adopt(solution, world.coach, world.skovde)
    with pytest.raises(PermissionDenied):  # Skövde's coach cannot adopt on Hjo's behalf
        adopt(solution, world.coach, world.hjo)


def test_the_owner_must_work_in_the_adopting_municipality(world):
    solution = solution_in(world)
    with pytest.raises(ValidationError) as caught:
        adopt(solution, world.other_coach, world.hjo, owner=world.coach)
    assert "owner" in caught.value.error_dict


def test_stopping_an_adoption_needs_a_reason_and_is_recorded(world):
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    with pytest.raises(ValidationError) as caught:
        services.adoption_change_stage(
            actor=world.other_coach, adoption=adoption, stage="stopped", on_date=TODAY
        )
    assert "reason" in caught.value.error_dict
    with pytest.raises(PermissionDenied):  # the originating coach only reads
        services.adoption_change_stage(
            actor=world.coach, adoption=adoption, stage="testing", on_date=TODAY
        )
    services.adoption_change_stage(
        actor=world.other_coach, adoption=adoption, stage="testing", on_date=TODAY
    )
    services.adoption_change_stage(
        actor=world.other_coach,
        adoption=adoption,
        stage="stopped",
        on_date=TODAY,
        reason="Ingen budget i år.",
    )
    adoption.refresh_from_db()
    assert adoption.stage == "stopped"
    assert adoption.stop_reason == "Ingen budget i år."
    assert [c.to_stage for c in adoption.changes.all()] == ["planned", "testing", "stopped"]


# --- Benefits ------------------------------------------------------------------------------


def test_benefits_and_measurements_are_on_the_idea_timeline_and_reschedule(world):
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    benefit = make_benefit(
        solution.idea,
        world.other_coach,
        adoption=adoption,
        next_measurement_due=TODAY,
        follow_up_every_days=30,
    )
    assert benefit.municipality == world.hjo
    measure(benefit, world.other_coach, 25, TODAY)
    benefit.refresh_from_db()
    assert benefit.next_measurement_due == TODAY + timedelta(days=30)
    assert {TimelineEntry.Kind.BENEFIT_CHANGED, TimelineEntry.Kind.BENEFIT_MEASURED} <= set(
        kinds(solution.idea)
    )
    with pytest.raises(PermissionDenied):  # Skövde reads Hjo's adoption, does not measure it
        measure(benefit, world.coach, 22, TODAY)
    with pytest.raises(ValidationError):
        measure(benefit, world.other_coach, 22, TODAY + timedelta(days=1))


def test_benefit_totals_equal_the_hand_computed_sums(world):
    """Skövde's own benefits and Hjo's and Tibro's adoptions, summed by the database.

    Skövde, travel time 30 → 20 min (a fall is the gain), latest 24 (6 min better), 50 kr
    and 0,5 h per minute: 300 kr and 3 h. The older, worse measurement (28) is ignored.
    Skövde, visits 10 → 16, latest 13 (3 better), 120 kr, no hours: 360 kr.
    Skövde, not yet measured: nothing. Skövde, measured but no value per unit: nothing.
    Hjo, minutes 30 → 20, latest 26 (4 better), 50 kr and 0,25 h: 200 kr and 1 h.
    Tibro, visits 10 → 16, latest 8 (2 worse), 100 kr: −200 kr.
    Per municipality: Skövde 660 kr / 3 h, Hjo 200 kr / 1 h, Tibro −200 kr / 0 h.
    The consortium: 660 kr and 4 h.
    """
    tibro = testing.make_municipality(world.consortium, "Tibro", 900)
    tibro_coach = testing.make_user("Tina Tibro", (Role.COACH, tibro))
    solution = solution_in(world)
    idea = solution.idea
    coach = world.coach
    travel = make_benefit(
        idea, coach, value_per_unit_sek=Decimal("50"), hours_per_unit=Decimal("0.5")
    )
    measure(travel, coach, 28, TODAY - timedelta(days=40))
    measure(travel, coach, 24, TODAY - timedelta(days=5))
    visits = make_benefit(
        idea, coach, baseline=Decimal(10), target=Decimal(16), value_per_unit_sek=Decimal(120)
    )
    measure(visits, coach, 13, TODAY)
    make_benefit(idea, coach, value_per_unit_sek=Decimal("999"))  # not measured
    unvalued = make_benefit(idea, coach)
    measure(unvalued, coach, 10, TODAY)

    hjo = adopt(solution, world.other_coach, world.hjo)
    hjo_benefit = make_benefit(
        idea,
        world.other_coach,
        adoption=hjo,
        value_per_unit_sek=Decimal("50"),
        hours_per_unit=Decimal("0.25"),
    )
    measure(hjo_benefit, world.other_coach, 26, TODAY)
    tibro_adoption = adopt(solution, tibro_coach, tibro)
    tibro_benefit = make_benefit(
        idea,
        tibro_coach,
        adoption=tibro_adoption,
        baseline=Decimal(10),
        target=Decimal(16),
        value_per_unit_sek=Decimal(100),
    )
    measure(tibro_benefit, tibro_coach, 8, TODAY)

    totals = selectors.benefit_totals(world.process_leader)
    by_name = {row.name: row for row in totals["municipalities"]}
    assert set(by_name) == {"Skövde", "Hjo", "Tibro"}
    assert (by_name["Skövde"].sek, by_name["Skövde"].hours) == (Decimal("660"), Decimal("3"))
    assert (by_name["Hjo"].sek, by_name["Hjo"].hours) == (Decimal("200"), Decimal("1"))
    assert (by_name["Tibro"].sek, by_name["Tibro"].hours) == (Decimal("-200"), Decimal("0"))
    assert (by_name["Skövde"].benefits, by_name["Skövde"].measured) == (4, 3)
    [consortium] = totals["consortia"]
    assert (consortium.sek, consortium.hours) == (Decimal("660"), Decimal("4"))
    assert (consortium.benefits, consortium.measured) == (6, 5)

    realised = {b.pk: b for b in selectors.benefits_of_idea(idea)}
    assert realised[travel.pk].progress_percent == Decimal("60")  # 6 of 10 minutes
    assert realised[visits.pk].progress_percent == Decimal("50")  # 3 of 6 visits


def test_a_user_outside_the_consortium_sees_no_totals(world):
    other = testing.make_consortium("Annat förbund", "ANN")
    outsider_town = testing.make_municipality(other, "Annanstad")
    outsider = testing.make_user("Otto Utanför", (Role.COACH, outsider_town))
    solution = solution_in(world)
    benefit = make_benefit(solution.idea, world.coach, value_per_unit_sek=Decimal(1))
    measure(benefit, world.coach, 25, TODAY)
    assert selectors.benefit_totals(outsider) == {"municipalities": [], "consortia": []}
