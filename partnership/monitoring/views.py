"""The partnership in figures (public, aggregates only, small counts suppressed), the
dashboard (the secretariat's, every figure unsuppressed and linked to its records; a member
admin's, for its own region), the VET-learner baseline page and the downloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from exchanges import exports as exchange_exports
from exchanges.models import Application, Exchange, Offer
from matchmaking import exports
from matchmaking.forms import apply_validation_error
from matchmaking.models import Organisation
from partnership import permissions

from . import charts, selectors, services
from .forms import BaselineForm, DashboardFilterForm
from .selectors import Filters
from .suppression import SUPPRESS_UNDER, people, percent

CHART_BARS = 15  # bars in a ranked chart; its table lists every row


def _charts(figures, *, public):
    target = figures["target"]
    total = figures["mobilities"]["total"]
    fewer_share = total.fewer_share
    if public and 0 < total.fewer < SUPPRESS_UNDER:
        fewer_share = None
    suppress = SUPPRESS_UNDER if public else 0
    return {
        "fewer": charts.progress(
            [
                (
                    _("Mobilities for people with fewer opportunities"),
                    fewer_share,
                    percent(fewer_share),
                )
            ],
            target=target,
        ),
        "vet": charts.progress(
            [
                (
                    f"{p.region} {p.name} ({p.year})",
                    p.share,
                    percent(p.share) if p.baseline else _("no baseline"),
                )
                for p in figures["vet_latest"][:CHART_BARS]
            ],
            target=target,
        ),
        "trend": charts.trend(
            [
                (str(row.key), row.participants, people(row.participants, public=public))
                for row in figures["mobilities"]["by_year"]
            ],
            suppress_under=suppress,
        ),
        "regions": charts.ranked(
            [
                (
                    f"{row.key} {row.label}" if row.key else _("No NUTS 2 region"),
                    row.participants,
                    people(row.participants, public=public),
                )
                for row in figures["mobilities"]["by_region"][:CHART_BARS]
            ],
            suppress_under=suppress,
        ),
    }


@require_GET
def figures(request):
    """The partnership in figures: aggregates only, any count under 5 people suppressed."""
    data = selectors.cached_indicators(Filters())
    return render(
        request,
        "partnership/monitoring/figures.html",
        {"figures": data, "charts": _charts(data, public=True), "public": True},
    )


def _dashboard_scope(request):
    """(whole, regions, organisations): what the user's dashboard covers."""
    permissions.require_dashboard_access(request.user)
    if permissions.can_see_whole_dashboard(request.user):
        return True, selectors.filter_regions(), None
    organisations = permissions.monitored_organisations_for(request.user)
    codes = selectors.regions_administered_by(organisations)
    return (
        False,
        [(code, f"{code} {selectors.nuts.region_name(code)}") for code in codes],
        organisations,
    )


def _filter_form(request, whole, regions):
    data = request.GET.copy()
    if not whole and regions and not data.get("region"):
        data["region"] = regions[0][0]
    return DashboardFilterForm(data, regions=regions, region_required=not whole)


@login_required
@require_GET
def dashboard(request):
    whole, regions, _organisations = _dashboard_scope(request)
    form = _filter_form(request, whole, regions)
    if not whole and not regions:
        return render(
            request,
            "partnership/monitoring/dashboard.html",
            {"form": form, "no_region": True, "whole": False},
        )
    filters = form.filters()
    if not whole and filters.region is None:
        filters = Filters(region=regions[0][0])
    data = selectors.cached_indicators(filters)
    return render(
        request,
        "partnership/monitoring/dashboard.html",
        {
            "form": form,
            "figures": data,
            "charts": _charts(data, public=False),
            "whole": whole,
            "query": request.GET.urlencode(),
            "public": False,
            "export_kinds": [
                ("exchanges", _("Exchanges")),
                ("offers", _("Offers")),
                ("applications", _("Applications")),
                ("organisations", _("Organisations")),
            ],
        },
    )


EXPORTS = {
    "exchanges": (Exchange, exchange_exports.exchange_columns),
    "offers": (Offer, exchange_exports.offer_columns),
    "applications": (Application, exchange_exports.application_columns),
    "organisations": (Organisation, exports.organisation_columns),
}


def _export_queryset(kind, filters, organisations):
    if kind == "organisations":
        queryset = Organisation.objects.all()
        if filters.country:
            queryset = queryset.filter(country=filters.country)
        if filters.region:
            queryset = queryset.filter(nuts_code__startswith=filters.region)
        if filters.member is not None:
            queryset = queryset.filter(rsp_member_since__isnull=not filters.member)
        if organisations is not None:
            queryset = queryset.filter(pk__in=organisations.values("pk"))
        return queryset.order_by("name", "pk")
    model = {
        "exchanges": Exchange,
        "offers": Offer,
        "applications": Application,
        "beneficiary": Exchange,
    }[kind]
    record = {"exchanges": "exchange", "beneficiary": "exchange"}.get(kind, kind[:-1])
    queryset = model.objects.filter(**selectors.lookups(record, filters))
    if organisations is not None:
        # A member admin downloads its own organisations' records only.
        own = organisations.values("pk")
        if record == "exchange":
            queryset = queryset.filter(Q(host__in=own) | Q(sender__in=own))
        elif record == "offer":
            queryset = queryset.filter(organisation__in=own)
        else:
            queryset = queryset.filter(Q(organisation__in=own) | Q(offer__organisation__in=own))
    return queryset.order_by("pk")


@login_required
@require_GET
def export(request, kind, fmt):
    """The dashboard's records as CSV or XLSX, with its filters; the Beneficiary-Module CSV."""
    if kind not in EXPORTS and kind != "beneficiary" or fmt not in ("csv", "xlsx"):
        raise Http404
    whole, regions, organisations = _dashboard_scope(request)
    filters = _filter_form(
        request, True, selectors.filter_regions() if whole else regions
    ).filters()
    queryset = _export_queryset(kind, filters, None if whole else organisations)
    if kind == "beneficiary":
        queryset, columns = exchange_exports.beneficiary_table(queryset)
        return exports.respond(fmt, "beneficiary-module", queryset, columns, title="mobilities")
    return exports.respond(fmt, kind, queryset, EXPORTS[kind][1](), title=kind)


@login_required
@require_http_methods(["GET", "POST"])
def baseline(request):
    """A member admin records its region's number of VET learners for a year (the
    secretariat too, for any region; it also has the admin)."""
    whole, regions, _organisations = _dashboard_scope(request)
    if whole:
        regions = [
            (code, f"{code} {region.name}")
            for code, region in selectors.nuts.regions().items()
            if region.level == 2
        ]
    if not regions:
        raise Http404("Your organisation has no NUTS 2 region.")
    form = BaselineForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.baseline_record(
                region=data["region"],
                year=data["year"],
                vet_learners=data["vet_learners"],
                source=data["source"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The number of VET learners is recorded."))
            return redirect("partnership:dashboard")
    recorded = selectors.baselines_for([code for code, _label in regions] if not whole else None)
    return render(
        request,
        "partnership/monitoring/baseline_form.html",
        {"form": form, "recorded": recorded},
    )
