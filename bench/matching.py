"""Time the matching engine on synthetic data and print one JSON object per line.

Usage:

    .venv/bin/python bench/matching.py [--quick] [--only NAME ...] [--repeat N]

Each line is ``{"name": …, "offers": …, "profiles": …, "seconds": …}`` (some add fields):

- ``engine_one_offer``: 1 offer × 100,000 profiles through ``scoring.score``; the profiles'
  texts are counted beforehand (``term_counts``, which a caller can keep); median of
  ``--repeat`` runs.
- ``engine_one_offer_cold``: the same with the profiles' texts counted inside the timing.
- ``engine_full``: 2,000 offers × 20,000 profiles through ``scoring.top_matches`` (k=50),
  texts counted inside the timing; no database.
- ``naive_one_offer``: a per-pair pure-Python scorer with the same definitions on the same
  data as ``engine_one_offer`` (texts counted beforehand too); also checks that it agrees.
- ``ratio_naive_over_engine``: ``{"name": …, "value": …}``.

``--quick`` runs a tenth of the sizes. The data come from a fixed seed: 8 exchange types, 30
themes, 31 languages, 30 countries, windows within two years, texts from a vocabulary of 2,000
words with Zipf-like frequencies.

Benchmarks that go through Django (the scoring task, the full re-score with PostgreSQL and the
store) belong in ``BENCHMARKS`` too; they import Django inside their function (see
``django_setup``), so the engine benchmarks run without a database.
"""

import argparse
import dataclasses
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from matchmaking.scoring import (  # noqa: E402
    COMPONENTS,
    Exclusion,
    Offers,
    Seekers,
    Weights,
    indicator_matrix,
    score,
    top_matches,
)
from matchmaking.scoring.engine import LAST_PLACES  # noqa: E402

SEED = 20260301
N_TYPES, N_THEMES, N_LANGUAGES, N_COUNTRIES = 8, 30, 31, 30
VOCABULARY_SIZE = 2000
ENGLISH = 6  # the most common working language
FIRST_DAY = 739_000  # a day ordinal (2024); windows fall within the two years after it
SIZES = {
    "one_offer": (1, 100_000),
    "full": (2_000, 20_000),
}


@dataclasses.dataclass
class Synthetic:
    offers: Offers
    profiles: Seekers
    past_partners: np.ndarray  # (k, 2) organisation ids


