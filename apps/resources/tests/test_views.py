"""The library's pages: who sees what (the files included), search and filters, the
forms' error states, and flat query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext as _

from apps.core import testing as core_testing
from apps.organisations.models import Role
from apps.resources import services
from apps.resources.models import Category, Resource, ResourceVersion, Visibility
from apps.resources.testing import PDF_BYTES, add_version, make_resource, pdf, text_file

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    return [resource.pk for resource in response.context["page"].object_list]


def _library(client, **params):
    response = client.get(reverse("resources:library"), params)
    assert response.status_code == 200
    return response


@pytest.fixture
def shelf(world):
    """A public handbook, an internal template, and another consortium's internal
    leaflet."""
    fyrbodal = core_testing.make_consortium("Fyrbodal", prefix="FYR")
    keeper = core_testing.make_user("Fia Fyrbodal", (Role.COMMUNICATOR, fyrbodal))
    return {
        "public": make_resource(
            world.consortium,
            world.communicator,
            title="Metodhandbok för tjänstedesign",
            description="Intervjuer och prototyper steg för steg.",
        ),
        "internal": make_resource(
            world.consortium,
            world.process_leader,
            title="Mall för nyttoplan",
            description="Fylls i före testet.",
            category=Category.TEMPLATE,
            visibility=Visibility.INTERNAL,
            upload=text_file(),
        ),
        "elsewhere": make_resource(
            fyrbodal,
            keeper,
            title="Folder om idéslussen",
            category=Category.LEAFLET,
            visibility=Visibility.INTERNAL,
        ),
        "fyrbodal": fyrbodal,
        "fyrbodal_keeper": keeper,
    }


# --- Who sees what ------------------------------------------------------------------------


def test_anonymous_visitors_see_only_public_resources(client, shelf):
    assert _ids(_library(client)) == [shelf["public"].pk]
    assert "visibility" not in _library(client).context["form"].fields


@pytest.mark.parametrize(
    "actor", ["coach", "other_coach", "manager", "administrator", "communicator"]
)
def test_people_of_the_consortium_also_see_its_internal_resources(client, world, shelf, actor):
    client.force_login(getattr(world, actor))
    assert sorted(_ids(_library(client))) == sorted([shelf["public"].pk, shelf["internal"].pk])


@pytest.mark.parametrize(
    "actor",
    [
        "coach",
        "other_coach",
        "process_leader",
        "communicator",
        "administrator",
        "manager",
        "employee",
    ],
)
def test_a_public_resource_and_its_file_open_for_everyone(client, world, shelf, actor):
    client.force_login(getattr(world, actor))
    public = shelf["public"]
    assert client.get(reverse("resources:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("resources:download", args=[public.pk, 1])).status_code == 200
    # Another consortium's public resources are public too.
    services.resource_update(
        actor=shelf["fyrbodal_keeper"],
        resource=shelf["elsewhere"],
        title="Folder om idéslussen",
        description="",
        category=Category.LEAFLET,
        visibility=Visibility.PUBLIC,
    )
    assert client.get(reverse("resources:detail", args=[shelf["elsewhere"].pk])).status_code == 200


def test_an_account_without_a_role_sees_what_the_public_sees(client, world, shelf):
    client.force_login(world.employee)
    assert _ids(_library(client)) == [shelf["public"].pk]


@pytest.mark.parametrize("who", ["anonymous", "employee", "fyrbodal_keeper"])
def test_an_internal_resource_and_its_files_do_not_exist_for_outsiders(client, world, shelf, who):
    if who == "employee":
        client.force_login(world.employee)
    elif who == "fyrbodal_keeper":
        client.force_login(shelf["fyrbodal_keeper"])
    internal = shelf["internal"]
    assert client.get(reverse("resources:detail", args=[internal.pk])).status_code == 404
    assert client.get(reverse("resources:download", args=[internal.pk, 1])).status_code == 404


def test_another_consortium_s_internal_resource_is_hidden_from_this_one(client, world, shelf):
    client.force_login(world.process_leader)
    elsewhere = shelf["elsewhere"]
    assert elsewhere.pk not in _ids(_library(client))
    assert client.get(reverse("resources:detail", args=[elsewhere.pk])).status_code == 404
    assert client.get(reverse("resources:download", args=[elsewhere.pk, 1])).status_code == 404
    assert client.get(reverse("resources:edit", args=[elsewhere.pk])).status_code == 404


def test_anyone_downloads_a_public_file_as_an_attachment_never_sniffed(client, shelf):
    public = shelf["public"]
    response = client.get(reverse("resources:download", args=[public.pk, 1]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "handbok.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_every_kept_version_downloads_and_a_missing_number_does_not_exist(client, world, shelf):
    public = shelf["public"]
    services.resource_add_version(
        actor=world.communicator, resource=public, upload=text_file("handbok.txt", b"Ny text.\n")
    )
    first = client.get(reverse("resources:download", args=[public.pk, 1]))
    second = client.get(reverse("resources:download", args=[public.pk, 2]))
    assert b"".join(first.streaming_content) == PDF_BYTES
    assert b"".join(second.streaming_content) == b"Ny text.\n"
    assert client.get(reverse("resources:download", args=[public.pk, 3])).status_code == 404
    # A version number of another resource does not open this one's file either.
    other = shelf["internal"]
    client.force_login(world.coach)
    assert client.get(reverse("resources:download", args=[other.pk, 2])).status_code == 404


def test_the_resource_page_lists_every_version_the_newest_first(client, world, shelf):
    public = shelf["public"]
    add_version(public, world.communicator, note="Nya exempel.")
    response = client.get(reverse("resources:detail", args=[public.pk]))
    assert response.status_code == 200
    assert [v.number for v in response.context["versions"]] == [2, 1]
    page = response.content.decode()
    assert reverse("resources:download", args=[public.pk, 1]) in page
    assert reverse("resources:download", args=[public.pk, 2]) in page
    assert "Nya exempel." in page
    # The public page does not name the staff who uploaded, nor offer to manage.
    assert world.communicator.full_name not in page
    assert reverse("resources:new_version", args=[public.pk]) not in page


def test_an_archived_resource_is_kept_for_its_keepers_only(client, world, shelf):
    public = shelf["public"]
    services.resource_archive(actor=world.communicator, resource=public)

    assert public.pk not in _ids(_library(client))
    assert client.get(reverse("resources:detail", args=[public.pk])).status_code == 404
    assert client.get(reverse("resources:download", args=[public.pk, 1])).status_code == 404
    client.force_login(world.coach)
    assert _ids(_library(client, archived="on")) == [shelf["internal"].pk]
    client.force_login(world.communicator)
    assert _ids(_library(client, archived="on")) == [public.pk]
    assert client.get(reverse("resources:detail", args=[public.pk])).status_code == 200
    assert client.get(reverse("resources:download", args=[public.pk, 1])).status_code == 200


# --- Search and filters -------------------------------------------------------------------


def test_search_matches_every_word_in_the_title_or_the_description(client, world, shelf):
    client.force_login(world.coach)
    assert _ids(_library(client, q="TJÄNSTEDESIGN")) == [shelf["public"].pk]
    assert _ids(_library(client, q="tjanstedesign")) == [shelf["public"].pk]
    assert _ids(_library(client, q="design")) == [shelf["public"].pk]
    assert _ids(_library(client, q="prototyper")) == [shelf["public"].pk]
    assert _ids(_library(client, q="mall testet")) == [shelf["internal"].pk]
    assert _ids(_library(client, q="mall prototyper")) == []


def test_search_combines_with_the_category_and_visibility_filters(client, world, shelf):
    client.force_login(world.coach)
    assert _ids(_library(client, category="template")) == [shelf["internal"].pk]
    assert _ids(_library(client, q="för", category="handbook")) == [shelf["public"].pk]
    assert _ids(_library(client, q="för", visibility="internal")) == [shelf["internal"].pk]
    assert _ids(_library(client, q="för", category="leaflet")) == []


def test_an_unknown_category_is_reported_not_ignored(client):
    response = client.get(reverse("resources:library"), {"category": "poster"})
    assert response.status_code == 400
    assert "category" in response.context["form"].errors


def test_the_list_pages_and_keeps_the_search_in_the_page_links(client, world):
    for number in range(23):
        make_resource(world.consortium, world.communicator, title=f"Handbok {number:02d}")
    first = _library(client, q="handbok")
    assert len(first.context["page"].object_list) == 20
    assert "?q=handbok&amp;page=2" in first.content.decode()
    second = _library(client, q="handbok", page=2)
    assert len(second.context["page"].object_list) == 3


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("actor", ["anonymous", "communicator"])
def test_the_list_s_query_count_stays_flat(client, world, actor):
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    make_resource(world.consortium, world.communicator)
    few = _queries(client, reverse("resources:library"))
    for number in range(6):
        resource = make_resource(
            world.consortium,
            world.communicator,
            title=f"Mall {number}",
            visibility=Visibility.INTERNAL if number % 2 else Visibility.PUBLIC,
        )
        add_version(resource, world.process_leader)
    assert _queries(client, reverse("resources:library")) == few


# --- Keeping the library --------------------------------------------------------------------

_FIELDS = {
    "title": "Metodhandbok",
    "description": "Steg för steg.",
    "category": "handbook",
    "visibility": "public",
    "change_note": "Första utgåvan.",
}


def test_a_communicator_adds_a_resource_with_its_first_file(client, world):
    client.force_login(world.communicator)
    response = client.post(reverse("resources:new"), {**_FIELDS, "file": pdf()})

    resource = Resource.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:detail", args=[resource.pk])
    assert resource.consortium == world.consortium
    assert resource.visibility == Visibility.PUBLIC
    assert resource.current_version.number == 1
    assert resource.current_version.change_note == "Första utgåvan."


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_the_form_is_kept(client, world):
    client.force_login(world.communicator)
    fake = pdf("handbok.pdf", body=b"<html><script>alert(1)</script></html>")
    response = client.post(reverse("resources:new"), {**_FIELDS, "file": fake})

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["file"] == [
        _("The file %(name)s does not contain what its name says (%(ext)s).")
        % {"name": "handbok.pdf", "ext": "PDF"}
    ]
    assert form["title"].value() == "Metodhandbok"
    assert form["description"].value() == "Steg för steg."
    assert form["change_note"].value() == "Första utgåvan."
    assert 'id="error-summary"' in response.content.decode()
    assert Resource.objects.count() == 0 and ResourceVersion.objects.count() == 0


def test_a_good_file_lost_to_another_error_is_asked_for_again(client, world):
    client.force_login(world.communicator)
    response = client.post(reverse("resources:new"), {**_FIELDS, "title": "", "file": pdf()})

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "title" in errors
    assert errors["file"] == [_("Correct the rest of the form, then choose the file again.")]
    assert Resource.objects.count() == 0


def test_a_keeper_of_two_consortia_chooses_one_and_only_their_own(client, world, shelf):
    core_testing.make_user("", (Role.COMMUNICATOR, shelf["fyrbodal"]))
    from apps.organisations.models import Membership

    Membership.objects.create(
        user=world.communicator, organisation=shelf["fyrbodal"], role=Role.COMMUNICATOR
    )
    client.force_login(world.communicator)
    form = client.get(reverse("resources:new")).context["form"]
    assert set(form.fields["consortium"].queryset) == {world.consortium, shelf["fyrbodal"]}
    outsider = core_testing.make_consortium("Sjuhärad", prefix="SJU")
    response = client.post(
        reverse("resources:new"), {**_FIELDS, "consortium": outsider.pk, "file": pdf()}
    )
    assert response.status_code == 400
    assert not Resource.objects.filter(consortium=outsider).exists()


def test_uploading_a_new_version_keeps_the_old_one(client, world, shelf):
    public = shelf["public"]
    client.force_login(world.process_leader)
    bad = client.post(
        reverse("resources:new_version", args=[public.pk]),
        {"file": text_file("program.exe", b"MZ"), "change_note": "Ny"},
    )
    assert bad.status_code == 400
    assert bad.context["form"]["change_note"].value() == "Ny"

    response = client.post(
        reverse("resources:new_version", args=[public.pk]),
        {"file": pdf("handbok-2.pdf"), "change_note": "Ny"},
    )

    assert response.status_code == 302
    assert list(public.versions.order_by("number").values_list("number", "original_name")) == [
        (1, "handbok.pdf"),
        (2, "handbok-2.pdf"),
    ]


def test_editing_the_description_and_archiving_through_the_pages(client, world, shelf):
    internal = shelf["internal"]
    client.force_login(world.communicator)
    response = client.post(
        reverse("resources:edit", args=[internal.pk]),
        {
            "title": "Mall för nyttoplan 2026",
            "description": "",
            "category": "template",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    internal.refresh_from_db()
    assert (internal.title, internal.visibility) == ("Mall för nyttoplan 2026", "public")

    assert client.post(reverse("resources:archive", args=[internal.pk])).status_code == 302
    internal.refresh_from_db()
    assert internal.archived_by == world.communicator
    assert client.post(reverse("resources:archive", args=[internal.pk])).status_code == 302
    internal.refresh_from_db()
    assert internal.archived_at is None
