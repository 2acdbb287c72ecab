"""Applications to offers and their status history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matchmaking.models import EmbeddedText, History, Language, Organisation
from matchmaking.validators import (
    COUNT_BOUNDS,
    DATE_BOUNDS,
    PARTICIPANT_BOUNDS,
    PARTICIPANTS_MAX,
    dates_within,
    within,
)

from .offers import Offer


class ApplicationQuerySet(models.QuerySet):
    def holding_places(self):
        """Accepted applications whose exchange still takes place: they use an offer's places.

        The one definition of "places held": the accepting service, the offer pages and the
        matching engine's loaders all count places through it.
        """
        return self.filter(status=Application.Status.ACCEPTED).exclude(exchange__status="cancelled")

    def places_held(self):
        """The participants of the applications in this queryset that hold places."""
        return self.holding_places().aggregate(held=Sum("participants"))["held"] or 0

    def places_held_by_offer(self):
        """Offer id -> participants of its applications in this queryset that hold places, for
        the offers that have any: one query."""
        return dict(
            self.holding_places()
            .order_by()
            .values("offer_id")
            .annotate(held=Sum("participants"))
            .values_list("offer_id", "held")
        )

    def places_held_subquery(self):
        """The places held in the offer of the outer query (``OuterRef("pk")``), for an
        annotation; None when it has none."""
        return Subquery(
            self.holding_places()
            .filter(offer=OuterRef("pk"))
            .order_by()
            .values("offer_id")
            .annotate(held=Sum("participants"))
            .values("held"),
            output_field=models.IntegerField(),
        )


class Application(EmbeddedText):
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
        _("participants"), validators=PARTICIPANT_BOUNDS
    )
    fewer_opportunity_participants = models.PositiveSmallIntegerField(
        _("of whom with fewer opportunities"), default=0, validators=COUNT_BOUNDS
    )
    participant_roles = models.TextField(
        _("participants' roles"),
        max_length=2000,
        help_text=_("For example: two advisors in education, one NAV case worker."),
    )
    preferred_start = models.DateField(_("preferred start"), validators=DATE_BOUNDS)
    preferred_end = models.DateField(_("preferred end"), validators=DATE_BOUNDS)
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

    objects = ApplicationQuerySet.as_manager()

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
            models.CheckConstraint(
                condition=within(1, PARTICIPANTS_MAX, "participants")
                & dates_within("preferred_start", "preferred_end"),
                name="application_bounded",
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
            errors["participants"] = ngettext(
                "The offer has %(places)s place; apply for at most one participant.",
                "The offer has %(places)s places; apply for at most that many participants.",
                offer.capacity,
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
        """Still to be decided: the host may accept or decline it, its sender withdraw it."""
        return self.status in self.UNDECIDED

    @property
    def can_be_shortlisted(self):
        return self.status == self.Status.SUBMITTED

    @property
    def messages_refusal(self):
        """Why no new message may be written between the two sides ("" while they may): the
        application was withdrawn or declined, or its exchange cancelled. The thread stays
        readable. (The one definition: the messaging service refuses by it, the pages show it.)
        """
        if self.status == self.Status.WITHDRAWN:
            return _(
                "The application was withdrawn: its messages stay readable, but no new message "
                "can be written."
            )
        if self.status == self.Status.DECLINED:
            return _(
                "The application was declined: its messages stay readable, but no new message "
                "can be written."
            )
        exchange = getattr(self, "exchange", None)  # the reverse one-to-one; None if not accepted
        if exchange is not None and exchange.is_cancelled:
            return _(
                "The exchange was cancelled: its messages stay readable, but no new message "
                "can be written."
            )
        return ""


class ApplicationHistory(History):
    """One change of an application's status: who made it, when, and what they said."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(_("status"), max_length=16, choices=Application.Status.choices)

    class Meta(History.Meta):
        verbose_name = _("application history entry")
        verbose_name_plural = _("application history")

    def __str__(self):
        return f"{self.application}: {self.get_kind_display()}"
