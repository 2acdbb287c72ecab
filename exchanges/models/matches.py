"""What the scoring task stored, and invitations to apply."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import InterestProfile, Organisation

from .offers import Offer


class OfferProfileMatch(models.Model):
    """How well an offer fits an interest profile, as the scoring task last computed it.

    Kept: each offer's best profiles and each profile's best offers (MATCHING_TOP_K), replaced
    whenever either side is scored again. ``created_at`` and ``alerted_at`` survive a
    replacement, so a pair is "new" once and its organisation is alerted once.
    """

    # No index of their own: (offer, -score) and (profile, -score) below serve every look-up
    # by one side (and the unique pair), and a full re-score writes each index it keeps.
    offer = models.ForeignKey(
        Offer, on_delete=models.CASCADE, related_name="profile_matches", db_index=False
    )
    profile = models.ForeignKey(
        InterestProfile, on_delete=models.CASCADE, related_name="offer_matches", db_index=False
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
