"""Time the matching engine on synthetic data and print one JSON object per line.

Usage:

    .venv/bin/python bench/matching.py [--quick] [--only NAME ...] [--repeat N]
        [--database bench_NAME] [--keep-database]

Each line is ``{"name": …, "offers": …, "profiles": …, "seconds": …}`` (some add fields):

- ``engine_one_offer``: 1 offer × 100,000 profiles through ``scoring.score``, every text with
  a sentence vector (random, of the model's dimension: ``embedding.DIMENSIONS``), their
  codes prepared beforehand as the loaders' per-worker cache hands them over; median of
  ``--repeat`` runs.
- ``engine_one_offer_lexical``: the same without vectors (the lexical fallback for every
  pair), the profiles' texts counted beforehand (``term_counts``, which a caller can keep).
- ``engine_one_offer_cold``: the lexical one with the profiles' texts counted inside the
  timing (lemmas of English texts).
- ``engine_full``: 2,000 offers × 20,000 profiles through ``scoring.top_matches`` (k=50),
  texts counted inside the timing; no database.
- ``naive_one_offer``: a per-pair pure-Python scorer with the same definitions on the same
  data as ``engine_one_offer`` (texts counted beforehand too); also checks that it agrees.
- ``ratio_naive_over_engine``: ``{"name": …, "value": …}``.
- ``embedding``: ``embedding.embed`` of 24 texts of 30–90 words in six languages, one at a
  time and in one batch: ``texts_per_second`` of each (the model loaded beforehand).

Through Django, on PostgreSQL (the entries ``task_one_offer`` and ``full_rescore``; they add
``matches``, the rows stored, and ``applications``, those scored):

- ``task_one_offer_cold``: the data of ``engine_one_offer`` as organisations, offers, interest
  profiles and applications in the database, the offer scored by the task's body
  (``exchanges.matching.scoring.score_offer``: load, engine, store; no alerts), in a process
  whose caches of counted words and of vectors read are empty (a freshly started worker).
- ``task_one_offer_warm``: the same again, the words counted by the run before (median of
  ``--repeat`` runs).
- ``full_rescore_first``: the data of ``engine_full``, ``rescore_all()`` into empty tables.
- ``full_rescore_cold``: ``rescore_all()`` again, nothing having changed, with an empty cache
  of counted words (``manage.py rescore_matches`` in a new process).
- ``full_rescore_warm``: once more, the words counted.
- ``full_rescore_new_weights``: with every weight changed a little, so that every score
  changes and every row is written again (after changing MATCHING_WEIGHTS).
- ``full_rescore_cold`` empties the cache of vectors read too.
- ``full_rescore_chunked_1_worker``, ``full_rescore_chunked_2_workers`` (the entry
  ``full_rescore_chunked``): the same data, matches stored by a first ``rescore_all``, then a
  run of chunks (``exchanges.tasks.start_rescore``) on 1 and on 2 freshly started Celery
  worker processes (``celery worker --pool=solo``, subprocesses against ``--redis``, default
  ``redis://127.0.0.1:6379/9``, flushed first, and the bench database), timed from the start
  of the run to its finishing step's end; they add ``chunks``, ``chunk_seconds`` (the
  slowest chunk, from started to done), ``chunk_seconds_total`` (every chunk's, added up:
  above ``seconds`` when chunks ran side by side), ``finish_seconds`` (the finishing step) and
  ``same_as_single`` (whether the stored rows equal those of ``rescore_all``).

The Django benchmarks need PostgreSQL on the local socket (as the tests): they drop and
create the database ``--database`` (default ``bench_matching``; its name must start with
``bench_``), migrate it, fill it with COPY, and drop it at the end unless
``--keep-database``. Before each full re-score the matches and applications tables are
vacuumed and analysed, untimed, as autovacuum would between two re-scores. For example:

    .venv/bin/python bench/matching.py --only task_one_offer full_rescore
    .venv/bin/python bench/matching.py --quick --only task_one_offer

``--quick`` runs a tenth of the sizes. The data come from a fixed seed: 8 exchange types, 30
themes, 31 languages, 30 countries, windows within two years, texts from a vocabulary of 2,000
words with Zipf-like frequencies, 0–2 fields of education each, a random unit vector per text
(an offer's and a profile's are unrelated: their text component is 0). In the database,
organisations (one per ten offers and profiles) get the engine's countries; an offer's title
is the first words of its text and its description the rest, a profile's name its first
three words, each row with its vector stored (its hash that of its text, so nothing is
embedded while timing); a third of the offers have an
accepted application (which takes places, so that places left are the engine's, and makes
its two organisations past partners) and each has 1.5 undecided applications on average;
60 % of the profiles want alerts at once, 25 % a weekly digest.

The Django benchmarks import Django inside their function (see ``django_setup``), so the
engine benchmarks run without a database.
"""

