"""The organisation tree (consortium → municipality → units) and who holds which role where."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A node of the tree: a consortium, one of its municipalities, or a unit inside one.

    `consortium` and `municipality` are denormalised from the tree so that scoping an idea
    or a membership is one indexed filter instead of a walk up the tree.
    """

    class Kind(models.TextChoices):
        CONSORTIUM = "consortium", _("consortium")
        MUNICIPALITY = "municipality", _("municipality")
        UNIT = "unit", _("unit")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    consortium = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    municipality = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    employee_count = models.PositiveIntegerField(_("number of employees"), null=True, blank=True)
    reference_prefix = models.CharField(
        _("reference prefix"),
        max_length=8,
        blank=True,
        help_text=_("Consortia only: the letters that begin every idea's reference number."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="unique_slug_per_parent"),
            # NULL parents are all different to the database, so consortia need their own.
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(parent__isnull=True),
                name="unique_consortium_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        # Keep the denormalised ancestors in step with the parent.
        if self.kind != self.Kind.CONSORTIUM and self.parent is None:
            raise ValidationError({"parent": _("This kind of organisation needs a parent.")})
        if self.kind == self.Kind.CONSORTIUM:
            self.consortium = None
            self.municipality = None
        elif self.kind == self.Kind.MUNICIPALITY:
            self.consortium = self.parent
            self.municipality = None
        else:
            self.consortium = self.parent.consortium
            self.municipality = (
                self.parent
                if self.parent.kind == self.Kind.MUNICIPALITY
                else self.parent.municipality
            )
        super().save(*args, **kwargs)

    def clean(self) -> None:
        allowed_parent = {
            self.Kind.CONSORTIUM: None,
            self.Kind.MUNICIPALITY: self.Kind.CONSORTIUM,
            self.Kind.UNIT: (self.Kind.MUNICIPALITY, self.Kind.UNIT),
        }[self.kind]
        parent_kind = self.parent.kind if self.parent else None
        if allowed_parent is None and parent_kind is not None:
            raise ValidationError({"parent": _("A consortium is not part of anything.")})
        if allowed_parent is not None and parent_kind not in (
            allowed_parent if isinstance(allowed_parent, tuple) else (allowed_parent,)
        ):
            raise ValidationError({"parent": _("This kind of organisation needs another parent.")})

    @property
    def consortium_id_or_self(self) -> int:
        return self.pk if self.kind == self.Kind.CONSORTIUM else self.consortium_id


class Role(models.TextChoices):
    """The roles a person can hold in an organisation (DESIGN.md §2)."""

    COACH = "coach", _("idea coach")
    PROCESS_LEADER = "process_leader", _("process leader")
    COMMUNICATOR = "communicator", _("communicator")
    MANAGER = "manager", _("manager")
    ADMINISTRATOR = "administrator", _("administrator")


class Membership(models.Model):
    """A person holds a role in one organisation.

    Coaches hold their role in a municipality, managers in a unit, and process leaders,
    communicators and administrators in a consortium.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="unique_role_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"

    #: Which kind of organisation each role is held in.
    ROLE_ORGANISATION_KIND = {
        Role.COACH: Organisation.Kind.MUNICIPALITY,
        Role.MANAGER: Organisation.Kind.UNIT,
        Role.PROCESS_LEADER: Organisation.Kind.CONSORTIUM,
        Role.COMMUNICATOR: Organisation.Kind.CONSORTIUM,
        Role.ADMINISTRATOR: Organisation.Kind.CONSORTIUM,
    }

    def clean(self) -> None:
        expected = self.ROLE_ORGANISATION_KIND.get(self.role)
        if expected and self.organisation_id and self.organisation.kind != expected:
            raise ValidationError(
                {
                    "organisation": _("The role %(role)s is held in a %(kind)s.")
                    % {"role": self.get_role_display(), "kind": Organisation.Kind(expected).label}
                }
            )
