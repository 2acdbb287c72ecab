from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.forms import SubmittedOnceMixin, languages_by_name
from matchmaking.models import FieldOfEducation, InterestProfile, Theme
from matchmaking.validators import PARTICIPANTS_MAX

from .models import (
    MESSAGE_MAX_LENGTH,
    Application,
    CallRound,
    Exchange,
    FollowUp,
    FollowUpSide,
    Offer,
    Quote,
)
from .permissions import applicant_organisations_for

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# How far from today a date a person types may lie; beyond it, it is a typo (year 0001 or
# 9999, which calendars and date arithmetic cannot even hold).
DATE_REACH_YEARS = 10


def refuse_far_dates(form, cleaned, names):
    """Add an error next to each changed date of ``names`` that is out of reach of today."""
    today = timezone.localdate()
    earliest = today.replace(year=today.year - DATE_REACH_YEARS, day=1)
    latest = today.replace(year=today.year + DATE_REACH_YEARS, day=1)
    for name in names:
        value = cleaned.get(name)
        if value and name in form.changed_data and not earliest <= value <= latest:
            form.add_error(
                name,
                forms.ValidationError(
                    _("Enter a date between %(earliest)s and %(latest)s."),
                    code="out_of_reach",
                    params={"earliest": earliest.isoformat(), "latest": latest.isoformat()},
                ),
            )


class OfferForm(SubmittedOnceMixin, forms.ModelForm):
    class Meta:
        model = Offer
        fields = [
            "title",
            "exchange_type",
            "target_group",
            "themes",
            "fields_of_education",
            "description",
            "programme",
            "city",
            "region_name",
            "languages",
            "available_from",
            "available_until",
            "fixed_dates",
            "duration_days",
            "capacity",
            "application_deadline",
            "supports_fewer_opportunities",
            "fewer_opportunities_support",
            "practical_information",
            "costs_note",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "fields_of_education": forms.CheckboxSelectMultiple,
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
        self.fields["fields_of_education"].queryset = FieldOfEducation.objects.filter(
            is_active=True
        )
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
        refuse_far_dates(
            self, cleaned, ("available_from", "available_until", "application_deadline")
        )
        # Dates a coordinator types now must lie ahead; old offers keep their past dates.
        for name in ("available_from", "application_deadline"):
            value = cleaned.get(name)
            if value and name in self.changed_data and value < today:
                self.add_error(
                    name, forms.ValidationError(self.error_messages["past"], code="past")
                )
        return cleaned


class ApplicationForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Apply on behalf of"), empty_label=None
    )

    class Meta:
        model = Application
        fields = [
            "organisation",
            "motivation",
            "participants",
            "fewer_opportunity_participants",
            "participant_roles",
            "preferred_start",
            "preferred_end",
            "languages",
        ]
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
        self.fields["organisation"].queryset = applicant_organisations_for(user, offer)
        if active_organisation is not None:
            self.initial.setdefault("organisation", active_organisation.pk)
        languages_by_name(self.fields["languages"])
        self.initial.setdefault("languages", list(offer.languages.values_list("pk", flat=True)))
        self.initial.setdefault("preferred_start", offer.available_from)
        self.initial.setdefault("preferred_end", offer.available_until)
        self.fields["participants"].widget.attrs.update(min=1, max=offer.capacity)
        self.fields["fewer_opportunity_participants"].widget.attrs.update(min=0, max=offer.capacity)

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        self.instance.organisation = organisation
        applied = Application.objects.filter(offer=self.offer, organisation=organisation)
        if applied.exclude(status=Application.Status.WITHDRAWN).exists():
            raise forms.ValidationError(
                self.error_messages["duplicate"] % {"name": organisation.name}, code="duplicate"
            )
        return organisation

    def clean(self):
        cleaned = super().clean()
        refuse_far_dates(self, cleaned, ("preferred_start", "preferred_end"))
        return cleaned


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


class MessageForm(SubmittedOnceMixin, forms.Form):
    """A message to the other side of an application or exchange; a double click sends it once."""

    body = forms.CharField(
        label=_("Your message"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Both organisations' coordinators read it here; the other side also gets it by "
            "email (messages written within an hour come together in one email)."
        ),
        error_messages={"required": _("Write your message before sending it.")},
    )


