"""The "needs attention" page (Behöver uppmärksamhet). Thin: a policy, a selector."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from apps.organisations.selectors import access_for

from . import policies
from .selectors import attention_items

#: Rows shown per section; the heading always gives the full count.
SECTION_ROWS = 100


@login_required
def attention(request: HttpRequest) -> HttpResponse:
    """Ideas past their stage's target or without activity, overdue action items and
    referrals, for the coach's own ideas or the process leader's consortium."""
    if not policies.may_follow_up(access_for(request.user)):
        raise Http404
    items = attention_items(request.user)
    return render(
        request,
        "followup/attention.html",
        {"attention": items, "rows": SECTION_ROWS},
    )
