"""Assessment rounds: criteria, the rounds opened at a gate, the assessors and their scores."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from apps.ideas.models import Idea, TimelineEntry
from apps.organisations.models import Organisation
from apps.workflow.models import Stage

#: A criterion's scale runs from 1 to `scale_max`; these bound `scale_max`.
SCALE_MIN_TOP, SCALE_MAX_TOP = 2, 10


def _in_language(sv: str, en: str) -> str:
    if (get_language() or "sv").startswith("en"):
        return en or sv
    return sv or en


class CriterionText(models.Model):
    """The words and numbers of a criterion, shared by the editable criterion and the copy
    each round keeps of it."""

    name_sv = models.CharField(_("name in Swedish"), max_length=120)
    name_en = models.CharField(_("name in English"), max_length=120)
    guidance_sv = models.TextField(_("guidance in Swedish"), blank=True, max_length=1000)
    guidance_en = models.TextField(_("guidance in English"), blank=True, max_length=1000)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal(10))],
        help_text=_("How much the criterion counts in the weighted total; 1 is normal."),
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"),
        default=5,
        validators=[MinValueValidator(SCALE_MIN_TOP), MaxValueValidator(SCALE_MAX_TOP)],
        help_text=_("Scores run from 1 to this number."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language(self.name_sv, self.name_en)

    @property
    def guidance(self) -> str:
        return _in_language(self.guidance_sv, self.guidance_en)

    @property
    def scale(self) -> range:
        return range(1, self.scale_max + 1)


def _criterion_constraints(prefix: str) -> list[models.BaseConstraint]:
    return [
        models.CheckConstraint(condition=models.Q(weight__gt=0), name=f"{prefix}_weight_positive"),
        models.CheckConstraint(
            condition=models.Q(scale_max__gte=SCALE_MIN_TOP, scale_max__lte=SCALE_MAX_TOP),
            name=f"{prefix}_scale_in_range",
        ),
    ]


class Criterion(CriterionText):
    """One assessment criterion of a consortium (DESIGN.md §3), edited by process leaders.

    A round copies the criteria it uses (RoundCriterion), so editing or retiring a
    criterion never changes a round that has been opened.
    """

    consortium = models.ForeignKey(
        Organisation,
        verbose_name=_("consortium"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Organisation.Kind.CONSORTIUM},
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Only criteria in use are offered for new rounds.")
    )

    class Meta:
        verbose_name = _("assessment criterion")
        verbose_name_plural = _("assessment criteria")
        ordering = ["consortium", "position", "pk"]
        constraints = _criterion_constraints("criterion")


class AssessmentRound(models.Model):
    """A round of assessment on an idea, opened at a gate with chosen assessors, criteria and
    a due date, and closed by the gate decision (or without one).

    An idea has at most one open round. In a blind round the assessors see nothing about
    who handed the idea in. `decision_entry` is the move the gate decision made.
    """

    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        on_delete=models.CASCADE,
        related_name="assessment_rounds",
    )
    stage = models.ForeignKey(
        Stage,
        verbose_name=_("opened in stage"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    due_date = models.DateField(_("answer by"))
    blind = models.BooleanField(
        _("blind"),
        default=False,
        help_text=_("The assessors are not told who handed the idea in."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decision_entry = models.OneToOneField(
        TimelineEntry,
        verbose_name=_("gate decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessment_round",
    )

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["idea"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_assessment_round_per_idea",
            ),
            models.CheckConstraint(
                condition=models.Q(decision_entry__isnull=True) | models.Q(closed_at__isnull=False),
                name="assessment_decision_closes_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_id} {self.opened_at:%Y-%m-%d}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.localdate() > self.due_date


class RoundCriterion(CriterionText):
    """A round's own copy of a criterion, taken when the round opened."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    source = models.ForeignKey(
        Criterion,
        verbose_name=_("copied from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("criterion of a round")
        verbose_name_plural = _("criteria of a round")
        ordering = ["round", "position", "pk"]
        constraints = _criterion_constraints("round_criterion")


class Assignment(models.Model):
    """An assessor named in a round. Handing in (`submitted_at`) is final: from then on the
    assessor sees the others' handed-in scores, so their own can no longer change."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        related_name="assessment_assignments",
    )
    submitted_at = models.DateTimeField(_("handed in"), null=True, blank=True)

    class Meta:
        verbose_name = _("assessor of a round")
        verbose_name_plural = _("assessors of a round")
        ordering = ["round", "assessor__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "assessor"], name="one_assignment_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.assessor} – {self.round}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Score(models.Model):
    """One assessor's score (1 to the criterion's highest score) and note on one criterion.

    The upper bound lives on the round's criterion, so the service checks it; the
    database holds the lower bound and one score per assessor and criterion.
    """

    assignment = models.ForeignKey(
        Assignment,
        verbose_name=_("assessor of a round"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        RoundCriterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    value = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("saved"), default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["assignment", "criterion__position", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=True) | models.Q(value__gte=1),
                name="score_at_least_one",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"
