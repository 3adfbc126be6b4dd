"""`python manage.py create_api_token EMAIL [--name NAME] [--expires-in-days N]`: make a
personal access token for a person and print it (the only time it can be seen)."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from apps.accounts.models import User
from apps.api.services import api_token_create


class Command(BaseCommand):
    help = "Make a personal access token for the API and print it. It is shown only once."

    def add_arguments(self, parser) -> None:
        parser.add_argument("email", help="The email address of the person the token acts as.")
        parser.add_argument("--name", default="Made on the command line", help="What it is for.")
        parser.add_argument(
            "--expires-in-days",
            type=int,
            default=None,
            help="Days until the token stops working (default: never).",
        )

    def handle(self, *args, email: str, name: str, expires_in_days: int | None, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Nobody has the email address {email}.")
        if not user.is_active:
            raise CommandError(f"The account of {email} is closed; its tokens would not work.")
        if expires_in_days is not None and expires_in_days < 1:
            raise CommandError("--expires-in-days must be 1 or more.")
        now = timezone.now()
        expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
        try:
            token, secret = api_token_create(user=user, name=name, expires_at=expires_at, now=now)
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            raise CommandError(" ".join(messages)) from None
        # The secret alone on stdout, so scripts can capture it; the rest on stderr.
        self.stderr.write(
            f"Token “{token.name}” for {user.email} (begins with {token.prefix}). "
            "Copy it now: it cannot be shown again."
        )
        self.stdout.write(secret)
