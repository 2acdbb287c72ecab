import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matchmaking import caching
from matchmaking.models import ExchangeType, FewerOpportunityCategory, Language, Theme

from . import catalogue
from .models import CaseStudy, Offer

DATE = forms.DateInput(attrs={"type": "date"})

# The pk breaks ties so that pages never repeat or skip an offer. "relevance" is the search's
# own order (exchanges.catalogue.search); without keywords it is the newest first.
SORT_ORDERS = {
    "newest": ("-published_at", "-pk"),
    "deadline": ("application_deadline", "pk"),
    "start": ("available_from", "pk"),
}

# The filters whose values show how many offers they would leave (facets): a value's count
# is taken with every other filter applied, so that choosing it leaves that many offers.
CHOICE_FACETS = {
    "exchange_type": "exchange_type",
    "theme": "themes",
    "country": "organisation__country",
    "language": "languages",
    "target_group": "target_group",
}
TICK_FACETS = ("fewer_opportunities", "rsp_members", "open")

# What the page says when a link's filter value is no longer one of the choices (a retired
# theme, a country without offers any more): the filter is left out, and the page says so.
GONE = {
    "exchange_type": _(
        "The exchange type you chose no longer exists; showing offers of every type."
    ),
    "theme": _("The theme you chose no longer exists; showing offers of every theme."),
    "country": _(
        "No offer comes from the country you chose any more; showing offers from every country."
    ),
    "language": _(
        "The working language you chose no longer exists; showing offers in every language."
    ),
    "target_group": _("The target group you chose does not exist; showing offers for anyone."),
    "sort": _("The order you chose does not exist; showing the newest offers first."),
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
        queryset=Theme.objects.filter(is_active=True),
        to_field_name="slug",
        method="with_theme",
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
        queryset=Language.objects.all(),
        to_field_name="code",
        method="in_language",
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
            ("relevance", _("Best match")),
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
        self.filters["country"].extra["choices"] = catalogue.catalogue_countries()
        if not (self.data or {}).get("q"):
            # Without keywords the best match is the newest: the form offers "Newest" first.
            choices = self.filters["sort"].extra["choices"]
            self.filters["sort"].extra["choices"] = [*choices[1:], choices[0]]

    def search(self, queryset, name, value):
        return catalogue.search(queryset, value)

    # One value each: a semi-join, so that an offer is never listed twice.
    def with_theme(self, queryset, name, value):
        through = Offer.themes.through.objects.filter(offer=OuterRef("pk"), theme=value)
        return queryset.filter(Exists(through))

    def in_language(self, queryset, name, value):
        through = Offer.languages.through.objects.filter(offer=OuterRef("pk"), language=value)
        return queryset.filter(Exists(through))

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
        if value == "relevance":
            return queryset  # the search's rank, or the newest first without keywords
        return queryset.order_by(*SORT_ORDERS[value])

    # What the page shows beside the offers

    def gone_messages(self) -> list[str]:
        """One sentence per filter of the link that was left out, and why."""
        if not self.is_bound or self.is_valid():
            return []
        messages = []
        for name, errors in self.form.errors.items():
            codes = {error.code for error in errors.as_data()}
            if name in GONE and "invalid_choice" in codes:
                messages.append(str(GONE[name]))
            else:
                field = self.form.fields.get(name)
                label = field.label if field is not None else name
                messages.append(
                    _("“%(filter)s” was left out: %(error)s")
                    % {"filter": label, "error": " ".join(errors)}
                )
        return messages

    def _applied(self, *, leaving_out=()):
        """The offers with every valid filter applied except ``leaving_out`` (and the order)."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name not in leaving_out and name != "sort":
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def _cache_key(self) -> str:
        values = {
            name: getattr(value, "pk", value)
            for name, value in self.form.cleaned_data.items()
            if name != "sort" and value not in (None, "", False)
        }
        return repr(sorted(values.items(), key=lambda item: item[0]))

    def counts(self) -> dict:
        """The (capped) number of offers and each filter value's count, kept in the cache."""
        self.is_valid()  # cleaned_data holds the valid filters only

        def count():
            return {
                "total": catalogue.capped_count(self._applied()),
                "choices": {
                    name: catalogue.grouped_counts(self._applied(leaving_out={name}), field)
                    for name, field in CHOICE_FACETS.items()
                },
                "ticks": {
                    name: catalogue.capped_count(
                        self.filters[name].filter(self._applied(leaving_out={name}), True)
                    )
                    for name in TICK_FACETS
                },
            }

        return caching.cached(caching.CATALOGUE, f"offer-counts:{self._cache_key()}", count)

    def show_counts(self, counts: dict) -> None:
        """Put each value's count beside it in the form: "Job shadowing (1,234)"."""
        form = self.form
        for name, found in counts["choices"].items():
            field = form.fields[name]
            if hasattr(field, "queryset"):
                field.label_from_instance = lambda obj, found=found: _counted(
                    obj, found.get(obj.pk)
                )
            else:
                field.choices = [
                    (value, _counted(label, found.get(value)) if value else label)
                    for value, label in field.choices
                ]
        for name, found in counts["ticks"].items():
            # The bound field copied the label when the form was validated.
            form[name].label = _counted(form.fields[name].label, found)


def _counted(label, count) -> str:
    return f"{label} ({catalogue.count_shown(count or 0)})"


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
