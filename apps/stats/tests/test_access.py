"""Who sees which statistics, and how the request's filters are checked and narrowed.

Naming a consortium or municipality the reader may not see answers 404 (an empty page
would confirm it exists); bad dates come back to the form with status 400.
"""

from datetime import date

import pytest
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import testing
from apps.organisations.models import Role
from apps.stats import selectors

pytestmark = pytest.mark.django_db


def query(**values) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in values.items():
        data[key] = str(value)
    return data


@pytest.fixture
def fyrbodal(world):
    consortium = testing.make_consortium("Fyrbodal", prefix="FYR")
    return consortium, testing.make_municipality(consortium, "Uddevalla", 3000)


# --- Who has a dashboard -------------------------------------------------------------------


@pytest.mark.parametrize(
    "actor",
    ["coach", "other_coach", "process_leader", "communicator", "administrator", "manager"],
)
def test_every_role_sees_its_own_consortium_and_nothing_else(world, fyrbodal, actor):
    assert selectors.dashboard_consortium_ids(getattr(world, actor)) == {world.consortium.pk}


def test_an_employee_without_a_role_has_no_dashboard(world, client):
    assert selectors.dashboard_consortium_ids(world.employee) == frozenset()
    client.force_login(world.employee)
    assert client.get(reverse("stats:dashboard")).status_code == 404
    with pytest.raises(Http404):
        selectors.dashboard_filters_for(world.employee, query())


def test_a_superuser_sees_every_consortium(world, fyrbodal):
    root = testing.make_user("Root")
    root.is_superuser = True
    root.save()
    assert selectors.dashboard_consortium_ids(root) == {world.consortium.pk, fyrbodal[0].pk}


def test_roles_in_two_consortia_open_both(world, fyrbodal):
    person = testing.make_user(
        "Två förbund", (Role.COMMUNICATOR, world.consortium), (Role.COACH, fyrbodal[1])
    )
    assert selectors.dashboard_consortium_ids(person) == {world.consortium.pk, fyrbodal[0].pk}


# --- Narrowing the filters -----------------------------------------------------------------


def test_the_default_is_the_last_twelve_months_of_all_the_readers_consortia(world):
    filters = selectors.dashboard_filters_for(world.coach, query())
    today = timezone.localdate()
    assert filters.end == today
    assert filters.start == selectors.default_period(today)[0]
    assert filters.consortium_ids == {world.consortium.pk}
    assert filters.municipality_ids is None


def test_the_default_period_is_twelve_months_long_even_from_a_leap_day():
    assert selectors.default_period(date(2026, 3, 31)) == (date(2025, 4, 1), date(2026, 3, 31))
    assert selectors.default_period(date(2028, 2, 29)) == (date(2027, 3, 1), date(2028, 2, 29))


def test_a_coach_may_filter_by_any_municipality_of_the_consortium(world):
    filters = selectors.dashboard_filters_for(
        world.coach, query(municipality=world.hjo.pk, start="2026-01-01", end="2026-02-28")
    )
    assert filters.municipality_ids == {world.hjo.pk}
    assert filters.consortium_ids == {world.consortium.pk}
    assert (filters.start, filters.end) == (date(2026, 1, 1), date(2026, 2, 28))


@pytest.mark.parametrize("actor", ["coach", "process_leader", "communicator", "manager"])
def test_another_consortium_s_municipality_does_not_exist(world, fyrbodal, actor):
    with pytest.raises(Http404):
        selectors.dashboard_filters_for(getattr(world, actor), query(municipality=fyrbodal[1].pk))


@pytest.mark.parametrize(
    "name",
    ["stats:dashboard", "stats:export"],
)
@pytest.mark.parametrize("field", ["municipality", "consortium"])
def test_the_pages_answer_404_for_another_consortium(client, world, fyrbodal, name, field):
    consortium, uddevalla = fyrbodal
    kwargs = {"slug": "funnel", "fmt": "csv"} if name == "stats:export" else {}
    client.force_login(world.process_leader)
    wanted = uddevalla.pk if field == "municipality" else consortium.pk
    response = client.get(reverse(name, kwargs=kwargs), {field: wanted})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["abc", "1.5", str(10**12)])
def test_a_municipality_that_is_not_a_known_id_does_not_exist(client, world, value):
    client.force_login(world.process_leader)
    assert client.get(reverse("stats:dashboard"), {"municipality": value}).status_code == 404


def test_a_leader_of_two_consortia_narrows_to_one(world, fyrbodal):
    consortium, uddevalla = fyrbodal
    leader = world.process_leader
    leader.memberships.create(organisation=consortium, role=Role.PROCESS_LEADER)
    leader = type(leader).objects.get(pk=leader.pk)  # a fresh request's access
    both = selectors.dashboard_filters_for(leader, query())
    assert both.consortium_ids == {world.consortium.pk, consortium.pk}
    one = selectors.dashboard_filters_for(leader, query(consortium=consortium.pk))
    assert one.consortium_ids == {consortium.pk}
    by_place = selectors.dashboard_filters_for(leader, query(municipality=uddevalla.pk))
    assert by_place.consortium_ids == {consortium.pk}
    assert by_place.municipality_ids == {uddevalla.pk}
    with pytest.raises(selectors.InvalidFilters) as refused:
        selectors.dashboard_filters_for(
            leader, query(consortium=world.consortium.pk, municipality=uddevalla.pk)
        )
    assert "municipality" in refused.value.form.errors


# --- Bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"start": "2026-02-30"}, "start"),
        ({"start": "igår"}, "start"),
        ({"end": "31/12/2026"}, "end"),
        ({"start": "2026-05-01", "end": "2026-04-30"}, "end"),
        ({"start": "0001-01-01"}, "start"),
        ({"end": "9999-12-31"}, "end"),
    ],
)
def test_bad_dates_come_back_with_the_error_summary_and_what_was_typed(
    client, world, values, field
):
    client.force_login(world.coach)
    response = client.get(reverse("stats:dashboard"), {**values, "municipality": world.hjo.pk})
    assert response.status_code == 400
    form = response.context["form"]
    assert field in form.errors
    assert response.context["tables"] == []
    page = response.content.decode()
    assert 'id="error-summary"' in page
    assert f'href="#id_{field}"' in page
    for value in values.values():
        assert f'value="{value}"' in page
    # The chosen municipality is kept too.
    assert f'<option value="{world.hjo.pk}" selected>' in page


def test_an_export_with_bad_dates_is_refused_not_computed(client, world):
    client.force_login(world.coach)
    response = client.get(
        reverse("stats:export", kwargs={"slug": "funnel", "fmt": "csv"}), {"start": "nej"}
    )
    assert response.status_code == 400
    assert "Content-Disposition" not in response


@pytest.mark.parametrize("fmt", ["pdf", "csv.zip", "XLSX"])
def test_an_unknown_export_format_does_not_exist(client, world, fmt):
    client.force_login(world.coach)
    response = client.get(reverse("stats:export", kwargs={"slug": "funnel", "fmt": fmt}))
    assert response.status_code == 404


def test_the_public_page_answers_404_for_a_consortium_that_does_not_exist(client, world):
    missing = world.skovde.pk  # a municipality, not a consortium
    assert client.get(reverse("stats:public"), {"consortium": missing}).status_code == 404


def test_the_public_page_refuses_bad_dates_with_400(client, world):
    response = client.get(reverse("stats:public"), {"start": "2026-13-01"})
    assert response.status_code == 400
    assert "start" in response.context["form"].errors
    assert _("Enter a date like 2026-03-31.") in response.content.decode()
