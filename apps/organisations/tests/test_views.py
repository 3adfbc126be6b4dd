"""Administrators' pages: who reaches them, the happy paths, and forms that say no."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from apps.accounts.models import User
from apps.core import testing
from apps.ideas.services import idea_assign_owner
from apps.organisations.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(world):
    """A second consortium with a municipality, a unit, an administrator and a coach."""
    consortium = testing.make_consortium("Fyrbodal", prefix="FYR")
    town = testing.make_municipality(consortium, "Uddevalla", 2000)
    unit = testing.make_unit(town, "Skola")
    admin = testing.make_user("Frida Fyr", (Role.ADMINISTRATOR, consortium), email="a@fyr.se")
    coach = testing.make_user("Gustav Fyr", (Role.COACH, town), email="coach@fyr.se")
    return consortium, town, unit, admin, coach


@pytest.fixture
def client_factory():
    return Client


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def admin_client(client, world):
    return _login(client, world.administrator)


def _pages(world) -> list[tuple[str, dict]]:
    """Every GET page of the app, with arguments from the world."""
    return [
        ("overview", {}),
        ("organisation_new", {"parent_id": world.consortium.pk}),
        ("organisation_new", {"parent_id": world.skovde.pk}),
        ("organisation_edit", {"organisation_id": world.hjo.pk}),
        ("organisation_deactivate", {"organisation_id": world.hjo.pk}),
        ("people", {}),
        ("person_new", {}),
        ("person_detail", {"person_id": world.coach.pk}),
        ("person_deactivate", {"person_id": world.coach.pk}),
    ]


def _posts(world) -> list[tuple[str, dict, dict]]:
    """Every POST endpoint of the app, with a valid body."""
    membership = world.other_coach.memberships.get()
    return [
        (
            "organisation_new",
            {"parent_id": world.consortium.pk},
            {"name": "Tibro", "employee_count": "900"},
        ),
        (
            "organisation_edit",
            {"organisation_id": world.hjo.pk},
            {"name": "Hjo", "employee_count": "1"},
        ),
        ("organisation_deactivate", {"organisation_id": world.hjo.pk}, {}),
        (
            "person_new",
            {},
            {
                "full_name": "Nina",
                "email": "nina@x.se",
                "role": "coach",
                "organisation": world.hjo.pk,
            },
        ),
        (
            "role_grant",
            {"person_id": world.employee.pk},
            {"role": "coach", "organisation": world.hjo.pk},
        ),
        ("role_revoke", {"person_id": world.other_coach.pk, "membership_id": membership.pk}, {}),
        ("person_deactivate", {"person_id": world.other_coach.pk}, {}),
    ]


# --- Who reaches the pages --------------------------------------------------------------


def test_administrator_reaches_every_page(admin_client, world):
    for name, kwargs in _pages(world):
        response = admin_client.get(reverse(f"organisations:{name}", kwargs=kwargs))
        assert response.status_code == 200, name


@pytest.mark.parametrize(
    "actor", ["coach", "other_coach", "process_leader", "communicator", "manager", "employee"]
)
def test_everyone_else_gets_404_on_every_page_and_post(client, world, actor):
    _login(client, getattr(world, actor))
    for name, kwargs in _pages(world):
        assert client.get(reverse(f"organisations:{name}", kwargs=kwargs)).status_code == 404, name
    for name, kwargs, data in _posts(world):
        response = client.post(reverse(f"organisations:{name}", kwargs=kwargs), data)
        assert response.status_code == 404, name
    assert Organisation.objects.get(pk=world.hjo.pk).is_active
    assert world.other_coach.memberships.exists()
    assert not User.objects.filter(email="nina@x.se").exists()


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for name, kwargs in _pages(world):
        response = client.get(reverse(f"organisations:{name}", kwargs=kwargs))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))


def test_administrator_of_another_consortium_gets_404_here(client, world, other):
    _, _, _, admin, _ = other
    _login(client, admin)
    for name, kwargs in _pages(world)[1:]:
        if name in ("people", "person_new"):
            continue
        assert client.get(reverse(f"organisations:{name}", kwargs=kwargs)).status_code == 404, name
    for name, kwargs, data in _posts(world):
        if name == "person_new":
            continue
        response = client.post(reverse(f"organisations:{name}", kwargs=kwargs), data)
        assert response.status_code == 404, name
    assert Organisation.objects.get(pk=world.hjo.pk).is_active
    assert world.other_coach.memberships.exists() and world.other_coach.is_active


def test_administrator_gets_404_on_another_consortiums_organisations_and_people(
    admin_client, world, other
):
    consortium, town, unit, admin, coach = other
    for name, kwargs in [
        ("organisation_new", {"parent_id": consortium.pk}),
        ("organisation_new", {"parent_id": town.pk}),
        ("organisation_edit", {"organisation_id": town.pk}),
        ("organisation_edit", {"organisation_id": unit.pk}),
        ("organisation_deactivate", {"organisation_id": unit.pk}),
        ("person_detail", {"person_id": coach.pk}),
        ("person_detail", {"person_id": admin.pk}),
        ("person_deactivate", {"person_id": coach.pk}),
    ]:
        assert admin_client.get(reverse(f"organisations:{name}", kwargs=kwargs)).status_code == 404
    membership = coach.memberships.get()
    for name, kwargs, data in [
        ("organisation_new", {"parent_id": town.pk}, {"name": "Smyg"}),
        ("organisation_deactivate", {"organisation_id": town.pk}, {}),
        ("role_grant", {"person_id": coach.pk}, {"role": "coach", "organisation": world.hjo.pk}),
        ("role_revoke", {"person_id": coach.pk, "membership_id": membership.pk}, {}),
        # Someone of ours, but a role elsewhere: the membership is not found either.
        ("role_revoke", {"person_id": world.coach.pk, "membership_id": membership.pk}, {}),
        ("person_deactivate", {"person_id": coach.pk}, {}),
    ]:
        response = admin_client.post(reverse(f"organisations:{name}", kwargs=kwargs), data)
        assert response.status_code == 404, name
    assert Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.get(pk=coach.pk).is_active
    assert Organisation.objects.get(pk=town.pk).is_active


def test_another_consortiums_organisations_are_not_offered_for_roles(admin_client, world, other):
    _, town, _, _, _ = other
    response = admin_client.post(
        reverse("organisations:role_grant", kwargs={"person_id": world.coach.pk}),
        {"role": "coach", "organisation": town.pk},
    )
    assert response.status_code == 400
    assert 'href="#id_organisation"' in response.content.decode()
    assert not world.coach.memberships.filter(organisation=town).exists()


def test_people_without_a_role_here_are_not_found_but_can_be_added(admin_client, world):
    url = reverse("organisations:person_detail", kwargs={"person_id": world.employee.pk})
    assert admin_client.get(url).status_code == 404
    response = admin_client.post(
        reverse("organisations:person_new"),
        {
            "full_name": "Erik",
            "email": "erik@skovde.se",
            "role": "coach",
            "organisation": world.hjo.pk,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    assert admin_client.get(url).status_code == 200


def test_people_list_shows_only_this_consortium_and_searches_by_email(admin_client, world, other):
    response = admin_client.get(reverse("organisations:people"))
    page = response.content.decode()
    assert "coach@skovde.se" in page and "chef@skovde.se" in page
    assert "coach@fyr.se" not in page and "a@fyr.se" not in page
    assert "erik@skovde.se" not in page  # holds no role here
    page = admin_client.get(reverse("organisations:people"), {"q": "SKOVDE"}).content.decode()
    assert "coach@skovde.se" in page and "coach@hjo.se" not in page
    page = admin_client.get(reverse("organisations:people"), {"q": "fyr.se"}).content.decode()
    assert "coach@fyr.se" not in page


def test_role_grant_answers_only_post(admin_client, world):
    url = reverse("organisations:role_grant", kwargs={"person_id": world.coach.pk})
    assert admin_client.get(url).status_code == 405


# --- Happy paths ------------------------------------------------------------------------


def test_overview_links_to_the_new_pages(admin_client, world):
    page = admin_client.get(reverse("organisations:overview")).content.decode()
    for url in (
        reverse("organisations:people"),
        reverse("organisations:person_new"),
        reverse("organisations:organisation_new", kwargs={"parent_id": world.consortium.pk}),
        reverse("organisations:organisation_new", kwargs={"parent_id": world.skovde.pk}),
        reverse("organisations:organisation_edit", kwargs={"organisation_id": world.hjo.pk}),
        reverse("organisations:organisation_deactivate", kwargs={"organisation_id": world.hjo.pk}),
        reverse("organisations:person_detail", kwargs={"person_id": world.coach.pk}),
    ):
        assert f'href="{url}' in page, url


def test_adding_and_editing_organisations_redirects_to_the_tree(admin_client, world):
    response = admin_client.post(
        reverse("organisations:organisation_new", kwargs={"parent_id": world.consortium.pk}),
        {"name": "Tibro", "employee_count": "900"},
    )
    tibro = Organisation.objects.get(name="Tibro")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('organisations:overview')}#organisation-{tibro.pk}"
    assert (tibro.kind, tibro.employee_count, tibro.parent) == (
        "municipality",
        900,
        world.consortium,
    )

    response = admin_client.post(
        reverse("organisations:organisation_new", kwargs={"parent_id": tibro.pk}),
        {"name": "Skola"},
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Skola").kind == Organisation.Kind.UNIT

    response = admin_client.post(
        reverse("organisations:organisation_edit", kwargs={"organisation_id": tibro.pk}),
        {"name": "Tibro kommun", "employee_count": "950"},
    )
    assert response.status_code == 302
    tibro.refresh_from_db()
    assert (tibro.name, tibro.employee_count) == ("Tibro kommun", 950)
    page = admin_client.get(response["Location"]).content.decode()
    assert "Tibro kommun was saved." in page


def test_edit_form_starts_with_the_current_values(admin_client, world):
    page = admin_client.get(
        reverse("organisations:organisation_edit", kwargs={"organisation_id": world.hjo.pk})
    ).content.decode()
    assert 'value="Hjo"' in page and 'value="800"' in page
    page = admin_client.get(
        reverse("organisations:organisation_edit", kwargs={"organisation_id": world.skovde_unit.pk})
    ).content.decode()
    assert 'name="employee_count"' not in page


def test_deactivating_an_organisation(admin_client, world):
    url = reverse("organisations:organisation_deactivate", kwargs={"organisation_id": world.hjo.pk})
    assert admin_client.post(url).status_code == 302
    assert not Organisation.objects.get(pk=world.hjo.pk).is_active
    page = admin_client.get(reverse("organisations:overview")).content.decode()
    assert "deactivated" in page


def test_a_municipality_with_open_ideas_shows_why_it_stays(admin_client, world):
    idea = testing.submit_idea(world.skovde)
    url = reverse(
        "organisations:organisation_deactivate", kwargs={"organisation_id": world.skovde.pk}
    )
    page = admin_client.get(url).content.decode()
    assert idea.reference in page and "<button" not in page.split("<main")[1]
    response = admin_client.post(url)
    assert response.status_code == 400
    assert 'id="error-summary"' in response.content.decode()
    assert Organisation.objects.get(pk=world.skovde.pk).is_active


def test_adding_a_person_redirects_to_their_page(admin_client, world):
    response = admin_client.post(
        reverse("organisations:person_new"),
        {
            "full_name": "Nina Ny",
            "email": "nina@hjo.se",
            "role": "coach",
            "organisation": world.hjo.pk,
        },
    )
    person = User.objects.get(email="nina@hjo.se")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "organisations:person_detail", kwargs={"person_id": person.pk}
    )
    assert not person.has_usable_password()
    assert person.memberships.get().organisation == world.hjo
    page = admin_client.get(response["Location"]).content.decode()
    assert "one-time code" in page and "nina@hjo.se" in page


def test_granting_and_revoking_a_role(admin_client, world):
    response = admin_client.post(
        reverse("organisations:role_grant", kwargs={"person_id": world.coach.pk}),
        {"role": "coach", "organisation": world.hjo.pk},
    )
    detail = reverse("organisations:person_detail", kwargs={"person_id": world.coach.pk})
    assert response.status_code == 302 and response["Location"] == detail
    membership = world.coach.memberships.get(organisation=world.hjo)
    response = admin_client.post(
        reverse(
            "organisations:role_revoke",
            kwargs={"person_id": world.coach.pk, "membership_id": membership.pk},
        )
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_revoking_someones_last_role_here_goes_back_to_the_list(admin_client, world):
    membership = world.other_coach.memberships.get()
    response = admin_client.post(
        reverse(
            "organisations:role_revoke",
            kwargs={"person_id": world.other_coach.pk, "membership_id": membership.pk},
        )
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:people")


def test_deactivating_a_person(admin_client, world):
    url = reverse("organisations:person_deactivate", kwargs={"person_id": world.other_coach.pk})
    page = admin_client.get(url).content.decode()
    assert "<button" in page.split("<main")[1]
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not User.objects.get(pk=world.other_coach.pk).is_active


# --- Forms that say no ------------------------------------------------------------------


def test_invalid_person_keeps_what_was_typed(admin_client, world):
    response = admin_client.post(
        reverse("organisations:person_new"),
        {
            "full_name": "Nina Ny",
            "email": "not-an-address",
            "role": "manager",
            "organisation": world.skovde_unit.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and 'href="#id_email"' in page
    assert 'value="Nina Ny"' in page and 'value="not-an-address"' in page
    assert '<option value="manager" selected>' in page
    assert f'<option value="{world.skovde_unit.pk}" selected>' in page
    assert not User.objects.filter(full_name="Nina Ny").exists()


def test_a_role_in_the_wrong_kind_of_organisation_is_shown_on_the_field(admin_client, world):
    response = admin_client.post(
        reverse("organisations:person_new"),
        {
            "full_name": "Nina Ny",
            "email": "nina@hjo.se",
            "role": "coach",
            "organisation": world.consortium.pk,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_organisation"' in page and "municipality" in page
    assert 'value="nina@hjo.se"' in page
    assert not User.objects.filter(email="nina@hjo.se").exists()


def test_invalid_organisation_keeps_what_was_typed(admin_client, world):
    response = admin_client.post(
        reverse("organisations:organisation_new", kwargs={"parent_id": world.consortium.pk}),
        {"name": "Tibro", "employee_count": "many"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and 'href="#id_employee_count"' in page
    assert 'value="Tibro"' in page and 'value="many"' in page
    assert not Organisation.objects.filter(name="Tibro").exists()


def test_a_duplicate_name_is_shown_on_the_name_field(admin_client, world):
    response = admin_client.post(
        reverse("organisations:organisation_new", kwargs={"parent_id": world.consortium.pk}),
        {"name": "Hjo", "employee_count": "10"},
    )
    assert response.status_code == 400
    assert 'href="#id_name"' in response.content.decode()


def test_a_duplicate_role_re_renders_the_person_page(admin_client, world):
    response = admin_client.post(
        reverse("organisations:role_grant", kwargs={"person_id": world.coach.pk}),
        {"role": "coach", "organisation": world.skovde.pk},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and "already holds" in page
    assert f'<option value="{world.skovde.pk}" selected>' in page


def test_revoking_the_last_administrator_is_refused_with_a_message(admin_client, world):
    membership = world.administrator.memberships.get()
    response = admin_client.post(
        reverse(
            "organisations:role_revoke",
            kwargs={"person_id": world.administrator.pk, "membership_id": membership.pk},
        )
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and "last administrator" in page
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_deactivating_an_idea_owner_is_refused_and_lists_the_ideas(admin_client, world):
    idea = idea_assign_owner(
        idea=testing.submit_idea(world.skovde), actor=world.coach, owner=world.coach
    )
    url = reverse("organisations:person_deactivate", kwargs={"person_id": world.coach.pk})
    page = admin_client.get(url).content.decode()
    assert idea.reference in page and idea.title in page
    assert "<button" not in page.split("<main")[1]
    response = admin_client.post(url)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and idea.reference in page
    assert User.objects.get(pk=world.coach.pk).is_active


# --- The person's side ------------------------------------------------------------------


def test_an_added_person_logs_in_with_a_one_time_code(admin_client, world, client_factory):
    admin_client.post(
        reverse("organisations:person_new"),
        {
            "full_name": "Nina Ny",
            "email": "nina@hjo.se",
            "role": "coach",
            "organisation": world.hjo.pk,
        },
    )
    nina = client_factory()
    response = nina.post("/accounts/login/code/", {"email": "nina@hjo.se"})
    assert response.status_code == 302
    code = re.search(r"^\s*([A-Z0-9-]{6,9})\s*$", mail.outbox[-1].body, re.MULTILINE).group(1)
    assert nina.post(response["Location"], {"code": code}).status_code == 302
    assert nina.get("/start/").status_code == 200


def test_a_deactivated_person_is_logged_out(admin_client, world, client_factory):
    coach = _login(client_factory(), world.other_coach)
    assert coach.get("/start/").status_code == 200
    admin_client.post(
        reverse("organisations:person_deactivate", kwargs={"person_id": world.other_coach.pk})
    )
    response = coach.get("/start/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
