"""The gate decision: the idea is moved through the one move service, the round records
that move and closes, and the submitter is told (in Swedish, the idea's language)."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.assessments import services
from apps.assessments.models import AssessmentRound
from apps.ideas.models import TimelineEntry
from apps.ideas.services import StageConflict
from apps.notifications.models import OutboxEmail

from .helpers import idea_in_assess, move, open_round, score_all, stage


@pytest.fixture
def round_(world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee])
    score_all(round_, world.employee, [4] * 8)
    return round_


def _decide(client, round_, **data):
    return client.post(
        reverse("assessments:decide", kwargs={"round_id": round_.pk}),
        {f"decision-{key}": value for key, value in data.items()},
    )


def test_the_gate_decision_moves_the_idea_and_is_attached_to_the_round(client, world, round_):
    idea = round_.idea
    client.force_login(world.process_leader)
    response = _decide(
        client,
        round_,
        to_stage=stage(world, "test").pk,
        expected_stage=idea.stage_id,
        reason="Starkt behov och låg kostnad.",
        message="Grattis! Idén går vidare till ett test.",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("ideas:detail", kwargs={"reference": idea.reference})

    idea.refresh_from_db()
    round_.refresh_from_db()
    assert idea.stage.key == "test"
    decision = round_.decision_entry
    assert decision.kind == TimelineEntry.Kind.STAGE_CHANGED
    assert (decision.from_stage.key, decision.to_stage.key) == ("assess", "test")
    assert decision.actor == world.process_leader
    assert decision.body == "Starkt behov och låg kostnad."
    assert round_.closed_at is not None and round_.closed_by == world.process_leader
    closed = idea.timeline.get(kind=TimelineEntry.Kind.ASSESSMENT_CLOSED)
    assert closed.created_at >= decision.created_at
    assert idea.timeline.filter(kind=TimelineEntry.Kind.ASSESSMENT_OPENED).count() == 1

    # The submitter is told by the move's own email, in the idea's language (Swedish).
    told = OutboxEmail.objects.filter(kind="idea_stage_changed").order_by("-pk").first()
    assert told.recipient == idea.submitters.get(is_primary=True).email
    assert "Testa" in told.subject + told.body  # the stage's Swedish name
    assert "Grattis! Idén går vidare till ett test." in told.body

    # The idea page shows the decision on the round.
    page = client.get(response["Location"]).content.decode()
    assert 'id="assessment-heading"' in page
    assert "decision-to_stage" not in page  # no decision form on a closed round


def test_a_decision_that_needs_a_reason_comes_back_with_the_typed_values(client, world, round_):
    idea = round_.idea
    emails = OutboxEmail.objects.filter(kind="idea_stage_changed").count()
    client.force_login(world.process_leader)
    response = _decide(
        client,
        round_,
        to_stage=stage(world, "closed").pk,
        expected_stage=idea.stage_id,
        reason="",
        message="Tyvärr går idén inte vidare.",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert "Tyvärr går idén inte vidare." in page
    assert f'<option value="{stage(world, "closed").pk}" selected>' in page
    idea.refresh_from_db()
    round_.refresh_from_db()
    assert idea.stage.key == "assess" and round_.is_open
    assert OutboxEmail.objects.filter(kind="idea_stage_changed").count() == emails


def test_a_stale_decision_changes_nothing(client, world, round_):
    idea = round_.idea
    seen = idea.stage_id
    move(world, idea, "capture", actor=world.coach)
    client.force_login(world.process_leader)
    response = _decide(client, round_, to_stage=stage(world, "test").pk, expected_stage=seen)
    # Capture → Test is no allowed move, so the form has no such choice any more.
    assert response.status_code in (302, 400)
    round_.refresh_from_db()
    assert round_.is_open and round_.decision_entry is None
    # Through the service with a move that exists from the stale stage: a conflict.
    with pytest.raises(StageConflict):
        services.round_decide(
            round=round_,
            actor=world.process_leader,
            to_stage=stage(world, "test"),
            expected_stage_id=seen,
        )
    round_.refresh_from_db()
    assert round_.is_open
    assert not TimelineEntry.objects.filter(kind=TimelineEntry.Kind.ASSESSMENT_CLOSED).exists()


def test_only_process_leaders_make_the_gate_decision(world, round_):
    with pytest.raises(PermissionDenied):
        services.round_decide(
            round=round_,
            actor=world.coach,
            to_stage=stage(world, "capture"),
            expected_stage_id=round_.idea.stage_id,
        )
    round_.refresh_from_db()
    assert round_.is_open


def test_a_closed_round_takes_no_decision(client, world, round_):
    services.round_close(round=round_, actor=world.process_leader)
    client.force_login(world.process_leader)
    response = _decide(
        client, round_, to_stage=stage(world, "test").pk, expected_stage=round_.idea.stage_id
    )
    assert response.status_code == 404
    with pytest.raises(services.RoundClosed):
        services.round_decide(
            round=round_,
            actor=world.process_leader,
            to_stage=stage(world, "test"),
            expected_stage_id=round_.idea.stage_id,
        )


def test_closing_without_a_decision_records_why_and_leaves_the_stage(client, world, round_):
    client.force_login(world.process_leader)
    response = client.post(
        reverse("assessments:close", kwargs={"round_id": round_.pk}),
        {"close-reason": "Idén slogs ihop med en annan."},
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert not round_.is_open and round_.decision_entry is None
    entry = round_.idea.timeline.get(kind=TimelineEntry.Kind.ASSESSMENT_CLOSED)
    assert entry.body == "Idén slogs ihop med en annan."
    assert round_.idea.stage.key == "assess"
    # A new round may now be opened.
    open_round(world, round_.idea, [world.other_coach])
    assert AssessmentRound.objects.filter(idea=round_.idea).count() == 2


def test_the_coach_who_opened_a_round_may_close_it_but_another_coach_may_not(world):
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee], actor=world.coach)
    with pytest.raises(PermissionDenied):
        services.round_close(round=round_, actor=world.other_coach)
    services.round_close(round=round_, actor=world.coach)
