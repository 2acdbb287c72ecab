"""Offers: what a host organisation proposes."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matchmaking.models import (
    EmbeddedText,
    ExchangeType,
    FieldOfEducation,
    History,
    Language,
    Organisation,
    Theme,
)
from matchmaking.validators import (
    DATE_BOUNDS,
    DURATION_DAYS_MAX,
    PARTICIPANT_BOUNDS,
    PARTICIPANTS_MAX,
    dates_within,
    within,
)


class OfferQuerySet(models.QuerySet):
    def visible_in_catalogue(self):
        return self.filter(status=Offer.Status.PUBLISHED, organisation__is_suspended=False)

    def open_for_applications(self, today=None):
        today = today or timezone.localdate()
        return self.visible_in_catalogue().filter(application_deadline__gte=today)


class Offer(EmbeddedText):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        ARCHIVED = "archived", _("Archived")

    class TargetGroup(models.TextChoices):
        STAFF = "staff", _("Staff")
        LEARNERS = "learners", _("Learners")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="offers", verbose_name=_("host")
    )
    title = models.CharField(_("title"), max_length=200)
    exchange_type = models.ForeignKey(
        ExchangeType,
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("exchange type"),
    )
    themes = models.ManyToManyField(Theme, related_name="offers", verbose_name=_("themes"))
    fields_of_education = models.ManyToManyField(
        FieldOfEducation,
        blank=True,
        related_name="offers",
        verbose_name=_("fields of education"),
        help_text=_("The ISCED-F broad fields the exchange is about, if any."),
    )
    target_group = models.CharField(_("target group"), max_length=16, choices=TargetGroup.choices)
    description = models.TextField(_("description"), max_length=10000)
    programme = models.TextField(_("programme outline"), max_length=10000, blank=True)
    city = models.CharField(_("host city"), max_length=120)
    region_name = models.CharField(_("host region"), max_length=120)
    languages = models.ManyToManyField(
        Language, related_name="offers", verbose_name=_("working languages")
    )
    available_from = models.DateField(_("available from"), validators=DATE_BOUNDS)
    available_until = models.DateField(_("available until"), validators=DATE_BOUNDS)
    fixed_dates = models.BooleanField(
        _("fixed dates"),
        default=False,
        help_text=_("Tick if the exchange takes place exactly on these dates."),
    )
    duration_days = models.DecimalField(
        _("duration in days"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(DURATION_DAYS_MAX)],
        help_text=_('Decimals are allowed, e.g. "1.5".'),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        validators=PARTICIPANT_BOUNDS,
        help_text=_("How many participants you can host."),
    )
    application_deadline = models.DateField(_("application deadline"), validators=DATE_BOUNDS)
    supports_fewer_opportunities = models.BooleanField(
        _("supports participants with fewer opportunities"), default=False
    )
    fewer_opportunities_support = models.TextField(
        _("support offered"),
        max_length=2000,
        blank=True,
        help_text=_("For example an accessible venue, a mentor, adapted materials."),
    )
    practical_information = models.TextField(
        _("practical information"),
        max_length=5000,
        blank=True,
        help_text=_("Arrival, meeting point, accommodation."),
    )
    costs_note = models.TextField(_("costs and funding"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # What the catalogue's keywords are looked up in, on PostgreSQL: the title (weight A), the
    # host's name and city (B) and the description (C), unaccented, stemmed in the text's
    # language. Triggers on the offer and on its organisation keep it (exchanges migration
    # 0012, with its GIN index); it stays empty on SQLite, which searches with
    # matchmaking.search.fold.
    search_vector = SearchVectorField(_("search vector"), null=True, editable=False)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_until__gte=F("available_from")),
                name="offer_window_in_order",
            ),
            models.CheckConstraint(
                condition=Q(application_deadline__lte=F("available_until")),
                name="offer_deadline_within_window",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="offer_capacity_positive"),
            models.CheckConstraint(
                condition=Q(duration_days__gt=0), name="offer_duration_positive"
            ),
            models.CheckConstraint(
                condition=within(1, PARTICIPANTS_MAX, "capacity")
                & Q(duration_days__lte=DURATION_DAYS_MAX)
                & dates_within("available_from", "available_until", "application_deadline"),
                name="offer_bounded",
            ),
        ]
        # The catalogue's orders (exchanges.filters.SORT_ORDERS) read the first page from
        # these without sorting the table; the GIN index on search_vector is made on
        # PostgreSQL only, in migration 0012.
        indexes = [
            models.Index(fields=["status", "application_deadline"]),
            models.Index(fields=["status", "-published_at", "-id"], name="offer_catalogue_newest"),
            models.Index(fields=["status", "available_from", "id"], name="offer_catalogue_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("exchanges:offer_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        if self.available_from and self.available_until:
            if self.available_until < self.available_from:
                errors["available_until"] = _("The end of the window is before its start.")
            elif self.application_deadline and self.application_deadline > self.available_until:
                errors["application_deadline"] = _(
                    "The application deadline is after the end of the window."
                )
        if (
            self.available_from
            and self.available_until
            and self.duration_days
            and "available_until" not in errors
        ):
            window = (self.available_until - self.available_from).days + 1
            if self.duration_days > window:
                errors["duration_days"] = _(
                    "The exchange cannot last longer than its window: %(window)s days from "
                    "%(start)s to %(end)s."
                ) % {
                    "window": window,
                    "start": date_format(self.available_from, "DATE_FORMAT"),
                    "end": date_format(self.available_until, "DATE_FORMAT"),
                }
        held = self.places_held if self.pk and self.capacity is not None else 0
        if held and self.capacity < held:
            errors["capacity"] = ngettext(
                "%(held)s place is already taken; the capacity cannot be less than %(held)s.",
                "%(held)s places are already taken; the capacity cannot be less than %(held)s.",
                held,
            ) % {"held": held}
        if self.supports_fewer_opportunities and not self.fewer_opportunities_support.strip():
            errors["fewer_opportunities_support"] = _(
                "Say what support you offer to participants with fewer opportunities."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def places_held(self):
        """The participants of the accepted applications whose exchange still takes place."""
        return self.applications.places_held()

    # What may happen next, by the status: the services refuse anything else and the pages
    # offer only these. (Editing is allowed in every status.)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def can_be_published(self):
        """A draft, or a closed offer opened again; the service also checks the deadline."""
        return self.status in (self.Status.DRAFT, self.Status.CLOSED)

    @property
    def can_be_closed(self):
        return self.status == self.Status.PUBLISHED

    @property
    def can_be_archived(self):
        return self.status in (self.Status.DRAFT, self.Status.CLOSED)

    @property
    def places_left(self) -> int:
        """The places still free; from the ``places_taken`` annotation when the offer was
        loaded with it (``exchanges.selectors.with_places_taken``), else counted."""
        taken = getattr(self, "places_taken", None)
        return self.capacity - (self.places_held if taken is None else taken)

    @property
    def is_fully_booked(self):
        return self.places_left <= 0

    @property
    def is_open_for_applications(self):
        return (
            self.is_published
            and not self.organisation.is_suspended
            and self.application_deadline >= timezone.localdate()
        )


class OfferHistory(History):
    """One change of an offer's status (published, closed, archived) or of its text and
    facts (edited, with what changed in the note): who made it and when."""

    EDITED = "edited"
    KIND_CHOICES = [*Offer.Status.choices, (EDITED, _("Edited"))]

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("what"), max_length=16, choices=KIND_CHOICES)

    class Meta(History.Meta):
        verbose_name = _("offer history entry")
        verbose_name_plural = _("offer history")

    def __str__(self):
        return f"{self.offer}: {self.get_kind_display()}"
