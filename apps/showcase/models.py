"""The public showcase: ideas told as stories, with their results, for everyone to read.

An idea appears in the showcase only with the submitter's consent (`Idea.consent_to_publish`)
and a communicator's approval of an edited public text. The text is written for the public
and never carries the submitters' personal data; a name is shown (`credit`) only when the
person agreed to be named (`credit_agreed`).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.ideas.models import Idea
from apps.spread.models import Category


class ShowcaseEntryQuerySet(models.QuerySet):
    def published(self) -> "ShowcaseEntryQuerySet":
        """Approved, not withdrawn, and the idea still has the submitter's consent: the
        one definition of "public" (the submitter may take their consent back at any
        time, and the entry disappears with it)."""
        return self.filter(
            approved_at__isnull=False,
            withdrawn_at__isnull=True,
            idea__consent_to_publish=True,
        )


class ShowcaseEntry(models.Model):
    """An idea's story in the public showcase: at most one per idea.

    Drafted by those who work the idea and by the consortium's communicators; approved
    (published) and withdrawn only by a communicator of the consortium. Changing the text
    of an approved entry takes the approval away, so what is public is always exactly what
    a communicator approved; a communicator may change the text and approve it again in
    one step (services.entry_save with `publish=True`).
    """

    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="showcase_entry"
    )
    headline = models.CharField(_("headline"), max_length=150)
    lead = models.TextField(
        _("lead"),
        max_length=500,
        help_text=_("One or two sentences that sum up the story."),
    )
    story = models.TextField(
        _("story"),
        max_length=10000,
        help_text=_("The edited public text. Leave out names and contact details."),
    )
    results = models.TextField(_("results"), max_length=4000, blank=True)
    category = models.CharField(_("area"), max_length=20, choices=Category.choices)
    credit_agreed = models.BooleanField(
        _("the person agreed to be named"),
        default=False,
        help_text=_("Only then may a name be shown to the public."),
    )
    credit = models.CharField(
        _("name shown publicly"),
        max_length=200,
        blank=True,
        help_text=_("For example the submitter or the team behind the idea."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    # The public text case-folded in Python, written by the services: SQLite's LIKE folds
    # only ASCII, so searching "ÅTERBRUK" would miss "återbruk" without it.
    search_text = models.TextField(editable=False, default="")

    objects = ShowcaseEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("showcase entry")
        verbose_name_plural = _("showcase entries")
        ordering = ["-approved_at", "-pk"]
        indexes = [models.Index(fields=["approved_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True, approved_by__isnull=True)
                | models.Q(approved_at__isnull=False, approved_by__isnull=False),
                name="showcase_approval_names_who_and_when",
            ),
            models.CheckConstraint(
                condition=models.Q(credit="") | models.Q(credit_agreed=True),
                name="showcase_credit_only_when_agreed",
            ),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        """The public page of the entry (it answers 404 while the entry is not public)."""
        return reverse("showcase:entry", args=[self.pk])

    @property
    def published_at(self):
        """When the public text was approved (the date the public sees)."""
        return self.approved_at

    @property
    def is_published(self) -> bool:
        return (
            self.approved_at is not None
            and self.withdrawn_at is None
            and self.idea.consent_to_publish
        )
