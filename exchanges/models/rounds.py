"""Call rounds: many offers' places allocated at once (the rules live in exchanges.allocation)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from matchmaking.models import History, Organisation
from matchmaking.validators import MOMENT_BOUNDS, moments_within

from .applications import Application
from .offers import Offer

MAX_CHOICES_LIMIT = 10


class CallRoundQuerySet(models.QuerySet):
    def due_for_allocation(self, now=None):
        """Open rounds whose allocation date has come and that have no proposal yet."""
        return self.filter(
            status=CallRound.Status.OPEN, allocation_date__lte=now or timezone.now()
        ).filter(proposal__isnull=True)


class CallRound(models.Model):
    class Rule(models.TextChoices):
        STABLE = "stable", _("Stable (senders' choices first)")
        BEST_FIT = "best_fit", _("Best total fit")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        PROPOSED = "proposed", _("Allocation proposed")
        CONFIRMED = "confirmed", _("Allocation confirmed")

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # None: the EARLALL secretariat's round; else the organisation whose offers it allocates.
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="call_rounds",
        verbose_name=_("organiser"),
        help_text=_("Leave empty for a round of the EARLALL secretariat."),
    )
    offers = models.ManyToManyField(Offer, related_name="call_rounds", verbose_name=_("offers"))
    application_deadline = models.DateTimeField(
        _("application deadline"),
        validators=MOMENT_BOUNDS,
        help_text=_("Senders and hosts may change their rankings until then."),
    )
    allocation_date = models.DateTimeField(
        _("allocation date"),
        validators=MOMENT_BOUNDS,
        help_text=_("The allocation is proposed automatically at this moment."),
    )
    reserve_percent = models.PositiveSmallIntegerField(
        _("places reserved for participants with fewer opportunities (%)"),
        default=20,
        validators=[MaxValueValidator(100)],
    )
    rule = models.CharField(_("rule"), max_length=16, choices=Rule.choices, default=Rule.STABLE)
    max_choices = models.PositiveSmallIntegerField(
        _("offers a sender may rank"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CHOICES_LIMIT)],
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CallRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-application_deadline", "-pk"]
        verbose_name = _("call round")
        verbose_name_plural = _("call rounds")
        constraints = [
            models.CheckConstraint(
                condition=Q(allocation_date__gte=F("application_deadline")),
                name="call_round_allocation_after_deadline",
            ),
            models.CheckConstraint(
                condition=Q(reserve_percent__lte=100)
                & Q(max_choices__gte=1, max_choices__lte=MAX_CHOICES_LIMIT)
                & moments_within("application_deadline", "allocation_date"),
                name="call_round_bounded",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("exchanges:round_detail", kwargs={"pk": self.pk})

    def clean(self):
        if (
            self.application_deadline
            and self.allocation_date
            and self.allocation_date < self.application_deadline
        ):
            raise ValidationError(
                {"allocation_date": _("The allocation date is before the application deadline.")}
            )

    @property
    def reserve_share(self) -> float:
        return self.reserve_percent / 100

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    def accepts_rankings(self, now=None) -> bool:
        """Senders and hosts may still rank: not confirmed and the deadline not passed."""
        return not self.is_confirmed and (now or timezone.now()) <= self.application_deadline


class RoundEntry(models.Model):
    """An application taking part in a round: where its sender ranks it among its choices, and
    where the host ranks it among its applicants (by fit until the host reorders)."""

    call_round = models.ForeignKey(
        CallRound, on_delete=models.CASCADE, related_name="entries", verbose_name=_("call round")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="round_entries",
        verbose_name=_("application"),
    )
    # The application's sender, kept here so that the database keeps each rank unique.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("sender")
    )
    sender_rank = models.PositiveSmallIntegerField(
        _("sender's rank"), validators=[MinValueValidator(1)]
    )
    host_rank = models.PositiveSmallIntegerField(
        _("host's rank"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    acceptable = models.BooleanField(_("acceptable to the host"), default=True)

    class Meta:
        ordering = ["call_round", "organisation", "sender_rank"]
        verbose_name = _("round entry")
        verbose_name_plural = _("round entries")
        constraints = [
            models.UniqueConstraint(
                fields=["call_round", "application"], name="round_entry_unique_application"
            ),
            models.UniqueConstraint(
                fields=["call_round", "organisation", "sender_rank"],
                name="round_entry_unique_sender_rank",
            ),
            models.CheckConstraint(
                condition=Q(sender_rank__gte=1, sender_rank__lte=MAX_CHOICES_LIMIT),
                name="round_entry_sender_rank_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.call_round}: {self.application} ({self.sender_rank})"


class RoundProposal(models.Model):
    """The allocation proposed for a round, until the organiser confirms it; a new run replaces
    it. ``figures`` holds what exchanges.allocation.figures computed."""

    call_round = models.OneToOneField(
        CallRound, on_delete=models.CASCADE, related_name="proposal", verbose_name=_("call round")
    )
    rule = models.CharField(_("rule"), max_length=16, choices=CallRound.Rule.choices)
    figures = models.JSONField(_("figures"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed at"), default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("round proposal")
        verbose_name_plural = _("round proposals")

    def __str__(self):
        return str(self.call_round)


class RoundPlacement(models.Model):
    """One sender's outcome in a proposal: the application placed, or the reasons it was not."""

    proposal = models.ForeignKey(RoundProposal, on_delete=models.CASCADE, related_name="placements")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("sender")
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("placed application"),
    )
    choice = models.PositiveSmallIntegerField(_("choice"), null=True, blank=True)
    # For an unplaced sender, one of exchanges.allocation's reason codes per choice, in order.
    reasons = models.JSONField(_("reasons"), default=list, blank=True)

    class Meta:
        ordering = ["proposal", "organisation__name"]
        verbose_name = _("round placement")
        verbose_name_plural = _("round placements")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"], name="round_placement_unique_sender"
            )
        ]

    def __str__(self):
        return f"{self.organisation}: {self.application or '—'}"

    @property
    def is_placed(self):
        return self.application_id is not None

    @property
    def reason(self) -> str:
        """Why the sender was not placed, in words ("" when it was)."""
        return "" if self.is_placed else reason_in_words(self.reasons)


