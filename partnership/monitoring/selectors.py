"""The partnership's indicators, computed from the records by the database.

Every figure is an aggregate (``COUNT``/``SUM`` with ``GROUP BY``) over the rows the filters
keep: a fixed number of queries, however many rows there are, and no loop over rows in Python.

What is counted where (the definitions, once):

- **Mobilities** are exchanges that are planned or completed, never cancelled; an exchange's
  year is the year it starts. An exchange belongs to the country and NUTS 2 region of its
  **sending** organisation, where its participants come from, and counts as the
  partnership's when the sending organisation is a member (``rsp_member_since`` set).
- **Participants with fewer opportunities** are the exchange's own total
  (``fewer_opportunity_participants``), so a participant who faces two kinds of barrier counts
  once in the share; the counts by category may add up to more.
- **VET learners on a mobility** are the participants of exchanges whose type is learner
  mobility in VET, by the sending region's NUTS 2 code and the start year, against that
  region's baseline for the year (``VetLearnerBaseline``); no baseline, no share.
- **Offers** count from their publication (``published_at``, its year) and belong to the host;
  **applications** to the year they were submitted and the applying organisation. An
  application is **answered** once the host shortlisted, accepted or declined it; the days to
  the first answer are those to the first such step.
- **Unmet demand**: interest profiles with no stored match at or above the alert threshold.
- **Network**: members in good standing and the year they joined; case studies published;
  matchmaking events that have ended, their accepted 1:1 meetings, and the applications that
  followed a meeting (between the two organisations, in either direction, submitted after the
  event began) with the exchanges made from them.
- **Reciprocity**: pairs of NUTS 2 regions with a mobility each way.
"""

import contextlib
import datetime
import functools
from dataclasses import dataclass, fields
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Case,
    CharField,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Length, Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from exchanges.models import (
    Application,
    ApplicationHistory,
    CaseStudy,
    Exchange,
    FewerOpportunityCount,
    Offer,
    OfferProfileMatch,
)
from matchmaking import nuts
from matchmaking.models import (
    ExchangeType,
    FewerOpportunityCategory,
    InterestProfile,
    Organisation,
    Theme,
)
from partnership.events.models import Event, Meeting

from .models import VetLearnerBaseline

TARGET_SHARE = Decimal("0.20")  # both RSP targets: 20 % (DESIGN.md, "RSP targets")
ANSWERS = (
    Application.Status.SHORTLISTED,
    Application.Status.ACCEPTED,
    Application.Status.DECLINED,
)
TAKING_PLACE = [Exchange.Status.PLANNED, Exchange.Status.COMPLETED]


@dataclass(frozen=True)
class Filters:
    """What the figures are narrowed to; None is "all"."""

    year: int | None = None
    country: str | None = None
    region: str | None = None  # a NUTS 2 code
    exchange_type: int | None = None
    sector: str | None = None
    mobility_of: str | None = None
    member: bool | None = None

    @property
    def is_empty(self):
        return all(getattr(self, f.name) is None for f in fields(self))


# The lookups each filter means, per kind of record: used both to filter the queryset and to
# build the admin link to the same rows, so that a figure and its link never disagree.
_ORGANISATION = {"exchange": "sender", "offer": "organisation", "application": "organisation"}
_TYPE = {
    "exchange": "application__offer__exchange_type",
    "offer": "exchange_type",
    "application": "offer__exchange_type",
}
_YEAR = {
    "exchange": "start_date__year",
    "offer": "published_at__year",
    "application": "created_at__year",
}


def lookups(kind: str, filters: Filters) -> dict:
    """The queryset lookups of ``filters`` for exchanges, offers or applications."""
    organisation, exchange_type = _ORGANISATION[kind], _TYPE[kind]
    found = {}
    if kind == "exchange":
        found["status__in"] = TAKING_PLACE
    elif kind == "offer":
        found["published_at__isnull"] = False
    if filters.year is not None:
        found[_YEAR[kind]] = filters.year
    if filters.country:
        found[f"{organisation}__country__exact"] = filters.country
    if filters.region:
        found[f"{organisation}__nuts_code__startswith"] = filters.region
    if filters.member is not None:
        found[f"{organisation}__rsp_member_since__isnull"] = not filters.member
    if filters.exchange_type is not None:
        found[f"{exchange_type}__id__exact"] = filters.exchange_type
    if filters.sector:
        found[f"{exchange_type}__sector__exact"] = filters.sector
    if filters.mobility_of:
        found[f"{exchange_type}__mobility_of__exact"] = filters.mobility_of
    return found


