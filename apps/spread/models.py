"""Solutions offered to the other municipalities, their adoptions, and benefits realisation.

An idea in a stage marked `is_spreadable` (Spread, Implemented) can be written up as a
`Solution`; another municipality that takes it into use records an `Adoption`; the idea
and each adoption plan their benefits as `BenefitHypothesis` rows and follow them up with
`Measurement`s (the Swedish public-sector model: identify, specify, plan, realise, follow up).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ideas.models import Attachment, Idea
from apps.organisations.models import Organisation


class Category(models.TextChoices):
    """The area of municipal work a solution belongs to, for browsing the catalogue."""

    CARE = "care", _("Care and elderly care")
    SCHOOL = "school", _("School and preschool")
    SOCIAL = "social", _("Social services")
    HEALTH = "health", _("Public health")
    CULTURE = "culture", _("Culture and leisure")
    COMMUNITY = "community", _("Urban planning and environment")
    ADMINISTRATION = "administration", _("Administration and digital services")
    WORKPLACE = "workplace", _("Workplace and skills")
    OTHER = "other", _("Other")


class Solution(models.Model):
    """An idea written up as a reusable solution for the other municipalities.

    The text here is written for readers in other municipalities (and, once published, for
    the public); it never repeats the submitters' personal data. Public publication needs
    the idea's `consent_to_publish` and an approval by a communicator or process leader of
    the consortium; changing the text withdraws the approval, so what is public is always
    the text that was approved.
    """

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="offered_solution"
    )
    title = models.CharField(_("title"), max_length=150)
    summary = models.TextField(
        _("what it is"),
        max_length=4000,
        help_text=_("Written for other municipalities: the need, the solution, who it is for."),
    )
    results = models.TextField(_("results so far"), max_length=4000, blank=True)
    category = models.CharField(_("area"), max_length=20, choices=Category.choices)
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    documents = models.ManyToManyField(
        Attachment, verbose_name=_("documents"), blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("offered"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved for publication by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved for publication"), null=True, blank=True)

    class Meta:
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True, approved_by__isnull=True)
                | models.Q(approved_at__isnull=False, approved_by__isnull=False),
                name="solution_approval_names_who_and_when",
            )
        ]

    def __str__(self) -> str:
        return self.title


class AdoptionStage(models.TextChoices):
    PLANNED = "planned", _("Planned")
    TESTING = "testing", _("Testing")
    IN_USE = "in_use", _("In use")
    STOPPED = "stopped", _("Stopped")


class Adoption(models.Model):
    """Another municipality takes a solution into use, with its own owner and stage."""

    solution = models.ForeignKey(
        Solution, verbose_name=_("solution"), on_delete=models.CASCADE, related_name="adoptions"
    )
    municipality = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_adoptions",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=AdoptionStage.choices, default=AdoptionStage.PLANNED
    )
    stage_since = models.DateField(_("in this stage since"), default=timezone.localdate)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    stop_reason = models.TextField(_("why it was stopped"), max_length=2000, blank=True)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("adopted"), default=timezone.now)

    class Meta:
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")
        ordering = ["municipality__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["solution", "municipality"], name="one_adoption_per_municipality"
            ),
            models.CheckConstraint(
                condition=~models.Q(stage="stopped") | ~models.Q(stop_reason=""),
                name="stopped_adoption_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.solution} – {self.municipality}"


class AdoptionStageChange(models.Model):
    """One recorded move of an adoption: who, when, from which stage to which, why."""

    adoption = models.ForeignKey(
        Adoption, verbose_name=_("adoption"), on_delete=models.CASCADE, related_name="changes"
    )
    from_stage = models.CharField(
        _("from"), max_length=20, choices=AdoptionStage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=AdoptionStage.choices)
    on_date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("adoption stage change")
        verbose_name_plural = _("adoption stage changes")
        ordering = ["on_date", "pk"]

    def __str__(self) -> str:
        return f"{self.adoption}: {self.from_stage} → {self.to_stage}"


class BenefitPhase(models.TextChoices):
    """The five phases of benefits realisation in the Swedish public-sector model."""

    IDENTIFY = "identify", _("Identify")
    SPECIFY = "specify", _("Specify")
    PLAN = "plan", _("Plan")
    REALISE = "realise", _("Realise")
    FOLLOW_UP = "follow_up", _("Follow up")


class BenefitHypothesis(models.Model):
    """A benefit the idea (in its own municipality) or one adoption expects, and how it
    is measured.

    `municipality` is where the benefit is realised: the idea's municipality when
    `adoption` is empty, else the adopting municipality; it is stored so that totals per
    municipality are one grouped query.

    Realised change = latest measured value − baseline, counted in the direction of the
    target (so a benefit whose indicator should fall gains when it falls). Value realised
    = realised change × value per unit (SEK and hours separately).
    """

    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="benefits"
    )
    adoption = models.ForeignKey(
        Adoption,
        verbose_name=_("adoption"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="benefits",
    )
    municipality = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("expected benefit"), max_length=2000)
    indicator = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=40)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    how_measured = models.TextField(_("how it is measured"), max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("benefit owner"),
        on_delete=models.PROTECT,
        related_name="owned_benefits",
    )
    next_measurement_due = models.DateField(_("next measurement due"), null=True, blank=True)
    follow_up_every_days = models.PositiveSmallIntegerField(
        _("measure every (days)"), null=True, blank=True
    )
    value_per_unit_sek = models.DecimalField(
        _("value per unit (SEK)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    hours_per_unit = models.DecimalField(
        _("hours per unit"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    phase = models.CharField(
        _("phase"), max_length=20, choices=BenefitPhase.choices, default=BenefitPhase.SPECIFY
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("benefit")
        verbose_name_plural = _("benefits")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["next_measurement_due"])]

    def __str__(self) -> str:
        return self.indicator


class Measurement(models.Model):
    """One follow-up of a benefit: the indicator's value on a date."""

    benefit = models.ForeignKey(
        BenefitHypothesis,
        verbose_name=_("benefit"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        ordering = ["measured_on", "pk"]

    def __str__(self) -> str:
        return f"{self.benefit}: {self.value} ({self.measured_on})"


class BenefitReminder(models.Model):
    """A reminder sent to a benefit's owner for one due date; the unique row is what makes
    the periodic job send it once, however often it runs."""

    benefit = models.ForeignKey(
        BenefitHypothesis, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["benefit", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"{self.benefit} ({self.due_on})"
