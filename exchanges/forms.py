from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import InterestProfile, Language, Theme
from matchmaking.permissions import organisations_for

from .models import Application, Offer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OfferForm(forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "title", "exchange_type", "target_group", "themes", "description", "programme",
            "city", "region_name", "languages", "available_from", "available_until",
            "fixed_dates", "duration_days", "capacity", "application_deadline",
            "supports_fewer_opportunities", "fewer_opportunities_support",
            "practical_information", "costs_note",
        ]  # fmt: skip
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "available_from": DATE,
            "available_until": DATE,
            "application_deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 6}),
            "programme": forms.Textarea(attrs={"rows": 5}),
            "fewer_opportunities_support": forms.Textarea(attrs={"rows": 3}),
            "practical_information": forms.Textarea(attrs={"rows": 3}),
            "costs_note": forms.Textarea(attrs={"rows": 3}),
        }

    error_messages = {
        "past": _("This date is in the past."),
    }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].queryset = Theme.objects.filter(is_active=True)
        self.fields["exchange_type"].queryset = self.fields["exchange_type"].queryset.filter(
            is_active=True
        )
        if organisation is not None and not self.instance.pk:
            self.initial.setdefault("city", organisation.city)
            self.initial.setdefault("region_name", organisation.region_name)
            self.initial.setdefault(
                "languages", list(organisation.languages.values_list("pk", flat=True))
            )

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        # Dates a coordinator types now must lie ahead; old offers keep their past dates.
        for name in ("available_from", "application_deadline"):
            value = cleaned.get(name)
            if value and name in self.changed_data and value < today:
                self.add_error(name, forms.ValidationError(self.error_messages["past"], code="past"))
        return cleaned


class ApplicationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Apply on behalf of"), empty_label=None
    )

    class Meta:
        model = Application
        fields = [
            "organisation", "motivation", "participants", "fewer_opportunity_participants",
            "participant_roles", "preferred_start", "preferred_end", "languages",
        ]  # fmt: skip
        widgets = {
            "preferred_start": DATE,
            "preferred_end": DATE,
            "motivation": forms.Textarea(attrs={"rows": 6}),
            "participant_roles": forms.Textarea(attrs={"rows": 3}),
            "languages": forms.SelectMultiple(attrs={"size": 6}),
        }

    error_messages = {
        "duplicate": _("%(name)s has already applied to this offer."),
    }

    def __init__(self, *args, offer, user, active_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.offer = offer
        self.instance.offer = offer
        self.fields["organisation"].queryset = organisations_for(user).exclude(
            pk=offer.organisation_id
        ).filter(is_suspended=False)
        if active_organisation is not None:
            self.initial.setdefault("organisation", active_organisation.pk)
        self.fields["languages"].queryset = Language.objects.all()
        self.initial.setdefault(
            "languages", list(offer.languages.values_list("pk", flat=True))
        )
        self.initial.setdefault("preferred_start", offer.available_from)
        self.initial.setdefault("preferred_end", offer.available_until)
        self.fields["participants"].widget.attrs.update(min=1, max=offer.capacity)
        self.fields["fewer_opportunity_participants"].widget.attrs.update(min=0)

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        self.instance.organisation = organisation
        if Application.objects.filter(offer=self.offer, organisation=organisation).exists():
            raise forms.ValidationError(
                self.error_messages["duplicate"] % {"name": organisation.name}, code="duplicate"
            )
        return organisation


class DecisionForm(forms.Form):
    DECISIONS = [
        ("shortlist", _("Shortlist")),
        ("accept", _("Accept")),
        ("decline", _("Decline")),
    ]
    decision = forms.ChoiceField(choices=DECISIONS, label=_("Decision"))
    message = forms.CharField(
        label=_("Message to the applicant"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class WithdrawForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the host (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class InterestProfileForm(forms.ModelForm):
    class Meta:
        model = InterestProfile
        fields = [
            "name", "exchange_types", "themes", "fields_of_education", "countries_wanted",
            "languages", "available_from", "available_until", "participants",
            "fewer_opportunity_participants", "description", "alert",
        ]  # fmt: skip
        widgets = {
            "exchange_types": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "fields_of_education": forms.CheckboxSelectMultiple,
            "countries_wanted": forms.SelectMultiple(attrs={"size": 8}),
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "available_from": DATE,
            "available_until": DATE,
            "description": forms.Textarea(attrs={"rows": 4}),
            "alert": forms.RadioSelect,
        }
        help_texts = {
            "available_from": _("Optional: the period in which you could travel."),
            "languages": _("The languages your participants can work in."),
        }

    error_messages = {
        "past": _("This date is in the past."),
    }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("exchange_types", "themes", "fields_of_education"):
            field = self.fields[name]
            field.queryset = field.queryset.filter(is_active=True)
        self.fields["languages"].queryset = Language.objects.all()
        self.fields["participants"].widget.attrs.update(min=1)
        self.fields["fewer_opportunity_participants"].widget.attrs.update(min=0)
        if organisation is not None and not self.instance.pk:
            self.initial.setdefault(
                "languages", list(organisation.languages.values_list("pk", flat=True))
            )

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("available_until")
        # A window that is over fits no offer; a saved profile may keep its past one.
        if until and "available_until" in self.changed_data and until < timezone.localdate():
            self.add_error(
                "available_until", forms.ValidationError(self.error_messages["past"], code="past")
            )
        return cleaned


class AlertForm(forms.Form):
    alert = forms.ChoiceField(
        label=_("Email alerts"), choices=InterestProfile.Alert.choices, widget=forms.Select
    )


class InviteForm(forms.Form):
    """Which organisation a host invites to apply: one of those whose profiles match."""

    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
