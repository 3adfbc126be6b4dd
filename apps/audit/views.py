"""The audit log page and its CSV export, for administrators."""

import csv
import io
import json

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .forms import AuditFilterForm

PAGE_SIZE = 50
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _filtered(request: HttpRequest):
    """The scoped events and the filter form; invalid filters show nothing but the form."""
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        selectors.audit_events_visible_to(request.user)  # still 404 for non-administrators
        return None, form
    filters = form.filters() if form.is_bound else selectors.AuditFilters()
    return selectors.audit_events_visible_to(request.user, filters), form


@login_required
def log(request: HttpRequest) -> HttpResponse:
    """The log, newest first, filtered by kind, person and period, 50 events a page."""
    events, form = _filtered(request)
    page = None
    if events is not None:
        page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _cell(value) -> str:
    # Neutralise spreadsheet formulas (CSV injection): paths and typed addresses are
    # visitor input.
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@login_required
def export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV for Swedish Excel (UTF-8 with BOM, semicolons)."""
    events, form = _filtered(request)
    if events is None:
        return render(
            request,
            "audit/log.html",
            {"form": form, "page": None, "query": "", "filtered": True},
            status=400,
        )
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("Time"),
            _("Kind of event"),
            _("Done by"),
            _("Concerning"),
            _("Consortium"),
            _("Object"),
            _("IP address"),
            _("Detail"),
        ]
    )
    for event in events.iterator(chunk_size=500):
        writer.writerow(
            [
                _cell(timezone.localtime(event.at).isoformat(timespec="seconds")),
                _cell(event.get_kind_display()),
                _cell(event.actor.label if event.actor else _("System")),
                _cell(event.subject.label if event.subject else ""),
                _cell(event.organisation.name if event.organisation else ""),
                _cell(event.object_repr),
                _cell(event.ip_address or ""),
                _cell(json.dumps(event.detail, ensure_ascii=False) if event.detail else ""),
            ]
        )
    response = HttpResponse(
        ("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response
