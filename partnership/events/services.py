"""Every change to a matchmaking event's registrations and meetings goes through these functions.

Like ``services`` they check who acts, validate, write in one transaction, record who acted
(``registered_by``/``decided_by`` on a registration, ``requested_by``/``decided_by`` on a
meeting: each is done once) and queue the emails in the same transaction.

Two races are closed with row locks:

- capacity: a registration counts the places taken under a lock on the event's row, so two
  organisations cannot both take the last place;
- double booking: requesting and accepting a meeting lock both organisations' registrations,
  always in the order of their ids (so that two accepts never wait for each other), and check
  under those locks that neither side has an accepted meeting in the slot. Pending requests do
  not hold a slot; an accepted meeting does, for both sides.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.models import Organisation, User
from matchmaking.permissions import is_member_of, require_not_suspended

from . import emails
from .models import Event, EventRegistration, Meeting
from .permissions import require_registration_confirmer


def _refuse_unless_member(user, organisation):
    if not is_member_of(user, organisation):
        raise ValidationError(
            _("Only the people of %(name)s can do this for it.") % {"name": organisation.name},
            code="not_member_of_organisation",
        )


def _refuse_if_suspended(organisation):
    require_not_suspended(organisation, _("%(name)s is suspended and cannot take part in events."))


# Registrations -------------------------------------------------------------------------------


def _clean_attendees(attendees):
    return [
        {
            "name": " ".join(str(person.get("name", "")).split()),
            "role": " ".join(str(person.get("role", "")).split()),
        }
        for person in attendees
    ]


@transaction.atomic
def event_register(
    *, event: Event, organisation: Organisation, acting_user: User, attendees: list[dict]
) -> EventRegistration:
    """One of an organisation's people registers it, with the people who attend.

    Confirmed at once, or pending until the secretariat approves when the event asks for it.
    """
    organisation = Organisation.objects.get(pk=organisation.pk)
    _refuse_unless_member(acting_user, organisation)
    _refuse_if_suspended(organisation)
    # One registration at a time per event: the places are counted under this lock.
    event = Event.objects.select_for_update().get(pk=event.pk)
    now = timezone.now()
    if not event.registration_is_open(now):
        raise ValidationError(
            _("Registrations for %(title)s closed on %(deadline)s.")
            % {"title": event.title, "deadline": _when(event, event.registration_deadline)},
            code="registration_closed",
        )
    if event.registrations.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s is already registered for this event.") % {"name": organisation.name},
            code="already_registered",
        )
    if event.registrations.holding_a_place().count() >= event.capacity:
        raise ValidationError(
            ngettext(
                "The event is full: its %(capacity)d place is taken.",
                "The event is full: all %(capacity)d places are taken.",
                event.capacity,
            )
            % {"capacity": event.capacity},
            code="event_full",
        )
    registration = EventRegistration(
        event=event,
        organisation=organisation,
        attendees=_clean_attendees(attendees),
        registered_by=acting_user,
        created_at=now,
    )
    if not event.registrations_need_approval:
        registration.status = EventRegistration.Status.CONFIRMED
        registration.decided_at = now
    registration.full_clean(exclude=["event", "organisation"], validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as error:  # the unique constraint, should the lock be bypassed
        raise ValidationError(
            _("%(name)s is already registered for this event.") % {"name": organisation.name},
            code="already_registered",
        ) from error
    if registration.is_confirmed:
        emails.event_registration_confirmed(registration)
    return registration


@transaction.atomic
def event_registration_confirm(
    *, registration: EventRegistration, acting_user: User
) -> EventRegistration:
    """The secretariat approves a pending registration; the organisation is told."""
    require_registration_confirmer(acting_user)
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation")
        .get(pk=registration.pk)
    )
    if registration.status != EventRegistration.Status.PENDING:
        raise ValidationError(
            _("The registration of %(name)s is already confirmed.")
            % {"name": registration.organisation.name},
            code="not_pending",
        )
    _refuse_if_suspended(registration.organisation)
    registration.status = EventRegistration.Status.CONFIRMED
    registration.decided_by = acting_user
    registration.decided_at = timezone.now()
    registration.save(update_fields=["status", "decided_by", "decided_at"])
    emails.event_registration_confirmed(registration)
    return registration


@transaction.atomic
def event_registration_reject(
    *, registration: EventRegistration, acting_user: User, note: str
) -> EventRegistration:
    """The secretariat turns a pending registration down; the organisation is told why."""
    require_registration_confirmer(acting_user)
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation")
        .get(pk=registration.pk)
    )
    if not registration.is_pending:
        raise ValidationError(
            _("The registration of %(name)s is no longer waiting for a decision.")
            % {"name": registration.organisation.name},
            code="not_pending",
        )
    registration.status = EventRegistration.Status.REJECTED
    registration.decided_by = acting_user
    registration.decided_at = timezone.now()
    registration.decision_note = note.strip()
    registration.full_clean(exclude=["event", "organisation"], validate_constraints=False)
    registration.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    emails.event_registration_rejected(registration)
    return registration


@transaction.atomic
def event_registration_withdraw(
    *, registration: EventRegistration, acting_user: User, reason: str = ""
) -> EventRegistration:
    """One of the organisation's people takes it out of the event: its place is freed, its
    requests and meetings are cancelled and the organisations it was to meet are told."""
    registration = (
        EventRegistration.objects.select_for_update(of=("self",))
        .select_related("event", "organisation")
        .get(pk=registration.pk)
    )
    _refuse_unless_member(acting_user, registration.organisation)
    if not registration.can_be_withdrawn:
        raise ValidationError(
            _("The registration of %(name)s is already %(status)s.")
            % {
                "name": registration.organisation.name,
                "status": registration.get_status_display().lower(),
            },
            code="not_withdrawable",
        )
    if registration.event.is_over():
        raise ValidationError(_("The event is over."), code="event_over")
    now = timezone.now()
    registration.status = EventRegistration.Status.WITHDRAWN
    registration.withdrawn_by = acting_user
    registration.withdrawn_at = now
    registration.save(update_fields=["status", "withdrawn_by", "withdrawn_at"])
    open_meetings = (
        Meeting.objects.select_for_update(of=("self",))
        .filter(status__in=Meeting.OPEN)
        .filter(Q(requester=registration) | Q(recipient=registration))
        .select_related("event", "requester__organisation", "recipient__organisation")
    )
    for meeting in open_meetings:
        _cancel(meeting, acting_user, reason, now)
        emails.event_meeting_cancelled(meeting, by=registration, withdrawn=True)
    return registration


# Meetings ------------------------------------------------------------------------------------


def _when(event, moment):
    """A moment as the pages say it, in the event's time zone."""
    local = event.local(moment)
    return f"{formats.date_format(local, 'j F Y, H:i')} ({event.time_zone})"


