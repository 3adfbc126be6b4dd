"""The idea page's referral section gets its data here, in a fixed number of queries."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_section(context, idea):
    """`{% referral_section idea as section %}`: the idea's referrals and whether the
    user may send one. The idea page has already checked that the user sees the idea."""
    return selectors.idea_section(context["request"].user, idea)
