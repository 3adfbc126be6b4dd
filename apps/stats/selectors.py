"""Reads of the statistics pages, always narrowed to what the acting user may see.

The request's filters are checked here and turned into a `Filters` that names only
consortia and municipalities the reader may see; the figure functions trust it. Naming a
consortium or municipality the reader may not see answers 404, exactly like naming one that
does not exist (an empty page would tell them it exists).
"""

from datetime import date, timedelta

from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.organisations.models import Organisation
from apps.organisations.selectors import access_for, workspace_consortium_ids

from . import caching, figures, policies
from .forms import StatisticsFilterForm
from .tables import Filters, Table


class InvalidFilters(Exception):
    """The request's filters do not parse; `form` carries the errors to show."""

    def __init__(self, form: StatisticsFilterForm):
        super().__init__("invalid statistics filters")
        self.form = form


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months up to and including today."""
    today = today or timezone.localdate()
    try:
        a_year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        a_year_ago = today.replace(year=today.year - 1, day=28)
    return a_year_ago + timedelta(days=1), today


# --- Who sees which consortia ------------------------------------------------------------


def dashboard_consortium_ids(user) -> frozenset[int]:
    """The consortia whose statistics the user sees: those they hold any role in (a
    superuser: every consortium). Empty for anyone else."""
    access = access_for(user)
    if not policies.may_see_dashboard(access):
        return frozenset()
    if access.is_superuser:
        return frozenset(
            Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM).values_list(
                "pk", flat=True
            )
        )
    return frozenset(
        workspace_consortium_ids(access)
        | access.communicator_consortia
        | access.administrator_consortia
    )


def _consortia(ids) -> list[Organisation]:
    return list(
        Organisation.objects.filter(pk__in=ids, kind=Organisation.Kind.CONSORTIUM).order_by("name")
    )


def _municipalities(consortium_ids) -> list[Organisation]:
    # Municipalities that have left stay: the period may be from before they left.
    return list(
        Organisation.objects.filter(
            consortium_id__in=consortium_ids, kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name")
    )


def _wanted_id(data: QueryDict, name: str, allowed: set[int]) -> None:
    """404 for a filter naming an organisation outside `allowed` (or not a number)."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return
    try:
        wanted = int(raw)
    except ValueError:
        raise Http404 from None
    if not policies.may_filter_by(frozenset(allowed), wanted):
        raise Http404


def _with_default_period(data: QueryDict) -> QueryDict:
    """The request's filters with the default period filled in where a date is left out,
    so the form shows the period the figures are computed over."""
    data = data.copy()
    start, end = default_period()
    if not (data.get("start") or "").strip():
        data["start"] = start.isoformat()
    if not (data.get("end") or "").strip():
        data["end"] = end.isoformat()
    return data


def dashboard_filter_form(user, data: QueryDict) -> StatisticsFilterForm:
    """The dashboard's filter form bound to the request, after the scope check: 404 for a
    reader without a role, or for a consortium or municipality they may not see."""
    consortium_ids = dashboard_consortium_ids(user)
    if not consortium_ids:
        raise Http404
    consortia = _consortia(consortium_ids)
    municipalities = _municipalities(consortium_ids)
    _wanted_id(data, "consortium", {c.pk for c in consortia})
    _wanted_id(data, "municipality", {m.pk for m in municipalities})
    return StatisticsFilterForm(
        _with_default_period(data),
        consortia=consortia,
        municipalities=municipalities,
        all_consortia_label=_("All your consortia"),
    )


def filters_from(form: StatisticsFilterForm) -> Filters:
    """The `Filters` of a valid filter form."""
    data = form.cleaned_data
    if data.get("municipality"):
        municipality_ids = frozenset({data["municipality"]})
        consortium_ids = frozenset({form.municipality_consortium[data["municipality"]]})
    else:
        municipality_ids = None
        if data.get("consortium"):
            consortium_ids = frozenset({data["consortium"]})
        else:
            consortium_ids = frozenset(form.consortium_ids)
    return Filters(
        start=data["start"],
        end=data["end"],
        consortium_ids=consortium_ids,
        municipality_ids=municipality_ids,
    )


