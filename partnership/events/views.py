"""Matchmaking events: the list, an event, registering, meetings, schedules and the grid."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import apply_validation_error
from matchmaking.models import Organisation
from matchmaking.permissions import active_organisation, organisations_for

from . import permissions, selectors, services
from .exports import schedule_calendar, write_grid
from .forms import AttendeeFormSet, CancellationForm, MeetingRequestForm, RegistrationForm
from .models import Event


def _event(slug):
    return get_object_or_404(selectors.events_listed(), slug=slug)


def _acting_url(name, registration):
    """An event page for the organisation of ``registration`` (users may act for several)."""
    url = reverse(name, kwargs={"slug": registration.event.slug})
    return f"{url}?{permissions.ACTING_ORGANISATION_PARAMETER}={registration.organisation.slug}"


@require_GET
def event_list(request):
    upcoming, past = selectors.upcoming_and_past()
    return render(request, "partnership/events/list.html", {"upcoming": upcoming, "past": past})


@require_GET
def event_detail(request, slug):
    """The event, who takes part, and where the user's organisations stand."""
    event = _event(slug)
    own = list(permissions.registrations_for(request.user, event).order_by("organisation__name"))
    return render(
        request,
        "partnership/events/detail.html",
        {
            "event": event,
            "participants": selectors.participants(event),
            "own_registrations": own,
            "can_register": event.registration_is_open()
            and event.places_taken < event.capacity
            and permissions.unregistered_organisations_for(request.user, event).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_register(request, slug):
    """One of an organisation's people registers it with the people who attend."""
    event = _event(slug)
    organisations = permissions.unregistered_organisations_for(request.user, event)
    if not organisations_for(request.user).exists():
        messages.info(request, _("Create your organisation first: organisations register."))
        return redirect("matchmaking:organisation_create")
    if not organisations.exists():
        messages.info(request, _("Your organisations are all registered for this event."))
        return redirect(event)
    if request.method == "GET" and not event.registration_is_open():
        messages.info(request, _("Registrations for this event are closed."))
        return redirect(event)
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(
        data, organisations=organisations, active_organisation=active_organisation(request)
    )
    attendees = AttendeeFormSet(data, prefix="attendees")
    if request.method == "POST" and form.is_valid() and attendees.is_valid():
        try:
            registration = services.event_register(
                event=event,
                organisation=form.cleaned_data["organisation"],
                acting_user=request.user,
                attendees=attendees.attendees(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if registration.is_confirmed:
                messages.success(
                    request,
                    _("%(name)s is registered. Here are the organisations to meet.")
                    % {"name": registration.organisation.name},
                )
                return redirect(_acting_url("events:meetings", registration))
            messages.success(
                request,
                _("%(name)s is registered; the secretariat will confirm it by email.")
                % {"name": registration.organisation.name},
            )
            return redirect(event)
    invalid = bool(form.errors or attendees.errors or attendees.non_form_errors())
    return render(
        request,
        "partnership/events/register.html",
        {"event": event, "form": form, "attendees": attendees},
        status=400 if invalid else 200,
    )


@login_required
@require_GET
def event_meetings(request, slug):
    """For a participant: the organisations to meet, ranked, and the requests both ways."""
    event = _event(slug)
    registration = permissions.registration_for_user(request, event)
    confirmed = registration.is_confirmed and not registration.organisation.is_suspended
    meetings = list(selectors.meetings_of(registration)) if confirmed else []
    return render(
        request,
        "partnership/events/meetings.html",
        {
            "event": event,
            "registration": registration,
            "confirmed": confirmed,
            "others": permissions.registrations_for(request.user, event).exclude(
                pk=registration.pk
            ),
            "to_meet": selectors.organisations_to_meet(registration) if confirmed else [],
            "partners": selectors.partners_of(registration) if confirmed else set(),
            "received": [m for m in meetings if m.recipient_id == registration.pk],
            "sent": [m for m in meetings if m.requester_id == registration.pk],
            "busy": {m.slot_start for m in meetings if m.is_accepted},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_request(request, slug, organisation):
    """Ask another participant for a 1:1 meeting in a slot, with a message."""
    event = _event(slug)
    registration = permissions.registration_for_user(request, event)
    other = get_object_or_404(Organisation, slug=organisation)
    other_registration = event.registrations.filter(organisation=other).first()
    back = _acting_url("events:meetings", registration)
    for who, their_registration in [
        (registration.organisation, registration),
        (other, other_registration),
    ]:
        if their_registration is None or not their_registration.is_confirmed:
            messages.error(
                request,
                _("%(name)s is not a confirmed participant of this event.") % {"name": who.name},
            )
            return redirect(back)
    if other.pk in selectors.partners_of(registration):
        messages.info(
            request,
            _(
                "%(name)s and you already have a meeting or a request waiting for an answer: "
                "cancel it first to ask for another slot."
            )
            % {"name": other.name},
        )
        return redirect(back)
    form = MeetingRequestForm(
        request.POST or None,
        event=event,
        busy=selectors.busy_slots(registration, other_registration),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(
                event=event,
                organisation=registration.organisation,
                with_organisation=other,
                slot_start=form.cleaned_data["slot"],
                message=form.cleaned_data["message"],
                acting_user=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Your request is sent to %(name)s, who will accept or decline it.")
                % {"name": other.name},
            )
            return redirect(back)
    return render(
        request,
        "partnership/events/meeting_request.html",
        {"event": event, "registration": registration, "other": other, "form": form, "back": back},
        status=400 if form.errors else 200,
    )


def _decide(request, slug, pk, service, done):
    event = _event(slug)
    meeting = permissions.meeting_for_user(request.user, event, pk, deciding=True)
    try:
        service(meeting=meeting, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": meeting.requester.organisation.name})
    return redirect(_acting_url("events:meetings", meeting.recipient))


@login_required
@require_POST
def meeting_accept(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        services.meeting_accept,
        _("The meeting with %(name)s is in your schedule; they are told."),
    )


@login_required
@require_POST
def meeting_decline(request, slug, pk):
    return _decide(
        request,
        slug,
        pk,
        services.meeting_decline,
        _("You declined the meeting with %(name)s; they are told."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_withdraw(request, slug):
    """Take the acting organisation out of the event, after a confirmation with a reason."""
    event = _event(slug)
    registration = permissions.registration_for_user(request, event)
    if not registration.can_be_withdrawn:
        messages.info(
            request,
            _("The registration of %(name)s is already %(status)s.")
            % {
                "name": registration.organisation.name,
                "status": registration.get_status_display().lower(),
            },
        )
        return redirect(event)
    form = CancellationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.event_registration_withdraw(
                registration=registration,
                acting_user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _(
                    "%(name)s no longer takes part in %(title)s; the organisations it was to "
                    "meet are told."
                )
                % {"name": registration.organisation.name, "title": event.title},
            )
        return redirect(event)
    return render(
        request,
        "partnership/events/withdraw.html",
        {"event": event, "registration": registration, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_cancel(request, slug, pk):
    """Either side calls a meeting (or a request) off, with an optional reason."""
    event = _event(slug)
    meeting = permissions.meeting_for_user(request.user, event, pk)
    own = permissions.registrations_for(request.user, event)
    side = meeting.requester if own.filter(pk=meeting.requester_id).exists() else meeting.recipient
    back = _acting_url("events:meetings", side)
    if not meeting.can_be_cancelled:
        messages.info(
            request,
            _("This meeting is already %(status)s.")
            % {"status": meeting.get_status_display().lower()},
        )
        return redirect(back)
    form = CancellationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_cancel(
                meeting=meeting, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The meeting with %(name)s is cancelled; they are told.")
                % {"name": meeting.other_side(side).organisation.name},
            )
        return redirect(back)
    return render(
        request,
        "partnership/events/meeting_cancel.html",
        {
            "event": event,
            "meeting": meeting,
            "registration": side,
            "other": meeting.other_side(side).organisation,
            "form": form,
            "back": back,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def event_schedule(request, slug):
    """A participant's accepted meetings in slot order, with where they take place."""
    event = _event(slug)
    registration = permissions.registration_for_user(request, event)
    return render(
        request,
        "partnership/events/schedule.html",
        {
            "event": event,
            "registration": registration,
            "meetings": [
                (meeting, meeting.other_side(registration).organisation)
                for meeting in selectors.schedule_of(registration)
            ],
            "ics_url": _acting_url("events:schedule_ics", registration),
        },
    )


@login_required
@require_GET
def event_schedule_ics(request, slug):
    event = _event(slug)
    registration = permissions.registration_for_user(request, event)
    calendar = schedule_calendar(event, registration, selectors.schedule_of(registration))
    response = HttpResponse(calendar, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{event.slug}-{registration.organisation.slug}.ics"'
    )
    return response


@login_required
@require_GET
def event_grid(request, slug):
    """The secretariat's view of the whole event: slots × participants."""
    permissions.require_event_grid_viewer(request.user)
    event = _event(slug)
    organisations, rows = selectors.meeting_grid(event)
    return render(
        request,
        "partnership/events/grid.html",
        {"event": event, "organisations": organisations, "rows": rows},
    )


@login_required
@require_GET
def event_grid_csv(request, slug):
    permissions.require_event_grid_viewer(request.user)
    event = get_object_or_404(Event, slug=slug)
    stream = io.StringIO()
    write_grid(event, selectors.grid_meetings(event), stream)
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-meetings-{stamp}.csv"'
    return response
