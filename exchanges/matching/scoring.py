"""Scoring runs — one offer, one profile, one application, or everything — and their storage.

What is kept (``OfferProfileMatch``): for each offer its ``MATCHING_TOP_K`` best profiles, for
each profile its best offers, every pair at or above ``MATCHING_ALERT_THRESHOLD`` (alerts and
digests are read from them), and every pair already kept that still fits (so that re-scoring
one offer does not take it out of a profile's list). Excluded pairs are never kept. A run
replaces its subject's rows in one transaction, under a lock on the subject, and keeps each
surviving pair's ``created_at`` and ``alerted_at``.

Applications are few per offer: each is scored and keeps its breakdown, excluded or not.
"""

import dataclasses
import datetime
import json
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from matchmaking.models import InterestProfile
from matchmaking.scoring import COMPONENTS, Exclusion, Weights, score, top_matches

from ..models import Application, Offer, OfferProfileMatch
from . import alerts
from .breakdowns import breakdowns
from .loaders import (
    Vocabularies,
    load_applications,
    load_offers,
    load_past_partners,
    load_profiles,
)


def weights():
    return Weights.from_mapping(settings.MATCHING_WEIGHTS)


def matchable_offers():
    """The offers recommended to anyone: published, open, of organisations in good standing."""
    return Offer.objects.open_for_applications()


def matchable_profiles():
    return InterestProfile.objects.filter(organisation__is_suspended=False)


# One offer ---------------------------------------------------------------------------------


def score_offer(offer_id, *, alert=True):
    """Score an offer against every profile and its own applications; store; alert.

    With ``alert``, the organisations whose profiles now fit the offer at or above the
    threshold and ask for alerts at once are emailed (once per offer and organisation). A
    closed or draft offer keeps no profile matches. Returns counts, or None if the offer no
    longer exists.
    """
    offer = Offer.objects.select_related("organisation").filter(pk=offer_id).first()
    if offer is None:
        return None
    vocabularies = Vocabularies.load()
    offers = load_offers(Offer.objects.filter(pk=offer_id), vocabularies)
    applications = _score_applications(
        Application.objects.filter(offer_id=offer_id), vocabularies, offers=offers
    )
    is_open = offer.is_open_for_applications  # as matchable_offers() sees it
    matches = []
    if is_open:
        profiles = load_profiles(matchable_profiles(), vocabularies)
        kept = _kept(profiles, OfferProfileMatch.objects.filter(offer_id=offer_id), "profile_id")
        past_partners = load_past_partners()
        result = score(offers, profiles, weights(), past_partners=past_partners)
        columns = _worth_keeping(result.total[0], result.exclusion[0], kept=kept)
        matches = _match_rows(
            offers, profiles, np.zeros(len(columns), dtype=np.int64), columns, result,
            past_partners=past_partners, vocabularies=vocabularies,
        )  # fmt: skip
    with transaction.atomic():
        _lock(Offer.objects.filter(pk=offer_id))
        existing = OfferProfileMatch.objects.filter(offer_id=offer_id)
        alerted = dict(
            existing.filter(alerted_at__isnull=False).values_list("profile_id", "alerted_at")
        )
        for match in matches:
            match.alerted_at = alerted.get(match.profile_id)
        sent = alerts.alert_offer(offer, matches) if alert and is_open else 0
        _store(matches, replacing=existing, with_alerts=True)
    return {"matches": len(matches), "applications": applications, "alerted": sent}


# One profile -------------------------------------------------------------------------------


