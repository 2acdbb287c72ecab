"""The organisation directory's filters (``/organisations/``), built like the catalogue's."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import search
from .models import Organisation
from .selectors import directory_organisations


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Name or city"))
    country = django_filters.ChoiceFilter(
        choices=[],  # filled in __init__ with the countries the directory has organisations in
        label=_("Country"),
        empty_label=_("Any country"),
    )
    region = django_filters.CharFilter(
        method="in_region", label=_("Region"), help_text=_("Its name or NUTS code, e.g. SE232.")
    )
    kind = django_filters.ChoiceFilter(
        choices=Organisation.Kind.choices, label=_("Type"), empty_label=_("Any type")
    )
    rsp_members = django_filters.BooleanFilter(
        label=_("RSP members only"), widget=forms.CheckboxInput, method="members_only"
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the countries that have organisations listed: never a choice that shows nothing.
        codes = directory_organisations().order_by().values_list("country", flat=True).distinct()
        self.filters["country"].extra["choices"] = sorted(
            ((code, countries.name(code)) for code in codes),
            key=lambda choice: search.sort_key(choice[1]),
        )

    def search(self, queryset, name, value):
        return search.name_matches(queryset, value, fields=("name", "city"))

    def in_region(self, queryset, name, value):
        return search.name_matches(queryset, value, fields=("region_name", "nuts_code"))

    def members_only(self, queryset, name, value):
        # Membership of the Regional Skills Partnership is Organisation.rsp_member_since.
        return queryset.filter(rsp_member_since__isnull=False) if value else queryset
