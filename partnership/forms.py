from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from matchmaking.forms import SubmittedOnceMixin
from matchmaking.models import Language

from .models import Commitment, MembershipApplication, Promoter
from .validators import validate_photo


class _OrganisationChoiceMixin:
    """An ``organisation`` field limited to the organisations the view allows, the active first."""

    def _limit_organisations(self, organisations, active_organisation):
        self.fields["organisation"].queryset = organisations
        if (
            active_organisation is not None
            and organisations.filter(pk=active_organisation.pk).exists()
        ):
            self.initial.setdefault("organisation", active_organisation.pk)


class JoinForm(SubmittedOnceMixin, _OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Apply on behalf of"), empty_label=None
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_role = forms.CharField(
        label=_("Their role"), max_length=200, help_text=_("e.g. International coordinator")
    )
    contact_email = forms.EmailField(label=_("Their email address"))
    motivation = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What your organisation brings and what it hopes for; at most 3,000 characters."
        ),
    )
    commitments = forms.MultipleChoiceField(
        label=_("As a member we commit to"),
        choices=Commitment.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick every commitment: a member agrees to all of them.")},
    )
    logo_consent = forms.BooleanField(
        label=_("The partnership may show our logo in its communication"),
        required=False,
        help_text=_(
            "On the members page and in the partnership's presentations and publications. "
            "The logo is the one in your organisation's profile."
        ),
    )

    def __init__(self, *args, organisations, user, active_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations, active_organisation)
        self.initial.setdefault("contact_name", user.get_full_name())
        self.initial.setdefault("contact_email", user.email)

    def clean_commitments(self):
        commitments = self.cleaned_data["commitments"]
        if set(commitments) != set(Commitment.values):
            raise forms.ValidationError(
                _("Tick every commitment: a member agrees to all of them."), code="commitments"
            )
        return commitments


class LeaveForm(_OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Organisation that leaves"), empty_label=None
    )
    confirm = forms.BooleanField(
        label=_("Yes, we leave the partnership"),
        error_messages={"required": _("Tick the box to confirm that you leave.")},
    )

    def __init__(self, *args, organisations, active_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations, active_organisation)


class NominationForm(SubmittedOnceMixin, _OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Nominated by"), empty_label=None)
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"), max_length=200, help_text=_("e.g. Advisor, international coordinator")
    )
    languages = forms.ModelMultipleChoiceField(
        queryset=Language.objects.none(),
        label=_("Languages they speak"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    bio = forms.CharField(
        label=_("Short bio"),
        max_length=Promoter._meta.get_field("bio").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What they do and how they promote mobility; at most 1,000 characters."),
    )
    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        validators=[validate_photo],
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=_("Optional. PNG or JPEG, at most 2 MB."),
    )
    photo_consent = forms.BooleanField(
        label=_("The person agrees that their photo is shown on the public promoters page"),
        required=False,
    )
    contact_email = forms.EmailField(
        label=_("Their email address"),
        help_text=_("Never shown: visitors write to them through a form and they reply."),
    )

    def __init__(self, *args, organisations, active_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations, active_organisation)
        self.fields["languages"].queryset = Language.objects.all()

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("photo") and not cleaned_data.get("photo_consent"):
            self.add_error("photo", _("Add a photo only when the person agrees that it is shown."))
        return cleaned_data


class PromoterContactForm(forms.Form):
    sender_name = forms.CharField(label=_("Your name"), max_length=200)
    sender_email = forms.EmailField(
        label=_("Your email address"), help_text=_("The promoter answers you at this address.")
    )
    message = forms.CharField(
        label=_("Your message"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def clean_sender_name(self):
        # It goes into the Reply-To header: one line, no control characters.
        name = " ".join(self.cleaned_data["sender_name"].split())
        if not name or any(ord(character) < 32 for character in name):
            raise forms.ValidationError(_("Enter your name on one line."), code="name")
        return name


class MemberFilterForm(forms.Form):
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("Any country"))] + sorted(
            ((code, countries.name(code)) for code in codes), key=lambda choice: choice[1]
        )


class DecisionNoteForm(forms.Form):
    """The admin's intermediate page: a note told to the organisation."""

    note = forms.CharField(
        label=_("Note, told to the organisation's admins"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MembershipApplication._meta.get_field("decision_note").max_length,
        required=False,
    )

    def __init__(self, *args, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required


class EndMembershipForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to the organisation's admins"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
