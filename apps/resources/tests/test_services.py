"""The library's writes: versions are numbered and kept, archiving hides, only the
library's keepers write, and uploads are checked by their content."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from apps.accounts.models import User
from apps.core import testing as core_testing
from apps.ideas.uploads import validate_upload
from apps.resources import policies, selectors, services
from apps.resources.models import Category, Resource, ResourceVersion, Visibility
from apps.resources.testing import PDF_BYTES, add_version, make_resource, pdf, text_file


@pytest.mark.django_db
def test_a_new_resource_has_its_file_as_version_one(world):
    resource = make_resource(world.consortium, world.communicator)

    version = resource.versions.get()
    assert version.number == 1
    assert resource.version_count == 1
    assert resource.current_version_id == version.pk
    assert version.original_name == "handbok.pdf"
    assert version.content_type == "application/pdf"
    assert version.size == len(PDF_BYTES)
    assert version.uploaded_by == world.communicator
    with version.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES
    # Generated names only on disk, never the name the user chose.
    assert "handbok" not in version.file.name


@pytest.mark.django_db
def test_new_uploads_add_numbered_versions_and_keep_the_old_ones(world):
    resource = make_resource(world.consortium, world.communicator)
    first_file = resource.current_version.file.name

    second = add_version(resource, world.process_leader, note="Nya exempel.")
    third = services.resource_add_version(
        actor=world.communicator, resource=resource, upload=text_file("mall.txt")
    )

    resource.refresh_from_db()
    assert [v.number for v in selectors.versions_of(resource)] == [3, 2, 1]
    assert resource.version_count == 3
    assert resource.current_version_id == third.pk
    assert second.change_note == "Nya exempel."
    assert third.content_type == "text/plain"
    first = resource.versions.get(number=1)
    assert first.file.name == first_file
    with first.file.open("rb") as stored:
        assert stored.read() == PDF_BYTES


@pytest.mark.django_db(transaction=True)
def test_uploads_at_the_same_moment_get_distinct_consecutive_numbers(world):
    resource = make_resource(world.consortium, world.communicator)
    count = 6
    barrier = threading.Barrier(count, timeout=30)
    errors: list[BaseException] = []

    def upload(number: int) -> None:
        try:
            actor = User.objects.get(pk=world.communicator.pk)
            fresh = Resource.objects.get(pk=resource.pk)
            barrier.wait()
            services.resource_add_version(actor=actor, resource=fresh, upload=pdf(f"v{number}.pdf"))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    resource.refresh_from_db()
    numbers = sorted(resource.versions.values_list("number", flat=True))
    assert numbers == list(range(1, count + 2))
    assert resource.version_count == count + 1
    assert resource.current_version.number == count + 1


@pytest.mark.django_db
def test_only_communicators_and_process_leaders_of_the_consortium_write(world):
    for outsider in (world.coach, world.manager, world.administrator, world.employee):
        with pytest.raises(PermissionDenied):
            make_resource(world.consortium, outsider)
    resource = make_resource(world.consortium, world.process_leader)
    other = core_testing.make_consortium("Fyrbodal", prefix="FYR")
    with pytest.raises(PermissionDenied):
        make_resource(other, world.communicator)
    for outsider in (world.coach, world.manager, world.administrator, world.employee):
        with pytest.raises(PermissionDenied):
            add_version(resource, outsider)
        with pytest.raises(PermissionDenied):
            services.resource_archive(actor=outsider, resource=resource)
        with pytest.raises(PermissionDenied):
            services.resource_update(
                actor=outsider,
                resource=resource,
                title="Ny",
                description="",
                category=Category.OTHER,
                visibility=Visibility.PUBLIC,
            )
    assert resource.versions.count() == 1


@pytest.mark.django_db
def test_a_file_named_pdf_that_is_not_a_pdf_is_refused_and_nothing_is_stored(world):
    fake = pdf("handbok.pdf", body=b"MZ\x90\x00 a renamed program")

    with pytest.raises(ValidationError) as refused:
        make_resource(world.consortium, world.communicator, upload=fake)

    assert "file" in refused.value.error_dict
    assert Resource.objects.count() == 0
    assert ResourceVersion.objects.count() == 0


@pytest.mark.django_db
def test_a_refused_new_version_leaves_the_resource_as_it_was(world):
    resource = make_resource(world.consortium, world.communicator)

    with pytest.raises(ValidationError):
        services.resource_add_version(
            actor=world.communicator,
            resource=resource,
            upload=text_file("program.exe", b"MZ\x90\x00"),
        )

    resource.refresh_from_db()
    assert resource.version_count == 1
    assert resource.versions.count() == 1


@pytest.mark.parametrize(
    ("name", "body", "accepted"),
    [
        ("handbok.pdf", PDF_BYTES, True),
        ("handbok.pdf", b"<html>not a pdf</html>", False),
        ("bild.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 8, True),
        ("bild.png", b"GIF89a" + b"\x00" * 8, False),
        ("mall.docx", b"not a zip at all", False),
        ("mall.txt", b"Hej\n", True),
        ("program.exe", b"MZ\x90\x00", False),
    ],
)
def test_the_upload_check_reads_the_content_not_only_the_name(name, body, accepted):
    upload = text_file(name, body)
    if accepted:
        validate_upload(upload)
    else:
        with pytest.raises(ValidationError):
            validate_upload(upload)


@pytest.mark.django_db
def test_archiving_hides_the_resource_from_everyone_but_its_keepers_and_restoring_shows_it(
    world,
):
    resource = make_resource(world.consortium, world.communicator)

    services.resource_archive(actor=world.process_leader, resource=resource)

    resource.refresh_from_db()
    assert resource.archived_by == world.process_leader
    assert resource.archived_at is not None
    assert resource.versions.count() == 1  # the files are kept
    assert not selectors.library(world.coach).exists()
    assert not selectors.resources_visible_to(world.coach).exists()
    assert selectors.resources_visible_to(world.communicator).filter(pk=resource.pk).exists()
    assert not selectors.library(world.communicator).exists()
    assert list(selectors.library(world.communicator, selectors.LibraryFilters(archived=True))) == [
        resource
    ]

    services.resource_restore(actor=world.communicator, resource=resource)

    resource.refresh_from_db()
    assert resource.archived_at is None and resource.archived_by is None
    assert list(selectors.library(world.coach)) == [resource]


@pytest.mark.django_db
def test_updating_changes_the_description_and_keeps_the_versions(world):
    resource = make_resource(world.consortium, world.communicator)

    services.resource_update(
        actor=world.communicator,
        resource=resource,
        title="  Mall för nyttoplan  ",
        description="Fyll i före testet.",
        category=Category.TEMPLATE,
        visibility=Visibility.INTERNAL,
    )

    resource.refresh_from_db()
    assert resource.title == "Mall för nyttoplan"
    assert resource.category == Category.TEMPLATE
    assert resource.visibility == Visibility.INTERNAL
    assert resource.versions.count() == 1
    with pytest.raises(ValidationError):
        services.resource_update(
            actor=world.communicator,
            resource=resource,
            title=" ",
            description="",
            category="poster",
            visibility="secret",
        )


@pytest.mark.django_db
def test_the_policy_and_the_scoping_query_agree_for_every_actor_and_resource(world):
    from apps.organisations.selectors import access_for

    public = make_resource(world.consortium, world.communicator, title="Öppen")
    internal = make_resource(
        world.consortium, world.communicator, title="Intern", visibility=Visibility.INTERNAL
    )
    archived = make_resource(world.consortium, world.communicator, title="Arkiverad")
    services.resource_archive(actor=world.communicator, resource=archived)
    archived.refresh_from_db()
    expected_internal = {
        "coach",
        "other_coach",
        "process_leader",
        "communicator",
        "administrator",
        "manager",
    }
    for actor in (
        "coach",
        "other_coach",
        "process_leader",
        "communicator",
        "administrator",
        "manager",
        "employee",
    ):
        user = User.objects.get(pk=getattr(world, actor).pk)
        access, member_of = access_for(user), selectors.member_of(user)
        visible = set(selectors.resources_visible_to(user).values_list("pk", flat=True))
        for resource in (public, internal, archived):
            assert policies.can_see(access, member_of, resource) == (resource.pk in visible), (
                actor,
                resource.title,
            )
        assert public.pk in visible
        assert (internal.pk in visible) == (actor in expected_internal), actor
        assert (archived.pk in visible) == (actor in {"process_leader", "communicator"}), actor
