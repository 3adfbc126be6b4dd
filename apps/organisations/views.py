from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from .selectors import access_for, organisation_tree


@login_required
def overview(request):
    """Administrators: the organisation tree with its people and roles."""
    access = access_for(request.user)
    if not access.administers:
        raise Http404
    return render(request, "organisations/overview.html", {"tree": organisation_tree(request.user)})
