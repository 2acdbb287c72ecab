"""Scoring runs — one offer, one profile, one application, or everything — and what they keep.

What is kept (``OfferProfileMatch``), of the pairs that fit (an excluded pair never is):

- each offer's ``MATCHING_TOP_K`` best profiles and each profile's ``MATCHING_TOP_K`` best
  offers (by total, then lower id): what the pages show;
- the pairs an organisation was told about (``alerted_at`` set), as long as they fit, so that
  nobody is told twice;
- for the profiles that want a weekly digest, the pairs at or above
  ``MATCHING_ALERT_THRESHOLD`` not told yet: the digest reads them.

The pairs an alert at once is due for are found in the run's scores, not in stored rows: only
the rows of the organisations told are added (with their ``alerted_at``).

A run scores its subject against every counterpart and replaces the subject's rows in one
transaction, under a lock on the subject (``storage.store_matches``: only what changed is
written; a row that stays keeps its ``created_at`` and ``alerted_at``). Scoring one offer, the
profiles whose own top K it enters are found from their stored rows — a profile's top K is
stored, so the offer belongs in it when fewer than K of its other rows beat it — and likewise
the offers for one profile. The row the subject pushes out of such a top K (its K-th) is
deleted in the same transaction, unless its other side's top K, an alert or a weekly digest
keeps it; ``rescore_all`` stores exactly the above.

Before it scores its subject, a run computes the subject's sentence vector if its text changed
(``vectors.refresh``: the worker embeds it once, and every later run reads it); so a text is
scored with its vector from its first run on. ``rescore_all`` embeds nothing (``manage.py
embed_texts`` does).

Applications are few per offer: each is scored against its own offer, with the other
applications to that offer as its text corpus, and keeps its breakdown in full, excluded or
not.
"""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from matchmaking.models import InterestProfile
from matchmaking.scoring import (
    COMPONENTS,
    Exclusion,
    Weights,
    score,
    score_pairs,
    top_matches,
)

from ..models import Application, Offer, OfferProfileMatch
from . import alerts, vectors
from .breakdowns import breakdowns, reciprocity, slim_breakdowns, thousandths
from .loaders import (
    Vocabularies,
    load_applications,
    load_offers,
    load_past_partners,
    load_profiles,
    load_profiles_and_alerts,
)
from .storage import MatchRows, store_application_scores, store_matches
from .weights import weights_in_use


def weights() -> Weights:
    """The weights in use: the active ``MatchingWeights`` version's, else the settings'."""
    return weights_in_use()


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
    vectors.refresh("offer", Offer.objects.filter(pk=offer_id))
    vectors.refresh("application", Application.objects.filter(offer_id=offer_id))
    vocabularies = Vocabularies.load()
    in_use = weights()
    offers = load_offers(Offer.objects.filter(pk=offer_id), vocabularies)
    applications = _score_applications(
        Application.objects.filter(offer_id=offer_id), vocabularies, in_use, offers=offers
    )
    run = None
    if offer.is_open_for_applications:  # as matchable_offers() sees it
        profiles, alerts_wanted = load_profiles_and_alerts(matchable_profiles(), vocabularies)
        weekly = alerts_wanted == InterestProfile.Alert.WEEKLY
        past_partners = load_past_partners()
        result = score(offers, profiles, in_use, past_partners=past_partners)
        run = _Run(result.total[0], result.exclusion[0], result.components[0], profiles.ids)
    sent = 0
    with transaction.atomic():
        _lock(Offer.objects.filter(pk=offer_id))
        existing = OfferProfileMatch.objects.filter(offer_id=offer_id)
        rows = MatchRows.empty()
        if run is not None:
            told = _told(existing, "profile_id", profiles.ids)
            keep = run.best() | (run.fits & told) | (run.due & weekly & ~told)
            entering, pushed = run.entering(
                InterestProfile, "profile", "offer_id", offer_id, run.fits
            )
            keep |= entering
            alerted = np.zeros(len(profiles), dtype=bool)
            if alert:
                sent, told_now = _alert(
                    offer, run, run.due & ~told, offers, profiles, past_partners
                )
                alerted = np.isin(profiles.ids, told_now)
                keep |= alerted
            columns = np.flatnonzero(keep)
            rows = match_rows(
                offers,
                profiles,
                np.zeros(len(columns), dtype=np.int64),
                columns,
                run.total[columns],
                run.components[columns],
                past_partners,
                alerted=alerted[columns],
            )
        store_matches(rows, replacing=existing)
        if run is not None:
            # The offer entered these profiles' K best: each one's K-th row falls out.
            _drop_pushed_out(
                [(other_offer, profile) for profile, other_offer in pushed], other="offer"
            )
    return {"matches": len(rows), "applications": applications, "alerted": sent}