class RoundHistory(History):
    """What happened to a round: created, allocated (a proposal), confirmed."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        ALLOCATED = "allocated", _("Allocated")
        CONFIRMED = "confirmed", _("Confirmed")

    call_round = models.ForeignKey(CallRound, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)

    class Meta(History.Meta):
        verbose_name = _("round history entry")
        verbose_name_plural = _("round history")

    def __str__(self):
        return f"{self.call_round}: {self.get_kind_display()}"


def host_order(entries):
    """The host's ranking of an offer's entries: its own order first, then by fit."""
    return sorted(
        entries,
        key=lambda e: (
            e.host_rank is None,
            e.host_rank or 0,
            -(e.application.score or 0),
            e.application_id,
        ),
    )


def reason_in_words(reasons: list[str]) -> str:
    """Why a sender was not placed, from the reason codes of its choices
    (exchanges.allocation), in the active language."""
    if not reasons:
        return gettext("No offer of the round was ranked.")
    if all(reason == "not_acceptable" for reason in reasons):
        return ngettext(
            "The host of the offer you ranked did not find your application suitable.",
            "The hosts of the %(count)s offers you ranked did not find your application suitable.",
            len(reasons),
        ) % {"count": len(reasons)}
    if "reserve" in reasons:
        return gettext(
            "No places were left after the reserve: the places you would have had are held "
            "for participants with fewer opportunities."
        )
    return ngettext(
        "The offer you ranked was filled by applications its host ranked higher.",
        "The %(count)s offers you ranked were all filled by applications their hosts ranked "
        "higher.",
        len(reasons),
    ) % {"count": len(reasons)}
