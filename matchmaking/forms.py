from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from .models import Language, Membership, Organisation, User
from .search import sort_key
from .validators import validate_logo


def apply_validation_error(form, error: ValidationError):
    """Show a service's ValidationError on the form: next to its field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    else:
        form.add_error(None, error)


class ByLabelChoiceIterator(ModelChoiceIterator):
    """A model field's choices in the order of their labels in the active language (the
    vocabularies are stored, and ordered by the database, in English)."""

    def __iter__(self):
        choices = list(super().__iter__())
        head = choices[:1] if self.field.empty_label is not None else []
        yield from head
        yield from sorted(choices[len(head) :], key=lambda choice: sort_key(choice[1]))


def languages_by_name(field):
    """Set a languages field to every language, listed in the reader's language."""
    field.iterator = ByLabelChoiceIterator
    field.queryset = Language.objects.all()


class LogoField(forms.ImageField):
    """The logo's own checks (bytes, pixels, format, from the header) before Pillow decodes it."""

    def to_python(self, data):
        if data not in self.empty_values:
            validate_logo(data)
        return super().to_python(data)


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
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        languages_by_name(self.fields["languages"])

    def clean_nuts_code(self):
        return self.cleaned_data["nuts_code"].strip().upper()


class SignupForm(forms.Form):
    """The names allauth's sign-up form asks for (ACCOUNT_SIGNUP_FORM_CLASS), before the
    address and password; the account adapter's ``save_user`` stores them."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)

    def signup(self, request, user):
        """Nothing more to do: allauth calls this hook after the names are saved."""


class MembershipAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    # Coordinator first and chosen: most people added post offers and apply; an admin also
    # manages the organisation and its people, which few need.
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (
                Membership.Role.COORDINATOR,
                _("Coordinator: posts offers, applies and runs exchanges"),
            ),
            (
                Membership.Role.ADMIN,
                _("Admin: also edits the profile and adds or removes people"),
            ),
        ],
        initial=Membership.Role.COORDINATOR,
        widget=forms.RadioSelect,
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
