from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import nuts
from .models import Language, Membership, Organisation, User, nuts_code_validator
from .validators import validate_logo


def apply_validation_error(form, error: ValidationError):
    """Show a service's ValidationError on the form: next to its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


class LogoField(forms.ImageField):
    """The logo's own checks (bytes, pixels, format, from the header) before Pillow decodes it."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_logo(data)
        return super().to_python(data)


class NutsCodeInput(forms.TextInput):
    """A text input with the NUTS 2024 regions as suggestions (``<datalist>``, searchable by
    code or name in every browser without JavaScript); ``static/js/nuts-regions.js`` narrows
    them to the country chosen in the form."""

    DATALIST_ID = "nuts-regions"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "list": self.DATALIST_ID,
                "autocomplete": "off",
                "data-nuts-regions": "",
                **(attrs or {}),
            }
        )

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join(
            "",
            '<option value="{}" data-country="{}">{}</option>',
            ((r.code, r.country, r.name) for r in nuts.regions().values()),
        )
        return format_html(
            '{}<datalist id="{}">{}</datalist>',
            super().render(name, value, attrs, renderer),
            self.DATALIST_ID,
            options,
        )


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        field_classes = {"logo": LogoField}
        fields = [
            "name",
            "kind",
            "country",
            "region_name",
            "nuts_code",
            "city",
            "website",
            "contact_email",
            "languages",
            "description",
            "logo",
        ]
        widgets = {
            "languages": forms.SelectMultiple(attrs={"size": 8}),
            "description": forms.Textarea(attrs={"rows": 5}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
            "nuts_code": NutsCodeInput,
        }
        error_messages = {
            "nuts_code": {
                "not_nuts_2024": _(
                    "%(code)s is not a NUTS 2024 region of %(country)s; choose one from the list."
                ),
                "no_regions": _("%(country)s has no NUTS 2024 regions: leave the code empty."),
            }
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].queryset = Language.objects.all()

    def clean_nuts_code(self):
        return self.cleaned_data["nuts_code"].strip().upper()

    def clean(self):
        cleaned = super().clean()
        code, country = cleaned.get("nuts_code"), cleaned.get("country")
        # A malformed code gets the model's own message (nuts_code_validator).
        if code and country and nuts_code_validator.regex.match(code):
            country = str(country)
            region = nuts.region(code)
            if region is None or region.country != country:
                messages = self._meta.error_messages["nuts_code"]
                kind = "not_nuts_2024" if nuts.regions_of_country(country) else "no_regions"
                self.add_error(
                    "nuts_code",
                    ValidationError(
                        messages[kind],
                        code=kind,
                        params={"code": code, "country": countries.name(country)},
                    ),
                )
        return cleaned


class MembershipAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.COORDINATOR
    )


class OrganisationSwitchForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Act for"), empty_label=None)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
