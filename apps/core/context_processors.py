"""The main menu, built from what the user's roles open."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.ideas.policies import may_use_workspace
from apps.organisations.selectors import access_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    access = access_for(user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [("core:start", _("Start"))]
    if may_use_workspace(access):
        items += [("ideas:board", _("Board")), ("ideas:list", _("Ideas"))]
    items.append(("ideas:mine", _("My ideas")))
    if access.process_leader_consortia:
        items.append(("workflow:process", _("Process")))
    if access.administers:
        items.append(("organisations:overview", _("Organisations and people")))
    return {
        "nav_items": [
            {"url": reverse(name), "label": label, "current": name == current}
            for name, label in items
        ],
        "access": access,
    }
