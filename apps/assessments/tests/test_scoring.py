"""Scoring: an assessor sees only their own draft until they hand in; handing in needs
every score and is final; the form comes back with its errors and the typed values."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.assessments import services
from apps.assessments.models import Score
from apps.core.testing import make_user
from apps.notifications.models import OutboxEmail

from .helpers import assignment, form_data, idea_in_assess, open_round, score_all

SECRET_NOTE = "Anteckning som bara syns efter inlämning"


@pytest.fixture
def panel(world):
    """A round with two assessors without roles and the idea's coach as a third."""
    first, second = make_user("Frida Först"), make_user("Sara Sist")
    idea = idea_in_assess(world)
    round_ = open_round(world, idea, [first, second, world.coach])
    return round_, first, second


def _page(client, round_) -> str:
    response = client.get(reverse("assessments:round", kwargs={"round_id": round_.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_scores_stay_hidden_from_other_assessors_until_they_hand_in(client, world, panel):
    round_, first, second = panel
    score_all(round_, first, [5, 5, 5, 5, 5, 5, 5, 5], notes={0: SECRET_NOTE})

    # The second assessor has saved a draft but not handed in: only their own is shown.
    score_all(round_, second, [2, 2], notes={1: "Mitt eget utkast"}, hand_in=False)
    client.force_login(second)
    page = _page(client, round_)
    assert SECRET_NOTE not in page
    assert "Frida Först" not in page.split('id="result-heading"')[1].split("<h3>")[0]
    assert "Mitt eget utkast" in page  # their own draft, in the form
    assert 'name="hand_in"' in page
    # The coach works the idea, but is an assessor who has not handed in: nothing on the
    # idea page or the round page either.
    client.force_login(world.coach)
    assert SECRET_NOTE not in _page(client, round_)
    idea_page = client.get(reverse("ideas:detail", kwargs={"reference": round_.idea.reference}))
    assert SECRET_NOTE not in idea_page.content.decode()

    # Once the second assessor hands in, the first one's scores and notes are there.
    client.force_login(second)
    response = client.post(
        reverse("assessments:score", kwargs={"round_id": round_.pk}),
        form_data(round_, [3, 3, 3, 3, 3, 3, 3, 3]),
    )
    assert response.status_code == 302
    page = _page(client, round_)
    assert SECRET_NOTE in page
    assert "Frida Först" in page
    assert 'name="hand_in"' not in page
    # Drafts of others never show, not even to the process leader.
    client.force_login(world.process_leader)
    page = _page(client, round_)
    assert SECRET_NOTE in page
    assert "Mitt eget utkast" not in page


def test_handing_in_needs_every_score_and_keeps_what_was_typed(client, panel):
    round_, first, _second = panel
    client.force_login(first)
    data = form_data(round_, [4, None, 2], notes={0: "Bra behov", 1: "Oklart"})
    response = client.post(reverse("assessments:score", kwargs={"round_id": round_.pk}), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    criteria = list(round_.criteria.order_by("position"))
    # The error summary links to the group of the missing score.
    assert f'href="#id_score_{criteria[1].pk}"' in page
    # What was typed and chosen is still there.
    assert "Bra behov" in page and "Oklart" in page
    assert f'value="4" id="id_score_{criteria[0].pk}_3" checked' in page
    assert f'value="2" id="id_score_{criteria[2].pk}_1" checked' in page
    assert f'id="id_score_{criteria[1].pk}_error"' in page
    assert not assignment(round_, first).is_submitted
    assert not Score.objects.filter(assignment__assessor=first).exists()


def test_a_draft_may_be_partial_and_is_kept(client, panel):
    round_, first, _second = panel
    client.force_login(first)
    url = reverse("assessments:score", kwargs={"round_id": round_.pk})
    response = client.post(url, form_data(round_, [4], notes={0: "Första tanke"}, action="draft"))
    assert response.status_code == 302
    page = _page(client, round_)
    assert "Första tanke" in page
    assert not assignment(round_, first).is_submitted


def test_a_score_outside_the_scale_is_refused(client, panel):
    round_, first, _second = panel
    client.force_login(first)
    url = reverse("assessments:score", kwargs={"round_id": round_.pk})
    response = client.post(url, form_data(round_, [6, 3, 3, 3, 3, 3, 3, 3]))
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        score_all(round_, first, [0, 3, 3, 3, 3, 3, 3, 3])
    assert not assignment(round_, first).is_submitted


def test_handing_in_is_final(client, panel):
    round_, first, _second = panel
    score_all(round_, first, [4, 4, 4, 4, 4, 4, 4, 4])
    with pytest.raises(ValidationError):
        score_all(round_, first, [1, 1, 1, 1, 1, 1, 1, 1])
    client.force_login(first)
    response = client.post(
        reverse("assessments:score", kwargs={"round_id": round_.pk}),
        form_data(round_, [1, 1, 1, 1, 1, 1, 1, 1]),
    )
    assert response.status_code == 302
    values = set(Score.objects.filter(assignment__assessor=first).values_list("value", flat=True))
    assert values == {4}


def test_nobody_scores_in_a_closed_round(world, panel):
    round_, first, _second = panel
    services.round_close(round=round_, actor=world.process_leader, reason="Behövs inte.")
    with pytest.raises(services.RoundClosed):
        score_all(round_, first, [4, 4, 4, 4, 4, 4, 4, 4])


def test_the_opener_is_told_when_every_assessor_has_answered(world, panel):
    round_, first, second = panel
    for person in (first, second):
        score_all(round_, person, [3, 3, 3, 3, 3, 3, 3, 3])
    assert not OutboxEmail.objects.filter(kind="assessment_all_in").exists()
    score_all(round_, world.coach, [3, 3, 3, 3, 3, 3, 3, 3])
    told = OutboxEmail.objects.get(kind="assessment_all_in")
    assert told.recipient == world.process_leader.email
    assert f"/assessments/{round_.pk}/" in told.body
    assert not mail.outbox  # sent by the worker, not in the request


def test_someone_else_cannot_score_for_an_assessor(world, panel):
    round_, first, _second = panel
    with pytest.raises(services.PermissionDenied):
        services.score_save(
            assignment=assignment(round_, first),
            actor=world.process_leader,
            scores={},
            hand_in=False,
        )
