"""People who log in. Submitters without an account live in the ideas app."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    """Creates users identified by email address."""

    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra) -> "User":
        extra["is_staff"] = True
        extra["is_superuser"] = True
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An employee, coach, process leader, communicator or administrator who logs in.

    Roles are not on the user: they are Memberships held per organisation.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use Django admin"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Set in advance by an administrator so the handover can be prepared; nothing happens
    # automatically on the day (apps/handover/services.py explains why).
    leaves_on = models.DateField(
        _("leaves on"),
        null=True,
        blank=True,
        help_text=_("The last day of work here, when known in advance."),
    )
    preferred_language = models.CharField(
        _("language"), max_length=8, default="sv", choices=[("sv", "Svenska"), ("en", "English")]
    )
    # Email preferences. Transactional mail (login codes, password reset) is always sent.
    notify_new_idea = models.BooleanField(_("a new idea arrives in my municipality"), default=True)
    notify_owner_assigned = models.BooleanField(_("I am made owner of an idea"), default=True)
    notify_submitter_message = models.BooleanField(
        _("a submitter writes on an idea I own"), default=True
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email