def _lock_registrations(*registrations):
    """The registrations, re-read under row locks taken in the order of their ids."""
    ids = sorted({registration.pk for registration in registrations})
    locked = {
        registration.pk: registration
        for registration in EventRegistration.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("organisation", "event")
        .order_by("pk")
    }
    return [locked[registration.pk] for registration in registrations]


def _accepted_meetings_of(registration):
    return Meeting.objects.filter(status=Meeting.Status.ACCEPTED).filter(
        Q(requester=registration) | Q(recipient=registration)
    )


def _refuse_unless_participant(registration, organisation):
    if registration is None or not registration.is_confirmed:
        raise ValidationError(
            _("%(name)s is not a confirmed participant of this event.")
            % {"name": organisation.name},
            code="not_registered",
        )
    _refuse_if_suspended(registration.organisation)


def _refuse_unless_bookable(event, slot_start, registrations, *, meeting=None):
    """Refuse a slot outside the event, taken by either side, or beyond a side's cap."""
    if event.is_over():
        raise ValidationError(_("The event is over."), code="event_over")
    if event.slot_at(slot_start) is None:
        raise ValidationError(
            _("Choose one of the event's time slots: %(time)s is not one of them.")
            % {"time": _when(event, slot_start)},
            code="slot_outside_event",
        )
    for registration in registrations:
        accepted = _accepted_meetings_of(registration)
        if meeting is not None:
            accepted = accepted.exclude(pk=meeting.pk)
        if accepted.filter(slot_start=slot_start).exists():
            raise ValidationError(
                _("%(name)s already has a meeting at %(time)s; choose another slot.")
                % {"name": registration.organisation.name, "time": _when(event, slot_start)},
                code="slot_taken",
            )
        if accepted.count() >= event.meeting_cap:
            raise ValidationError(
                ngettext(
                    "%(name)s already has %(count)d meeting, the most this event allows.",
                    "%(name)s already has %(count)d meetings, the most this event allows.",
                    event.meeting_cap,
                )
                % {"name": registration.organisation.name, "count": event.meeting_cap},
                code="meeting_cap",
            )