def dashboard_filters_for(user, data: QueryDict) -> Filters:
    """The request's dashboard filters, validated and narrowed to what the user may see.

    404 when the user has no role or names an organisation outside their consortia;
    `InvalidFilters` (with the bound form) when the input does not parse.
    """
    form = dashboard_filter_form(user, data)
    if not form.is_valid():
        raise InvalidFilters(form)
    return filters_from(form)


def dashboard_tables(filters: Filters, *, versions: caching.Versions | None = None) -> list[Table]:
    """Every statistic of the dashboard, over filters already narrowed by this module.
    What does not depend on the clock is kept part by part under the version of what
    each part reads (apps.stats.caching), so it is reused only while recomputing would
    give the same figures."""
    parts = caching.kept_parts(
        filters, figures.part_makers(filters=filters), figures.PROCESS_PARTS, versions=versions
    )
    return figures.dashboard_tables(filters=filters, parts=parts)


def dashboard(filters: Filters) -> tuple[list[Table], dict[int, list[tuple[str, str]]]]:
    """The dashboard's tables and key figures, reading the data versions they are kept
    under once for both."""
    versions = caching.Versions(filters)
    return dashboard_tables(filters, versions=versions), key_figures(filters, versions=versions)


def _one(tables: list[Table], slug: str) -> Table:
    for table in tables:
        if table.slug == slug:
            return table
    raise Http404


def dashboard_table(filters: Filters, slug: str) -> Table:
    """One statistic of the dashboard by its slug, or 404."""
    return _one(dashboard_tables(filters), slug)


def key_figures(
    filters: Filters, *, versions: caching.Versions | None = None
) -> dict[int, list[tuple[str, str]]]:
    """The headline figures, as of today, of each consortium in the (narrowed) filters.
    Kept in two halves, as the dashboard's parts are: the ideas' counts under the process
    version, the spread's under the other one, so an idea handed in recomputes only the
    cheap half."""
    consortium_ids = sorted(filters.consortium_ids)
    halves = caching.kept_parts(
        filters,
        {
            "key_figures_process": lambda: {
                pk: figures.process_key_figures(consortium_id=pk) for pk in consortium_ids
            },
            "key_figures_spread": lambda: {
                pk: figures.spread_key_figures(consortium_id=pk) for pk in consortium_ids
            },
        },
        KEY_FIGURES_PROCESS,
        versions=versions,
    )
    return {
        pk: halves["key_figures_process"][pk] + halves["key_figures_spread"][pk]
        for pk in consortium_ids
    }


#: The half of the key figures kept under the process version (see `key_figures`).
KEY_FIGURES_PROCESS = frozenset({"key_figures_process"})


# --- The public page ----------------------------------------------------------------------


def public_consortia() -> list[Organisation]:
    """Consortia whose public statistics anyone may read: every active one."""
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.CONSORTIUM, is_active=True).order_by(
            "name"
        )
    )


def public_filter_form(data: QueryDict) -> StatisticsFilterForm | None:
    """The public page's form (period, and consortium when there are several); None when
    there is no consortium at all. 404 for a consortium that is not public."""
    consortia = public_consortia()
    if not consortia:
        return None
    _wanted_id(data, "consortium", {c.pk for c in consortia})
    return StatisticsFilterForm(_with_default_period(data), consortia=consortia)


def public_filters_from(form: StatisticsFilterForm) -> Filters:
    """One consortium at a time: the chosen one, or the first by name."""
    data = form.cleaned_data
    consortium_id = data.get("consortium") or form.consortium_ids[0]
    return Filters(start=data["start"], end=data["end"], consortium_ids=frozenset({consortium_id}))


def public_filters_for(data: QueryDict) -> Filters:
    """The public page's filters; 404 without a consortium, `InvalidFilters` on bad input."""
    form = public_filter_form(data)
    if form is None:
        raise Http404
    if not form.is_valid():
        raise InvalidFilters(form)
    return public_filters_from(form)


def public_tables(filters: Filters) -> list[Table]:
    """The public statistics: aggregates only (the figures module guarantees it). Kept
    like the dashboard's (see `dashboard_tables`)."""
    parts = caching.kept_parts(
        filters, figures.part_makers(filters=filters, public=True), figures.PROCESS_PARTS
    )
    return figures.public_tables(filters=filters, parts=parts)


def public_table(filters: Filters, slug: str) -> Table:
    return _one(public_tables(filters), slug)
