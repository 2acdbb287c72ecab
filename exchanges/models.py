from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from matchmaking.models import ExchangeType, InterestProfile, Language, Organisation, Theme


class OfferQuerySet(models.QuerySet):
    def visible_in_catalogue(self):
        return self.filter(status=Offer.Status.PUBLISHED, organisation__is_suspended=False)

    def open_for_applications(self, today=None):
        today = today or timezone.localdate()
        return self.visible_in_catalogue().filter(application_deadline__gte=today)


class Offer(models.Model):
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
        ExchangeType, on_delete=models.PROTECT, related_name="offers", verbose_name=_("exchange type")
    )
    themes = models.ManyToManyField(Theme, related_name="offers", verbose_name=_("themes"))
    target_group = models.CharField(_("target group"), max_length=16, choices=TargetGroup.choices)
    description = models.TextField(_("description"), max_length=10000)
    programme = models.TextField(_("programme outline"), max_length=10000, blank=True)
    city = models.CharField(_("host city"), max_length=120)
    region_name = models.CharField(_("host region"), max_length=120)
    languages = models.ManyToManyField(
        Language, related_name="offers", verbose_name=_("working languages")
    )
    available_from = models.DateField(_("available from"))
    available_until = models.DateField(_("available until"))
    fixed_dates = models.BooleanField(
        _("fixed dates"),
        default=False,
        help_text=_("Tick if the exchange takes place exactly on these dates."),
    )
    duration_days = models.DecimalField(
        _("duration in days"),
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
        help_text=_('Decimals are allowed, e.g. "1.5".'),
    )
    capacity = models.PositiveSmallIntegerField(
        _("places"), validators=[MinValueValidator(1)], help_text=_("How many participants you can host.")
    )
    application_deadline = models.DateField(_("application deadline"))
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
        _("practical information"), max_length=5000, blank=True,
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
        ]
        indexes = [models.Index(fields=["status", "application_deadline"])]

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
        if self.supports_fewer_opportunities and not self.fewer_opportunities_support.strip():
            errors["fewer_opportunities_support"] = _(
                "Say what support you offer to participants with fewer opportunities."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open_for_applications(self):
        return (
            self.status == self.Status.PUBLISHED
            and not self.organisation.is_suspended
            and self.application_deadline >= timezone.localdate()
        )


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    UNDECIDED = (Status.SUBMITTED, Status.SHORTLISTED)

    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="applications", verbose_name=_("offer")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("sending organisation"),
    )
    motivation = models.TextField(_("motivation"), max_length=5000)
    participants = models.PositiveSmallIntegerField(
        _("participants"), validators=[MinValueValidator(1)]
    )
    fewer_opportunity_participants = models.PositiveSmallIntegerField(
        _("of whom with fewer opportunities"), default=0
    )
    participant_roles = models.TextField(
        _("participants' roles"),
        max_length=2000,
        help_text=_("For example: two advisors in education, one NAV case worker."),
    )
    preferred_start = models.DateField(_("preferred start"))
    preferred_end = models.DateField(_("preferred end"))
    languages = models.ManyToManyField(
        Language, related_name="applications", verbose_name=_("working languages")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Written by the scoring task (exchanges.matching), never by a form.
    score = models.FloatField(_("fit"), null=True, blank=True)
    score_breakdown = models.JSONField(_("fit in detail"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "organisation"], name="application_unique_offer_organisation"
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="application_participants_positive"
            ),
            models.CheckConstraint(
                condition=Q(fewer_opportunity_participants__lte=F("participants")),
                name="application_fewer_opportunities_within_participants",
            ),
            models.CheckConstraint(
                condition=Q(preferred_end__gte=F("preferred_start")),
                name="application_dates_in_order",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} → {self.offer}"

    def get_absolute_url(self):
        return reverse("exchanges:application_detail", kwargs={"pk": self.pk})

    def clean(self):
        errors = {}
        offer = self.offer if self.offer_id else None
        if self.participants and self.fewer_opportunity_participants > self.participants:
            errors["fewer_opportunity_participants"] = _(
                "There cannot be more participants with fewer opportunities than participants."
            )
        if offer and self.participants and self.participants > offer.capacity:
            errors["participants"] = _(
                "The offer has %(places)s places; apply for at most that many participants."
            ) % {"places": offer.capacity}
        if self.preferred_start and self.preferred_end:
            if self.preferred_end < self.preferred_start:
                errors["preferred_end"] = _("The end is before the start.")
            elif offer and (
                self.preferred_start < offer.available_from
                or self.preferred_end > offer.available_until
            ):
                errors["preferred_start"] = _(
                    "Choose dates within the offer's window, %(start)s to %(end)s."
                ) % {
                    "start": date_format(offer.available_from),
                    "end": date_format(offer.available_until),
                }
        if errors:
            raise ValidationError(errors)

    @property
    def is_undecided(self):
        return self.status in self.UNDECIDED


class ApplicationEvent(models.Model):
    """One change of an application's status: who made it, when, and what they said."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=16, choices=Application.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    message = models.TextField(_("message"), max_length=5000, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")

    def __str__(self):
        return f"{self.application}: {self.get_status_display()}"


class OfferProfileMatch(models.Model):
    """How well an offer fits an interest profile, as the scoring task last computed it.

    Kept: each offer's best profiles and each profile's best offers (MATCHING_TOP_K), replaced
    whenever either side is scored again. ``created_at`` and ``alerted_at`` survive a
    replacement, so a pair is "new" once and its organisation is alerted once.
    """

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="profile_matches")
    profile = models.ForeignKey(
        InterestProfile, on_delete=models.CASCADE, related_name="offer_matches"
    )
    score = models.FloatField(_("fit"))
    breakdown = models.JSONField(_("fit in detail"))
    created_at = models.DateTimeField(_("first matched at"), default=timezone.now)
    scored_at = models.DateTimeField(_("scored at"), default=timezone.now)
    alerted_at = models.DateTimeField(_("alerted at"), null=True, blank=True)

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("offer–profile match")
        verbose_name_plural = _("offer–profile matches")
        constraints = [
            models.UniqueConstraint(fields=["offer", "profile"], name="match_unique_offer_profile"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="match_score_between_0_and_1"
            ),
        ]
        indexes = [
            models.Index(fields=["offer", "-score"], name="match_offer_best_first"),
            models.Index(fields=["profile", "-score"], name="match_profile_best_first"),
        ]

    def __str__(self):
        return f"{self.offer} ~ {self.profile} ({self.score:.2f})"


class OfferInvitation(models.Model):
    """A host invited an organisation to apply to an offer; at most once per organisation."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="invitations")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="offer_invitations",
        verbose_name=_("invited organisation"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation to apply")
        verbose_name_plural = _("invitations to apply")
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "organisation"], name="offer_invitation_unique_offer_organisation"
            )
        ]

    def __str__(self):
        return f"{self.offer} → {self.organisation}"
