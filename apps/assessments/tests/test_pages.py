"""The assessment pages: opening a round, the criteria, what nobody else reaches, and the
idea page's section at a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.assessments import services
from apps.assessments.models import AssessmentRound, Criterion, RoundCriterion
from apps.core.testing import make_user
from apps.core.tests.matrix import submit_with_file
from apps.ideas.models import TimelineEntry
from apps.notifications.models import OutboxEmail

from .helpers import criteria, idea_in_assess, move, open_round, score_all


def _open_url(idea) -> str:
    return reverse("assessments:round_new", kwargs={"reference": idea.reference})


def _round_form(world, **changes) -> dict:
    data = {
        "assessors": [world.other_coach.pk],
        "other_assessors": world.employee.email,
        "criteria": [c.pk for c in criteria(world)],
        "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
    }
    data.update(changes)
    return data


# --- Opening a round ---------------------------------------------------------------------


def test_a_process_leader_opens_a_round_and_each_assessor_is_emailed(client, world):
    idea = idea_in_assess(world)
    guest = make_user("Gun Gäst", email="gun@extern.se")
    client.force_login(world.process_leader)
    page = client.get(_open_url(idea))
    assert page.status_code == 200
    text = page.content.decode()
    # The default criteria were seeded on first use, all ticked.
    assert Criterion.objects.filter(consortium=world.consortium).count() == 8
    assert text.count('name="criteria"') == 8 and text.count("checked") >= 8
    response = client.post(
        _open_url(idea),
        _round_form(world, other_assessors=f"{world.employee.email}\nGUN@extern.se\n"),
    )
    round_ = AssessmentRound.objects.get(idea=idea)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:round", kwargs={"round_id": round_.pk})
    assert set(round_.assignments.values_list("assessor__email", flat=True)) == {
        world.employee.email,
        world.other_coach.email,
        guest.email,
    }
    assert round_.criteria.count() == 8 and not round_.blind
    assert round_.stage.key == "assess"
    entry = idea.timeline.get(kind=TimelineEntry.Kind.ASSESSMENT_OPENED)
    assert entry.actor == world.process_leader and "Gun Gäst" in entry.body
    invited = OutboxEmail.objects.filter(kind="assessment_invited")
    assert sorted(invited.values_list("recipient", flat=True)) == sorted(
        [world.employee.email, world.other_coach.email, guest.email]
    )
    assert all(f"/assessments/{round_.pk}/" in e.body for e in invited)


def test_the_open_form_comes_back_with_its_errors_and_the_typed_values(client, world):
    idea = idea_in_assess(world)
    client.force_login(world.process_leader)
    chosen = criteria(world)[:3]
    response = client.post(
        _open_url(idea),
        _round_form(
            world,
            assessors=[],
            other_assessors="ingen@finns.se",
            criteria=[c.pk for c in chosen],
            due_date="2020-01-01",
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert 'href="#id_other_assessors"' in page
    assert "ingen@finns.se" in page
    assert 'value="2020-01-01"' in page
    for criterion in criteria(world):
        tick = f'value="{criterion.pk}" id="id_criteria_{criterion.position - 1}" checked'
        assert (tick in page) is (criterion in chosen), criterion
    assert not AssessmentRound.objects.exists()
    # Nobody chosen at all, and a date in the past.
    response = client.post(
        _open_url(idea),
        _round_form(world, assessors=[], other_assessors="", due_date="2020-01-01"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_assessors"' in page and 'href="#id_due_date"' in page
    assert not AssessmentRound.objects.exists()


def test_a_blind_round_refuses_people_who_can_see_the_idea(client, world):
    idea = idea_in_assess(world)
    client.force_login(world.process_leader)
    response = client.post(
        _open_url(idea), _round_form(world, assessors=[world.coach.pk], blind="on")
    )
    assert response.status_code == 400
    assert world.coach.full_name in response.content.decode()
    assert not AssessmentRound.objects.exists()


def test_the_idea_page_offers_a_round_until_one_is_open(client, world):
    idea = idea_in_assess(world)
    detail = reverse("ideas:detail", kwargs={"reference": idea.reference})
    client.force_login(world.coach)
    assert _open_url(idea) in client.get(detail).content.decode()
    round_ = open_round(world, idea, [world.employee])
    page = client.get(detail).content.decode()
    assert _open_url(idea) not in page
    assert reverse("assessments:round", kwargs={"round_id": round_.pk}) in page
    assert world.employee.full_name in page  # has not answered yet
    # The open-round page points to the open round instead of opening a second.
    response = client.get(_open_url(idea))
    assert reverse("assessments:round", kwargs={"round_id": round_.pk}) in response.content.decode()
    # A manager reads the idea but sees no assessments.
    client.force_login(world.manager)
    page = client.get(detail).content.decode()
    assert 'id="assessment-heading"' not in page


# --- Criteria ------------------------------------------------------------------------------


def test_a_process_leader_edits_the_criteria_and_open_rounds_keep_theirs(client, world):
    client.force_login(world.process_leader)
    page = client.get(reverse("assessments:criteria"))
    assert page.status_code == 200
    need = Criterion.objects.get(consortium=world.consortium, name_en="Need")
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [world.employee])
    response = client.post(
        reverse("assessments:criterion_edit", kwargs={"criterion_id": need.pk}),
        {
            "name_sv": "Verkligt behov",
            "name_en": "Real need",
            "guidance_sv": "",
            "guidance_en": "",
            "weight": "2.5",
            "scale_max": "7",
            "position": "1",
        },
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert (need.name_sv, str(need.weight), need.scale_max, need.is_active) == (
        "Verkligt behov",
        "2.50",
        7,
        False,
    )
    copy = RoundCriterion.objects.get(round=round_, source=need)
    assert (copy.name_sv, copy.weight, copy.scale_max) == ("Behov", 1, 5)
    # A retired criterion is no longer offered for new rounds.
    services.round_close(round=round_, actor=world.process_leader)
    page = client.get(_open_url(idea)).content.decode()
    assert "Verkligt behov" not in page


def test_a_criterion_form_with_errors_comes_back_with_the_typed_values(client, world):
    client.force_login(world.process_leader)
    response = client.post(
        reverse("assessments:criterion_new"),
        {
            "name_sv": "Klimat",
            "name_en": "",
            "guidance_sv": "Minskar idén utsläppen?",
            "weight": "0",
            "scale_max": "1",
            "position": "9",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    for field in ("name_en", "weight", "scale_max"):
        assert f'href="#id_{field}"' in page
    assert "Minskar idén utsläppen?" in page and 'value="Klimat"' in page
    assert not Criterion.objects.filter(name_sv="Klimat").exists()


# --- What others do not reach --------------------------------------------------------------


def test_an_assessor_reaches_only_their_own_round_and_its_idea_s_files(client, world):
    own_idea = move(world, move(world, submit_with_file(world.skovde), "capture"), "assess")
    other_idea = move(world, move(world, submit_with_file(world.skovde), "capture"), "assess")
    own = open_round(world, own_idea, [world.employee])
    other = open_round(world, other_idea, [make_user("Annan Bedömare")])
    client.force_login(world.employee)
    assert client.get(reverse("assessments:round", kwargs={"round_id": own.pk})).status_code == 200
    for name, kwargs in [
        ("assessments:round", {"round_id": other.pk}),
        ("assessments:score", {"round_id": other.pk}),
        ("assessments:decide", {"round_id": own.pk}),
        ("assessments:close", {"round_id": own.pk}),
        (
            "assessments:attachment",
            {"round_id": own.pk, "attachment_id": other_idea.attachments.get().pk},
        ),
        (
            "assessments:attachment",
            {"round_id": other.pk, "attachment_id": other_idea.attachments.get().pk},
        ),
        ("assessments:round_new", {"reference": own_idea.reference}),
        ("assessments:criteria", {}),
        ("ideas:detail", {"reference": own_idea.reference}),
        ("ideas:attachment", {"reference": own_idea.reference, "attachment_id": 1}),
    ]:
        url = reverse(name, kwargs=kwargs)
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {}).status_code in (404, 405), url
    file_url = reverse(
        "assessments:attachment",
        kwargs={"round_id": own.pk, "attachment_id": own_idea.attachments.get().pk},
    )
    assert client.get(file_url).status_code == 200


def test_my_assessments_lists_the_rounds_to_do(client, world):
    idea = idea_in_assess(world, title="Ett eget namn på idén")
    open_round(world, idea, [world.employee])
    client.force_login(world.employee)
    page = client.get(reverse("assessments:mine")).content.decode()
    assert "Ett eget namn på idén" in page
    client.force_login(world.other_coach)
    assert "Ett eget namn på idén" not in client.get(reverse("assessments:mine")).content.decode()


# --- Query counts ----------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("person", ["process_leader", "coach"])
def test_the_idea_page_costs_the_same_with_one_round_or_many(client, world, person):
    few = idea_in_assess(world)
    open_round(world, few, [world.employee])
    many = idea_in_assess(world)
    people = [make_user(f"Bedömare {n}") for n in range(5)]
    for number in range(3):
        round_ = open_round(world, many, people)
        for someone in people[: 2 + number]:
            score_all(round_, someone, [3, 4, 5, 2, 1, 3, 4, 5], notes={0: "Not", 3: "Mer"})
        if number < 2:
            services.round_close(round=round_, actor=world.process_leader)
    client.force_login(getattr(world, person))
    detail = "ideas:detail"
    count_few = _queries(client, reverse(detail, kwargs={"reference": few.reference}))
    count_many = _queries(client, reverse(detail, kwargs={"reference": many.reference}))
    assert count_few == count_many


def test_the_round_page_costs_the_same_with_one_assessor_or_many(client, world):
    small = open_round(world, idea_in_assess(world), [world.employee])
    people = [make_user(f"Bedömare {n}") for n in range(6)]
    large = open_round(world, idea_in_assess(world), people)
    for someone in people:
        score_all(large, someone, [3, 4, 5, 2, 1, 3, 4, 5], notes={1: "Not"})
    client.force_login(world.process_leader)
    assert _queries(
        client, reverse("assessments:round", kwargs={"round_id": small.pk})
    ) == _queries(client, reverse("assessments:round", kwargs={"round_id": large.pk}))