def score_profile(profile_id):
    """Score a profile against every open offer and store its matches. Never alerts: the
    organisation sees them on its recommendations page as soon as it saves the profile."""
    profile = (
        InterestProfile.objects.select_related("organisation").filter(pk=profile_id).first()
    )
    if profile is None:
        return None
    matches = []
    if not profile.organisation.is_suspended:
        vocabularies = Vocabularies.load()
        profiles = load_profiles(InterestProfile.objects.filter(pk=profile_id), vocabularies)
        offers = load_offers(matchable_offers(), vocabularies)
        kept = _kept(offers, OfferProfileMatch.objects.filter(profile_id=profile_id), "offer_id")
        past_partners = load_past_partners()
        result = score(offers, profiles, weights(), past_partners=past_partners)
        rows = _worth_keeping(result.total[:, 0], result.exclusion[:, 0], kept=kept)
        matches = _match_rows(
            offers, profiles, rows, np.zeros(len(rows), dtype=np.int64), result,
            past_partners=past_partners, vocabularies=vocabularies,
        )  # fmt: skip
    with transaction.atomic():
        _lock(InterestProfile.objects.filter(pk=profile_id))
        _store(matches, replacing=OfferProfileMatch.objects.filter(profile_id=profile_id))
    return {"matches": len(matches)}


# Applications ------------------------------------------------------------------------------


def score_application(application_id):
    """Score a new application — with the other applications to its offer, which are scored
    together so that their text similarities share one corpus."""
    offer_id = (
        Application.objects.filter(pk=application_id).values_list("offer_id", flat=True).first()
    )
    if offer_id is None:
        return None
    return _score_applications(
        Application.objects.filter(offer_id=offer_id), Vocabularies.load()
    )


def _score_applications(applications, vocabularies, *, offers=None):
    """Score each application of the queryset against its own offer; store the scores.

    Each offer is scored with all of its applications in the queryset. An accepted
    application's participants already count against the places left, so it is scored as if
    they were still free (else its own acceptance would exclude it), and the applications to
    an offer do not make their organisations its host's "past partners". A fixed number of
    queries, whatever the number of offers and applications. ``offers`` may hold their
    offers already loaded.
    """
    seekers = load_applications(applications, vocabularies)
    if not len(seekers):
        return 0
    if offers is None:
        offers = load_offers(
            Offer.objects.filter(pk__in=applications.values("offer_id")), vocabularies
        )
    offer_row = {offer_id: i for i, offer_id in enumerate(offers.ids.tolist())}
    offer_of, accepted = {}, set()
    for pk, offer_id, status in applications.values_list("pk", "offer_id", "status"):
        offer_of[pk] = offer_id
        if status == Application.Status.ACCEPTED:
            accepted.add(pk)
    partners = _PartnersByOffer.load()
    # Count the words of all texts once; take() hands the counts on to each offer's group.
    offers.term_counts, seekers.term_counts  # noqa: B018
    by_offer = defaultdict(list)
    for j, application_id in enumerate(seekers.ids.tolist()):
        by_offer[offer_row[offer_of[application_id]]].append(j)
    now = timezone.now()
    scored = []
    for i, columns in by_offer.items():
        scored += _applications_of_one_offer(
            offers.take([i]), seekers.take(columns), accepted=accepted,
            past_partners=partners.excluding(int(offers.ids[i])), vocabularies=vocabularies,
            now=now,
        )  # fmt: skip
    Application.objects.bulk_update(
        scored, ["score", "score_breakdown", "scored_at"], batch_size=500
    )
    return len(scored)


def _applications_of_one_offer(offer, group, *, accepted, past_partners, vocabularies, now):
    """Unsaved Application rows with the scores of ``group`` against the one ``offer``."""
    places = np.array([
        offer.places_left[0] + (n if application_id in accepted else 0)
        for application_id, n in zip(group.ids.tolist(), group.participants.tolist())
    ], dtype=np.int32)  # fmt: skip
    scored = []
    for value in np.unique(places):
        as_seen = dataclasses.replace(offer, places_left=np.array([value], dtype=np.int32))
        result = score(as_seen, group, weights(), past_partners=past_partners)
        chosen = np.flatnonzero(places == value)
        explained = breakdowns(
            as_seen, group, np.zeros(len(chosen), dtype=np.int64), chosen,
            totals=result.total[0, chosen], exclusions=result.exclusion[0, chosen],
            components=result.components[0, chosen], past_partners=past_partners,
            vocabularies=vocabularies,
        )  # fmt: skip
        for j, breakdown in zip(chosen.tolist(), explained):
            scored.append(Application(
                pk=int(group.ids[j]), score=breakdown["total"], score_breakdown=breakdown,
                scored_at=now,
            ))  # fmt: skip
    return scored