def _alert(offer, run, due, offers, profiles, past_partners):
    """Alert at once the organisations ``due`` (a mask of profiles) points to: (how many
    organisations were told, the ids of the profiles whose organisations were told)."""
    columns = np.flatnonzero(due)
    if not len(columns):
        return 0, []
    partners, seeks = reciprocity(
        offers,
        profiles,
        np.zeros(len(columns), dtype=np.int64),
        columns,
        past_partners=past_partners,
    )
    explained = slim_breakdowns(thousandths(run.components[columns]), partners, seeks)
    candidates = [
        alerts.Candidate(profile_id, total, breakdown)
        for profile_id, total, breakdown in zip(
            profiles.ids[columns].tolist(), run.total[columns].tolist(), explained
        )
    ]
    return alerts.alert_offer(offer, candidates)


# One profile -------------------------------------------------------------------------------


def score_profile(profile_id):
    """Score a profile against every open offer and store its matches. Never alerts: the
    organisation sees them on its recommendations page as soon as it saves the profile."""
    profile = InterestProfile.objects.select_related("organisation").filter(pk=profile_id).first()
    if profile is None:
        return None
    run = None
    if not profile.organisation.is_suspended:
        vectors.refresh("profile", InterestProfile.objects.filter(pk=profile_id))
        vocabularies = Vocabularies.load()
        profiles = load_profiles(InterestProfile.objects.filter(pk=profile_id), vocabularies)
        offers = load_offers(matchable_offers(), vocabularies)
        past_partners = load_past_partners()
        result = score(offers, profiles, weights(), past_partners=past_partners)
        run = _Run(result.total[:, 0], result.exclusion[:, 0], result.components[:, 0], offers.ids)
    with transaction.atomic():
        _lock(InterestProfile.objects.filter(pk=profile_id))
        existing = OfferProfileMatch.objects.filter(profile_id=profile_id)
        rows = MatchRows.empty()
        if run is not None:
            told = _told(existing, "offer_id", offers.ids)
            keep = run.best() | (run.fits & told)
            if profile.alert == InterestProfile.Alert.WEEKLY:
                keep |= run.due & ~told
            entering, pushed = run.entering(Offer, "offer", "profile_id", profile_id, run.fits)
            keep |= entering
            found = np.flatnonzero(keep)
            rows = match_rows(
                offers,
                profiles,
                found,
                np.zeros(len(found), dtype=np.int64),
                run.total[found],
                run.components[found],
                past_partners,
            )
        store_matches(rows, replacing=existing)
        if run is not None:
            _drop_pushed_out(
                [(offer, other_profile) for offer, other_profile in pushed], other="profile"
            )
    return {"matches": len(rows)}


# Applications ------------------------------------------------------------------------------


def score_application(application_id):
    """Score a new application — with the other applications to its offer, which are scored
    together so that their text similarities share one corpus."""
    offer_id = (
        Application.objects.filter(pk=application_id).values_list("offer_id", flat=True).first()
    )
    if offer_id is None:
        return None
    vectors.refresh("application", Application.objects.filter(pk=application_id))
    return _score_applications(
        Application.objects.filter(offer_id=offer_id), Vocabularies.load(), weights()
    )


