"""The statistics pages: the dashboard, its exports, and the public statistics.

Thin views: the selectors check the filters and narrow them to what the reader may see (or
404), the figures module computes the tables, the templates draw them. Bad filter input
comes back with status 400, the form's error summary and the values typed.
"""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import exports, selectors
from .forms import StatisticsFilterForm
from .tables import Filters, Table

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _query(form: StatisticsFilterForm) -> str:
    """The filters of a valid form as a query string, for export links that keep them."""
    data = form.cleaned_data
    query = {"start": data["start"].isoformat(), "end": data["end"].isoformat()}
    for name in ("consortium", "municipality"):
        if data.get(name):
            query[name] = data[name]
    return urlencode(query)


def _where(form: StatisticsFilterForm, filters: Filters) -> str:
    """The names of what the figures cover, for the sentence above them."""
    ids = filters.municipality_ids or filters.consortium_ids
    return ", ".join(sorted(form.names[pk] for pk in ids))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every statistic of the reader's consortia, each as a chart, a table and exports."""
    form = selectors.dashboard_filter_form(request.user, request.GET)
    context = {"form": form, "tables": [], "key_figures": []}
    if form.is_valid():
        filters = selectors.filters_from(form)
        tables, key_figures = selectors.dashboard(filters)
        context.update(
            filters=filters,
            where=_where(form, filters),
            tables=tables,
            key_figures=[(form.names[pk], figures) for pk, figures in key_figures.items()],
            query=_query(form),
        )
    return render(request, "stats/dashboard.html", context, status=400 if form.errors else 200)


def _download(table: Table, fmt: str, filters: Filters) -> HttpResponse:
    content = exports.table_to_csv(table) if fmt == "csv" else exports.table_to_xlsx(table)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"sluss-{table.slug}-{filters.start.isoformat()}-{filters.end.isoformat()}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_filters() -> HttpResponse:
    return HttpResponse(
        _("The period or place in the link is not valid. Go back and choose the filters again."),
        status=400,
        content_type="text/plain; charset=utf-8",
    )


@login_required
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One statistic of the dashboard as CSV or XLSX, over the same filters and scope."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        filters = selectors.dashboard_filters_for(request.user, request.GET)
    except selectors.InvalidFilters:
        return _bad_filters()
    return _download(selectors.dashboard_table(filters, slug), fmt, filters)


def public(request: HttpRequest) -> HttpResponse:
    """The public statistics of one consortium: aggregates only, for anyone."""
    form = selectors.public_filter_form(request.GET)
    context = {"form": form, "tables": []}
    if form is not None and form.is_valid():
        filters = selectors.public_filters_from(form)
        context.update(
            filters=filters,
            where=_where(form, filters),
            tables=selectors.public_tables(filters),
            query=_query(form),
        )
    status = 400 if form is not None and form.errors else 200
    return render(request, "stats/public.html", context, status=status)


def public_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """One public statistic as CSV or XLSX."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    try:
        filters = selectors.public_filters_for(request.GET)
    except selectors.InvalidFilters:
        return _bad_filters()
    return _download(selectors.public_table(filters, slug), fmt, filters)
