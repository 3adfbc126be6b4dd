"""The idea page's showcase section: `{% load showcase %}{% showcase_section idea %}`."""

from django import template

from apps.organisations.selectors import access_for

from .. import policies, selectors

register = template.Library()


@register.inclusion_tag("showcase/_idea_section.html", takes_context=True)
def showcase_section(context, idea):
    """The idea's showcase state and a link to write, preview or publish its story; empty
    for whoever may not draft it. Two queries: the user's roles (usually cached for the
    request already) and the entry."""
    access = access_for(context["request"].user)
    if not policies.can_draft(access, idea):
        return {"show": False}
    entry = selectors.entry_of_idea(idea)
    return {"show": True, "idea": idea, "entry": entry}