def _score_applications(applications, vocabularies, in_use, *, offers=None):
    """Score each application of the queryset against its own offer; store the scores.

    Each offer is scored with all of its applications in the queryset, as their text corpus.
    An application that holds places (``holding_places``) already counts its participants
    against the places left, so it is scored as if they were still free (else its own
    acceptance would exclude it), and the applications to an offer do not make their
    organisations its host's "past partners". A fixed number of queries, whatever the number
    of offers and applications; every pair in one pass of the engine (``score_pairs``).
    ``offers`` may hold their offers already loaded.
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
    holding = Exists(Application.objects.holding_places().filter(pk=OuterRef("pk")))
    for pk, offer_id, holds in applications.annotate(holds=holding).values_list(
        "pk", "offer_id", "holds"
    ):
        offer_of[pk] = offer_id
        if holds:
            accepted.add(pk)
    partners = _PartnersByOffer.load()
    ids = seekers.ids.tolist()
    rows = np.array([offer_row[offer_of[pk]] for pk in ids], dtype=np.int64)
    columns = np.arange(len(ids), dtype=np.int64)
    is_accepted = np.array([pk in accepted for pk in ids], dtype=bool)
    places = offers.places_left[rows] + np.where(is_accepted, seekers.participants, 0)
    places = places.astype(np.int32)
    were_partners = np.array(
        [
            partners.were(sender, host, offer_id)
            for sender, host, offer_id in zip(
                seekers.organisation_ids.tolist(),
                offers.organisation_ids[rows].tolist(),
                offers.ids[rows].tolist(),
            )
        ],
        dtype=bool,
    )
    result = score_pairs(
        offers,
        seekers,
        rows,
        columns,
        in_use,
        partners=were_partners,
        places_left=places,
        corpora=rows,
    )
    explained = breakdowns(
        offers,
        seekers,
        rows,
        columns,
        totals=result.total,
        exclusions=result.exclusion,
        components=result.components,
        past_partners=None,
        partners=were_partners,
        places_left=places,
        vocabularies=vocabularies,
    )
    store_application_scores(
        [(pk, breakdown["total"], breakdown) for pk, breakdown in zip(ids, explained)],
        now=timezone.now(),
    )
    return len(ids)


class _PartnersByOffer:
    """Past partners as seen from each offer: without the pairs that only it made."""

    def __init__(self, rows):
        self.offers_of = defaultdict(set)
        for sender, host, offer_id in rows:
            self.offers_of[(sender, host)].add(offer_id)

    @classmethod
    def load(cls):
        """One query."""
        return cls(
            Application.objects.filter(status=Application.Status.ACCEPTED)
            .order_by()
            .values_list("organisation_id", "offer__organisation_id", "offer_id")
            .distinct()
        )

    def were(self, sender, host, offer_id):
        """Whether the two organisations had an exchange together (either way) before, not
        counting one that only ``offer_id`` made."""
        for pair in ((sender, host), (host, sender)):
            offers = self.offers_of.get(pair)
            if offers and offers != {offer_id}:
                return True
        return False


# Everything --------------------------------------------------------------------------------


def rescore_all():
    """Every open offer against every profile (top matches both ways, the pairs organisations
    were told about, the weekly digests' pairs), replacing all stored matches in one
    transaction; then every application against its offer. Never alerts."""
    vocabularies = Vocabularies.load()
    in_use = weights()
    offers = load_offers(matchable_offers(), vocabularies)
    profiles, alerts_wanted = load_profiles_and_alerts(matchable_profiles(), vocabularies)
    weekly = alerts_wanted == InterestProfile.Alert.WEEKLY
    past_partners = load_past_partners()
    best = top_matches(
        offers,
        profiles,
        in_use,
        k=settings.MATCHING_TOP_K,
        past_partners=past_partners,
        also_above=settings.MATCHING_ALERT_THRESHOLD,
        also_seekers=weekly,
    )
    told = told_pairs(offers, profiles, past_partners, in_use)
    rows, columns, totals, components = union(
        [
            *(
                (np.full(len(r), i), r.indices, r.totals, r.components)
                for i, r in enumerate(best.per_offer)
            ),
            *(
                (r.indices, np.full(len(r), j), r.totals, r.components)
                for j, r in enumerate(best.per_seeker)
            ),
            (best.also.rows, best.also.columns, best.also.total, best.also.components),
            told,
        ]
    )
    matches = match_rows(offers, profiles, rows, columns, totals, components, past_partners)
    with transaction.atomic():
        store_matches(matches, replacing=OfferProfileMatch.objects.all())
    applications = score_every_application(vocabularies, in_use)
    return {
        "offers": len(offers),
        "profiles": len(profiles),
        "matches": len(matches),
        "applications": applications,
    }


def score_every_application(vocabularies, in_use):
    """Every application against its offer (``rescore_all``, and a chunk of a run)."""
    return _score_applications(Application.objects.all(), vocabularies, in_use)


def told_pairs(offers, profiles, past_partners, in_use, *, offer_rows=None):
    """The stored pairs an organisation was told about that still fit, scored now; with
    ``offer_rows`` (lo, hi), those of the offers of rows lo:hi only."""
    told = np.array(
        OfferProfileMatch.objects.filter(alerted_at__isnull=False).values_list(
            "offer_id", "profile_id"
        ),
        dtype=np.int64,
    ).reshape(-1, 2)
    rows, columns = _positions(offers.ids, told[:, 0]), _positions(profiles.ids, told[:, 1])
    loaded = (rows >= 0) & (columns >= 0)
    if offer_rows is not None:
        loaded &= (rows >= offer_rows[0]) & (rows < offer_rows[1])
    scored = score_pairs(
        offers, profiles, rows[loaded], columns[loaded], in_use, past_partners=past_partners
    )
    fits = scored.exclusion == Exclusion.NONE
    return scored.rows[fits], scored.columns[fits], scored.total[fits], scored.components[fits]


def _positions(ids, wanted):
    """The rows of ``wanted`` among the ascending ``ids``, -1 for those absent."""
    if not len(ids):
        return np.full(len(wanted), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(ids, wanted), len(ids) - 1)
    return np.where(ids[at] == wanted, at, -1)


def union(parts):
    """Pairs given in parts (offer rows, profile rows, totals, components), each pair once
    (a pair found twice has the same scores either way), ordered by (offer, profile)."""
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return (
            np.zeros(0, np.int64),
            np.zeros(0, np.int64),
            np.zeros(0, np.float32),
            np.zeros((0, len(COMPONENTS)), np.float32),
        )
    rows, columns, totals, components = (np.concatenate(p) for p in zip(*parts))
    rows, columns = rows.astype(np.int64), columns.astype(np.int64)
    keys = rows * (int(columns.max()) + 1) + columns
    _unique, first = np.unique(keys, return_index=True)
    return rows[first], columns[first], totals[first], components[first]


# Choosing and storing ----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Run:
    """One subject's scores against all its counterparts (offers or profiles)."""

    total: np.ndarray
    exclusion: np.ndarray
    components: np.ndarray
    ids: np.ndarray  # the counterparts' ids

    @property
    def fits(self):
        return self.exclusion == Exclusion.NONE

    @property
    def due(self):
        """The pairs an alert or a digest is for."""
        return self.fits & (self.total >= settings.MATCHING_ALERT_THRESHOLD)

    def best(self):
        """The subject's MATCHING_TOP_K best counterparts: higher total, then lower id."""
        candidates = np.flatnonzero(self.fits)
        order = np.lexsort((self.ids[candidates], -self.total[candidates]))
        chosen = np.zeros(len(self.total), dtype=bool)
        chosen[candidates[order[: settings.MATCHING_TOP_K]]] = True
        return chosen

    def entering(self, model, relation, subject_field, subject_id, among):
        """Which counterparts (of ``model``; ``among`` a mask) have the subject among their
        own K best, judged from their stored rows: fewer than K of their rows with others
        beat it (by total, then lower id). One query, when there is any to judge.

        Returns (that mask, the rows it pushes out): for each counterpart it enters that had
        K rows with others, (the counterpart's pk, the other subject's id of its K-th row),
        which is no longer among the counterpart's K best."""
        candidates = np.flatnonzero(self.fits & among)
        entering = np.zeros(len(self.total), dtype=bool)
        pushed = []
        if not len(candidates):
            return entering, pushed
        k = settings.MATCHING_TOP_K
        others = (
            OfferProfileMatch.objects.filter(**{relation: OuterRef("pk")})
            .exclude(**{subject_field: subject_id})
            .order_by("-score", subject_field)[k - 1 : k]
        )
        kth = {
            pk: (kth_score, kth_id)
            for pk, kth_score, kth_id in model.objects.filter(pk__in=self.ids[candidates].tolist())
            .annotate(
                kth_score=Subquery(others.values("score")),
                kth_id=Subquery(others.values(subject_field)),
            )
            .values_list("pk", "kth_score", "kth_id")
        }
        for row, pk, total in zip(
            candidates.tolist(), self.ids[candidates].tolist(), self.total[candidates].tolist()
        ):
            kth_score, kth_id = kth.get(pk, (None, None))
            entering[row] = kth_score is None or (total, -subject_id) > (kth_score, -kth_id)
            if entering[row] and kth_score is not None:
                pushed.append((pk, kth_id))
        return entering, pushed


def _drop_pushed_out(pairs, *, other):
    """Delete the stored rows ``pairs`` ((offer id, profile id)), pushed out of one side's K
    best by a new subject, unless something else keeps them: the ``other`` side's K best
    (its stored rows: fewer than K beat it), an alert told about it, or a weekly digest it is
    due for. Two queries at most."""
    if not pairs:
        return 0
    k = settings.MATCHING_TOP_K
    field, rival = ("offer_id", "profile_id") if other == "offer" else ("profile_id", "offer_id")
    wanted = set(pairs)
    ranked = OfferProfileMatch.objects.filter(**{field: OuterRef(field)}).order_by("-score", rival)[
        k - 1 : k
    ]
    rows = (
        OfferProfileMatch.objects.filter(
            offer_id__in={o for o, _p in wanted},
            profile_id__in={p for _o, p in wanted},
            alerted_at__isnull=True,
        )
        .annotate(kth_score=Subquery(ranked.values("score")), kth_id=Subquery(ranked.values(rival)))
        .values_list(
            "pk", "offer_id", "profile_id", "score", "kth_score", "kth_id", "profile__alert"
        )
    )
    threshold = settings.MATCHING_ALERT_THRESHOLD
    gone = []
    for pk, offer_id, profile_id, total, kth_score, kth_id, alert in rows:
        if (offer_id, profile_id) not in wanted or kth_score is None:
            continue
        rival_id = profile_id if other == "offer" else offer_id
        in_other_best = (total, -rival_id) >= (kth_score, -kth_id)
        due_weekly = alert == InterestProfile.Alert.WEEKLY and total >= threshold
        if not in_other_best and not due_weekly:
            gone.append(pk)
    if gone:
        OfferProfileMatch.objects.filter(pk__in=gone).delete()
    return len(gone)


def _lock(subject):
    list(subject.select_for_update().values_list("pk"))


def _told(existing, field, ids):
    """Which counterparts (``ids``) the subject's stored rows say were told about."""
    told = existing.filter(alerted_at__isnull=False).values_list(field, flat=True)
    return np.isin(ids, np.fromiter(told, dtype=np.int64))


def match_rows(offers, profiles, rows, columns, totals, components, past_partners, *, alerted=None):
    """``MatchRows`` for the pairs (offer rows[p], profile columns[p]) the engine scored."""
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    partners, seeks = reciprocity(offers, profiles, rows, columns, past_partners=past_partners)
    return MatchRows(
        offer_ids=offers.ids[rows],
        profile_ids=profiles.ids[columns],
        scores=np.asarray(totals, dtype=np.float32),
        thousandths=thousandths(components),
        past_partners=partners,
        host_seeks=seeks,
        alerted=np.zeros(len(rows), dtype=bool) if alerted is None else alerted,
    )
