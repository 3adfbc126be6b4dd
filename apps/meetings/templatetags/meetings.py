"""The idea page's meeting section gets its data here, in a fixed number of queries."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_section(context, idea):
    """`{% meeting_section idea as section %}`: the idea's meetings, its open action
    items and whether the user may start a meeting. The idea page has already checked
    that the user sees the idea."""
    return selectors.idea_section(context["request"].user, idea)
