"""The process as data: stages (and outcomes) of a consortium, and the allowed moves."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.organisations.models import Organisation


class Stage(models.Model):
    """A stage of the sluice (Fånga, Pröva, …) or an outcome that ends it (Införd, …).

    Names are data, so they carry both languages; `name` picks the active one.
    """

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="stages",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    key = models.SlugField(_("key"), max_length=40)
    name_sv = models.CharField(_("name in Swedish"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_outcome = models.BooleanField(
        _("outcome"), default=False, help_text=_("An outcome ends the journey through the sluice.")
    )
    is_initial = models.BooleanField(
        _("initial stage"), default=False, help_text=_("New ideas start here.")
    )
    requires_reason = models.BooleanField(
        _("requires a reason"),
        default=False,
        help_text=_("Moving an idea here needs a reason that the submitter is told."),
    )
    target_days = models.PositiveSmallIntegerField(
        _("target working days"),
        null=True,
        blank=True,
        help_text=_("How long an idea should at most wait in this stage."),
    )
    is_spreadable = models.BooleanField(
        _("offered to other municipalities"),
        default=False,
        help_text=_(
            "Ideas in this stage are shown as reusable solutions in the solution catalogue."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["consortium", "is_outcome", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "key"], name="unique_stage_key"),
            models.UniqueConstraint(
                fields=["consortium"],
                condition=models.Q(is_initial=True),
                name="one_initial_stage_per_consortium",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "sv").startswith("en") else self.name_sv

    @property
    def description(self) -> str:
        if (get_language() or "sv").startswith("en"):
            return self.description_en or self.description_sv
        return self.description_sv


class Transition(models.Model):
    """An allowed move from one stage to another, and which roles may make it."""

    from_stage = models.ForeignKey(
        Stage, verbose_name=_("from"), on_delete=models.CASCADE, related_name="transitions_out"
    )
    to_stage = models.ForeignKey(
        Stage, verbose_name=_("to"), on_delete=models.CASCADE, related_name="transitions_in"
    )
    coach_may = models.BooleanField(_("idea coaches may make this move"), default=False)
    process_leader_may = models.BooleanField(_("process leaders may make this move"), default=True)

    class Meta:
        verbose_name = _("allowed move")
        verbose_name_plural = _("allowed moves")
        ordering = ["from_stage__position", "to_stage__is_outcome", "to_stage__position"]
        constraints = [
            models.UniqueConstraint(fields=["from_stage", "to_stage"], name="unique_transition"),
            models.CheckConstraint(
                condition=~models.Q(from_stage=models.F("to_stage")), name="transition_moves"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"
