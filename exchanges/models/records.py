"""The exchange itself: what an accepted application becomes, from planning to completion."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import FewerOpportunityCategory, FieldOfEducation, History, Organisation
from matchmaking.validators import (
    COUNT_BOUNDS,
    DATE_BOUNDS,
    DURATION_DAYS_MAX,
    PARTICIPANT_BOUNDS,
    PARTICIPANTS_MAX,
    dates_within,
    within,
)

from .applications import Application


class Exchange(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    application = models.OneToOneField(
        Application,
        on_delete=models.PROTECT,
        related_name="exchange",
        verbose_name=_("application"),
    )
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_exchanges",
        verbose_name=_("host organisation"),
    )
    sender = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="sent_exchanges",
        verbose_name=_("sending organisation"),
    )
    start_date = models.DateField(_("start"), validators=DATE_BOUNDS)
    end_date = models.DateField(_("end"), validators=DATE_BOUNDS)
    duration_days = models.DecimalField(
        _("duration in days"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(DURATION_DAYS_MAX)],
        help_text=_('Decimals are allowed, e.g. "1.5".'),
    )
    participants = models.PositiveSmallIntegerField(
        _("participants"), validators=PARTICIPANT_BOUNDS
    )
    fewer_opportunity_participants = models.PositiveSmallIntegerField(
        _("of whom with fewer opportunities"), default=0, validators=COUNT_BOUNDS
    )
    fields_of_education = models.ManyToManyField(
        FieldOfEducation,
        blank=True,
        related_name="exchanges",
        verbose_name=_("fields of education"),
        help_text=_("The ISCED-F broad fields of the exchange; copied from the offer."),
    )
    programme = models.TextField(
        _("programme"),
        blank=True,
        validators=[MaxLengthValidator(10000)],
        help_text=_("Day by day: one line per part of the day."),
    )
    practical_notes = models.TextField(
        _("practical notes"), blank=True, validators=[MaxLengthValidator(5000)]
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    cancellation_reason = models.TextField(
        _("reason for cancelling"), blank=True, validators=[MaxLengthValidator(2000)]
    )
    # When the reminders went out; each is sent once.
    week_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    follow_up_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="exchange_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="exchange_participants_positive"
            ),
            models.CheckConstraint(
                condition=Q(fewer_opportunity_participants__lte=F("participants")),
                name="exchange_fewer_opportunities_within_participants",
            ),
            models.CheckConstraint(
                condition=~Q(host=F("sender")), name="exchange_between_two_organisations"
            ),
            models.CheckConstraint(
                condition=within(1, PARTICIPANTS_MAX, "participants")
                & Q(duration_days__lte=DURATION_DAYS_MAX)
                & dates_within("start_date", "end_date"),
                name="exchange_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.host} ← {self.sender}: {self.application.offer}"

    def get_absolute_url(self):
        return reverse("exchanges:exchange_detail", kwargs={"pk": self.pk})

    @property
    def offer(self):
        return self.application.offer

    # What may happen next, by the status: the services refuse anything else and the pages
    # offer only these.

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def can_be_edited(self):
        return self.status == self.Status.PLANNED

    @property
    def has_ended(self):
        """Its last day has come (the follow-up opens then too)."""
        return self.end_date <= timezone.localdate()

    @property
    def can_be_completed(self):
        """Planned, and its last day has come."""
        return self.status == self.Status.PLANNED and self.has_ended

    @property
    def can_be_cancelled(self):
        return self.status == self.Status.PLANNED

    @property
    def can_have_follow_up(self):
        """Not cancelled; the service also waits for the exchange's last day."""
        return not self.is_cancelled

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end is before the start.")
        if self.participants and self.fewer_opportunity_participants > self.participants:
            errors["fewer_opportunity_participants"] = _(
                "There cannot be more participants with fewer opportunities than participants."
            )
        if self.is_cancelled and not self.cancellation_reason.strip():
            errors["cancellation_reason"] = _("Say why the exchange is cancelled.")
        if errors:
            raise ValidationError(errors)

    def side_of(self, organisation):
        """ "host" or "sending" for one of the two organisations, None for any other."""
        if organisation.pk == self.host_id:
            return FollowUpSide.HOST
        if organisation.pk == self.sender_id:
            return FollowUpSide.SENDING
        return None


class FollowUpSide(models.TextChoices):
    HOST = "host", _("Hosting organisation")
    SENDING = "sending", _("Sending organisation")


class FewerOpportunityCount(models.Model):
    """How many participants faced one kind of barrier; counts only, never names."""

    exchange = models.ForeignKey(
        Exchange, on_delete=models.CASCADE, related_name="fewer_opportunity_counts"
    )
    category = models.ForeignKey(
        FewerOpportunityCategory, on_delete=models.PROTECT, verbose_name=_("category")
    )
    count = models.PositiveSmallIntegerField(_("participants"), validators=PARTICIPANT_BOUNDS)

    class Meta:
        ordering = ["category__position"]
        verbose_name = _("participants with fewer opportunities, by category")
        verbose_name_plural = _("participants with fewer opportunities, by category")
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "category"], name="fewer_opportunity_count_unique_category"
            ),
            models.CheckConstraint(
                condition=Q(count__gte=1), name="fewer_opportunity_count_positive"
            ),
            models.CheckConstraint(
                condition=within(1, PARTICIPANTS_MAX, "count"),
                name="fewer_opportunity_count_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.category}: {self.count}"


class ExchangeHistory(History):
    """One change of an exchange: created, edited, completed, cancelled — who, when, why."""

    class Kind(models.TextChoices):
        PLANNED = "planned", _("Planned")
        EDITED = "edited", _("Edited")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")
        FOLLOW_UP = "follow_up", _("Follow-up submitted")
        PUBLISHED = "published", _("Case study published")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)

    class Meta(History.Meta):
        verbose_name = _("exchange history entry")
        verbose_name_plural = _("exchange history")

    def __str__(self):
        return f"{self.exchange}: {self.get_kind_display()}"
