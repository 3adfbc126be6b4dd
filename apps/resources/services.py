"""Every write to the resource library. Each is one transaction, done only by those who
keep the consortium's library (policies.py); a refused actor gets PermissionDenied, which
the views turn into 404."""

import mimetypes

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.ideas.uploads import validate_upload
from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for

from . import policies
from .models import Category, Resource, ResourceVersion, Visibility


def _check_fields(*, title: str, category: str, visibility: str) -> None:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the resource a title.")
    if category not in Category.values:
        errors["category"] = _("Choose a category.")
    if visibility not in Visibility.values:
        errors["visibility"] = _("Choose who may see the resource.")
    if errors:
        raise ValidationError(errors)


def _check_upload(upload: UploadedFile) -> None:
    """The same checks as an idea's files: size, type by name, and content by its bytes."""
    try:
        validate_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None


def _store_version(
    *, resource: Resource, actor: User, upload: UploadedFile, change_note: str
) -> ResourceVersion:
    # The row lock makes a concurrent upload wait for this one's commit, so it reads the
    # raised count (SQLite's IMMEDIATE transactions serialise writers the same way).
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    number = locked.version_count + 1
    version = ResourceVersion(
        resource=locked,
        number=number,
        original_name=(upload.name or "file")[-200:],
        content_type=mimetypes.guess_type(upload.name or "")[0] or "application/octet-stream",
        size=upload.size,
        change_note=change_note.strip(),
        uploaded_by=actor,
    )
    version.file.save("upload", upload, save=False)
    version.save()
    now = timezone.now()
    Resource.objects.filter(pk=resource.pk).update(
        version_count=number, current_version=version, updated_at=now
    )
    resource.version_count, resource.current_version, resource.updated_at = number, version, now
    return version


@transaction.atomic
def resource_create(
    *,
    actor: User,
    consortium: Organisation,
    title: str,
    description: str,
    category: str,
    visibility: str,
    upload: UploadedFile,
    change_note: str = "",
) -> Resource:
    """Add a resource to a consortium's library with its first file as version 1."""
    if consortium.pk not in policies.managed_consortia(access_for(actor)):
        raise PermissionDenied
    _check_fields(title=title, category=category, visibility=visibility)
    _check_upload(upload)
    resource = Resource(
        consortium=consortium,
        title=title.strip(),
        description=description.strip(),
        category=category,
        visibility=visibility,
        created_by=actor,
    )
    resource.fold_search_text()
    resource.save()
    _store_version(resource=resource, actor=actor, upload=upload, change_note=change_note)
    return resource


@transaction.atomic
def resource_update(
    *,
    actor: User,
    resource: Resource,
    title: str,
    description: str,
    category: str,
    visibility: str,
) -> Resource:
    """Change a resource's title, description, category or who may see it."""
    if not policies.can_manage(access_for(actor), resource):
        raise PermissionDenied
    _check_fields(title=title, category=category, visibility=visibility)
    resource.title = title.strip()
    resource.description = description.strip()
    resource.category = category
    resource.visibility = visibility
    resource.updated_at = timezone.now()
    resource.fold_search_text()
    resource.save(
        update_fields=[
            "title",
            "description",
            "category",
            "visibility",
            "search_text",
            "updated_at",
        ]
    )
    return resource


@transaction.atomic
def resource_add_version(
    *, actor: User, resource: Resource, upload: UploadedFile, change_note: str = ""
) -> ResourceVersion:
    """Upload a new file as the resource's next version; every earlier version is kept."""
    if not policies.can_manage(access_for(actor), resource):
        raise PermissionDenied
    _check_upload(upload)
    return _store_version(resource=resource, actor=actor, upload=upload, change_note=change_note)


@transaction.atomic
def resource_archive(*, actor: User, resource: Resource) -> Resource:
    """Take a resource out of the library. Its files are kept and it can be restored."""
    if not policies.can_manage(access_for(actor), resource):
        raise PermissionDenied
    now = timezone.now()
    # Compare-and-set: archiving twice at once keeps the first who and when.
    Resource.objects.filter(pk=resource.pk, archived_at__isnull=True).update(
        archived_at=now, archived_by=actor, updated_at=now
    )
    resource.refresh_from_db(fields=["archived_at", "archived_by", "updated_at"])
    return resource


@transaction.atomic
def resource_restore(*, actor: User, resource: Resource) -> Resource:
    """Put an archived resource back in the library, visible as before."""
    if not policies.can_manage(access_for(actor), resource):
        raise PermissionDenied
    Resource.objects.filter(pk=resource.pk).update(
        archived_at=None, archived_by=None, updated_at=timezone.now()
    )
    resource.refresh_from_db(fields=["archived_at", "archived_by", "updated_at"])
    return resource
