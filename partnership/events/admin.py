"""The secretariat's side of the matchmaking events.

Events are created and edited here; their times are typed in the event's own time zone.
Registrations and meetings are read-only: a pending registration is confirmed or rejected with
the "confirm" and "reject" actions (in the list, or as buttons on its page; they call the
services and email the organisation), and meetings change only through the participants'
pages.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, ngettext_lazy

from matchmaking.admin_helpers import (
    Decision,
    DecisionActionsMixin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnlyAdmin,
    label_split_datetime,
    recorded_action,
)

from ..forms import DecisionNoteForm
from ..validators import available_time_zones
from . import permissions
from . import services as event_services
from .models import Event, EventRegistration, Meeting

LOCAL_TIMES = ["starts_at", "ends_at", "registration_deadline"]


def _formfield(field, **kwargs):
    if field.name == "online_url":
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class EventAdminForm(forms.ModelForm):
    """Shows and reads the event's times as wall-clock times in the event's time zone.

    Django would read them in the site's time zone; an event in Lisbon typed as 09:00 means
    09:00 in Lisbon.
    """

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin edits every field of an event)
        formfield_callback = _formfield
        widgets = {"time_zone": forms.TextInput(attrs={"list": "time-zones"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in LOCAL_TIMES:
                value = getattr(self.instance, name)
                # A naive value is shown as it is: the wall-clock time in the event's zone.
                self.initial[name] = timezone.make_naive(value, self.instance.zone)
        for name in LOCAL_TIMES:
            self.fields[name].help_text = _("In the event's time zone.")
            if hasattr(self.fields[name].widget, "widgets"):  # the admin's date and time
                label_split_datetime(self.fields[name])

    def clean(self):
        cleaned_data = super().clean()
        zone_name = cleaned_data.get("time_zone")
        if zone_name in available_time_zones():
            zone = Event(time_zone=zone_name).zone
            for name in LOCAL_TIMES:
                value = cleaned_data.get(name)
                if value is not None:
                    # The form read it in the site's zone; keep the wall-clock time, not the moment.
                    cleaned_data[name] = timezone.make_aware(timezone.make_naive(value), zone)
                    setattr(self.instance, name, cleaned_data[name])
        return cleaned_data


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "local_start", "place", "capacity", "registered", "grid_link"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "description"]}),
        (
            _("When and where"),
            {
                "fields": [
                    "time_zone",
                    "starts_at",
                    "ends_at",
                    "place",
                    "online_url",
                ]
            },
        ),
        (
            _("Registrations"),
            {
                "fields": [
                    "registration_deadline",
                    "capacity",
                    "registrations_need_approval",
                ]
            },
        ),
        (_("Meetings"), {"fields": ["slot_minutes", "meeting_cap"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                registered_count=Count(
                    "registrations",
                    filter=Q(registrations__status=EventRegistration.Status.CONFIRMED),
                )
            )
        )

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, event):
        return f"{event.local(event.starts_at):%Y-%m-%d %H:%M} ({event.time_zone})"

    @admin.display(description=_("confirmed organisations"), ordering="registered_count")
    def registered(self, event):
        return event.registered_count

    @admin.display(description=_("meeting grid"))
    def grid_link(self, event):
        return format_html(
            '<a href="{}">{}</a>', reverse("events:grid", args=[event.slug]), _("grid")
        )

    def render_change_form(self, request, context, *args, **kwargs):
        # The time zones the browser offers as the secretariat types (a <datalist>).
        context["time_zones"] = sorted(available_time_zones())
        return super().render_change_form(request, context, *args, **kwargs)


REJECT_REGISTRATIONS = Decision(
    action="reject",
    service=event_services.event_registration_reject,
    target="registration",
    form_class=DecisionNoteForm,
    note_required=True,
    title=_("Reject event registrations"),
    intro=_(
        "These organisations do not take part and their places are freed. Their people receive "
        "an email with your note, which should say why."
    ),
    button=_("Reject"),
    done=ngettext_lazy(
        "%(count)d registration rejected; the organisation is told why.",
        "%(count)d registrations rejected; the organisations are told why.",
        "count",
    ),
    nothing=_("None of the selected registrations is pending."),
)


@admin.register(EventRegistration)
class EventRegistrationAdmin(ObjectActionsMixin, DecisionActionsMixin, ReadOnlyAdmin):
    list_display = ["organisation", "event", "status", "people", "created_at", "decided_at"]
    list_filter = ["status", "event"]
    search_fields = ["organisation__name", "event__title"]
    list_select_related = ["organisation", "event"]
    fields = [
        "event",
        "organisation",
        "status",
        "people",
        "registered_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
        "withdrawn_by",
        "withdrawn_at",
    ]
    readonly_fields = fields
    actions = ["confirm", "reject"]
    object_actions = (
        ObjectAction("confirm", _("Confirm")),
        ObjectAction("reject", _("Reject"), uses_form=True, danger=True),
    )
    object_action_form = DecisionNoteForm
    object_actions_help = _("A rejection needs a note that says why; it is emailed.")

    def has_confirm_permission(self, request):
        return permissions.can_confirm_registrations(request.user)

    def object_action_applies(self, registration, action):
        return registration.is_pending

    @recorded_action(description=_("Reject the selected registrations"), permissions=["confirm"])
    def reject(self, request, queryset):
        pending = queryset.filter(status=EventRegistration.Status.PENDING).select_related(
            "organisation", "event"
        )
        return self.run_decision(request, pending, REJECT_REGISTRATIONS)

    @admin.display(description=_("people attending"))
    def people(self, registration):
        return "; ".join(
            f"{person['name']} ({person['role']})" if person.get("role") else person["name"]
            for person in registration.attendees
        )

    @recorded_action(description=_("Confirm the selected registrations"), permissions=["confirm"])
    def confirm(self, request, queryset):
        confirmed = 0
        pending = queryset.filter(status=EventRegistration.Status.PENDING).select_related(
            "organisation", "event"
        )
        for registration in pending:
            try:
                event_services.event_registration_confirm(
                    registration=registration, acting_user=request.user
                )
            except ValidationError as error:
                self.message_user(
                    request, f"{registration}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                confirmed += 1
        if confirmed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registration confirmed; the organisation is told.",
                    "%(count)d registrations confirmed; the organisations are told.",
                    confirmed,
                )
                % {"count": confirmed},
                messages.SUCCESS,
            )
        elif not pending:
            self.message_user(
                request, _("None of the selected registrations is pending."), messages.WARNING
            )


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["event", "slot_start", "requester", "recipient", "status", "decided_at"]
    list_filter = ["status", "event"]
    search_fields = ["requester__organisation__name", "recipient__organisation__name"]
    list_select_related = ["event", "requester__organisation", "recipient__organisation"]
    fields = [
        "event",
        "slot_start",
        "requester",
        "recipient",
        "status",
        "message",
        "requested_by",
        "created_at",
        "decided_by",
        "decided_at",
        "cancelled_by",
        "cancelled_at",
        "cancellation_reason",
    ]
    readonly_fields = fields
