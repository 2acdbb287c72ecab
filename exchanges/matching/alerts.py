"""Telling organisations about offers that fit their interest profiles.

A match is worth telling when it scores at least ``MATCHING_ALERT_THRESHOLD``. A profile
asking for alerts at once hears of it when the offer is scored (``alert_offer``, from the
offer's scoring run, which keeps the rows of the organisations told); a profile asking for a
weekly digest hears of the week's new matches on Monday morning (``send_weekly_digests``, from
the stored rows: the scoring runs keep every such pair not told yet). Either way the match's
``alerted_at`` is set in the same transaction as the outbox email, so nobody is told twice;
the outbox's idempotency keys (one per offer and organisation, one per profile and week) guard
the same. The reasons are worked out from the offer and profile as the email is written.
"""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from matchmaking.models import InterestProfile

from .. import emails, explanations
from ..models import Application, Offer, OfferProfileMatch

DIGEST_LENGTH = 20
_SHOWN = ("themes", "languages")  # what an explanation reads from an offer and a profile


class Candidate(NamedTuple):
    """A pair a scoring run found at or above the threshold, not told about yet."""

    profile_id: int
    score: float
    breakdown: dict  # slim, as stored


def alert_offer(offer, candidates):
    """Email the organisations that asked for alerts at once about a freshly scored offer.

    ``candidates`` are the offer's pairs at or above the threshold not told about yet. One
    email per organisation, about its best-fitting profile; the organisations that already
    applied to the offer are left out. Returns (how many organisations were told, the ids of
    their candidate profiles with alerts at once: the pairs now told about).
    """
    due = [c for c in candidates if c.score >= settings.MATCHING_ALERT_THRESHOLD]
    if not due:
        return 0, []
    profiles = (
        InterestProfile.objects.filter(
            pk__in=[c.profile_id for c in due],
            alert=InterestProfile.Alert.IMMEDIATELY,
            organisation__is_suspended=False,
        )
        .exclude(organisation__applications__offer=offer)
        .select_related("organisation")
        .in_bulk()
    )
    by_organisation = {}
    for candidate in sorted(due, key=lambda c: (-c.score, c.profile_id)):
        profile = profiles.get(candidate.profile_id)
        if profile is not None:
            by_organisation.setdefault(profile.organisation_id, []).append((candidate, profile))
    best = [fitting[0] for fitting in by_organisation.values()]
    prefetch_related_objects([offer], *_SHOWN)
    prefetch_related_objects([profile for _candidate, profile in best], *_SHOWN)
    for candidate, profile in best:
        breakdown = explanations.facts(candidate.breakdown, offer=offer, profile=profile)
        emails.offer_alert(offer=offer, profile=profile, breakdown=breakdown)
    told = [c.profile_id for fitting in by_organisation.values() for c, _profile in fitting]
    return len(by_organisation), told


def send_weekly_digests(*, now=None):
    """One digest per weekly-digest profile with new matches in the past seven days.

    An offer that fits several profiles of one organisation is listed in the first digest
    only. Each digest is written with its matches' ``alerted_at`` in its own transaction.
    Returns how many digests were queued.
    """
    now = now or timezone.now()
    year, week, _day = timezone.localtime(now).isocalendar()
    matches = (
        OfferProfileMatch.objects.filter(
            profile__alert=InterestProfile.Alert.WEEKLY,
            profile__organisation__is_suspended=False,
            alerted_at__isnull=True,
            created_at__gte=now - datetime.timedelta(days=7),
            score__gte=settings.MATCHING_ALERT_THRESHOLD,
            offer__in=Offer.objects.open_for_applications(),
        )
        .select_related("offer__organisation", "profile__organisation")
        .prefetch_related(
            *(f"{side}__{shown}" for side in ("offer", "profile") for shown in _SHOWN)
        )
        .order_by("profile__organisation_id", "profile__name", "profile_id", "-score", "pk")
    )
    matches = list(matches)
    applied = set(
        Application.objects.filter(
            offer__in={m.offer_id for m in matches},
            organisation__in={m.profile.organisation_id for m in matches},
        ).values_list("offer_id", "organisation_id")
    )
    by_profile = {}
    for match in matches:
        if (match.offer_id, match.profile.organisation_id) not in applied:
            by_profile.setdefault(match.profile, []).append(match)
    told = set()  # (organisation, offer) pairs listed in an earlier digest of this run
    sent = 0
    for profile, fitting in by_profile.items():
        listed = [m for m in fitting if (profile.organisation_id, m.offer_id) not in told]
        listed = listed[:DIGEST_LENGTH]
        with transaction.atomic():
            if listed:
                emails.weekly_digest(
                    profile=profile,
                    matches=[(m.offer, explanations.of_match(m)) for m in listed],
                    week=f"{year}-W{week:02d}",
                )
                sent += 1
            OfferProfileMatch.objects.filter(pk__in=[m.pk for m in fitting]).update(alerted_at=now)
        told.update((profile.organisation_id, m.offer_id) for m in listed)
    return sent
