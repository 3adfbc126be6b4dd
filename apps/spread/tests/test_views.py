"""The catalogue's pages: who sees what, bad input, and flat query counts."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.core import testing
from apps.organisations.models import Role
from apps.spread.models import Adoption, Measurement, Solution
from apps.spread.testing import adopt, make_benefit, measure, solution_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def test_hjo_adopts_a_skovde_solution_but_cannot_edit_it(client, world):
    solution = solution_in(world)
    client.force_login(world.other_coach)
    assert client.get(reverse("spread:solution", args=[solution.pk])).status_code == 200
    edit = reverse("spread:solution_edit", args=[solution.pk])
    assert client.get(edit).status_code == 404
    assert (
        client.post(edit, {"title": "Kapad", "summary": "x", "category": "care"}).status_code == 404
    )
    response = client.post(
        reverse("spread:adopt", args=[solution.pk]),
        {"municipality": world.hjo.pk, "owner": world.other_coach.pk},
    )
    adoption = Adoption.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spread:adoption", args=[adoption.pk])
    assert adoption.municipality == world.hjo
    solution.refresh_from_db()
    assert solution.title != "Kapad"


def test_the_originating_coach_reads_the_adoption_without_changing_it(client, world):
    adoption = adopt(solution_in(world), world.other_coach, world.hjo)
    client.force_login(world.coach)
    page = client.get(reverse("spread:adoption", args=[adoption.pk]))
    assert page.status_code == 200
    assert b'name="stage-stage"' not in page.content
    response = client.post(
        reverse("spread:adoption_stage", args=[adoption.pk]),
        {"stage-stage": "testing", "stage-on_date": TODAY.isoformat()},
    )
    assert response.status_code == 404
    adoption.refresh_from_db()
    assert adoption.stage == "planned"


def test_a_user_of_another_consortium_gets_404_everywhere(client, world):
    elsewhere = testing.make_consortium("Fyrbodal", prefix="FYR")
    town = testing.make_municipality(elsewhere, "Uddevalla")
    outsider = testing.make_user("Ulla Udde", (Role.COACH, town))
    leader = testing.make_user("Lars Ledare", (Role.PROCESS_LEADER, elsewhere))
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    benefit = make_benefit(solution.idea, world.coach)
    for person in (outsider, leader):
        client.force_login(person)
        for url in (
            reverse("spread:solution", args=[solution.pk]),
            reverse("spread:adopt", args=[solution.pk]),
            reverse("spread:publication", args=[solution.pk]),
            reverse("spread:adoption", args=[adoption.pk]),
            reverse("spread:benefit", args=[benefit.pk]),
            reverse("spread:measure", args=[benefit.pk]),
        ):
            assert client.get(url).status_code == 404, url
        catalogue = client.get(reverse("spread:catalogue"))
        assert catalogue.status_code == 200  # their own consortium's, without Skövde's
        assert solution.title not in catalogue.content.decode()


def test_anonymous_visitors_see_only_published_solutions_and_no_personal_data(client, world):
    internal = solution_in(world, consent=True)
    no_consent = solution_in(world, consent=False)
    published = solution_in(world, consent=True, approved=True, title="Digitala nycklar")
    page = client.get(reverse("spread:public_catalogue")).content.decode()
    assert published.title in page
    assert internal.title not in page and no_consent.title not in page
    detail = client.get(reverse("spread:public_detail", args=[published.pk]))
    assert detail.status_code == 200
    submitter = published.idea.submitters.get()
    text = detail.content.decode()
    assert submitter.name not in text and submitter.email not in text
    assert published.idea.need not in text  # only the solution's edited text
    for hidden in (internal, no_consent):
        assert client.get(reverse("spread:public_detail", args=[hidden.pk])).status_code == 404
    login = client.get(reverse("spread:solution", args=[published.pk]))
    assert login.status_code == 302 and "login" in login["Location"]


def test_an_employee_without_a_role_belongs_to_the_catalogue_of_ideas_they_handed_in(client, world):
    solution = solution_in(world)
    client.force_login(world.employee)
    assert client.get(reverse("spread:catalogue")).status_code == 404
    assert client.get(reverse("spread:solution", args=[solution.pk])).status_code == 404
    testing.submit_idea(world.hjo, submitter_email=world.employee.email)
    assert client.get(reverse("spread:catalogue")).status_code == 200
    assert client.get(reverse("spread:solution", args=[solution.pk])).status_code == 200


def test_bad_input_comes_back_with_every_value_kept(client, world):
    solution = solution_in(world)
    adoption = adopt(solution, world.other_coach, world.hjo)
    client.force_login(world.other_coach)
    url = reverse("spread:adoption_benefit_new", args=[adoption.pk])
    response = client.post(
        url,
        {
            "description": "Färre resor",
            "indicator": "Resor per vecka",
            "unit": "resor",
            "baseline": "tolv",
            "target": "8",
            "how_measured": "Körjournalen",
            "owner": world.other_coach.pk,
            "phase": "plan",
        },
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert 'id="error-summary"' in text
    assert "Resor per vecka" in text and "tolv" in text and "Körjournalen" in text
    stopped = client.post(
        reverse("spread:adoption_stage", args=[adoption.pk]),
        {"stage-stage": "stopped", "stage-on_date": TODAY.isoformat(), "stage-reason": ""},
    )
    assert stopped.status_code == 400
    assert 'href="#id_stage-reason"' in stopped.content.decode()


def test_a_swedish_decimal_is_understood(client, world):
    solution = solution_in(world)
    benefit = make_benefit(solution.idea, world.coach)
    client.force_login(world.coach)
    response = client.post(
        reverse("spread:measure", args=[benefit.pk]),
        {"measured_on": TODAY.isoformat(), "value": "24,5"},
    )
    assert response.status_code == 302
    assert Measurement.objects.get().value == Decimal("24.5")


def test_documents_are_served_only_when_chosen_and_to_the_catalogue(client, world):
    from apps.core.tests.matrix import submit_with_file
    from apps.spread.testing import make_solution, move_to_spread

    idea = move_to_spread(submit_with_file(world.skovde), world.process_leader)
    chosen = idea.attachments.get()
    solution = make_solution(idea, world.coach, documents=[chosen])
    other = submit_with_file(world.skovde).attachments.get()
    client.force_login(world.other_coach)
    assert client.get(reverse("spread:document", args=[solution.pk, chosen.pk])).status_code == 200
    assert client.get(reverse("spread:document", args=[solution.pk, other.pk])).status_code == 404
    client.force_login(world.employee)
    assert client.get(reverse("spread:document", args=[solution.pk, chosen.pk])).status_code == 404


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _more_solutions(world, count: int) -> None:
    for _ in range(count):
        solution = solution_in(world, approved=True)
        adoption = adopt(solution, world.other_coach, world.hjo)
        benefit = make_benefit(
            solution.idea, world.other_coach, adoption=adoption, value_per_unit_sek=Decimal(10)
        )
        measure(benefit, world.other_coach, 25, TODAY - timedelta(days=1))
        measure(benefit, world.other_coach, 24, TODAY)


@pytest.mark.parametrize("name", ["spread:catalogue", "spread:public_catalogue", "spread:totals"])
def test_query_counts_stay_flat(client, world, name):
    client.force_login(world.process_leader)
    _more_solutions(world, 1)
    few = _queries(client, reverse(name))
    _more_solutions(world, 4)
    assert Solution.objects.count() == 5
    assert _queries(client, reverse(name)) == few


def test_the_totals_page_shows_the_hand_computed_sums(client, world):
    _more_solutions(world, 3)  # each: 30 → 20 minutes, latest 24: 6 × 10 kr
    client.force_login(world.communicator)
    page = client.get(reverse("spread:totals")).content.decode()
    assert "180,00" in page  # Hjo and the consortium, in Swedish number format


def test_anonymous_visitors_reach_the_public_catalogue_from_the_menu(client, db):
    home = client.get("/").content.decode()
    menu = home[home.index('<nav aria-label="Huvudmeny"') : home.index("</nav>")]
    assert f'href="{reverse("spread:public_catalogue")}"' in menu