@transaction.atomic
def meeting_request(
    *,
    event: Event,
    organisation: Organisation,
    with_organisation: Organisation,
    slot_start: datetime.datetime,
    message: str,
    acting_user: User,
) -> Meeting:
    """A registered organisation asks another for a 1:1 meeting in a slot of the event."""
    _refuse_unless_member(acting_user, organisation)
    if organisation.pk == with_organisation.pk:
        raise ValidationError(
            _("An organisation cannot ask itself for a meeting."), code="meet_oneself"
        )
    registrations = {
        registration.organisation_id: registration
        for registration in event.registrations.filter(
            organisation__in=[organisation.pk, with_organisation.pk]
        )
    }
    _refuse_unless_participant(registrations.get(organisation.pk), organisation)
    _refuse_unless_participant(registrations.get(with_organisation.pk), with_organisation)
    requester, recipient = _lock_registrations(
        registrations[organisation.pk], registrations[with_organisation.pk]
    )
    # Confirmed and in good standing, as read again under the locks.
    _refuse_unless_participant(requester, organisation)
    _refuse_unless_participant(recipient, with_organisation)
    event = requester.event
    _refuse_unless_bookable(event, slot_start, [requester, recipient])
    open_statuses = [Meeting.Status.REQUESTED, Meeting.Status.ACCEPTED]
    if (
        Meeting.objects.filter(status__in=open_statuses)
        .filter(
            Q(requester=requester, recipient=recipient)
            | Q(requester=recipient, recipient=requester)
        )
        .exists()
    ):
        raise ValidationError(
            _("%(name)s and you already have a meeting or a request waiting for an answer.")
            % {"name": with_organisation.name},
            code="already_asked",
        )
    meeting = Meeting(
        event=event,
        requester=requester,
        recipient=recipient,
        slot_start=slot_start,
        message=message.strip(),
        requested_by=acting_user,
    )
    meeting.full_clean(exclude=["event", "requester", "recipient"], validate_constraints=False)
    meeting.save()
    emails.event_meeting_requested(meeting)
    return meeting


