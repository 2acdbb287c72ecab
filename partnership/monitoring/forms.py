from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matchmaking.models import ExchangeType

from .selectors import Filters

FIRST_YEAR = 2020


def _years():
    return [(year, str(year)) for year in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). ``regions`` are the NUTS 2 regions offered; a member
    admin gets only its own, and one of them is always applied."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.ChoiceField(label=_("NUTS 2 region"), required=False)
    exchange_type = forms.ModelChoiceField(
        label=_("Exchange type"), queryset=ExchangeType.objects.all(), required=False
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    mobility_of = forms.ChoiceField(label=_("Staff or learners"), required=False)
    member = forms.ChoiceField(
        label=_("Sending organisation"),
        required=False,
        choices=[("", _("All")), ("yes", _("Members of the partnership")), ("no", _("Others"))],
    )

    def __init__(self, *args, regions, region_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["year"].choices = everything + _years()
        self.fields["country"].choices = everything + list(countries)
        self.fields["region"].choices = ([] if region_required else everything) + list(regions)
        self.fields["region"].required = region_required
        self.fields["exchange_type"].empty_label = _("All")
        self.fields["sector"].choices = everything + list(ExchangeType.Sector.choices)
        self.fields["mobility_of"].choices = everything + list(ExchangeType.MobilityOf.choices)

    def filters(self) -> Filters:
        """The filters of a valid form; none for an invalid one (its errors are shown)."""
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        member = {"yes": True, "no": False}.get(data["member"])
        return Filters(
            year=data["year"],
            country=data["country"] or None,
            region=data["region"] or None,
            exchange_type=data["exchange_type"].pk if data["exchange_type"] else None,
            sector=data["sector"] or None,
            mobility_of=data["mobility_of"] or None,
            member=member,
        )


class BaselineForm(forms.Form):
    """A region's number of VET learners in a year; a member admin picks among its regions.
    A plain form: recording a year again replaces its number (the service updates the row)."""

    region = forms.ChoiceField(label=_("NUTS 2 region"))
    year = forms.IntegerField(label=_("Year"), min_value=FIRST_YEAR, max_value=2100)
    vet_learners = forms.IntegerField(
        label=_("VET learners"),
        min_value=1,
        max_value=10**8,
        help_text=_("Learners in initial vocational education and training in the region."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("Where the number comes from."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = list(regions)
        self.fields["year"].initial = timezone.localdate().year - 1
