import re
import secrets
import time

from django import forms
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from . import nuts
from .models import Language, Membership, Organisation, User, nuts_code_validator
from .search import sort_key
from .selectors import organisations_sharing_the_name
from .validators import validate_logo

SUBMISSION_TOKEN = "submission_token"
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
# What the first submit created is remembered this long: a resend from the browser's history
# within a day still shows it instead of creating another.
SUBMITTED_SECONDS = 24 * 60 * 60
# A claim whose request died before it finished is given up after this long.
CLAIM_SECONDS = 60
# A second submit waits this long for the first to finish, then asks the person to reload.
WAIT_SECONDS = 10
_PENDING = "pending"
# What the second submit of a form is told, on the page of what the first one saved.
SUBMITTED_TWICE = _("You sent this form twice; it was saved once.")


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


class SubmittedOnceMixin:
    """A create form that a double click (or a resend from the browser's history) submits once.

    The form carries a hidden one-time token, made when the empty form is shown and kept when
    it is shown again with errors. The view creates through ``create_once``, which claims the
    token; a second POST with the same token is shown what the first one created.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[SUBMISSION_TOKEN] = forms.CharField(
            widget=forms.HiddenInput, required=False, max_length=64
        )
        if not self.is_bound:
            self.initial[SUBMISSION_TOKEN] = secrets.token_urlsafe(24)

    def clean(self):
        cleaned_data = super().clean()
        # Out of cleaned_data, which views hand to services as the object's fields. A token
        # that is not one of ours (or none, from an older page) just gives no protection.
        token = cleaned_data.pop(SUBMISSION_TOKEN, "") or ""
        self.submission_token = token if _TOKEN_PATTERN.fullmatch(token) else ""
        return cleaned_data


class SubmitOnceButtonForm(SubmittedOnceMixin, forms.Form):
    """Only the token, for a button that creates in one click (duplicate an offer); the
    template renders ``{{ form.submission_token }}`` inside the button's form."""


def create_once(form: SubmittedOnceMixin, *, user: User, create, earlier):
    """``(object, created)``: ``create()``'s object, or the one an earlier submit of the same
    form (same token, same person) created, loaded from ``earlier`` (a queryset the person may
    see) — then ``created`` is False and nothing new is written.

    The claim is ``cache.add`` (atomic in every cache backend; shared between processes with
    ``CACHE_URL=redis://…``), so two requests at the same moment cannot both create. The second
    waits for the first; if the first fails, its claim is released and the second goes on. A
    ``ValidationError`` (code ``"in_progress"``) when the first is still running after
    ``WAIT_SECONDS``.
    """
    token = getattr(form, "submission_token", "")
    if not token or not user.is_authenticated:
        return create(), True
    key = f"submitted-once:{type(form).__name__}:{user.pk}:{token}"
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(key, _PENDING, CLAIM_SECONDS):
        value = cache.get(key)
        if value not in (None, _PENDING):
            found = earlier.filter(pk=value).first()
            if found is not None:
                return found, False
            cache.delete(key)  # what it created is gone since: this submit creates anew
        elif time.monotonic() > deadline:
            raise ValidationError(
                _(
                    "This form is still being saved from your first click. Wait a moment, "
                    "then reload the page."
                ),
                code="in_progress",
            )
        else:
            time.sleep(0.1)
    try:
        created = create()
    except BaseException:
        cache.delete(key)  # refused or failed: the person corrects the form and sends it again
        raise
    transaction.on_commit(lambda: cache.set(key, created.pk, SUBMITTED_SECONDS))
    return created, True


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


class OrganisationForm(SubmittedOnceMixin, forms.ModelForm):
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
        languages_by_name(self.fields["languages"])
        # A new organisation whose name another one has: the service asks for this tick and
        # says which organisation it is.
        if (
            self.instance.pk is None
            and self.is_bound
            and organisations_sharing_the_name(self.data.get("name", ""))
        ):
            self.fields["confirm_different"] = forms.BooleanField(
                label=_("Yes, this is a different organisation"),
                required=False,
                help_text=_("Another organisation on the site has the same name."),
            )
            self.order_fields(["name", "confirm_different"])

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


class SignupForm(forms.Form):
    """The names allauth's sign-up form asks for (ACCOUNT_SIGNUP_FORM_CLASS), before the
    address and password, and the consent to the privacy notice after them; the account
    adapter's ``save_user`` stores them."""

    # allauth orders the fields by this; the consent comes last, after the password.
    field_order = ["email", "first_name", "last_name", "password1", "password2", "privacy_consent"]

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    privacy_consent = forms.BooleanField(
        error_messages={
            "required": _(
                "Tick the box to say you have read the privacy notice: we cannot create an "
                "account without it."
            )
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A link in the label: the notice is one click away from the box that agrees to it.
        self.fields["privacy_consent"].label = format_html(
            _('I have read the <a href="{url}">privacy notice</a>'),
            url=reverse("matchmaking:privacy"),
        )

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


class AccountDeleteForm(forms.Form):
    """Deleting an account asks for its password: a session left open is not enough."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(
                _("This is not your password; your account is not deleted."),
                code="wrong_password",
            )
        return password


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "preferred_language"]