def _lock_open_meeting(meeting, acting_user):
    """The meeting, locked; refused unless it waits for an answer from the acting user's side."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "requester__organisation", "recipient__organisation")
        .get(pk=meeting.pk)
    )
    _refuse_unless_member(acting_user, meeting.recipient.organisation)
    if not meeting.can_be_answered:
        raise ValidationError(
            _("This request is already %(status)s.")
            % {"status": meeting.get_status_display().lower()},
            code="not_open",
        )
    return meeting


def _decide(meeting, status, acting_user):
    meeting.status = status
    meeting.decided_by = acting_user
    meeting.decided_at = timezone.now()
    meeting.save(update_fields=["status", "decided_by", "decided_at"])


@transaction.atomic
def meeting_accept(*, meeting: Meeting, acting_user: User) -> Meeting:
    """The organisation asked accepts: the slot is booked for both, if it is still free."""
    requester_id, recipient_id = Meeting.objects.values_list("requester_id", "recipient_id").get(
        pk=meeting.pk
    )
    # Both registrations first (in id order), then the meeting: every accept takes its locks
    # in this order, and a decline takes only the meeting's.
    requester, recipient = _lock_registrations(
        EventRegistration(pk=requester_id), EventRegistration(pk=recipient_id)
    )
    meeting = _lock_open_meeting(meeting, acting_user)
    _refuse_unless_participant(requester, requester.organisation)
    _refuse_unless_participant(recipient, recipient.organisation)
    _refuse_unless_bookable(
        meeting.event, meeting.slot_start, [recipient, requester], meeting=meeting
    )
    _decide(meeting, Meeting.Status.ACCEPTED, acting_user)
    emails.event_meeting_accepted(meeting)
    return meeting


@transaction.atomic
def meeting_decline(*, meeting: Meeting, acting_user: User) -> Meeting:
    """The organisation asked declines; the one that asked is told."""
    meeting = _lock_open_meeting(meeting, acting_user)
    _decide(meeting, Meeting.Status.DECLINED, acting_user)
    emails.event_meeting_declined(meeting)
    return meeting


def _cancel(meeting, acting_user, reason, now):
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancelled_by = acting_user
    meeting.cancelled_at = now
    meeting.cancellation_reason = reason.strip()
    meeting.full_clean(exclude=["event", "requester", "recipient"], validate_constraints=False)
    meeting.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancellation_reason"])


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, acting_user: User, reason: str = "") -> Meeting:
    """Either side calls off a request or an accepted meeting; the other side is told, with
    the reason if one is given. The slot is free again for both."""
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("event", "requester__organisation", "recipient__organisation")
        .get(pk=meeting.pk)
    )
    side = next(
        (
            registration
            for registration in (meeting.requester, meeting.recipient)
            if is_member_of(acting_user, registration.organisation)
        ),
        None,
    )
    if side is None:
        raise ValidationError(
            _("Only the people of the two organisations can cancel their meeting."),
            code="not_member_of_organisation",
        )
    if not meeting.can_be_cancelled:
        raise ValidationError(
            _("This meeting is already %(status)s.")
            % {"status": meeting.get_status_display().lower()},
            code="not_open",
        )
    if meeting.event.is_over():
        raise ValidationError(_("The event is over."), code="event_over")
    _cancel(meeting, acting_user, reason, timezone.now())
    emails.event_meeting_cancelled(meeting, by=side)
    return meeting


def meeting_request_expiry() -> datetime.timedelta:
    """How long a meeting request waits for an answer (``EVENT_MEETING_REQUEST_EXPIRY`` days)."""
    return datetime.timedelta(days=settings.EVENT_MEETING_REQUEST_EXPIRY)


def meeting_requests_expire(*, now: datetime.datetime | None = None) -> int:
    """Requests nobody answered within the expiry time expire; the organisation that asked is
    told and may ask again. Each is claimed by a conditional update in its own transaction, so
    two runs at once expire (and email) each request once. Returns how many expired."""
    now = now or timezone.now()
    due = Meeting.objects.filter(
        status=Meeting.Status.REQUESTED, created_at__lte=now - meeting_request_expiry()
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            claimed = Meeting.objects.filter(pk=pk, status=Meeting.Status.REQUESTED).update(
                status=Meeting.Status.EXPIRED, decided_at=now
            )
            if claimed:
                emails.event_meeting_expired(
                    Meeting.objects.select_related(
                        "event", "requester__organisation", "recipient__organisation"
                    ).get(pk=pk)
                )
                expired += 1
    return expired
