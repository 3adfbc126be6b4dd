from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import PreferencesForm
from .services import user_update_preferences


@login_required
def preferences(request):
    """The user's own settings: name, phone, email language and email choices."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_preferences(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:preferences")
    return render(request, "accounts/preferences.html", {"form": form})