_CHANGELISTS = {
    "exchange": "admin:exchanges_exchange_changelist",
    "offer": "admin:exchanges_offer_changelist",
    "application": "admin:exchanges_application_changelist",
    "organisation": "admin:matchmaking_organisation_changelist",
    "casestudy": "admin:exchanges_casestudy_changelist",
}


@functools.cache
def _changelist(kind):
    return reverse(_CHANGELISTS[kind])


def admin_link(kind: str, lookups_: dict) -> str:
    """The admin list of these rows (the lookups are allowed by each admin's lookup_allowed)."""
    params = {}
    for key, value in lookups_.items():
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        params[key] = value
    return f"{_changelist(kind)}?{urlencode(params)}"


def exchanges(filters: Filters) -> QuerySet[Exchange]:
    return Exchange.objects.filter(**lookups("exchange", filters)).order_by()


def nuts2(field: str):
    """The NUTS 2 code of an organisation's NUTS code ("" for a NUTS 1 code or none)."""
    return Case(
        When(GreaterThanOrEqual(Length(field), 4), then=Substr(field, 1, 4)),
        default=Value(""),
        output_field=CharField(),
    )


def share(part, whole):
    """part / whole as a Decimal fraction, None when the whole is 0 or unknown."""
    if not whole:
        return None
    return Decimal(part or 0) / Decimal(whole)


@dataclass
class Row:
    """One line of a table: what it is, its figures, and the link to the records behind it."""

    key: object
    label: str
    exchanges: int = 0
    participants: int = 0
    fewer: int = 0
    vet_learners: int = 0
    link: str = ""

    @property
    def fewer_share(self):
        return share(self.fewer, self.participants)


# Named apart from the model's fields (an aggregate may not take a field's name).
MOBILITY_FIGURES = {
    "n_exchanges": Count("pk"),
    "n_participants": Coalesce(Sum("participants"), 0),
    "n_fewer": Coalesce(Sum("fewer_opportunity_participants"), 0),
    "n_vet_learners": Coalesce(
        Sum(
            "participants",
            filter=Q(
                application__offer__exchange_type__sector=ExchangeType.Sector.VET,
                application__offer__exchange_type__mobility_of=ExchangeType.MobilityOf.LEARNERS,
            ),
        ),
        0,
    ),
}


def _figures(values):
    return {key.removeprefix("n_"): values[key] for key in MOBILITY_FIGURES}


# The dimensions of one exchange that every mobility figure is grouped by: one GROUP BY over
# all of them gives groups (at most years × regions × types × 2, however many exchanges there
# are) that are then added up per dimension. Sector and staff/learners follow from the type.
DIMENSIONS = ("year", "country", "region", "exchange_type", "member")


def combinations(filters: Filters) -> list[dict]:
    """The mobility figures per combination of the dimensions: one query."""
    return list(
        exchanges(filters)
        .annotate(
            year=ExtractYear("start_date"),
            country=F("sender__country"),
            region=nuts2("sender__nuts_code"),
            exchange_type=F("application__offer__exchange_type"),
            member=ExpressionWrapper(
                Q(sender__rsp_member_since__isnull=False), output_field=BooleanField()
            ),
        )
        .values(*DIMENSIONS)
        .annotate(**MOBILITY_FIGURES)
        .order_by()
    )


def _add_up(groups, key_of):
    """Rows keyed by ``key_of(group)``, summing the groups' figures."""
    sums = {}
    for group in groups:
        key = key_of(group)
        found = sums.get(key)
        if found is None:
            sums[key] = [
                group["n_exchanges"],
                group["n_participants"],
                group["n_fewer"],
                group["n_vet_learners"],
            ]
        else:
            found[0] += group["n_exchanges"]
            found[1] += group["n_participants"]
            found[2] += group["n_fewer"]
            found[3] += group["n_vet_learners"]
    return {
        key: Row(
            key=key,
            label="",
            exchanges=exchanges_,
            participants=participants,
            fewer=fewer,
            vet_learners=vet,
        )
        for key, (exchanges_, participants, fewer, vet) in sums.items()
    }


