"""Events recorded from signals, so that other apps need not call the audit log themselves:
logins, logouts and failed logins (Django's auth signals, which allauth sends too), role
grants and revocations (Membership saved or deleted, whoever does it), and a person's
deactivation (User.is_active turning False).
"""

from contextvars import ContextVar

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from apps.organisations.models import Membership

from .models import AuditEvent
from .services import audit_record

User = get_user_model()

# Accounts being deleted in this context. Their memberships go with them (CASCADE); an
# audit identity made for them at that moment would point at a row about to vanish, and
# the deletion (erasure) is recorded as such by the privacy app.
_accounts_being_deleted: ContextVar[frozenset] = ContextVar(
    "sluss_audit_accounts_being_deleted", default=frozenset()
)


@receiver(user_logged_in, dispatch_uid="audit_login")
def _login(sender, request, user, **kwargs):
    audit_record(kind=AuditEvent.Kind.LOGIN, actor=user, subject_user=user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logout(sender, request, user, **kwargs):
    if user is None:  # logging out without a session: nothing happened
        return
    audit_record(kind=AuditEvent.Kind.LOGOUT, actor=user, subject_user=user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    typed = str(credentials.get("email") or credentials.get("username") or "").strip()
    account = User.objects.filter(email__iexact=typed).first() if typed else None
    audit_record(
        kind=AuditEvent.Kind.LOGIN_FAILED,
        # Whoever is logged in is not the one failing; the attempt has no actor.
        actor=None,
        subject_user=account,
        subject_label="" if account else typed,
        request=request,
        detail={"known_account": account is not None},
    )


def _membership_repr(membership: Membership) -> str:
    return f"{membership.get_role_display()} – {membership.organisation.name}"


@receiver(post_save, sender=Membership, dispatch_uid="audit_role_granted")
def _role_granted(sender, instance: Membership, created: bool, raw=False, **kwargs):
    if raw or not created:
        return
    audit_record(
        kind=AuditEvent.Kind.ROLE_GRANTED,
        subject_user=instance.user,
        organisation=instance.organisation,
        object_repr=_membership_repr(instance),
        detail={"role": instance.role, "organisation_id": instance.organisation_id},
    )


@receiver(pre_delete, sender=User, dispatch_uid="audit_account_deleting")
def _account_deleting(sender, instance, **kwargs):
    _accounts_being_deleted.set(_accounts_being_deleted.get() | {instance.pk})


@receiver(post_delete, sender=User, dispatch_uid="audit_account_deleted")
def _account_deleted(sender, instance, **kwargs):
    _accounts_being_deleted.set(_accounts_being_deleted.get() - {instance.pk})


@receiver(post_delete, sender=Membership, dispatch_uid="audit_role_revoked")
def _role_revoked(sender, instance: Membership, **kwargs):
    if instance.user_id in _accounts_being_deleted.get():
        return
    audit_record(
        kind=AuditEvent.Kind.ROLE_REVOKED,
        subject_user=instance.user,
        organisation=instance.organisation,
        object_repr=_membership_repr(instance),
        detail={"role": instance.role, "organisation_id": instance.organisation_id},
    )


@receiver(pre_save, sender=User, dispatch_uid="audit_user_before_save")
def _remember_activity(sender, instance, update_fields=None, raw=False, **kwargs):
    # Only a save that may turn is_active off needs the stored value: ordinary saves of
    # active accounts (last_login at every login) cost no query.
    instance._audit_was_active = None
    if raw or instance.pk is None or instance.is_active:
        return
    if update_fields is not None and "is_active" not in update_fields:
        return
    instance._audit_was_active = (
        User.objects.filter(pk=instance.pk).values_list("is_active", flat=True).first()
    )


@receiver(post_save, sender=User, dispatch_uid="audit_user_deactivated")
def _deactivated(sender, instance, created=False, raw=False, **kwargs):
    if raw or created or getattr(instance, "_audit_was_active", None) is not True:
        return
    instance._audit_was_active = None
    audit_record(kind=AuditEvent.Kind.PERSON_DEACTIVATED, subject_user=instance)
