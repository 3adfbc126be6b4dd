"""The idea page's spreading section gets its data here, in a fixed number of queries."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def spread_section(context, idea):
    """`{% spread_section idea as section %}`: the idea's solution, its adoptions and its
    own benefits, and what the user may do. The idea page has already checked that the
    user sees the idea."""
    return selectors.idea_section(context["request"].user, idea)
