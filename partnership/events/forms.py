"""Forms of the matchmaking events: registering with the people who attend, asking to meet."""

import datetime

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..forms import _OrganisationChoiceMixin
from .models import EventRegistration, Meeting


class RegistrationForm(_OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=None, label=_("Register on behalf of"), empty_label=None
    )

    def __init__(self, *args, organisations, active_organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._limit_organisations(organisations, active_organisation)


class AttendeeForm(forms.Form):
    """One person who attends: a name and a role, never an email address (others see them)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"), max_length=200, required=False, help_text=_("e.g. Advisor")
    )


class BaseAttendeeFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": ngettext_lazy(
            "Name at least %(num)d person who attends.",
            "Name at least %(num)d people who attend.",
            "num",
        ),
        "too_many_forms": ngettext_lazy(
            "Name at most %(num)d person.", "Name at most %(num)d people.", "num"
        ),
    }

    def attendees(self):
        return [
            {"name": form.cleaned_data["name"], "role": form.cleaned_data.get("role", "")}
            for form in self.forms
            if form.cleaned_data.get("name")
        ]


# Six rows, the first required: the page works without JavaScript. A submission that claims
# more rows is refused without building them (Django would build up to 1,006).
AttendeeFormSet = forms.formset_factory(
    AttendeeForm,
    formset=BaseAttendeeFormSet,
    extra=EventRegistration.MAX_ATTENDEES - 1,
    min_num=1,
    max_num=EventRegistration.MAX_ATTENDEES,
    absolute_max=EventRegistration.MAX_ATTENDEES,
    validate_min=True,
    validate_max=True,
)


def slot_label(event, slot, *, busy=False):
    """E.g. "09:30–10:00", in the event's time zone; "(taken)" when ``busy``."""
    start, end = event.local(slot.start), event.local(slot.end)
    label = f"{formats.time_format(start, 'H:i')}–{formats.time_format(end, 'H:i')}"
    return f"{label} ({_('taken')})" if busy else label


# Moments this far from datetime's limits still take the event's time zone and slot length.
_READABLE = (
    datetime.datetime(2, 1, 1, tzinfo=datetime.UTC),
    datetime.datetime(9998, 12, 31, tzinfo=datetime.UTC),
)


class SlotField(forms.ChoiceField):
    """A slot of the event, offered as a list; any aware moment is read, and the service
    decides whether it is a slot of the event (one place for that rule, with its message)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            moment = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            moment = None
        if moment is None or timezone.is_naive(moment) or not _READABLE[0] < moment < _READABLE[1]:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return moment

    def valid_value(self, value):
        return True


class MeetingRequestForm(forms.Form):
    """A slot of the event and a message. Slots in which either side already has a meeting are
    marked; the service refuses them (and anything that changed since the page was shown)."""

    slot = SlotField(
        label=_("Time slot"),
        error_messages={"invalid_choice": _("Choose one of the event's time slots.")},
    )
    message = forms.CharField(
        label=_("Message"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you would like to talk about; at most 1,000 characters."),
    )

    def __init__(self, *args, event, busy=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        slots = event.slots()
        several_days = len({event.local(slot.start).date() for slot in slots}) > 1
        self.fields["slot"].choices = [
            (
                slot.start.astimezone(datetime.UTC).isoformat(),
                (
                    f"{formats.date_format(event.local(slot.start), 'SHORT_DATE_FORMAT')} "
                    if several_days
                    else ""
                )
                + slot_label(event, slot, busy=slot.start in busy),
            )
            for slot in slots
        ]


class CancellationForm(forms.Form):
    """Why a meeting (or a registration with its meetings) is called off: told to the other
    side, optional."""

    reason = forms.CharField(
        label=_("Reason, told to the other organisation (optional)"),
        max_length=Meeting._meta.get_field("cancellation_reason").max_length,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