def _rows(groups, key_of, *, label, link, filters, order=None):
    """One Row per key, labelled and linked to the admin list of its exchanges."""
    base = lookups("exchange", filters)
    rows = list(_add_up(groups, key_of).values())
    for row in rows:
        row.label = label(row.key)
        extra = link(row.key)
        row.link = admin_link("exchange", {**base, **extra}) if extra is not None else ""
    return sorted(rows, key=order or (lambda row: (row.key is None, row.key)))


def _type_names():
    return {t.pk: t for t in ExchangeType.objects.all()}


def mobilities(filters: Filters, groups: list[dict] | None = None) -> dict:
    """Exchanges and participants, of whom with fewer opportunities, in total and by year,
    country, NUTS 2 region, exchange type, sector, staff or learners, membership and
    fewer-opportunity category. Three queries (or two with ``groups`` given)."""
    groups = combinations(filters) if groups is None else groups
    base = lookups("exchange", filters)
    total = _add_up(groups, lambda group: None).get(None) or Row(key=None, label="")
    total.link = admin_link("exchange", base)
    types = _type_names()
    sector_names = dict(ExchangeType.Sector.choices)
    mobility_names = dict(ExchangeType.MobilityOf.choices)
    categories = {c.pk: c for c in FewerOpportunityCategory.objects.all()}
    by_category = [
        Row(
            key=values["category"],
            label=str(categories[values["category"]]),
            fewer=values["count"],
            link=admin_link(
                "exchange",
                {**base, "fewer_opportunity_counts__category__id__exact": values["category"]},
            ),
        )
        for values in FewerOpportunityCount.objects.filter(exchange__in=exchanges(filters))
        .values("category")
        .annotate(count=Sum("count"))
        .order_by("category__position")
    ]
    return {
        "total": total,
        "by_year": _rows(
            groups,
            lambda group: group["year"],
            label=str,
            link=lambda year: {"start_date__year": year},
            filters=filters,
        ),
        "by_country": _rows(
            groups,
            lambda group: group["country"],
            label=lambda code: countries.name(code),
            link=lambda code: {"sender__country__exact": code},
            filters=filters,
        ),
        "by_region": _rows(
            groups,
            lambda group: group["region"],
            label=lambda code: nuts.region_name(code) if code else "",
            link=lambda code: {"sender__nuts_code__startswith": code} if code else None,
            filters=filters,
            order=lambda row: (-row.participants, row.key),
        ),
        "by_type": _rows(
            groups,
            lambda group: group["exchange_type"],
            label=lambda pk: str(types[pk]),
            link=lambda pk: {"application__offer__exchange_type__id__exact": pk},
            filters=filters,
            order=lambda row: (types[row.key].position, str(types[row.key])),
        ),
        "by_sector": _rows(
            groups,
            lambda group: types[group["exchange_type"]].sector,
            label=lambda code: str(sector_names.get(code, "")),
            link=lambda code: {"application__offer__exchange_type__sector__exact": code},
            filters=filters,
        ),
        "by_mobility_of": _rows(
            groups,
            lambda group: types[group["exchange_type"]].mobility_of,
            label=lambda code: str(mobility_names.get(code, "")),
            link=lambda code: {"application__offer__exchange_type__mobility_of__exact": code},
            filters=filters,
        ),
        "by_membership": _rows(
            groups,
            lambda group: group["member"],
            label=lambda member: str(_("Members") if member else _("Not members")),
            link=lambda member: {"sender__rsp_member_since__isnull": not member},
            filters=filters,
            order=lambda row: not row.key,
        ),
        "by_category": by_category,
    }


@dataclass
class VetProgress:
    region: str
    name: str
    year: int
    vet_learners: int
    baseline: int | None
    link: str = ""

    @property
    def share(self):
        return share(self.vet_learners, self.baseline)