import argparse
import dataclasses
import itertools
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
    embedding,
    indicator_matrix,
    score,
    top_matches,
)
from matchmaking.scoring.engine import LAST_PLACES  # noqa: E402

SEED = 20260301
N_TYPES, N_THEMES, N_LANGUAGES, N_COUNTRIES, N_FIELDS = 8, 30, 31, 30, 11
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
        fields_of_education=sets(n_offers, N_FIELDS, 0, 2),
        text_languages=["en"] * n_offers,
        vectors=_unit_vectors(rng, n_offers),
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
        fields_of_education=sets(n_profiles, N_FIELDS, 0, 2),
        text_languages=["en"] * n_profiles,
        vectors=_unit_vectors(rng, n_profiles),
    )
    past_partners = rng.integers(0, n_organisations, (n_organisations, 2)) + 1
    return Synthetic(offers, profiles, past_partners)


def _unit_vectors(rng, n):
    vectors = rng.standard_normal((n, embedding.DIMENSIONS), dtype=np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def _without_vectors(items):
    return dataclasses.replace(items, vectors=None, vector_codes=None)


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
    # The codes as the worker's cache keeps them (float32), prepared ahead.
    profiles = dataclasses.replace(data.profiles, vectors=None, vector_codes=data.profiles.codes)
    profiles.vector_scales  # noqa: B018
    score(data.offers, profiles, Weights(), past_partners=data.past_partners)  # warm up
    seconds, _ = _timed(
        lambda: score(data.offers, profiles, Weights(), past_partners=data.past_partners),
        args.repeat,
    )
    return {"offers": n_offers, "profiles": n_profiles, "seconds": seconds}


def engine_one_offer_lexical(args):
    n_offers, n_profiles = _size("one_offer", args)
    data = synthetic(n_offers, n_profiles)
    data = Synthetic(
        _without_vectors(data.offers), _without_vectors(data.profiles), data.past_partners
    )
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
    data = Synthetic(
        _without_vectors(data.offers), _without_vectors(data.profiles), data.past_partners
    )
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


# --- Through Django, on PostgreSQL: the scoring task and the full re-score. ---


def task_one_offer(args):
    """The data of ``engine_one_offer`` in PostgreSQL, scored by the task's body."""
    n_offers, n_profiles = _size("one_offer", args)
    data = synthetic(n_offers, n_profiles)
    _fill_database(data, args)
    from exchanges.matching import scoring
    from exchanges.models import OfferProfileMatch

    offer_id = int(data.offers.ids[0])
    # Untimed: connections, imports and PostgreSQL's buffers warmed up; the offer has its
    # matches, as an offer that is edited (and scored again) has.
    scoring.score_offer(offer_id, alert=False)
    _forget_text_counts()
    cold, _ = _timed(lambda: scoring.score_offer(offer_id, alert=False), 1)
    warm, summary = _timed(lambda: scoring.score_offer(offer_id, alert=False), args.repeat)
    figures = {
        "offers": n_offers,
        "profiles": n_profiles,
        "matches": OfferProfileMatch.objects.filter(offer_id=offer_id).count(),
        "applications": summary["applications"],
    }
    return [
        {"name": "task_one_offer_cold", **figures, "seconds": cold},
        {"name": "task_one_offer_warm", **figures, "seconds": warm},
    ]


def full_rescore(args):
    """The data of ``engine_full`` in PostgreSQL, re-scored and stored by ``rescore_all``."""
    n_offers, n_profiles = _size("full", args)
    data = synthetic(n_offers, n_profiles)
    _fill_database(data, args)
    from django.conf import settings
    from django.test import override_settings

    from exchanges.matching import scoring

    # Every component weighs a little differently: every score changes, every row is written.
    changed = {
        name: weight * (1.1 if k % 2 else 0.9)
        for k, (name, weight) in enumerate(settings.MATCHING_WEIGHTS.items())
    }
    lines = []
    for name in (
        "full_rescore_first",
        "full_rescore_cold",
        "full_rescore_warm",
        "full_rescore_new_weights",
    ):
        _vacuum()
        if name == "full_rescore_cold":
            _forget_text_counts()
        weights = changed if name == "full_rescore_new_weights" else settings.MATCHING_WEIGHTS
        with override_settings(MATCHING_WEIGHTS=weights):
            seconds, summary = _timed(scoring.rescore_all, 1)
        lines.append(
            {
                "name": name,
                "offers": n_offers,
                "profiles": n_profiles,
                "seconds": seconds,
                "matches": summary["matches"],
                "applications": summary["applications"],
            }
        )
    return lines


def full_rescore_chunked(args):
    """The data of ``engine_full``, re-scored by a run of chunks on 1 and on 2 workers."""
    n_offers, n_profiles = _size("full", args)
    data = synthetic(n_offers, n_profiles)
    _fill_database(data, args)
    from django.db import connection

    from exchanges.matching import scoring

    scoring.rescore_all()  # the matches a re-score finds stored (as after the first one)
    single = _stored_rows(connection)
    lines = []
    for workers in (1, 2):
        _vacuum()
        with _celery_workers(workers, args):
            seconds, run = _timed(_chunked_run, 1)
        chunks = run.chunks.all()
        lines.append(
            {
                "name": f"full_rescore_chunked_{workers}_worker{'s' if workers > 1 else ''}",
                "offers": n_offers,
                "profiles": n_profiles,
                "workers": workers,
                "seconds": seconds,
                "chunks": run.chunks_total,
                "chunk_seconds": max((c.done_at - c.started_at).total_seconds() for c in chunks),
                # The chunks' durations added up: above "seconds" when they ran side by side.
                "chunk_seconds_total": sum(
                    (c.done_at - c.started_at).total_seconds() for c in chunks
                ),
                "finish_seconds": (run.finished_at - run.finish_queued_at).total_seconds(),
                "matches": run.matches,
                "applications": run.applications,
                "same_as_single": _stored_rows(connection) == single,
            }
        )
    return lines


def _stored_rows(connection):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT md5(string_agg(offer_id || ' ' || profile_id || ' ' || score || ' ' "
            "|| breakdown::text, ',' ORDER BY offer_id, profile_id)) "
            "FROM exchanges_offerprofilematch"
        )
        return cursor.fetchone()[0]


def _chunked_run():
    from exchanges import tasks

    run = tasks.start_rescore()
    while run.finished_at is None:
        time.sleep(0.05)
        run.refresh_from_db()
    return run


class _celery_workers:
    """``workers`` Celery worker processes (solo pool) on a Redis database of the bench's own,
    the bench's tasks sent to it meanwhile; stopped (SIGTERM, by pid) at the end."""

    def __init__(self, workers, args):
        self.workers, self.broker = workers, args.redis
        self.processes = []

    def __enter__(self):
        import subprocess

        import redis

        from matchmaking.celery import app

        redis.Redis.from_url(self.broker).flushdb()
        environment = {
            **os.environ,
            "CELERY_BROKER_URL": self.broker,
            "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
            "LOG_LEVEL": "WARNING",
        }
        for k in range(self.workers):
            self.processes.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "-A",
                        "matchmaking",
                        "worker",
                        "-n",
                        f"bench{k}@%h",
                        "--pool=solo",
                        "--without-gossip",
                        "--without-mingle",
                        "-l",
                        "WARNING",
                    ],
                    cwd=Path(__file__).resolve().parent.parent,
                    env=environment,
                    stdout=subprocess.DEVNULL,
                )
            )
        app.conf.update(broker_url=self.broker, task_always_eager=False)
        deadline = time.monotonic() + 60
        while len(app.control.ping(timeout=0.5) or []) < self.workers:
            if time.monotonic() > deadline:
                sys.exit("The Celery workers did not start within 60 s.")
        return self

    def __exit__(self, *exc):
        from matchmaking.celery import app

        app.conf.update(task_always_eager=True)
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(timeout=30)