class _PartnersByOffer:
    """Past partners as seen from each offer: without the pairs that only it made."""

    def __init__(self, rows):
        offers_of = defaultdict(set)
        for sender, host, offer_id in rows:
            offers_of[(sender, host)].add(offer_id)
        self.pairs = list(offers_of)
        self.only_from = defaultdict(set)
        for pair, offers in offers_of.items():
            if len(offers) == 1:
                self.only_from[next(iter(offers))].add(pair)

    @classmethod
    def load(cls):
        """One query."""
        return cls(
            Application.objects.filter(status=Application.Status.ACCEPTED)
            .order_by()
            .values_list("organisation_id", "offer__organisation_id", "offer_id")
            .distinct()
        )

    def excluding(self, offer_id):
        own = self.only_from.get(offer_id, ())
        pairs = [pair for pair in self.pairs if pair not in own] if own else self.pairs
        return np.array(pairs, dtype=np.int64).reshape(-1, 2)


# Everything --------------------------------------------------------------------------------


def rescore_all():
    """Every open offer against every profile (top matches both ways), replacing all stored
    matches in one transaction; then every application against its offer. Never alerts."""
    vocabularies = Vocabularies.load()
    offers = load_offers(matchable_offers(), vocabularies)
    profiles = load_profiles(matchable_profiles(), vocabularies)
    past_partners = load_past_partners()
    best = top_matches(
        offers, profiles, weights(), k=settings.MATCHING_TOP_K, past_partners=past_partners
    )
    rows, columns, totals, components = _ranked_pairs(best)
    matches = _match_rows(
        offers, profiles, rows, columns, None, totals=totals, components=components,
        past_partners=past_partners, vocabularies=vocabularies,
    )  # fmt: skip
    with transaction.atomic():
        _store(matches, replacing=OfferProfileMatch.objects.all())
    applications = _score_applications(Application.objects.all(), vocabularies)
    return {
        "offers": len(offers),
        "profiles": len(profiles),
        "matches": len(matches),
        "applications": applications,
    }


def _ranked_pairs(best):
    """Each offer's and each profile's top matches, each pair once, ordered by (offer, profile):
    (offer rows, profile rows, totals, components)."""
    rankings = [(i, None, r) for i, r in enumerate(best.per_offer)] + [
        (None, j, r) for j, r in enumerate(best.per_seeker)
    ]
    if not any(len(r) for _i, _j, r in rankings):
        return (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32),
                np.zeros((0, len(COMPONENTS)), np.float32))  # fmt: skip
    rows = np.concatenate([
        np.full(len(r), i) if i is not None else r.indices for i, _j, r in rankings
    ]).astype(np.int64)  # fmt: skip
    columns = np.concatenate([
        np.full(len(r), j) if j is not None else r.indices for _i, j, r in rankings
    ]).astype(np.int64)  # fmt: skip
    totals = np.concatenate([r.totals for _i, _j, r in rankings])
    components = np.concatenate([r.components.reshape(-1, len(COMPONENTS)) for *_, r in rankings])
    # A pair found from both sides has the same scores either way: keep its first occurrence.
    keys = rows * (int(columns.max()) + 1) + columns
    _unique, first = np.unique(keys, return_index=True)
    return rows[first], columns[first], totals[first], components[first]


# Choosing and storing ----------------------------------------------------------------------


def _lock(subject):
    list(subject.select_for_update().values_list("pk"))


def _kept(counterparts, existing, field):
    """Which counterparts (rows of Offers or Seekers) the subject is matched with already."""
    return np.isin(counterparts.ids, list(existing.values_list(field, flat=True)))


def _worth_keeping(total, exclusion, *, kept):
    """Which of one subject's counterparts to keep, best first (see the module's docstring)."""
    fits = exclusion == Exclusion.NONE
    candidates = np.flatnonzero(fits)
    best_first = candidates[np.lexsort((candidates, -total[candidates]))]
    keep = set(best_first[: settings.MATCHING_TOP_K].tolist())
    keep |= set(np.flatnonzero(fits & (total >= settings.MATCHING_ALERT_THRESHOLD)).tolist())
    keep |= set(np.flatnonzero(fits & kept).tolist())
    return np.array([k for k in best_first.tolist() if k in keep], dtype=np.int64)


