"""The resource library: method handbooks, templates, leaflets and presentations.

A `Resource` belongs to a consortium and is either public (anyone, also without logging
in) or internal (people who belong to the consortium). Its files are `ResourceVersion`s,
numbered 1, 2, 3…; a new upload adds a version and the old ones are kept, so what was
handed out at a training last year can still be found. Files are never served by URL,
only through a view that has checked who asks.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation
from apps.search.normalise import fold


class Category(models.TextChoices):
    """What kind of material a resource is, for browsing the library."""

    HANDBOOK = "handbook", _("Method handbook")
    TEMPLATE = "template", _("Template")
    LEAFLET = "leaflet", _("Leaflet")
    PRESENTATION = "presentation", _("Presentation")
    OTHER = "other", _("Other")


class Visibility(models.TextChoices):
    """Who may see a resource (and download its files)."""

    PUBLIC = "public", _("Public: anyone, also without logging in")
    INTERNAL = "internal", _("Internal: people who belong to the consortium")


class Resource(models.Model):
    """One item of the library, with its versions.

    `version_count` is the number of the latest version; adding a version raises it under
    a row lock, so two uploads at once get different numbers (the unique constraint on
    the versions is the backstop). `current_version` points at that latest version so a
    list shows it without a query per row. An archived resource is kept, with its files,
    but shown only to those who manage the consortium's library.
    """

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        related_name="resources",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    title = models.CharField(_("title"), max_length=150)
    description = models.TextField(_("description"), max_length=4000, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.INTERNAL
    )
    # Title and description folded (lower case, å→a, ä→a, ö→o…) by the services, so a
    # search matches "Tjänstedesign" and "tjanstedesign" alike on SQLite and PostgreSQL.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    version_count = models.PositiveIntegerField(_("number of versions"), default=0)
    current_version = models.ForeignKey(
        "ResourceVersion",
        verbose_name=_("current version"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("archived by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=Category.values),
                name="resource_category_known",
            ),
            models.CheckConstraint(
                condition=models.Q(visibility__in=Visibility.values),
                name="resource_visibility_known",
            ),
            models.CheckConstraint(
                condition=models.Q(archived_at__isnull=True, archived_by__isnull=True)
                | models.Q(archived_at__isnull=False, archived_by__isnull=False),
                name="resource_archive_names_who_and_when",
            ),
        ]
        indexes = [models.Index(fields=["consortium", "archived_at"])]

    def __str__(self) -> str:
        return self.title

    def fold_search_text(self) -> None:
        self.search_text = fold(f"{self.title}\n{self.description}")

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def version_path(instance: "ResourceVersion", filename: str) -> str:
    # Generated names only: the original name is kept in the row, never on disk.
    return f"resources/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class ResourceVersion(models.Model):
    """One uploaded file of a resource. Never changed or deleted once stored: a new
    upload is a new version with the next number."""

    resource = models.ForeignKey(
        Resource, verbose_name=_("resource"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=version_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    change_note = models.TextField(_("what changed"), max_length=2000, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        verbose_name = _("resource version")
        verbose_name_plural = _("resource versions")
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "number"], name="one_resource_version_per_number"
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="resource_version_numbers_from_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number}"

    @property
    def extension(self) -> str:
        name = self.original_name
        return name.rsplit(".", 1)[-1].upper() if "." in name else ""
