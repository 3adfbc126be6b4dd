"""The idea page's assessment section, fetched here so the ideas app need not know about
assessments (apps/ideas/templates/ideas/detail.html includes assessments/_idea_section.html)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format

from apps.ideas.selectors import moves_for

from ..forms import DecisionForm
from ..selectors import idea_section

register = template.Library()


@register.inclusion_tag("assessments/_section.html", takes_context=True)
def assessment_section(context) -> dict:
    """The rounds of the page's idea for the person looking, in a fixed number of queries."""
    request, idea = context.get("request"), context.get("idea")
    if request is None or idea is None:
        return {"section": {"shown": False}}
    section = idea_section(request.user, idea)
    decision_form = None
    if section["shown"] and any(view.may_decide for view in section["rounds"]):
        moves = context.get("moves")
        if moves is None:
            moves = moves_for(request.user, idea)
        decision_form = DecisionForm(moves=moves, initial={"expected_stage": idea.stage_id})
    return {
        "section": section,
        "idea": idea,
        "decision_form": decision_form,
        "csrf_token": context.get("csrf_token"),
        "request": request,
    }


@register.filter
def plain_number(value) -> str:
    """A weight like 1.50 as "1,5" (Swedish) or "1.5": no trailing zeros, localised."""
    if value is None or value == "":
        return ""
    number = Decimal(f"{Decimal(value).normalize():f}")
    return number_format(number)