class InterestProfileForm(SubmittedOnceMixin, forms.ModelForm):
    class Meta:
        model = InterestProfile
        fields = [
            "name",
            "exchange_types",
            "themes",
            "fields_of_education",
            "countries_wanted",
            "languages",
            "available_from",
            "available_until",
            "participants",
            "fewer_opportunity_participants",
            "description",
            "alert",
        ]
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
        languages_by_name(self.fields["languages"])
        self.fields["participants"].widget.attrs.update(min=1, max=PARTICIPANTS_MAX)
        self.fields["fewer_opportunity_participants"].widget.attrs.update(
            min=0, max=PARTICIPANTS_MAX
        )
        if organisation is not None and not self.instance.pk:
            self.initial.setdefault(
                "languages", list(organisation.languages.values_list("pk", flat=True))
            )

    def clean(self):
        cleaned = super().clean()
        refuse_far_dates(self, cleaned, ("available_from", "available_until"))
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


# The exchange after acceptance: its record, cancelling it, each side's follow-up


class ExchangeForm(forms.ModelForm):
    """The confirmed dates, participants, programme and notes of an exchange, and how many
    of the participants face each kind of barrier (one ``count_<slug>`` field per category).
    """

    class Meta:
        model = Exchange
        fields = [
            "start_date",
            "end_date",
            "duration_days",
            "participants",
            "fewer_opportunity_participants",
            "fields_of_education",
            "programme",
            "practical_notes",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "fields_of_education": forms.CheckboxSelectMultiple,
            "programme": forms.Textarea(attrs={"rows": 8}),
            "practical_notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, categories, counts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = list(categories)
        recorded = {count.category_id: count.count for count in counts}
        self.fields["fields_of_education"].queryset = FieldOfEducation.objects.filter(
            is_active=True
        )
        self.fields["participants"].widget.attrs.update(min=1, max=PARTICIPANTS_MAX)
        self.fields["fewer_opportunity_participants"].widget.attrs.update(
            min=0, max=PARTICIPANTS_MAX
        )
        for category in self.categories:
            self.fields[self.count_field_name(category)] = forms.IntegerField(
                label=str(category),
                min_value=0,
                max_value=PARTICIPANTS_MAX,
                required=False,
                initial=recorded.get(category.pk, 0),
            )

    def clean(self):
        cleaned = super().clean()
        refuse_far_dates(self, cleaned, ("start_date", "end_date"))
        return cleaned

    @staticmethod
    def count_field_name(category):
        return "count_" + category.slug.replace("-", "_")

    @property
    def count_fields(self):
        return [self[self.count_field_name(category)] for category in self.categories]

    def exchange_fields(self):
        return {name: self.cleaned_data[name] for name in self._meta.fields}

    def counts(self):
        """Participants per category, 0 for a field left empty."""
        return {
            category: self.cleaned_data.get(self.count_field_name(category)) or 0
            for category in self.categories
        }


class CancelExchangeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the exchange cancelled?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Both organisations see the reason in the exchange's history."),
    )


class FollowUpForm(forms.ModelForm):
    """One side's follow-up; the lessons are the host's or the participants' by side."""

    class Meta:
        model = FollowUp
        fields = ["account", "lessons", "next_steps", "wants_reciprocal_visit"]
        widgets = {
            "account": forms.Textarea(attrs={"rows": 6}),
            "lessons": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }

    LESSONS_LABELS = {
        FollowUpSide.HOST: _("Lessons learnt by the hosting institution"),
        FollowUpSide.SENDING: _("Lessons learnt by the participants"),
    }

    def __init__(self, *args, side, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].label = _("The exchange")
        self.fields["lessons"].label = self.LESSONS_LABELS[side]


