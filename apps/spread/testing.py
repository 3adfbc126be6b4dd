"""Builders for tests (and the matrix) of the solution catalogue. They go through the real
services, so a test's data is made the way production makes it."""

from datetime import date
from decimal import Decimal

from apps.core import testing
from apps.ideas import services as idea_services
from apps.ideas.models import Idea
from apps.workflow.models import Stage

from . import services
from .models import Adoption, BenefitHypothesis, Category, Measurement, Solution

#: The default process's way from the initial stage to Spread.
PATH_TO_SPREAD = ("capture", "assess", "test", "develop", "spread")


def move_to_spread(idea: Idea, process_leader) -> Idea:
    """Carry an idea through the default process to Spread, by the real moves."""
    stages = {s.key: s for s in Stage.objects.filter(consortium_id=idea.consortium_id)}
    path = list(PATH_TO_SPREAD)
    if idea.stage.key in path:
        path = path[path.index(idea.stage.key) + 1 :]
    for key in path:
        idea = idea_services.idea_move(
            idea=idea, actor=process_leader, to_stage=stages[key], expected_stage_id=idea.stage_id
        )
    return idea


def spreadable_idea(municipality, process_leader, **overrides) -> Idea:
    return move_to_spread(testing.submit_idea(municipality, **overrides), process_leader)


def make_solution(idea: Idea, actor, *, contact=None, **fields) -> Solution:
    values = {
        "title": f"Lösning: {idea.title}",
        "summary": "Digital nyckelhantering i hemtjänsten.",
        "results": "Trettio minuter mindre per dag och grupp.",
        "category": Category.CARE,
        "contact": contact or actor,
        "documents": [],
    }
    values.update(fields)
    return services.solution_create(actor=actor, idea=idea, **values)


def solution_in(world, *, consent: bool = True, approved: bool = False, **fields) -> Solution:
    """A Skövde idea in Spread, offered by Skövde's coach; approved by the communicator
    if asked."""
    idea = spreadable_idea(world.skovde, world.process_leader, consent_to_publish=consent)
    solution = make_solution(idea, world.coach, **fields)
    if approved:
        services.solution_approve_publication(actor=world.communicator, solution=solution)
    return solution


def adopt(solution: Solution, actor, municipality, *, owner=None) -> Adoption:
    return services.adoption_create(
        actor=actor, solution=solution, municipality=municipality, owner=owner or actor
    )


def make_benefit(idea: Idea, actor, *, adoption: Adoption | None = None, **fields):
    values = {
        "owner": actor,
        "description": "Kortare restid.",
        "indicator": "Restid per besök",
        "unit": "minuter",
        "baseline": Decimal("30"),
        "target": Decimal("20"),
        "how_measured": "Tidrapporten, en vecka i månaden.",
        "phase": "realise",
    }
    values.update(fields)
    return services.benefit_create(actor=actor, idea=idea, adoption=adoption, **values)


def measure(benefit: BenefitHypothesis, actor, value, on: date) -> Measurement:
    return services.measurement_record(
        actor=actor, benefit=benefit, measured_on=on, value=Decimal(str(value))
    )
