"""The main menu, built from what the user's roles open."""

from django.utils.translation import gettext_lazy as _

from apps.audit.policies import may_read_audit_log
from apps.core.reversing import page_url
from apps.followup.policies import may_follow_up
from apps.handover.selectors import may_read_report as may_read_handover_report
from apps.ideas.policies import may_use_workspace
from apps.imports.policies import may_import
from apps.newsletters.policies import may_compose_anywhere
from apps.organisations.selectors import access_for
from apps.showcase.policies import may_use_workspace as may_edit_showcase
from apps.stats.policies import may_see_dashboard


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    access = access_for(user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    # Each item: where it goes, its label, and the pages under it that mark it current.
    items = [("core:start", _("Start"), ())]
    if may_use_workspace(access):
        items += [
            ("ideas:board", _("Board"), ()),
            ("ideas:list", _("Ideas"), ("ideas:detail",)),
        ]
    items.append(("ideas:mine", _("My ideas"), ()))
    items.append(("meetings:tasks", _("My tasks"), ()))
    if may_follow_up(access):
        items.append(("followup:attention", _("Needs attention"), ()))
    # Every role is held inside a consortium, so its catalogue opens without a query; an
    # account without a role gets the public catalogue (apps/spread/policies.py).
    items.append(
        (
            "spread:catalogue" if access.roles else "spread:public_catalogue",
            _("Solutions"),
            ("spread:",),
        )
    )
    items.append(("trainings:courses", _("Trainings"), ("trainings:",)))
    items.append(("resources:library", _("Resources"), ("resources:",)))
    if may_see_dashboard(access):
        items.append(("stats:dashboard", _("Statistics"), ("stats:dashboard", "stats:export")))
    items.append(
        (
            "showcase:workspace" if may_edit_showcase(access) else "showcase:list",
            _("Showcase"),
            ("showcase:",),
        )
    )
    if may_compose_anywhere(access):
        items.append(("newsletters:manage", _("Newsletters"), ("newsletters:",)))
    if access.process_leader_consortia:
        items.append(("workflow:process", _("Process"), ("workflow:",)))
    if may_import(access):
        items.append(("imports:upload", _("Import ideas"), ("imports:",)))
    if access.administers:
        items.append(("organisations:overview", _("Organisations and people"), ("organisations:",)))
    if may_read_handover_report(access):
        items.append(("handover:orphans", _("Handover"), ("handover:",)))
    if may_read_audit_log(access):
        items.append(("audit:log", _("Audit log"), ("audit:",)))
    return {
        "nav_items": [
            {
                "url": page_url(name),
                "label": label,
                "current": current == name or any(current.startswith(p) for p in under),
            }
            for name, label, under in items
        ],
        "access": access,
    }