def vet_learners(filters: Filters, groups: list[dict] | None = None) -> list[VetProgress]:
    """VET learners on a mobility by NUTS 2 region and year, against the region's baseline;
    a region and year with a baseline but no mobility are listed too. Two queries (one with
    ``groups``, the mobility figures' combinations)."""
    groups = combinations(filters) if groups is None else groups
    counted = {}
    for group in groups:
        if group["region"] and group["n_vet_learners"]:
            key = (group["region"], group["year"])
            counted[key] = counted.get(key, 0) + group["n_vet_learners"]
    baselines = VetLearnerBaseline.objects.all()
    if filters.year is not None:
        baselines = baselines.filter(year=filters.year)
    if filters.region:
        baselines = baselines.filter(region=filters.region)
    if filters.country:
        baselines = baselines.filter(region__startswith=nuts.nuts_country(filters.country))
    known = {(b.region, b.year): b.vet_learners for b in baselines}
    base = lookups("exchange", filters)
    return sorted(
        (
            VetProgress(
                region=region,
                name=nuts.region_name(region),
                year=year,
                vet_learners=counted.get((region, year), 0),
                baseline=known.get((region, year)),
                link=admin_link(
                    "exchange",
                    {
                        **base,
                        "sender__nuts_code__startswith": region,
                        "start_date__year": year,
                        "application__offer__exchange_type__sector__exact": "vet",
                        "application__offer__exchange_type__mobility_of__exact": "learners",
                    },
                ),
            )
            for region, year in counted.keys() | known.keys()
        ),
        key=lambda p: (p.region, p.year),
    )


def latest_vet_progress(progress: list[VetProgress]) -> list[VetProgress]:
    """What each region's progress bar shows: its latest year with a baseline, else its
    latest year (which then says "no baseline")."""
    latest = {}
    for item in progress:  # sorted by region, then year
        kept = latest.get(item.region)
        if kept is None or item.baseline is not None or kept.baseline is None:
            latest[item.region] = item
    return sorted(latest.values(), key=lambda p: (p.share is None, -(p.share or 0), p.region))


def _answers(applications):
    """Per answered application, the time from its submission to the host's first answer."""
    return (
        ApplicationHistory.objects.filter(kind__in=ANSWERS, application__in=applications)
        .values("application", "application__created_at")
        .annotate(
            wait=ExpressionWrapper(
                Min("created_at") - F("application__created_at"), output_field=DurationField()
            )
        )
        .order_by()
    )