def synthetic(n_offers, n_profiles, *, seed=SEED) -> Synthetic:
    rng = np.random.default_rng(seed)
    n_organisations = max(10, (n_offers + n_profiles) // 10)
    organisation_country = rng.integers(0, N_COUNTRIES, n_organisations)
    vocabulary = _vocabulary(rng)
    frequencies = 1.0 / np.arange(1, VOCABULARY_SIZE + 1)
    frequencies /= frequencies.sum()

    def texts(n, low, high):
        lengths = rng.integers(low, high + 1, n)
        drawn = vocabulary[rng.choice(VOCABULARY_SIZE, int(lengths.sum()), p=frequencies)]
        ends = np.cumsum(lengths)
        return [" ".join(drawn[end - length : end]) for end, length in zip(ends, lengths)]

    def sets(n, n_columns, low, high, *, favourite=None):
        sizes = rng.integers(low, high + 1, n)
        rows = [rng.choice(n_columns, size, replace=False).tolist() for size in sizes]
        if favourite is not None:
            for row in rows:
                if rng.random() < 0.6 and favourite not in row:
                    row.append(favourite)
        return indicator_matrix(rows, n_columns)

    offer_organisations = rng.integers(0, n_organisations, n_offers)
    offer_start = FIRST_DAY + rng.integers(0, 730 - 60, n_offers)
    offers = Offers(
        ids=rng.permutation(n_offers) + 1,
        organisation_ids=offer_organisations + 1,
        exchange_type=rng.integers(0, N_TYPES, n_offers),
        themes=sets(n_offers, N_THEMES, 1, 4),
        languages=sets(n_offers, N_LANGUAGES, 1, 2, favourite=ENGLISH),
        country=organisation_country[offer_organisations],
        start=offer_start,
        end=offer_start + rng.integers(5, 60, n_offers),
        places_left=rng.integers(0, 21, n_offers),
        supports_fewer_opportunities=rng.random(n_offers) < 0.5,
        texts=texts(n_offers, 25, 70),
        host_seeks_types=sets(n_offers, N_TYPES, 0, 2),
    )

    profile_organisations = rng.integers(0, n_organisations, n_profiles)
    profile_start = FIRST_DAY + rng.integers(0, 730 - 14, n_profiles)
    participants = rng.integers(1, 11, n_profiles)
    fewer = np.where(rng.random(n_profiles) < 0.4, rng.integers(1, participants + 1), 0)
    wants_countries = rng.random(n_profiles) < 0.3
    profiles = Seekers(
        ids=rng.permutation(n_profiles) + 1,
        organisation_ids=profile_organisations + 1,
        exchange_types=sets(n_profiles, N_TYPES, 1, 3),
        themes=sets(n_profiles, N_THEMES, 0, 5),
        languages=sets(n_profiles, N_LANGUAGES, 1, 3, favourite=ENGLISH),
        countries_wanted=indicator_matrix(
            (
                rng.choice(N_COUNTRIES, rng.integers(1, 6), replace=False) if wants else ()
                for wants in wants_countries
            ),
            N_COUNTRIES,
        ),
        country=organisation_country[profile_organisations],
        start=profile_start,
        end=np.minimum(profile_start + rng.integers(14, 181, n_profiles), FIRST_DAY + 729),
        has_window=rng.random(n_profiles) < 0.8,
        participants=participants,
        fewer_opportunity_participants=fewer,
        texts=texts(n_profiles, 10, 60),
        hosts_types=sets(n_profiles, N_TYPES, 0, 2),
    )
    past_partners = rng.integers(0, n_organisations, (n_organisations, 2)) + 1
    return Synthetic(offers, profiles, past_partners)


def _vocabulary(rng):
    syllables = [c + v for c in "bcdfghjklmnprstvz" for v in "aeiouyåö"]
    words = set()
    while len(words) < VOCABULARY_SIZE:
        words.add("".join(rng.choice(syllables, rng.integers(2, 5))))
    return np.array(sorted(words))


def _timed(function, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), result


def _fresh(items):
    """The same offers or seekers, their texts not counted yet."""
    return dataclasses.replace(items, text_counts=None)


def engine_one_offer(args):
    n_offers, n_profiles = _size("one_offer", args)
    data = synthetic(n_offers, n_profiles)
    data.profiles.document_frequencies  # noqa: B018 — count the texts ahead, as a cache would
    score(data.offers, data.profiles, Weights(), past_partners=data.past_partners)  # warm up
    seconds, _ = _timed(
        lambda: score(data.offers, data.profiles, Weights(), past_partners=data.past_partners),
        args.repeat,
    )
    return {"offers": n_offers, "profiles": n_profiles, "seconds": seconds}


def engine_one_offer_cold(args):
    n_offers, n_profiles = _size("one_offer", args)
    data = synthetic(n_offers, n_profiles)
    copies = [_fresh(data.profiles) for _ in range(args.repeat)]
    seconds, _ = _timed(
        lambda: score(data.offers, copies.pop(), Weights(), past_partners=data.past_partners),
        args.repeat,
    )
    return {"offers": n_offers, "profiles": n_profiles, "seconds": seconds}


def engine_full(args):
    n_offers, n_profiles = _size("full", args)
    data = synthetic(n_offers, n_profiles)
    offers, profiles = _fresh(data.offers), _fresh(data.profiles)
    seconds, best = _timed(
        lambda: top_matches(offers, profiles, Weights(), k=50, past_partners=data.past_partners),
        1,
    )
    stored = sum(len(r) for r in best.per_offer) + sum(len(r) for r in best.per_seeker)
    return {"offers": n_offers, "profiles": n_profiles, "seconds": seconds, "matches": stored}


def naive_one_offer(args):
    n_offers, n_profiles = _size("one_offer", args)
    data = synthetic(n_offers, n_profiles)
    offers, profiles = _naive_rows(data.offers), _naive_rows(data.profiles)
    partners = {frozenset(map(int, pair)) for pair in data.past_partners}
    weights = Weights()
    seconds, (totals, exclusions) = _timed(
        lambda: naive_score(offers, profiles, weights, partners), 1
    )
    engine = score(data.offers, data.profiles, weights, past_partners=data.past_partners)
    agrees = bool((np.array(exclusions) == engine.exclusion).all())
    difference = float(np.abs(np.array(totals, dtype=np.float64) - engine.total).max())
    return {
        "offers": n_offers,
        "profiles": n_profiles,
        "seconds": seconds,
        "same_exclusions": agrees,
        "max_total_difference": difference,
    }


# The Django-dependent benchmarks (`task_one_offer`: the same offer through the scoring task
# with a PostgreSQL load and the top-50 store; `full_rescore`: 2,000 × 20,000 stored) go here
# as two more entries; they call django_setup() inside their function.
BENCHMARKS = {
    "engine_one_offer": engine_one_offer,
    "engine_one_offer_cold": engine_one_offer_cold,
    "engine_full": engine_full,
    "naive_one_offer": naive_one_offer,
}


def django_setup():
    """Set Django up (for the benchmarks that need it); DATABASE_URL picks the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")
    import django

    django.setup()


def _size(name, args):
    n_offers, n_profiles = SIZES[name]
    if args.quick:
        return max(1, n_offers // 10), n_profiles // 10
    return n_offers, n_profiles


# --- The naive scorer: one pair at a time, Python sets and dicts, the same definitions. ---


def _naive_rows(items):
    """Plain Python records (sets of indices, dicts of bucket counts); not timed."""
    columns = {}
    for field in dataclasses.fields(items):
        value = getattr(items, field.name)
        if field.name in ("texts", "text_counts"):
            continue
        if hasattr(value, "indptr"):
            indices, bounds = value.indices.tolist(), value.indptr.tolist()
            columns[field.name] = [set(indices[a:b]) for a, b in zip(bounds, bounds[1:])]
        else:
            columns[field.name] = value.tolist()
    counts = items.term_counts
    buckets, data, bounds = counts.indices.tolist(), counts.data.tolist(), counts.indptr.tolist()
    columns["terms"] = [
        dict(zip(buckets[a:b], data[a:b], strict=True)) for a, b in zip(bounds, bounds[1:])
    ]
    return [dict(zip(columns, values, strict=True)) for values in zip(*columns.values())]


def naive_score(offers, profiles, weights, partners):
    """Totals and exclusions, pair by pair."""
    names = COMPONENTS
    raw = [getattr(weights, name) for name in names]
    w = [value / sum(raw) for value in raw]

    documents = [o["terms"] for o in offers] + [p["terms"] for p in profiles]
    frequency = {}
    for terms in documents:
        for term in terms:
            frequency[term] = frequency.get(term, 0) + 1
    idf = {
        term: math.log((1 + len(documents)) / (1 + df)) + 1 for term, df in frequency.items()
    }

    def vector(terms):
        weighted = {term: count * idf[term] for term, count in terms.items()}
        norm = math.sqrt(sum(value * value for value in weighted.values()))
        return {term: value / norm for term, value in weighted.items()} if norm else {}

    profile_vectors = [vector(p["terms"]) for p in profiles]
    totals, exclusions = [], []
    for offer in offers:
        offer_vector = vector(offer["terms"])
        total_row, exclusion_row = [], []
        for profile, profile_vector in zip(profiles, profile_vectors, strict=True):
            components, exclusion = _naive_pair(offer, offer_vector, profile, profile_vector)
            if frozenset((offer["organisation_ids"], profile["organisation_ids"])) in partners:
                components["reciprocity"] = 1.0
            total = min(1.0, sum(w[k] * components[name] for k, name in enumerate(names)))
            total_row.append(0.0 if exclusion else total)
            exclusion_row.append(exclusion)
        totals.append(total_row)
        exclusions.append(exclusion_row)
    return totals, exclusions


def _naive_pair(offer, offer_vector, profile, profile_vector):
    reasons = []
    if offer["exchange_type"] not in profile["exchange_types"]:
        reasons.append(Exclusion.EXCHANGE_TYPE)

    union = offer["themes"] | profile["themes"]
    themes = len(offer["themes"] & profile["themes"]) / len(union) if union else 0.0

    small, large = sorted((offer_vector, profile_vector), key=len)
    text = max(0.0, min(1.0, sum(value * large.get(term, 0.0) for term, value in small.items())))

    if profile["has_window"]:
        first = max(offer["start"], profile["start"])
        last = min(offer["end"], profile["end"])
        overlap = max(0, last - first + 1)
        window = max(1, profile["end"] - profile["start"] + 1)
        dates = min(1.0, overlap / window)
        if overlap == 0:
            reasons.append(Exclusion.DATES)
    else:
        dates = 1.0

    common = offer["languages"] & profile["languages"]
    if offer["languages"] and profile["languages"]:
        languages = len(common) / len(profile["languages"])
        if not common:
            reasons.append(Exclusion.LANGUAGE)
    else:
        languages = 1.0

    participants, places = profile["participants"], offer["places_left"]
    if participants < places:
        capacity = 1.0
    elif participants == places:
        capacity = LAST_PLACES
    else:
        capacity = 0.0
        reasons.append(Exclusion.CAPACITY)

    wanted = profile["countries_wanted"]
    if wanted and offer["country"] not in wanted:
        reasons.append(Exclusion.COUNTRY)
    if offer["organisation_ids"] == profile["organisation_ids"]:
        reasons.append(Exclusion.SAME_ORGANISATION)

    if profile["fewer_opportunity_participants"] > 0:
        fewer = 1.0 if offer["supports_fewer_opportunities"] else 0.0
    else:
        fewer = 0.5
    components = {
        "themes": themes,
        "text": text,
        "dates": dates,
        "languages": languages,
        "capacity": capacity,
        "fewer_opportunities": fewer,
        "cross_border": 1.0 if offer["country"] != profile["country"] else 0.0,
        "reciprocity": 1.0 if offer["host_seeks_types"] & profile["hosts_types"] else 0.0,
    }
    return components, (min(reasons) if reasons else Exclusion.NONE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), metavar="NAME")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the one-offer timings")
    args = parser.parse_args()

    results = {}
    for name in args.only or BENCHMARKS:
        results[name] = BENCHMARKS[name](args)
        print(json.dumps({"name": name, **results[name]}), flush=True)
    if "naive_one_offer" in results and "engine_one_offer" in results:
        ratio = results["naive_one_offer"]["seconds"] / results["engine_one_offer"]["seconds"]
        print(json.dumps({"name": "ratio_naive_over_engine", "value": round(ratio, 1)}))


if __name__ == "__main__":
    main()