def _vacuum():
    """Untimed, between runs: what autovacuum does on a server between two re-scores (the
    test cluster has it off), so that a run does not pay for the dead rows of the last."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE exchanges_offerprofilematch, exchanges_application")


def embedding_throughput(args):
    """Texts a second through the real model, one at a time and in one batch."""
    sentences = [
        "Job shadowing for youth guidance counsellors who reach young people not in "
        "education, employment or training through outreach work in the city's districts.",
        "Jobbskuggning för studie- och yrkesvägledare som når unga som varken arbetar eller "
        "studerar genom uppsökande arbete i stadens stadsdelar.",
        "Hospitering for rådgivere i fylkeskommunen som følger opp unge som står utenfor "
        "arbeid og skole, med oppsøkende arbeid og tett samarbeid med NAV.",
        "Prácticas para aprendices de formación profesional en empresas de logística: "
        "gestión de almacenes, carretillas elevadoras y cadena de suministro.",
        "Estada d'observació per a formadors d'adults en competències bàsiques, "
        "alfabetització digital i orientació a persones migrades.",
        "Visita di studio sulla validazione delle competenze acquisite e sull'orientamento "
        "degli adulti nei centri provinciali per l'istruzione degli adulti.",
    ]
    texts = [f"{sentences[k % len(sentences)]} ({k})" * (1 + k % 3) for k in range(24)]
    embedding.embed(texts[:1], kind=embedding.MATCHING_KIND)  # the model loaded
    one, _ = _timed(
        lambda: [embedding.embed([text], kind=embedding.MATCHING_KIND) for text in texts], 1
    )
    batch, _ = _timed(lambda: embedding.embed(texts, kind=embedding.MATCHING_KIND), 1)
    return {
        "texts": len(texts),
        "seconds": one,
        "texts_per_second": round(len(texts) / one, 2),
        "batched_texts_per_second": round(len(texts) / batch, 2),
    }


BENCHMARKS = {
    "engine_one_offer": engine_one_offer,
    "engine_one_offer_lexical": engine_one_offer_lexical,
    "engine_one_offer_cold": engine_one_offer_cold,
    "engine_full": engine_full,
    "naive_one_offer": naive_one_offer,
    "task_one_offer": task_one_offer,
    "full_rescore": full_rescore,
    "full_rescore_chunked": full_rescore_chunked,
    "embedding": embedding_throughput,
}
DJANGO_BENCHMARKS = {"task_one_offer", "full_rescore", "full_rescore_chunked"}


def django_setup():
    """Set Django up (for the benchmarks that need it); DATABASE_URL picks the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaking.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()