class _MedianDuration(Aggregate):
    """PostgreSQL's median (``percentile_cont``) of a duration."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _answer_figures(answers) -> tuple[int, Decimal | None]:
    """How many applications were answered and the median days to the first answer. On
    PostgreSQL one query; elsewhere a count, then the middle one or two waits read sorted."""
    if connection.vendor == "postgresql":
        found = answers.aggregate(answered=Count("application"), median=_MedianDuration("wait"))
        answered, median = found["answered"], found["median"]
    else:
        answered = answers.count()
        waits = answers.order_by("wait").values_list("wait", flat=True)
        values = list(waits[(answered - 1) // 2 : answered // 2 + 1]) if answered else []
        median = sum(values, datetime.timedelta()) / len(values) if values else None
    if median is None:
        return answered, None
    return answered, Decimal(median.total_seconds() / 86400).quantize(Decimal("0.1"))


def opportunities(filters: Filters) -> dict:
    """Offers published, places offered and filled, offers without an application,
    applications, the share answered and the median days to the first answer."""
    offers = Offer.objects.filter(**lookups("offer", filters)).order_by()
    offer_figures = offers.aggregate(
        published=Count("pk"),
        places=Coalesce(Sum("capacity"), 0),
        without_application=Count(
            "pk", filter=~Q(Exists(Application.objects.filter(offer=OuterRef("pk"))))
        ),
    )
    filled = (
        Application.objects.holding_places()
        .filter(offer__in=offers)
        .aggregate(filled=Coalesce(Sum("participants"), 0))["filled"]
    )
    by_year = [
        {
            **values,
            "link": admin_link(
                "offer", {**lookups("offer", filters), "published_at__year": values["year"]}
            ),
        }
        for values in offers.annotate(year=ExtractYear("published_at"))
        .values("year")
        .annotate(published=Count("pk"), places=Coalesce(Sum("capacity"), 0))
        .order_by("year")
    ]
    applications = Application.objects.filter(**lookups("application", filters)).order_by()
    answered, median_days = _answer_figures(_answers(applications))
    application_figures = {"applications": applications.count(), "answered": answered}
    offer_lookups = lookups("offer", filters)
    return {
        **offer_figures,
        "filled": filled,
        "filled_share": share(filled, offer_figures["places"]),
        "by_year": by_year,
        **application_figures,
        "answered_share": share(answered, application_figures["applications"]),
        "median_days": median_days,
        "links": {
            "published": admin_link("offer", offer_lookups),
            "without_application": admin_link(
                "offer", {**offer_lookups, "applications__isnull": True}
            ),
            "applications": admin_link("application", lookups("application", filters)),
        },
    }


def unmet_demand(filters: Filters) -> dict:
    """Interest profiles with no match at or above the alert threshold, by exchange type and
    theme. Three queries."""
    profiles = InterestProfile.objects.order_by()
    if filters.country:
        profiles = profiles.filter(organisation__country=filters.country)
    if filters.region:
        profiles = profiles.filter(organisation__nuts_code__startswith=filters.region)
    if filters.member is not None:
        profiles = profiles.filter(organisation__rsp_member_since__isnull=not filters.member)
    if filters.exchange_type is not None:
        profiles = profiles.filter(exchange_types=filters.exchange_type)
    matched = Exists(
        OfferProfileMatch.objects.filter(
            profile=OuterRef("pk"), score__gte=settings.MATCHING_ALERT_THRESHOLD
        )
    )
    unmet = profiles.filter(~matched)
    figures = profiles.aggregate(profiles=Count("pk", distinct=True))
    figures["unmet"] = unmet.values("pk").distinct().count()

    def grouped(model, related):
        return [
            {"label": str(term), "unmet": term.unmet}
            for term in model.objects.annotate(
                unmet=Count(related, filter=Q(**{f"{related}__in": unmet.values("pk")}))
            )
            .filter(unmet__gt=0)
            .order_by("-unmet", "position", "name")
        ]

    return {
        **figures,
        "by_type": grouped(ExchangeType, "interest_profiles"),
        "by_theme": grouped(Theme, "interest_profiles"),
    }


def network(filters: Filters) -> dict:
    """Members and new members by year, case studies published, events held, their meetings
    and the applications and exchanges that followed them."""
    members = Organisation.objects.filter(
        rsp_member_since__isnull=False, is_suspended=False
    ).order_by()
    if filters.country:
        members = members.filter(country=filters.country)
    if filters.region:
        members = members.filter(nuts_code__startswith=filters.region)
    joined = [
        {
            **values,
            "link": admin_link("organisation", {"rsp_member_since__year": values["year"]}),
        }
        for values in members.annotate(year=ExtractYear("rsp_member_since"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("year")
    ]
    case_studies = CaseStudy.objects.published()
    if filters.country:
        case_studies = case_studies.filter(exchange__sender__country=filters.country)
    if filters.region:
        case_studies = case_studies.filter(exchange__sender__nuts_code__startswith=filters.region)
    if filters.year is not None:
        case_studies = case_studies.filter(published_at__year=filters.year)
    now = timezone.now()
    events = Event.objects.filter(ends_at__lt=now)
    if filters.year is not None:
        events = events.filter(starts_at__year=filters.year)
    met = Meeting.objects.filter(
        status=Meeting.Status.ACCEPTED,
        event__ends_at__lt=now,
        event__starts_at__lte=OuterRef("created_at"),
    )
    followed_meeting = Exists(
        met.filter(
            Q(
                requester__organisation=OuterRef("organisation"),
                recipient__organisation=OuterRef("offer__organisation"),
            )
            | Q(
                requester__organisation=OuterRef("offer__organisation"),
                recipient__organisation=OuterRef("organisation"),
            )
        )
    )
    followed = (
        Application.objects.filter(**lookups("application", filters))
        .filter(followed_meeting)
        .aggregate(
            applications=Count("pk"),
            exchanges=Count(
                "pk",
                filter=Q(exchange__isnull=False) & ~Q(exchange__status=Exchange.Status.CANCELLED),
            ),
        )
    )
    event_figures = events.aggregate(
        events=Count("pk", distinct=True),
        meetings=Count("meetings", filter=Q(meetings__status=Meeting.Status.ACCEPTED)),
    )
    return {
        "members": sum(row["count"] for row in joined),
        "members_link": admin_link("organisation", {"rsp_member_since__isnull": False}),
        "joined": joined,
        "new_members": next((row["count"] for row in joined if row["year"] == filters.year), None),
        "case_studies": case_studies.count(),
        "case_studies_link": admin_link("casestudy", {"status__exact": "published"}),
        **event_figures,
        "followed_applications": followed["applications"],
        "followed_exchanges": followed["exchanges"],
    }


RECIPROCAL_SHOWN = 20


def reciprocal_pairs(filters: Filters) -> list[dict]:
    """Pairs of NUTS 2 regions with a mobility each way (sending region to hosting region and
    back), the busiest first: one query for the flows between regions, which are bounded by
    the regions, not by the rows."""
    queryset = (
        Exchange.objects.filter(
            **{
                key: value
                for key, value in lookups("exchange", filters).items()
                if not key.startswith("sender")
            }
        )
        .order_by()
        .annotate(sending=nuts2("sender__nuts_code"), hosting=nuts2("host__nuts_code"))
        .exclude(sending="")
        .exclude(hosting="")
        .exclude(sending=F("hosting"))
        .values_list("sending", "hosting")
        .annotate(count=Count("pk"))
    )
    flows = {(sending, hosting): count for sending, hosting, count in queryset}
    pairs = []
    for (a, b), there in flows.items():
        back = flows.get((b, a))
        if back and a < b and (not filters.region or filters.region in (a, b)):
            pairs.append(
                {
                    "regions": (a, b),
                    "names": (nuts.region_name(a), nuts.region_name(b)),
                    "there": there,
                    "back": back,
                }
            )
    return sorted(pairs, key=lambda p: -(p["there"] + p["back"]))


GENERATION_KEY = "monitoring:generation"


def cached_indicators(filters: Filters, *, refresh: bool = False) -> dict:
    """``indicators(filters)``, kept in the cache for MONITORING_CACHE_SECONDS (per language,
    since labels are translated): the figures of 100,000 exchanges take a second or more to
    add up, and a dashboard may be a few minutes behind. A recorded baseline starts a new
    generation of cached figures (``forget_cached_indicators``). ``computed_at`` says when.

    ``refresh`` counts them again and keeps them for twice that time: the worker does so for
    the unfiltered figures every MONITORING_CACHE_SECONDS (``partnership.tasks``), so that no
    visitor of the public page or the dashboard waits for the count."""
    seconds = settings.MONITORING_CACHE_SECONDS
    if not seconds:
        return {**indicators(filters), "computed_at": timezone.now()}
    generation = cache.get_or_set(GENERATION_KEY, 0, None)
    key = f"monitoring:{generation}:{get_language()}:{hash(filters)}"
    found = None if refresh else cache.get(key)
    if found is None:
        found = {**indicators(filters), "computed_at": timezone.now()}
        cache.set(key, found, 2 * seconds if refresh else seconds)
    return found


def forget_cached_indicators():
    with contextlib.suppress(ValueError):  # no generation yet: nothing is cached
        cache.incr(GENERATION_KEY)


def vet_table(progress: list[VetProgress]) -> list[VetProgress]:
    """The VET rows a page lists: every year with a baseline, and each region's latest year
    (so a region without any baseline says so once, not once a year)."""
    latest = {id(p) for p in latest_vet_progress(progress)}
    return [p for p in progress if p.baseline is not None or id(p) in latest]


def _reciprocity(pairs):
    return {"reciprocal": pairs[:RECIPROCAL_SHOWN], "reciprocal_count": len(pairs)}


def indicators(filters: Filters) -> dict:
    """Every figure of the dashboard, for the filters."""
    groups = combinations(filters)
    progress = vet_learners(filters, groups)
    return {
        "filters": filters,
        "mobilities": mobilities(filters, groups),
        "vet": vet_table(progress),
        "vet_latest": latest_vet_progress(progress),
        "opportunities": opportunities(filters),
        "unmet": unmet_demand(filters),
        "network": network(filters),
        **_reciprocity(reciprocal_pairs(filters)),
        "target": TARGET_SHARE,
    }


def regions_administered_by(organisations) -> list[str]:
    """The NUTS 2 regions of these organisations (member admins see their own region)."""
    return sorted(
        {
            nuts.nuts2_of(code)
            for code in organisations.values_list("nuts_code", flat=True)
            if nuts.region(nuts.nuts2_of(code))
        }
    )


def filter_regions() -> list[tuple[str, str]]:
    """The NUTS 2 regions of the organisations there are, for the region filter: one query."""
    codes = Organisation.objects.exclude(nuts_code="").values_list("nuts_code", flat=True)
    regions = {nuts.nuts2_of(code) for code in codes.distinct()}
    return sorted(
        (code, f"{code} {nuts.region_name(code)}") for code in regions if nuts.region(code)
    )


def baselines_for(regions: list[str] | None) -> QuerySet[VetLearnerBaseline]:
    """The baselines recorded for these regions (all for None), newest first."""
    queryset = VetLearnerBaseline.objects.select_related("entered_by").order_by("region", "-year")
    return queryset if regions is None else queryset.filter(region__in=regions)
