"""Matchmaking events: registrations and 1:1 meetings in the event's time slots."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import (
    MaxLengthValidator,
    MaxValueValidator,
    MinValueValidator,
)
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Decided, Organisation
from matchmaking.validators import MOMENT_BOUNDS, moments_within, within

from ..validators import validate_time_zone

# How many organisations an event takes, and meetings each of them books, at most.
CAPACITY_MAX = 1000
MEETING_CAP_MAX = 100


def default_meeting_cap():
    return settings.EVENT_MEETING_CAP


@dataclass(frozen=True)
class Slot:
    """One meeting slot of an event: aware datetimes, ``start`` included, ``end`` excluded."""

    start: datetime.datetime
    end: datetime.datetime


class Event(models.Model):
    """A matchmaking event of the partnership, created by the secretariat in the admin.

    Times are stored aware (UTC in the database) and shown in the event's own time zone. The
    meeting slots are not stored: they are the event's time cut into ``slot_minutes`` pieces.
    """

    # Its slots are computed, one by one: an event of years would have millions.
    LONGEST = datetime.timedelta(days=14)

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(
        _("description"), max_length=5000, validators=[MaxLengthValidator(5000)]
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Brussels",
        validators=[validate_time_zone],
        help_text=_("Where the event takes place, e.g. Europe/Brussels; times are shown in it."),
    )
    starts_at = models.DateTimeField(_("starts at"), validators=MOMENT_BOUNDS)
    ends_at = models.DateTimeField(_("ends at"), validators=MOMENT_BOUNDS)
    place = models.CharField(
        _("place"), max_length=300, blank=True, help_text=_("Venue and address, if on site.")
    )
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("The video-call link, if online.")
    )
    registration_deadline = models.DateTimeField(
        _("registrations close at"), validators=MOMENT_BOUNDS
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"),
        validators=[MinValueValidator(1), MaxValueValidator(CAPACITY_MAX)],
        help_text=_("How many organisations can register."),
    )
    registrations_need_approval = models.BooleanField(
        _("registrations need the secretariat's approval"), default=False
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"),
        default=30,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per organisation, at most"),
        default=default_meeting_cap,
        validators=[MinValueValidator(1), MaxValueValidator(MEETING_CAP_MAX)],
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("view_event_grid", _("Can see and export the meeting grid of events"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("The event must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=models.F("ends_at")),
                name="event_registration_closes_before_the_end",
                violation_error_message=_("Registrations must close before the event ends."),
            ),
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(online_url=""),
                name="event_has_a_place_or_a_link",
                violation_error_message=_("Give the place, the online link, or both."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1) & Q(meeting_cap__gte=1) & Q(slot_minutes__gte=5),
                name="event_positive_capacity_cap_and_slots",
            ),
            models.CheckConstraint(
                condition=within(1, CAPACITY_MAX, "capacity")
                & within(1, MEETING_CAP_MAX, "meeting_cap")
                & within(5, 240, "slot_minutes")
                & moments_within("starts_at", "ends_at", "registration_deadline"),
                name="event_bounded",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at:
            if self.ends_at <= self.starts_at:
                errors["ends_at"] = _("The event must end after it starts.")
            elif self.ends_at - self.starts_at > self.LONGEST:
                errors["ends_at"] = _("An event lasts at most 14 days.")
            elif self.slot_minutes and self.ends_at - self.starts_at < self.slot_length:
                errors["slot_minutes"] = _("The event is shorter than one meeting.")
        deadline = self.registration_deadline
        if deadline and self.ends_at and deadline > self.ends_at:
            errors["registration_deadline"] = _("Registrations must close before the event ends.")
        if not self.place.strip() and not self.online_url.strip():
            errors["place"] = _("Give the place, the online link, or both.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def local(self, moment):
        """A moment in the event's time zone."""
        return moment.astimezone(self.zone)

    @property
    def slot_length(self):
        return datetime.timedelta(minutes=self.slot_minutes)

    def slots(self):
        """The meeting slots, in order: the event's time in ``slot_minutes`` pieces (a piece
        that would run past the end is left out)."""
        slots, start = [], self.starts_at
        while start + self.slot_length <= self.ends_at:
            slots.append(Slot(start, start + self.slot_length))
            start += self.slot_length
        return slots

    def slot_at(self, start):
        """The slot that starts at ``start`` (an aware datetime), or None."""
        return next((slot for slot in self.slots() if slot.start == start), None)

    def is_over(self, now=None):
        return (now or timezone.now()) >= self.ends_at

    def registration_is_open(self, now=None):
        return (now or timezone.now()) <= self.registration_deadline


class EventRegistrationQuerySet(models.QuerySet):
    def holding_a_place(self):
        return self.filter(
            status__in=[EventRegistration.Status.PENDING, EventRegistration.Status.CONFIRMED]
        )

    def confirmed(self):
        return self.filter(status=EventRegistration.Status.CONFIRMED)