class QuoteForm(forms.ModelForm):
    """A participant's words; the model refuses a public quote without consent."""

    class Meta:
        model = Quote
        fields = ["person_name", "role", "organisation_name", "text", "consent", "public"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


# A submission that claims more than 10 quotes is refused without building them (Django would
# build up to 1,010).
QuoteFormSet = forms.formset_factory(
    QuoteForm,
    extra=2,
    max_num=10,
    absolute_max=10,
    validate_max=True,
    can_delete=True,
    can_delete_extra=False,
)


def quotes_of(formset):
    """The quotes a valid formset holds, as the values ``follow_up_submit`` takes."""
    return [
        {name: form.cleaned_data[name] for name in QuoteForm._meta.fields}
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def quote_initial(follow_up):
    """The saved quotes of a follow-up as the formset's initial values."""
    if follow_up is None:
        return []
    return [
        {name: getattr(quote, name) for name in QuoteForm._meta.fields}
        for quote in follow_up.quotes.all()
    ]


# Call rounds


class _MomentInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


class CallRoundForm(SubmittedOnceMixin, forms.ModelForm):
    """A round of one organisation's offers (the secretariat's are made in the admin)."""

    class Meta:
        model = CallRound
        fields = [
            "name",
            "description",
            "offers",
            "application_deadline",
            "allocation_date",
            "reserve_percent",
            "rule",
            "max_choices",
        ]
        widgets = {
            "offers": forms.CheckboxSelectMultiple,
            "application_deadline": _MomentInput(),
            "allocation_date": _MomentInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "rule": _(
                "Stable: each sender gets the best offer it ranked whose host does not prefer "
                "others who wanted it. Best total fit: the allocation with the highest sum of "
                "fit scores."
            ),
        }

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offers"].queryset = organisation.offers.filter(
            status=Offer.Status.PUBLISHED
        ).order_by("title")
        self.fields["offers"].help_text = _("Your published offers.")

    def clean(self):
        cleaned = super().clean()
        deadline = cleaned.get("application_deadline")
        if deadline and not self.instance.pk and deadline < timezone.now():
            self.add_error("application_deadline", _("The deadline has already passed."))
        return cleaned


def _rank_choices(count):
    return [("", _("Not ranked"))] + [(str(rank), str(rank)) for rank in range(1, count + 1)]


class SenderRankingForm(forms.Form):
    """A sender's choices: a rank for each of its undecided applications to the round."""

    def __init__(self, *args, applications, max_choices, initial_ranks, **kwargs):
        super().__init__(*args, **kwargs)
        self.applications = list(applications)
        self.max_choices = max_choices
        for application in self.applications:
            self.fields[f"rank_{application.pk}"] = forms.TypedChoiceField(
                label=application.offer.title,
                choices=_rank_choices(min(max_choices, len(self.applications))),
                coerce=int,
                empty_value=None,
                required=False,
                initial=initial_ranks.get(application.pk),
            )

    def clean(self):
        cleaned = super().clean()
        seen = {}
        for application in self.applications:
            name = f"rank_{application.pk}"
            rank = cleaned.get(name)
            if rank is None:
                continue
            if rank in seen:
                self.add_error(
                    name,
                    _("Rank %(rank)s is already given to “%(title)s”.")
                    % {"rank": rank, "title": seen[rank].offer.title},
                )
            seen[rank] = application
        return cleaned

    def ranked_applications(self):
        """The ranked applications, best first."""
        ranked = [
            (self.cleaned_data[f"rank_{a.pk}"], a)
            for a in self.applications
            if self.cleaned_data.get(f"rank_{a.pk}") is not None
        ]
        return [application for _rank, application in sorted(ranked, key=lambda r: r[0])]

    def rows(self):
        for application in self.applications:
            yield application, self[f"rank_{application.pk}"]


class HostRankingForm(forms.Form):
    """A host's order of its applicants at each of its offers in the round (1 = best) and
    which of them it finds acceptable."""

    def __init__(self, *args, offers, **kwargs):
        """``offers``: ``[(offer, [entry, …] in the current order)]``."""
        super().__init__(*args, **kwargs)
        self.offers = offers
        for _offer, entries in offers:
            for position, entry in enumerate(entries, start=1):
                self.fields[f"rank_{entry.pk}"] = forms.IntegerField(
                    label=_("Position of %(name)s") % {"name": entry.organisation.name},
                    min_value=1,
                    max_value=len(entries),
                    initial=position,
                )
                self.fields[f"acceptable_{entry.pk}"] = forms.BooleanField(
                    label=_("Acceptable"), required=False, initial=entry.acceptable
                )

    def clean(self):
        cleaned = super().clean()
        for _offer, entries in self.offers:
            seen = set()
            for entry in entries:
                name = f"rank_{entry.pk}"
                position = cleaned.get(name)
                if position is None:
                    continue
                if position in seen:
                    self.add_error(
                        name,
                        _("Position %(position)s is given twice; give each applicant its own.")
                        % {"position": position},
                    )
                seen.add(position)
        return cleaned

    def rankings(self):
        """For each offer: ``(offer, [(entry, acceptable), …] best first)``."""
        for offer, entries in self.offers:
            ordered = sorted(entries, key=lambda e: self.cleaned_data[f"rank_{e.pk}"])
            yield offer, [(e, self.cleaned_data[f"acceptable_{e.pk}"]) for e in ordered]

    def groups(self):
        for offer, entries in self.offers:
            yield (
                offer,
                [
                    (entry, self[f"rank_{entry.pk}"], self[f"acceptable_{entry.pk}"])
                    for entry in entries
                ],
            )