@dataclasses.dataclass(slots=True)
class ScoredMatch:
    """An ``OfferProfileMatch`` row to be stored (a plain object: a full re-score makes
    hundreds of thousands, too many to build model instances for)."""

    offer_id: int
    profile_id: int
    score: float
    breakdown: dict
    created_at: datetime.datetime
    scored_at: datetime.datetime
    alerted_at: datetime.datetime | None = None

    def as_row(self):
        return OfferProfileMatch(**{f: getattr(self, f) for f in self.__dataclass_fields__})


def _match_rows(offers, seekers, rows, columns, result, *, totals=None, components=None,
                past_partners, vocabularies):  # fmt: skip
    """Matches to store for the pairs (rows[p], columns[p]), scored in ``result`` (a
    ``ScoreMatrix``) or given as ``totals`` and ``components`` (from rankings: not excluded)."""
    if result is not None:
        totals = result.total[rows, columns]
        components = result.components[rows, columns]
        exclusions = result.exclusion[rows, columns]
    else:
        exclusions = np.zeros(len(rows), dtype=np.int8)
    explained = breakdowns(
        offers, seekers, rows, columns, totals=totals, exclusions=exclusions,
        components=components, past_partners=past_partners, vocabularies=vocabularies,
    )  # fmt: skip
    now = timezone.now()
    offer_ids = offers.ids[rows].tolist()
    profile_ids = seekers.ids[columns].tolist()
    return [
        ScoredMatch(offer_id, profile_id, breakdown["total"], breakdown, now, now)
        for offer_id, profile_id, breakdown in zip(offer_ids, profile_ids, explained)
    ]


def _store(matches, *, replacing, with_alerts=False):
    """Write ``matches`` in place of the ``replacing`` rows, in the caller's transaction.

    Pairs that stay are updated in place (an upsert), so they keep their ``created_at`` (when
    they first matched, which the digest reads) and, unless ``with_alerts``, their
    ``alerted_at``; the rows of ``replacing`` not written now are deleted. The same as
    delete + insert, without reading the old rows back first.
    """
    stamp = matches[0].scored_at if matches else timezone.now()
    fields = ["score", "breakdown", "scored_at"] + (["alerted_at"] if with_alerts else [])
    if _can_copy():
        _copy_upsert(matches, fields)
    else:
        OfferProfileMatch.objects.bulk_create(
            [match.as_row() for match in matches],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["offer", "profile"],
            update_fields=fields,
        )
    replacing.exclude(scored_at=stamp).delete()


def _can_copy():
    # PostgreSQL's COPY writes tens of thousands of rows many times faster than an INSERT
    # (whose parameters psycopg quotes one by one); the demo's SQLite gets the INSERT.
    return connection.vendor == "postgresql"


_COLUMNS = ("offer_id", "profile_id", "score", "breakdown", "created_at", "scored_at", "alerted_at")


def _copy_upsert(matches, fields):
    """The upsert of ``_store`` through a temporary table filled with COPY (PostgreSQL)."""
    if not matches:
        return
    table = OfferProfileMatch._meta.db_table
    columns = ", ".join(_COLUMNS)
    updates = ", ".join(f"{field} = EXCLUDED.{field}" for field in fields)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.scored_matches")
        cursor.execute(
            f"CREATE TEMPORARY TABLE scored_matches AS SELECT {columns} FROM {table} WITH NO DATA"
        )
        with cursor.copy(f"COPY scored_matches ({columns}) FROM STDIN") as copy:
            for m in matches:
                copy.write_row((
                    m.offer_id, m.profile_id, m.score, json.dumps(m.breakdown), m.created_at,
                    m.scored_at, m.alerted_at,
                ))  # fmt: skip
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM scored_matches "
            f"ON CONFLICT (offer_id, profile_id) DO UPDATE SET {updates}"
        )
        cursor.execute("DROP TABLE scored_matches")
