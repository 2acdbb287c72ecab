import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matchmaking.models import ExchangeType, FewerOpportunityCategory, Language, Theme

from .models import CaseStudy, Offer

DATE = forms.DateInput(attrs={"type": "date"})

# The pk breaks ties so that pages never repeat or skip an offer.
SORT_ORDERS = {
    "newest": ("-published_at", "-pk"),
    "deadline": ("application_deadline", "pk"),
    "start": ("available_from", "pk"),
}


class OfferFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Keywords"))
    exchange_type = django_filters.ModelChoiceFilter(
        queryset=ExchangeType.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Exchange type"),
        empty_label=_("Any type"),
    )
    theme = django_filters.ModelChoiceFilter(
        field_name="themes",
        queryset=Theme.objects.filter(is_active=True),
        to_field_name="slug",
        label=_("Theme"),
        empty_label=_("Any theme"),
    )
    country = django_filters.ChoiceFilter(
        field_name="organisation__country",
        choices=[],  # filled in __init__ with the countries that have offers
        label=_("Country"),
        empty_label=_("Any country"),
    )
    language = django_filters.ModelChoiceFilter(
        field_name="languages",
        queryset=Language.objects.all(),
        to_field_name="code",
        label=_("Working language"),
        empty_label=_("Any language"),
    )
    target_group = django_filters.ChoiceFilter(
        choices=Offer.TargetGroup.choices, label=_("Target group"), empty_label=_("Anyone")
    )
    dates_from = django_filters.DateFilter(
        field_name="available_until", lookup_expr="gte", label=_("Available from"), widget=DATE
    )
    dates_until = django_filters.DateFilter(
        field_name="available_from", lookup_expr="lte", label=_("Available until"), widget=DATE
    )
    fewer_opportunities = django_filters.BooleanFilter(
        field_name="supports_fewer_opportunities",
        label=_("Supports participants with fewer opportunities"),
        widget=forms.CheckboxInput,
        method="only_if_ticked",
    )
    rsp_members = django_filters.BooleanFilter(
        label=_("RSP members only"), widget=forms.CheckboxInput, method="members_only"
    )
    open = django_filters.BooleanFilter(
        label=_("Open for applications"), widget=forms.CheckboxInput, method="open_only"
    )
    sort = django_filters.ChoiceFilter(
        choices=[
            ("newest", _("Newest")),
            ("deadline", _("Deadline")),
            ("start", _("Start date")),
        ],
        method="sort_by",
        label=_("Sort by"),
        empty_label=None,
    )

    class Meta:
        model = Offer
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries the catalogue has offers from: a short list, never a dead end.
        codes = (
            Offer.objects.visible_in_catalogue()
            .order_by()
            .values_list("organisation__country", flat=True)
            .distinct()
        )
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in codes), key=lambda choice: choice[1]
        )

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(description__icontains=word))
        return queryset

    def only_if_ticked(self, queryset, name, value):
        return queryset.filter(**{name: True}) if value else queryset

    def members_only(self, queryset, name, value):
        # Membership of the Regional Skills Partnership is Organisation.rsp_member_since.
        if not value:
            return queryset
        return queryset.filter(organisation__rsp_member_since__isnull=False)

    def open_only(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(application_deadline__gte=timezone.localdate())

    def sort_by(self, queryset, name, value):
        return queryset.order_by(*SORT_ORDERS[value])

    @property
    def qs(self):
        # M2M filters (theme, language) join rows; distinct keeps one row per offer.
        return super().qs.distinct()


class CaseStudyFilter(django_filters.FilterSet):
    """The good-practice library's filters; the queryset holds published case studies only."""

    q = django_filters.CharFilter(method="search", label=_("Keywords"))
    exchange_type = django_filters.ModelChoiceFilter(
        field_name="exchange__application__offer__exchange_type",
        queryset=ExchangeType.objects.all(),
        to_field_name="slug",
        label=_("Exchange type"),
        empty_label=_("Any type"),
    )
    theme = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="with_theme",
        label=_("Theme"),
        empty_label=_("Any theme"),
    )
    country = django_filters.ChoiceFilter(
        choices=[],  # filled in __init__ with the countries of the published case studies
        method="in_country",
        label=_("Country of either organisation"),
        empty_label=_("Any country"),
    )
    fewer_opportunities = django_filters.ModelChoiceFilter(
        field_name="exchange__fewer_opportunity_counts__category",
        queryset=FewerOpportunityCategory.objects.all(),
        to_field_name="slug",
        label=_("Has participants with fewer opportunities in the category"),
        empty_label=_("Any or none"),
    )

    class Meta:
        model = CaseStudy
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only countries that have a case study: a short list, never a dead end (one query).
        published = CaseStudy.objects.published().order_by()
        codes = published.values_list("exchange__host__country", flat=True).union(
            published.values_list("exchange__sender__country", flat=True)
        )
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in codes), key=lambda choice: choice[1]
        )

    def search(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(title__icontains=word) | Q(summary__icontains=word))
        return queryset

    def with_theme(self, queryset, name, value):
        # The case study's main theme, or any theme of the offer it grew from.
        return queryset.filter(Q(theme=value) | Q(exchange__application__offer__themes=value))

    def in_country(self, queryset, name, value):
        return queryset.filter(
            Q(exchange__host__country=value) | Q(exchange__sender__country=value)
        )

    @property
    def qs(self):
        # The theme and category filters join rows; distinct keeps one row per case study.
        return super().qs.distinct()