def _forget_text_counts():
    """Empty the worker's caches of counted words and of vectors read, as in a freshly
    started worker."""
    try:
        from exchanges.matching import texts
    except ImportError:  # a version of the code without the cache
        return
    texts.clear()
    try:
        from exchanges.matching import vectors
    except ImportError:  # a version of the code without vectors
        return
    vectors.clear()


# The database: created (dropped first if it exists), migrated, and dropped at the end unless
# --keep-database. Its name must start with "bench_", so that no other database is touched.

# N_COUNTRIES codes: the columns of the engine's country indices.
COUNTRY_CODES = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
    "NO",
    "IS",
    "LI",
]
ALERTS = ("immediately", "weekly", "off")
ALERT_SHARES = (0.6, 0.25, 0.15)
# Of the offers: how many have an accepted application (which takes places and makes the two
# organisations past partners), and how many applications wait for a decision per offer.
ACCEPTED_SHARE = 0.3
UNDECIDED_PER_OFFER = 1.5
DEADLINE_DAYS_BEFORE_START = 7

_database_ready = False


def _database(args):
    """Create and migrate the benchmark database once per run; Django set up on it."""
    global _database_ready
    if _database_ready:
        return
    name = args.database
    if not name.startswith("bench_"):
        sys.exit(f"--database must start with bench_ (got {name!r}): it is dropped and created")
    import psycopg

    with psycopg.connect("dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = f"postgres:///{name}"
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing is queued: the timed code runs here
    django_setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if not args.keep_database:
        import atexit

        atexit.register(_drop_database, name)
    _database_ready = True


def _drop_database(name):
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect("dbname=postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _fill_database(data, args):
    """Write ``data`` (from ``synthetic``) as organisations, offers, interest profiles and
    applications, with COPY; the ids are the engine's, the texts and sets the same."""
    _database(args)
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from exchanges.matching.vectors import text_hash, text_of
    from exchanges.models import Application, Offer, OfferProfileMatch
    from matchmaking.models import (
        ExchangeType,
        FieldOfEducation,
        InterestProfile,
        Language,
        Organisation,
        OutboxEmail,
        Theme,
    )

    rng = np.random.default_rng(SEED + 1)  # the engine's data stay those of its own seed
    offers, profiles = data.offers, data.profiles
    now = timezone.now()
    # The engine's days are moved so that the offers open a month from now.
    shift = (timezone.localdate() + datetime.timedelta(days=30)).toordinal() - FIRST_DAY

    def day(ordinal):
        return datetime.date.fromordinal(int(ordinal) + shift)

    with transaction.atomic(), connection.cursor() as cursor:
        tables = [OfferProfileMatch, Application, Offer, InterestProfile, Organisation, OutboxEmail]
        cursor.execute(
            "TRUNCATE " + ", ".join(m._meta.db_table for m in tables) + " RESTART IDENTITY CASCADE"
        )
        types = list(ExchangeType.objects.order_by("pk").values_list("pk", flat=True))
        for k in range(Theme.objects.count(), N_THEMES):
            Theme.objects.create(slug=f"bench-theme-{k}", name=f"Bench theme {k}", position=100 + k)
        themes = list(Theme.objects.order_by("pk").values_list("pk", flat=True))
        languages = list(Language.objects.order_by("pk").values_list("pk", flat=True))
        fields = list(FieldOfEducation.objects.order_by("slug").values_list("pk", flat=True))
        offer_codes = embedding.quantise(offers.vectors)
        profile_codes = embedding.quantise(profiles.vectors)
        if len(types) < N_TYPES or len(languages) < N_LANGUAGES:
            sys.exit("the seeded exchange types and languages are fewer than the engine's")

        n_organisations = int(max(offers.organisation_ids.max(), profiles.organisation_ids.max()))
        country_of = {}
        for i, c in zip(offers.organisation_ids.tolist(), offers.country.tolist()):
            country_of[i] = COUNTRY_CODES[c]
        for i, c in zip(profiles.organisation_ids.tolist(), profiles.country.tolist()):
            country_of[i] = COUNTRY_CODES[c]
        _copy(
            cursor,
            Organisation,
            (
                {
                    "id": k,
                    "name": f"Organisation {k}",
                    "slug": f"organisation-{k}",
                    "kind": "vet",
                    "country": country_of.get(k, "SE"),
                    "region_name": "Region",
                    "nuts_code": "",
                    "city": "City",
                    "website": "",
                    "description": "",
                    "logo": "",
                    "contact_email": f"contact@organisation-{k}.example.org",
                    "is_suspended": False,
                    "suspension_reason": "",
                    "created_at": now,
                }
                for k in range(1, n_organisations + 1)
            ),
        )

        # Applications: an accepted one takes places (so places left = the engine's); the
        # undecided ones are scored with their offer.
        n = len(offers)
        accepted = (rng.random(n) < ACCEPTED_SHARE) | (offers.places_left == 0)
        accepted_participants = np.where(accepted, rng.integers(1, 5, n), 0)
        capacity = offers.places_left + accepted_participants
        undecided = rng.poisson(UNDECIDED_PER_OFFER, n)
        applications, application_languages = [], []
        offer_rows, offer_themes, offer_languages, offer_fields = [], [], [], []
        for i in range(n):
            offer_id, host = int(offers.ids[i]), int(offers.organisation_ids[i])
            start, end = day(offers.start[i]), day(offers.end[i])
            words = offers.texts[i].split()
            offer_languages_i = [languages[k] for k in offers.languages[i].indices.tolist()]
            title, description = " ".join(words[:5]), " ".join(words[5:])
            offer_rows.append(
                {
                    "id": offer_id,
                    "organisation_id": host,
                    "title": title,
                    # A vector stored for the text as it is: nothing to embed when scoring.
                    "text_vector": embedding.to_bytes(offer_codes[i]),
                    "text_hash": text_hash(text_of(title, description)),
                    "text_language": "en",
                    "exchange_type_id": types[int(offers.exchange_type[i])],
                    "target_group": "staff",
                    "description": description,
                    "programme": "",
                    "city": "City",
                    "region_name": "Region",
                    "available_from": start,
                    "available_until": end,
                    "fixed_dates": False,
                    "duration_days": min(5, (end - start).days + 1),
                    "capacity": int(capacity[i]),
                    "application_deadline": start - datetime.timedelta(DEADLINE_DAYS_BEFORE_START),
                    "supports_fewer_opportunities": bool(offers.supports_fewer_opportunities[i]),
                    "fewer_opportunities_support": (
                        "A mentor." if offers.supports_fewer_opportunities[i] else ""
                    ),
                    "practical_information": "",
                    "costs_note": "",
                    "status": "published",
                    "published_at": now,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            offer_themes += [(offer_id, themes[k]) for k in offers.themes[i].indices.tolist()]
            offer_languages += [(offer_id, language) for language in offer_languages_i]
            offer_fields += [
                (offer_id, fields[k]) for k in offers.fields_of_education[i].indices.tolist()
            ]
            senders = rng.choice(n_organisations, int(accepted[i]) + undecided[i], replace=False)
            for a, sender in enumerate(senders.tolist()):
                if sender + 1 == host:
                    continue
                is_accepted = bool(accepted[i]) and a == 0
                participants = (
                    int(accepted_participants[i])
                    if is_accepted
                    else int(rng.integers(1, max(1, int(capacity[i])) + 1))
                )
                source = int(rng.integers(len(profiles)))
                applications.append(
                    {
                        "id": len(applications) + 1,
                        "offer_id": offer_id,
                        "organisation_id": sender + 1,
                        "motivation": profiles.texts[source],
                        "text_vector": embedding.to_bytes(profile_codes[source]),
                        "text_hash": text_hash(
                            text_of(profiles.texts[source], "Advisors and teachers.")
                        ),
                        "text_language": "en",
                        "participants": participants,
                        "fewer_opportunity_participants": int(rng.integers(0, participants + 1)),
                        "participant_roles": "Advisors and teachers.",
                        "preferred_start": start,
                        "preferred_end": end,
                        "status": "accepted" if is_accepted else "submitted",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                chosen = rng.choice(offer_languages_i or languages, 1).tolist()
                application_languages.append((len(applications), chosen[0]))
        _copy(cursor, Offer, offer_rows)
        _copy(cursor, Offer.themes.through, _pairs(offer_themes, "offer_id", "theme_id"))
        _copy(cursor, Offer.languages.through, _pairs(offer_languages, "offer_id", "language_id"))
        _copy(
            cursor,
            Offer.fields_of_education.through,
            _pairs(offer_fields, "offer_id", "fieldofeducation_id"),
        )
        _copy(cursor, Application, applications)
        _copy(
            cursor,
            Application.languages.through,
            _pairs(application_languages, "application_id", "language_id"),
        )

        alerts = rng.choice(len(ALERTS), len(profiles), p=ALERT_SHARES)
        wanted = profiles.countries_wanted
        profile_rows = []
        for j in range(len(profiles)):
            words = profiles.texts[j].split()
            window = bool(profiles.has_window[j])
            codes = wanted.indices[wanted.indptr[j] : wanted.indptr[j + 1]].tolist()
            name, description = " ".join(words[:3]), " ".join(words[3:])
            profile_rows.append(
                {
                    "id": int(profiles.ids[j]),
                    "organisation_id": int(profiles.organisation_ids[j]),
                    "name": name,
                    "description": description,
                    "text_vector": embedding.to_bytes(profile_codes[j]),
                    "text_hash": text_hash(text_of(name, description)),
                    "text_language": "en",
                    "countries_wanted": ",".join(sorted(COUNTRY_CODES[c] for c in codes)),
                    "available_from": day(profiles.start[j]) if window else None,
                    "available_until": day(profiles.end[j]) if window else None,
                    "participants": int(profiles.participants[j]),
                    "fewer_opportunity_participants": int(
                        profiles.fewer_opportunity_participants[j]
                    ),
                    "alert": ALERTS[alerts[j]],
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _copy(cursor, InterestProfile, profile_rows)
        for field, matrix, vocabulary in (
            (InterestProfile.exchange_types, profiles.exchange_types, types),
            (InterestProfile.themes, profiles.themes, themes),
            (InterestProfile.languages, profiles.languages, languages),
            (InterestProfile.fields_of_education, profiles.fields_of_education, fields),
        ):
            through = field.through
            owner, value = (f.column for f in through._meta.concrete_fields if f.column != "id")
            rows = np.repeat(profiles.ids, np.diff(matrix.indptr)).tolist()
            values = [vocabulary[k] for k in matrix.indices.tolist()]
            _copy(cursor, through, _pairs(zip(rows, values), owner, value))
        for model in (Organisation, Offer, Application, InterestProfile):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics, as a database in service has them


def _pairs(pairs, first, second):
    return ({first: a, second: b} for a, b in pairs)


def _copy(cursor, model, rows):
    """COPY ``rows`` (dicts by column) into the model's table. Missing fields get their
    default; without an "id" the table's sequence numbers the rows."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.column in first]
    defaults = {f.column: f.get_default() for f in fields}
    columns = [f.column for f in fields]
    with cursor.copy(f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in itertools.chain([first], rows):
            copy.write_row([row.get(c, defaults[c]) for c in columns])


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
        if field.name in (
            "texts",
            "text_counts",
            "text_languages",
            "vectors",
            "vector_codes",
            "code_scales",
        ):
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
    codes = items.codes
    columns["codes"] = [None] * len(items) if codes is None else codes.astype(int).tolist()
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
    idf = {term: math.log((1 + len(documents)) / (1 + df)) + 1 for term, df in frequency.items()}

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
    a, b = offer["codes"], profile["codes"]
    if a is not None and b is not None and any(a) and any(b):
        dot = sum(x * y for x, y in zip(a, b))
        cosine = dot / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))
        low, high = float(embedding.FLOOR), float(embedding.CEILING)
        text = max(0.0, min(1.0, (cosine - low) / (high - low)))

    offer_fields, profile_fields = offer["fields_of_education"], profile["fields_of_education"]
    smaller = min(len(offer_fields), len(profile_fields))
    fields = len(offer_fields & profile_fields) / smaller if smaller else 0.5

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
        "fields": fields,
    }
    return components, (min(reasons) if reasons else Exclusion.NONE)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), metavar="NAME")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the one-offer timings")
    parser.add_argument(
        "--database",
        default="bench_matching",
        help="PostgreSQL database of the Django benchmarks, dropped and created (bench_…)",
    )
    parser.add_argument(
        "--redis",
        default="redis://127.0.0.1:6379/9",
        help="Redis database of full_rescore_chunked's workers (flushed first)",
    )
    parser.add_argument(
        "--keep-database", action="store_true", help="do not drop it at the end (to look at it)"
    )
    args = parser.parse_args()

    results = {}
    for name in args.only or BENCHMARKS:
        lines = BENCHMARKS[name](args)
        for line in lines if isinstance(lines, list) else [{"name": name, **lines}]:
            results[line["name"]] = line
            print(json.dumps(line), flush=True)
    if "naive_one_offer" in results and "engine_one_offer" in results:
        ratio = results["naive_one_offer"]["seconds"] / results["engine_one_offer"]["seconds"]
        print(json.dumps({"name": "ratio_naive_over_engine", "value": round(ratio, 1)}))


if __name__ == "__main__":
    main()
