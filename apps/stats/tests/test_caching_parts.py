"""Each part of the statistics is kept under the version of what it reads: a write shows
at once in every part it can change, and a write that cannot change the process parts
(funnel, lead time, waiting, outcomes, ...) leaves their kept copies in use."""

from dataclasses import replace
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import testing
from apps.ideas.services import idea_add_note, idea_move
from apps.organisations.models import Role
from apps.organisations.services import organisation_update
from apps.privacy import selectors as privacy_selectors
from apps.privacy import services as privacy
from apps.referrals import services as referrals
from apps.spread import services as spread
from apps.spread.models import BenefitHypothesis, Solution
from apps.stats import caching, figures, selectors
from apps.workflow.models import Stage
from apps.workflow.services import stage_save

from .fixtures import build_statistics_world

pytestmark = pytest.mark.django_db

DASHBOARD_PARTS = list(figures.part_makers(filters=None))
PROCESS = sorted(figures.PROCESS_PARTS)
OTHERS = sorted(set(DASHBOARD_PARTS) - figures.PROCESS_PARTS)


@pytest.fixture
def stats(world):
    return build_statistics_world(world)


@pytest.fixture
def filters(stats):
    return replace(stats.filters, end=stats.now.date())


def _keys(filters) -> dict[str, str]:
    return caching.part_keys(filters, DASHBOARD_PARTS, figures.PROCESS_PARTS)