class EventRegistration(Decided):
    """An organisation at an event, with the people who attend (names and roles only)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the secretariat's approval")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected by the secretariat")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    # [{"name": ..., "role": ...}, ...]; never an email address: other participants see them.
    attendees = models.JSONField(_("people attending"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    # The decision (Decided) is the confirmation or the rejection: by the secretariat, or by
    # nobody when the event needs no approval.
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = EventRegistrationQuerySet.as_manager()

    MAX_ATTENDEES = 6

    class Meta:
        ordering = ["event", "organisation__name", "pk"]
        verbose_name = _("event registration")
        verbose_name_plural = _("event registrations")
        permissions = [("confirm_eventregistration", _("Can confirm event registrations"))]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"],
                name="eventregistration_once_per_organisation",
                violation_error_message=_("This organisation is already registered."),
            ),
            # A pending registration withdrawn was never decided on.
            models.CheckConstraint(
                condition=Q(status__in=["pending", "withdrawn"]) | Q(decided_at__isnull=False),
                name="eventregistration_decided_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="eventregistration_withdrawn_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.event}"

    def clean(self):
        attendees = self.attendees
        if not isinstance(attendees, list) or not 1 <= len(attendees) <= self.MAX_ATTENDEES:
            raise ValidationError(
                {
                    "attendees": _("Name between one and %(max)d people who attend.")
                    % {"max": self.MAX_ATTENDEES}
                },
                code="attendees",
            )
        for person in attendees:
            if (
                not isinstance(person, dict)
                or set(person) != {"name", "role"}
                or not isinstance(person["name"], str)
                or not isinstance(person["role"], str)
                or not person["name"].strip()
                or len(person["name"]) > 200
                or len(person["role"]) > 200
            ):
                raise ValidationError(
                    {"attendees": _("Give each person's name (and role), at most 200 characters.")},
                    code="attendees",
                )

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING

    @property
    def can_be_withdrawn(self):
        """Still holding a place: pending or confirmed."""
        return self.status in (self.Status.PENDING, self.Status.CONFIRMED)


class Meeting(models.Model):
    """A 1:1 meeting one registered organisation asks another for, in a slot of the event.

    Requested once and decided once (by the other side): the fields are its history. An
    organisation has at most one accepted meeting per slot: the accepting service checks it
    under row locks on both registrations.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        EXPIRED = "expired", _("Expired: not answered in time")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        EventRegistration,
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requested by"),
    )
    recipient = models.ForeignKey(
        EventRegistration,
        on_delete=models.CASCADE,
        related_name="meetings_received",
        verbose_name=_("requested from"),
    )
    slot_start = models.DateTimeField(_("slot"), validators=MOMENT_BOUNDS)
    message = models.TextField(_("message"), max_length=1000, validators=[MaxLengthValidator(1000)])
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by (person)"),
    )
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(
        _("reason for cancelling"),
        max_length=1000,
        blank=True,
        validators=[MaxLengthValidator(1000)],
    )

    # The meetings that still count: a request waiting for an answer, or an accepted meeting.
    OPEN = (Status.REQUESTED, Status.ACCEPTED)

    class Meta:
        ordering = ["slot_start", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")),
                name="meeting_not_with_oneself",
                violation_error_message=_("An organisation cannot meet itself."),
            ),
            # A request cancelled before anyone answered was never decided on.
            models.CheckConstraint(
                condition=Q(status__in=["requested", "cancelled"]) | Q(decided_at__isnull=False),
                name="meeting_decided_has_a_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="meeting_cancelled_has_a_date",
            ),
            models.CheckConstraint(
                condition=moments_within("slot_start"), name="meeting_slot_bounded"
            ),
            # The same side cannot be booked twice in a slot. (The other way round, an
            # organisation as requester in one meeting and recipient in another, is what the
            # accepting service's locks prevent.)
            models.UniqueConstraint(
                fields=["requester", "slot_start"],
                condition=Q(status="accepted"),
                name="meeting_requester_booked_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["recipient", "slot_start"],
                condition=Q(status="accepted"),
                name="meeting_recipient_booked_once_per_slot",
            ),
            models.UniqueConstraint(
                fields=["requester", "recipient"],
                condition=Q(status__in=["requested", "accepted"]),
                name="meeting_one_open_request_per_pair",
                violation_error_message=_("You have already asked this organisation to meet."),
            ),
        ]

    def __str__(self):
        return f"{self.requester.organisation} → {self.recipient.organisation}"

    @property
    def slot_end(self):
        return self.slot_start + self.event.slot_length

    @property
    def is_accepted(self):
        return self.status == self.Status.ACCEPTED

    @property
    def can_be_answered(self):
        """Still waiting for the other side to accept or decline it."""
        return self.status == self.Status.REQUESTED

    @property
    def can_be_cancelled(self):
        """Requested or accepted: either side may still call it off."""
        return self.status in self.OPEN

    def other_side(self, registration):
        """The registration of the organisation that ``registration`` meets."""
        return self.recipient if registration.pk == self.requester_id else self.requester
