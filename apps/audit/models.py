"""The audit log: an append-only record of who did what to personal data and access.

Design (issue 7, item 3, and the erasure rule of item 2):

* `AuditEvent` is strictly append-only. `save()` refuses to update an existing row,
  `delete()` and the queryset's `update()`/`delete()` refuse, and database triggers on
  SQLite and PostgreSQL refuse every UPDATE and DELETE of its table (migration 0002), so
  not even raw SQL from the application can change it.
* Events hold no names or email addresses. The people involved are `AuditIdentity` rows
  (the acting person and the person the event is about). An identity is the one place
  where a person's label is stored, and erasure rewrites that label to a pseudonym through
  `services.audit_pseudonymise_person`. The triggers allow exactly that change on an
  identity: its label may change only while it becomes pseudonymised, and its user link
  may only be cleared (when the account itself is deleted). Identities are never deleted.
  So after erasure the events still say *that* someone did something, but not who.
* Callers therefore must not put names or email addresses in `object_repr` or `detail`:
  pass people as `actor` / `subject_user` instead.
* The IP address and the user agent stay with the event: they are kept as part of the
  security record for as long as the log is kept.
* The only path that empties the tables is `manage.py flush` (the whole database, used by
  tests and development), which opens the triggers for the length of the flush.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(PermissionDenied):
    """Raised when code tries to change or delete an audit event."""


class AuditIdentity(models.Model):
    """A person as named in the audit log: the label (name and email at the time).

    Kept apart from the events so that erasure can pseudonymise the label without changing
    any event. `user` is cleared when the account is deleted; failed logins with an address
    that matches no account get an identity without a user.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_identities",
    )
    label = models.CharField(_("name"), max_length=320)
    pseudonymised_at = models.DateTimeField(_("pseudonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("person in the audit log")
        verbose_name_plural = _("people in the audit log")
        indexes = [models.Index(fields=["label"], name="audit_identity_label")]

    def __str__(self) -> str:
        return self.label

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit identities are never deleted.")


class AuditEventQuerySet(models.QuerySet):
    """Reads only: bulk changes and deletions are refused."""

    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    # bulk_update goes through update(); refuse it by name too so the message is clear.
    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")


class AuditEvent(models.Model):
    """One thing that happened: a login, a refusal, a view of personal data, an export...

    Append-only (see the module docstring): written once by `services.audit_record`,
    never changed or deleted. `organisation` is the consortium the event belongs to, for
    scoping who may read it.
    """

    class Kind(models.TextChoices):
        LOGIN = "login", _("login")
        LOGIN_FAILED = "login_failed", _("failed login")
        LOGOUT = "logout", _("logout")
        ACCESS_DENIED = "access_denied", _("access denied")
        EXPORT = "export", _("export")
        IDEA_VIEWED = "idea_viewed", _("idea with personal data viewed")
        ROLE_GRANTED = "role_granted", _("role granted")
        ROLE_REVOKED = "role_revoked", _("role revoked")
        PERSON_DEACTIVATED = "person_deactivated", _("person deactivated")
        HANDOVER = "handover", _("handover")
        ERASURE = "erasure", _("erasure")
        PERSONAL_DATA_EXPORT = "personal_data_export", _("personal data export")
        RETENTION_RUN = "retention_run", _("retention run")
        SETTINGS_CHANGED = "settings_changed", _("settings changed")

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(
        AuditIdentity,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.ForeignKey(
        AuditIdentity,
        verbose_name=_("concerning"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("consortium"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["kind", "at"], name="audit_event_kind_at"),
            models.Index(fields=["organisation", "at"], name="audit_event_org_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")