def _changed(before: dict[str, str], after: dict[str, str]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


def _table(tables, slug: str):
    return next(table for table in tables if table.slug == slug)


def test_the_parts_are_split_as_documented():
    assert set(PROCESS) <= set(DASHBOARD_PARTS)
    assert {"referral_times", "adoptions_per_solution", "benefits_realised"} <= set(OTHERS)


def test_a_note_recomputes_only_the_parts_that_read_more_than_the_process(world, filters):
    before = _keys(filters)
    idea = testing.submit_idea(world.hjo)
    after_idea = _keys(filters)
    # A new idea has no referral, solution or benefit: only the process parts change.
    assert _changed(before, after_idea) == set(PROCESS)
    idea_add_note(idea=idea, actor=world.process_leader, body="Ringde upp.")
    assert _changed(after_idea, _keys(filters)) == set(OTHERS)


@pytest.mark.parametrize("write", ["move", "stage", "municipality", "erasure"])
def test_every_change_the_process_parts_read_gives_them_a_new_version(world, filters, write):
    idea = testing.submit_idea(world.hjo, submitter_name="Eva Ek", submitter_email="eva@ex.se")
    before = _keys(filters)
    if write == "move":
        capture = Stage.objects.get(consortium=world.consortium, key="capture")
        idea_move(
            idea=idea, actor=world.process_leader, to_stage=capture, expected_stage_id=idea.stage_id
        )
    elif write == "stage":
        stage = Stage.objects.get(consortium=world.consortium, key="assess")
        stage.name_sv = stage.name_sv + " och prioritera"
        stage_save(actor=world.process_leader, stage=stage)
    elif write == "municipality":
        organisation_update(
            actor=world.administrator, organisation=world.hjo, name="Hjo", employee_count=801
        )
    else:
        privacy.person_erase(
            actor=world.administrator,
            person=privacy_selectors.person_for(email="eva@ex.se"),
        )
    assert set(PROCESS) <= _changed(before, _keys(filters))


def test_a_move_recomputes_only_the_process_parts(world, filters):
    idea = testing.submit_idea(world.hjo)
    before = _keys(filters)
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    idea_move(
        idea=idea, actor=world.process_leader, to_stage=capture, expected_stage_id=idea.stage_id
    )
    assert _changed(before, _keys(filters)) == set(PROCESS)
    # And what is kept after the move is what recomputing gives.
    assert selectors.dashboard_tables(filters) == figures.dashboard_tables(filters=filters)


def test_a_changed_benefit_after_a_move_shows_at_once(world, stats, filters):
    benefit = BenefitHypothesis.objects.filter(idea__consortium=world.consortium).first()
    assert benefit is not None, "the statistics fixture has benefits"
    idea = testing.submit_idea(world.hjo)
    capture = Stage.objects.get(consortium=world.consortium, key="capture")
    selectors.dashboard_tables(filters)
    idea_move(
        idea=idea, actor=world.process_leader, to_stage=capture, expected_stage_id=idea.stage_id
    )
    selectors.dashboard_tables(filters)  # kept after the move
    before = _keys(filters)
    # Changed in place: no count moves, only the timeline's entry tells.
    spread.benefit_update(
        actor=world.process_leader,
        benefit=benefit,
        owner=benefit.owner,
        target=benefit.target + 7,
    )
    assert _changed(before, _keys(filters)) == set(OTHERS)
    assert selectors.dashboard_tables(filters) == figures.dashboard_tables(filters=filters)


def test_a_kept_part_is_read_not_recomputed_and_serves_both_pages(filters):
    selectors.dashboard_tables(filters)
    with CaptureQueriesContext(connection) as captured:
        public = selectors.public_tables(filters)
    # The public page's own part (adoptions by stage) is computed; nothing reads the
    # timeline's entries for the funnel, lead time or outcomes again.
    assert not [q for q in captured if '"ideas_timelineentry"."to_stage_id"' in q["sql"]]
    assert not [q for q in captured if "from_stage_id" in q["sql"]]
    recomputed = figures.public_tables(filters=filters)
    clock = {"waiting"}
    assert [t for t in public if t.slug not in clock] == [
        t for t in recomputed if t.slug not in clock
    ]


def test_a_referral_answer_shows_at_once_while_the_process_parts_stay_kept(world, filters):
    idea = testing.submit_idea(world.skovde)
    referral = referrals.referral_send(
        idea=idea,
        actor=world.process_leader,
        question="Vad tror ni?",
        due_date=timezone.localdate() + timedelta(days=14),
        colleague=world.communicator,
    )
    before = _table(selectors.dashboard_tables(filters), "referrals").rows
    process_keys = {name: _keys(filters)[name] for name in PROCESS}
    referrals.referral_answer(referral=referral, body="Bra idé.")
    after = _table(selectors.dashboard_tables(filters), "referrals").rows
    assert after == _table(figures.dashboard_tables(filters=filters), "referrals").rows
    colleagues, everyone = 1, 2
    assert after[colleagues][2] == before[colleagues][2] + 1
    assert after[everyone][2] == before[everyone][2] + 1
    assert {name: _keys(filters)[name] for name in PROCESS} == process_keys


def test_an_adoption_shows_at_once(world, stats, filters):
    before = _table(selectors.dashboard_tables(filters), "adoptions").rows
    solution = next(row for row in before if row[0] == stats.solution_title)
    vara = testing.make_municipality(world.consortium, "Vara")
    spread.adoption_create(
        actor=world.process_leader,
        solution=Solution.objects.get(title=stats.solution_title),
        municipality=vara,
        owner=testing.make_user("Vera Vara", (Role.COACH, vara)),
    )
    after = _table(selectors.dashboard_tables(filters), "adoptions").rows
    assert after == _table(figures.dashboard_tables(filters=filters), "adoptions").rows
    assert next(row for row in after if row[0] == stats.solution_title)[-1] == solution[-1] + 1


def test_an_erasure_rewrites_a_kept_reason_at_once(world, filters):
    name, email = "Sigrid Sandberg", "sigrid@example.se"
    idea = testing.submit_idea(world.hjo, submitter_name=name, submitter_email=email)
    closed = Stage.objects.get(consortium=world.consortium, key="closed")
    idea_move(
        idea=idea,
        actor=world.process_leader,
        to_stage=closed,
        expected_stage_id=idea.stage_id,
        reason=f"{name} hittade samma sak i Skövde",
    )
    reasons = _table(selectors.dashboard_tables(filters), "outcome-reasons").rows
    assert any(name in row[1] for row in reasons)
    privacy.person_erase(
        actor=world.administrator, person=privacy_selectors.person_for(email=email)
    )
    reasons = _table(selectors.dashboard_tables(filters), "outcome-reasons").rows
    assert not any(name in row[1] for row in reasons)
    assert reasons == _table(figures.dashboard_tables(filters=filters), "outcome-reasons").rows


def test_a_deleted_idea_gives_the_process_parts_a_new_version(world, filters):
    # Deleting goes through no timeline entry (the entries go with the idea): the
    # count of the consortium's ideas is what notices it.
    testing.submit_idea(world.hjo)
    second = testing.submit_idea(world.skovde)
    before = _keys(filters)
    second.delete()
    assert set(PROCESS) <= _changed(before, _keys(filters))


def _key_figure_keys(filters) -> dict[str, str]:
    return caching.part_keys(
        filters, ["key_figures_process", "key_figures_spread"], selectors.KEY_FIGURES_PROCESS
    )


def _recomputed_key_figures(filters) -> dict:
    return {pk: figures.key_figures(consortium_id=pk) for pk in sorted(filters.consortium_ids)}


def test_a_new_idea_recomputes_only_the_ideas_half_of_the_key_figures(world, filters):
    # The spread half (adopting municipalities, benefit realised) is the costly one: an
    # idea handed in while a dashboard is open must not recompute it.
    before_figures = selectors.key_figures(filters)
    before = _key_figure_keys(filters)
    testing.submit_idea(world.hjo)
    assert _changed(before, _key_figure_keys(filters)) == {"key_figures_process"}
    after = selectors.key_figures(filters)
    assert after == _recomputed_key_figures(filters)
    in_progress = 1
    pk = world.consortium.pk
    assert after[pk][in_progress] != before_figures[pk][in_progress]


def test_an_adoption_shows_in_the_key_figures_at_once(world, stats, filters):
    # A new municipality is in scope for both halves (names, employee counts): made first.
    vara = testing.make_municipality(world.consortium, "Vara")
    selectors.key_figures(filters)
    before = _key_figure_keys(filters)
    spread.adoption_create(
        actor=world.process_leader,
        solution=Solution.objects.get(title=stats.solution_title),
        municipality=vara,
        owner=testing.make_user("Vera Vara", (Role.COACH, vara)),
    )
    assert _changed(before, _key_figure_keys(filters)) == {"key_figures_spread"}
    assert selectors.key_figures(filters) == _recomputed_key_figures(filters)
