"""Response times per outside actor, for colleagues and overall, against figures worked
out by hand."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.core import testing
from apps.organisations.models import Role
from apps.referrals import selectors, services
from apps.referrals.models import Referral
from apps.referrals.testing import idea_with_files, make_actor, send

pytestmark = pytest.mark.django_db

SENT = timezone.make_aware(datetime(2030, 1, 7, 9, 0))


def _referral(idea, person, *, answered_after_days=None, revoked=False, **recipient):
    referral = send(idea, person, **recipient)
    if answered_after_days is not None:
        services.referral_answer(referral=referral, body="Svar.")
    if revoked:
        services.referral_revoke(referral=referral, actor=person)
    Referral.objects.filter(pk=referral.pk).update(
        sent_at=SENT,
        answered_at=(
            SENT + timedelta(days=answered_after_days) if answered_after_days is not None else None
        ),
    )
    return referral


@pytest.fixture
def figures(world):
    """Anna: answered after 2, 4 and 9 days, one unanswered → 3 of 4, median 4, mean 5.
    Bo: answered after 1.5 days; one withdrawn unanswered (not counted) → 1 of 1, 1.5.
    Cia: one withdrawn after she answered in 6 days (counted) → 1 of 1, 6.
    Dan: never asked. A colleague: answered after 3 days.
    Overall: 2, 4, 9, 1.5, 6, 3 of 7 → median 3.5, mean 25.5 / 6 = 4.25 → 4.2.
    Another consortium's referral counts nowhere here."""
    idea = idea_with_files(world.skovde)
    anna = make_actor(world.consortium, name="Anna")
    bo = make_actor(world.consortium, name="Bo")
    cia = make_actor(world.consortium, name="Cia")
    dan = make_actor(world.consortium, name="Dan")
    for days in (2, 4, 9, None):
        _referral(idea, world.coach, to=anna, answered_after_days=days)
    _referral(idea, world.coach, to=bo, answered_after_days=1.5)
    _referral(idea, world.coach, to=bo, revoked=True)
    _referral(idea, world.coach, to=cia, answered_after_days=6, revoked=True)
    _referral(idea, world.coach, colleague=world.other_coach, answered_after_days=3)
    elsewhere = testing.make_consortium("Fyrbodal", "FYR")
    leader = testing.make_user("Lena", (Role.PROCESS_LEADER, elsewhere))
    far_idea = idea_with_files(testing.make_municipality(elsewhere, "Uddevalla"))
    _referral(far_idea, leader, to=make_actor(elsewhere), answered_after_days=100)
    return {"anna": anna, "bo": bo, "cia": cia, "dan": dan}


def test_response_times_per_actor_for_colleagues_and_overall(world, figures):
    report = selectors.response_times(world.coach)
    anna = report.per_actor[figures["anna"].pk]
    assert (anna.sent, anna.answered, anna.unanswered) == (4, 3, 1)
    assert (anna.median_days, anna.mean_days) == (4.0, 5.0)
    bo = report.per_actor[figures["bo"].pk]
    assert (bo.sent, bo.answered, bo.median_days, bo.mean_days) == (1, 1, 1.5, 1.5)
    cia = report.per_actor[figures["cia"].pk]
    assert (cia.sent, cia.answered, cia.median_days, cia.mean_days) == (1, 1, 6.0, 6.0)
    assert figures["dan"].pk not in report.per_actor
    colleagues = report.colleagues
    assert (colleagues.sent, colleagues.answered, colleagues.median_days) == (1, 1, 3.0)
    overall = report.overall
    assert (overall.sent, overall.answered) == (7, 6)
    assert (overall.median_days, overall.mean_days) == (3.5, 4.2)


def test_nothing_answered_has_no_figures(world):
    referral = send(idea_with_files(world.skovde), world.coach)
    report = selectors.response_times(world.process_leader)
    actor = report.per_actor[referral.external_actor_id]
    assert (actor.sent, actor.answered, actor.median_days, actor.mean_days) == (1, 0, None, None)
    assert selectors.response_times(world.manager).overall.sent == 0


def test_the_register_page_shows_the_figures(client, world, figures):
    client.force_login(world.process_leader)
    response = client.get(reverse("referrals:actors"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "4.0 / 5.0" in page or "4,0 / 5,0" in page
    assert response.context["times"].overall.median_days == 3.5
