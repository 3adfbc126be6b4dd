"""The page where a person makes, sees and revokes their personal access tokens.

Thin views: a selector reads the person's own tokens, the form validates, a service
writes. The secret of a new token is rendered in the answer to the POST and nowhere
else: it is never stored, so it cannot be shown again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import ApiTokenForm


def _add_error(form: ApiTokenForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@never_cache
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens, and the form to make one; a new token is shown once."""
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        try:
            created, secret = services.api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                expires_at=form.expires_at(now),
                now=now,
            )
        except ValidationError as error:
            _add_error(form, error)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "tokens": list(selectors.api_tokens_of(request.user)),
        "created": created,
        "secret": secret,
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the person's own tokens; another person's answers 404."""
    token = selectors.api_token_for_user(request.user, token_id)
    services.api_token_revoke(user=request.user, token_id=token.pk)
    messages.success(
        request, _("The token “%(name)s” was revoked. It no longer works.") % {"name": token.name}
    )
    return redirect("api_tokens:list")
