"""A full re-score split into chunks that several workers (or machines) share.

``start_run`` makes a ``RescoreRun`` and its chunks: the open offers in ranges of ids
(``RESCORE_CHUNK_OFFERS`` each) and one chunk for every application. The caller queues one
task per chunk (``exchanges.tasks.rescore_chunk``, a Celery group); any worker takes any.

A chunk (``rescore_chunk``) scores its offers against every interest profile and stages, per
pair it found, what ``rescore_all`` would store for it — score and breakdown — with two
flags: ``kept`` for the pairs kept whatever the other chunks found (each of the chunk's
offers' K best profiles, the pairs organisations were told about, the weekly digests' pairs),
``ranked`` for each profile's K best among the chunk's offers. A profile's K best of all
offers are among the union of its chunks' K best, so the finishing step (``rescore_finish``)
keeps the kept pairs and, per profile, the K best ranked ones, and stores them as
``rescore_all`` does: the same rows, the same scores, the same breakdowns.

The finishing step is the part no worker shares, so the chunks do what they can for it: each
compares its pairs with the matches stored (``stored_id``, ``same``), and the finishing step
reads the staged rows narrow (ids, scores, flags), chooses with numpy and hands the database
ids: only the rows that changed or are new are read whole (``storage.store_staged_matches``).

Every chunk loads every open offer and every profile (the texts' corpus is all of them, so
each score has the bits of a single run) and scores only its own offers; a worker keeps what
it loaded for the run's next chunk that it takes (``_Inputs``).

Each step is idempotent. A chunk stages its rows, marks itself done and counts itself in the
run's ``chunks_done`` in one transaction, under a lock on its row: delivered twice, the
second finds it done and does nothing. The chunk that brings ``chunks_done`` to
``chunks_total`` runs the finishing step, which stores under a lock on the run and marks it
finished (a second one finds it finished). The beat's sweeper queues again a chunk or a
finishing step whose task was lost (``lost_steps``). No result backend is needed.
"""

import datetime
import json
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from matchmaking.models import InterestProfile
from matchmaking.scoring import top_matches

from ..models import (
    Application,
    Offer,
    OfferProfileMatch,
    RescoreCandidate,
    RescoreChunk,
    RescoreRun,
    ScoringRequest,
)
from . import scoring
from .breakdowns import slim_breakdowns, slim_json
from .loaders import Vocabularies, load_offers, load_past_partners, load_profiles_and_alerts
from .storage import store_match_tuples, store_staged_matches, write_binary_copy


def start_run(*, chunk_offers=None):
    """A new run and its chunks; returns (the run, its chunks' numbers). Call it in a
    transaction and queue the chunks once it commits."""
    size = chunk_offers or settings.RESCORE_CHUNK_OFFERS
    ids = list(scoring.matchable_offers().order_by("pk").values_list("pk", flat=True))
    # Bounds between chunks: the first chunk has no lower bound and the last no upper one,
    # so an offer published meanwhile is in one of them.
    starts = ids[size::size]
    bounds = list(zip([None, *starts], [*(s - 1 for s in starts), None]))
    now = timezone.now()
    run = RescoreRun.objects.create(started_at=now, chunks_total=len(bounds) + 1, offers=len(ids))
    chunks = [RescoreChunk(run=run, number=0, applications=True, queued_at=now)]
    chunks += [
        RescoreChunk(run=run, number=k, first_offer_id=lo, last_offer_id=hi, queued_at=now)
        for k, (lo, hi) in enumerate(bounds, start=1)
    ]
    RescoreChunk.objects.bulk_create(chunks)
    return run, [chunk.number for chunk in chunks]


def rescore_chunk(run_id, number):
    """Score one chunk of a run and stage what it found. Returns whether the run is complete
    (every chunk done) now, or None if the chunk was done already or is gone."""
    chunk = RescoreChunk.objects.filter(run_id=run_id, number=number).first()
    if chunk is None or chunk.done_at is not None:
        return None
    RescoreChunk.objects.filter(pk=chunk.pk).update(started_at=timezone.now())
    staged = None
    if chunk.applications:
        vocabularies = Vocabularies.load()
        found = scoring.score_every_application(vocabularies, scoring.weights())
    else:
        staged = _chunk_pairs(_Inputs.of(run_id), chunk)
        found = len(staged[0])
    with transaction.atomic():
        chunk = RescoreChunk.objects.select_for_update().get(pk=chunk.pk)
        if chunk.done_at is not None:
            return None
        if staged is not None:
            # Staged rows commit only with done_at, so a chunk not done has none to replace.
            _stage(run_id, number, *staged)
        chunk.done_at, chunk.found = timezone.now(), found
        chunk.save(update_fields=["done_at", "found"])
        RescoreRun.objects.filter(pk=run_id).update(chunks_done=F("chunks_done") + 1)
        run = RescoreRun.objects.get(pk=run_id)
        complete = run.chunks_done == run.chunks_total
        if complete:
            run.finish_queued_at = timezone.now()
            run.save(update_fields=["finish_queued_at"])
    return complete


def rescore_finish(run_id):
    """Store a complete run's matches, as ``rescore_all`` stores them, and mark it finished.
    Returns its summary, or None if it is finished already, not complete or gone."""
    with transaction.atomic():
        run = RescoreRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.finished_at is not None or run.chunks_done < run.chunks_total:
            return None
        newer = RescoreRun.objects.filter(started_at__gt=run.started_at, finished_at__isnull=False)
        if newer.exists():
            # A run that read newer data stored already: this one's would be older.
            run.superseded = True
        else:
            run.matches = _store(run)
        chunks = run.chunks.all()
        run.applications = sum(c.found for c in chunks if c.applications)
        run.finished_at = timezone.now()
        run.save(update_fields=["superseded", "matches", "applications", "finished_at"])
        _clear_staged(run_id)
    _Inputs.forget(run_id)
    _request_changed_since(run.started_at)
    return {"matches": run.matches, "applications": run.applications}


def lost_steps(*, older_than):
    """The chunks (run id, number) and finishing steps (run id) of unfinished runs that were
    queued before ``older_than`` and are not done, nor started since: their tasks may be lost.
    They are marked queued now."""
    now = timezone.now()
    with transaction.atomic():
        chunks = list(
            RescoreChunk.objects.select_for_update(skip_locked=True)
            .filter(done_at__isnull=True, queued_at__lt=older_than, run__finished_at__isnull=True)
            .exclude(started_at__gte=older_than)  # still running on a worker
            .values_list("pk", "run_id", "number")
        )
        RescoreChunk.objects.filter(pk__in=[pk for pk, _r, _n in chunks]).update(queued_at=now)
        runs = list(
            RescoreRun.objects.select_for_update(skip_locked=True)
            .filter(
                finished_at__isnull=True,
                chunks_done=F("chunks_total"),
                finish_queued_at__lt=older_than,
            )
            .values_list("pk", flat=True)
        )
        RescoreRun.objects.filter(pk__in=runs).update(finish_queued_at=now)
    return [(run, number) for _pk, run, number in chunks], runs


# What a chunk computes ---------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Inputs:
    """Everything a run's chunks score, loaded once per worker and run."""

    offers: object
    profiles: object
    weekly: np.ndarray
    past_partners: np.ndarray
    weights: object

    @classmethod
    def of(cls, run_id):
        with _inputs_lock:
            inputs = _inputs_kept.get(run_id)
        if inputs is None:
            vocabularies = Vocabularies.load()
            offers = load_offers(scoring.matchable_offers(), vocabularies)
            profiles, alerts = load_profiles_and_alerts(scoring.matchable_profiles(), vocabularies)
            inputs = cls(
                offers=offers,
                profiles=profiles,
                weekly=alerts == InterestProfile.Alert.WEEKLY,
                past_partners=load_past_partners(),
                weights=scoring.weights(),
            )
            with _inputs_lock:
                _inputs_kept.clear()
                _inputs_kept[run_id] = inputs
        return inputs

    @classmethod
    def forget(cls, run_id=None):
        with _inputs_lock:
            if run_id is None or run_id in _inputs_kept:
                _inputs_kept.clear()


_inputs_lock = threading.Lock()
_inputs_kept = {}  # run id -> _Inputs: the one run this worker works on


def _offer_rows(ids, chunk):
    """The rows lo:hi of the ascending offer ``ids`` within the chunk's bounds."""
    lo = 0 if chunk.first_offer_id is None else int(np.searchsorted(ids, chunk.first_offer_id))
    hi = (
        len(ids)
        if chunk.last_offer_id is None
        else int(np.searchsorted(ids, chunk.last_offer_id, side="right"))
    )
    return lo, max(lo, hi)


def _chunk_pairs(inputs, chunk):
    """The chunk's pairs: (MatchRows, kept, ranked)."""
    offers, profiles = inputs.offers, inputs.profiles
    lo, hi = _offer_rows(offers.ids, chunk)
    best = top_matches(
        offers,
        profiles,
        inputs.weights,
        k=settings.MATCHING_TOP_K,
        past_partners=inputs.past_partners,
        also_above=settings.MATCHING_ALERT_THRESHOLD,
        also_seekers=inputs.weekly,
        offer_rows=(lo, hi),
    )
    told = scoring.told_pairs(
        offers, profiles, inputs.past_partners, inputs.weights, offer_rows=(lo, hi)
    )
    kept = [
        *(
            (np.full(len(r), lo + i), r.indices, r.totals, r.components)
            for i, r in enumerate(best.per_offer)
        ),
        (best.also.rows, best.also.columns, best.also.total, best.also.components),
        told,
    ]
    ranked = [
        (r.indices, np.full(len(r), j), r.totals, r.components)
        for j, r in enumerate(best.per_seeker)
    ]
    rows, columns, totals, components = scoring.union([*kept, *ranked])
    width = int(columns.max()) + 1 if len(columns) else 1
    keys = rows * width + columns

    def among(parts):
        parts = [p for p in parts if len(p[0])]
        if not parts:
            return np.zeros(len(keys), dtype=bool)
        wanted = np.concatenate([np.asarray(p[0], np.int64) * width + p[1] for p in parts])
        return np.isin(keys, wanted)

    matches = scoring.match_rows(
        offers, profiles, rows, columns, totals, components, inputs.past_partners
    )
    return matches, among(kept), among(ranked)


def _compared(matches, texts, offer_ids):
    """(stored id, same) of each pair: its match stored now among those of ``offer_ids``
    (0: none), and whether that has the same score and breakdown (``texts``: the rows of
    ``slim_json``). One query, for the chunk's offers only."""
    stored_id = np.zeros(len(matches), dtype=np.int64)
    same = np.zeros(len(matches), dtype=bool)
    if not len(matches) or not _copies():
        return stored_id, same
    table = OfferProfileMatch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT offer_id, profile_id, id, score, breakdown::text FROM {table} "
            "WHERE offer_id BETWEEN %s AND %s",
            [int(offer_ids[0]), int(offer_ids[-1])],
        )
        stored = {(o, p): (pk, score, text) for o, p, pk, score, text in cursor.fetchall()}
    pairs = zip(
        matches.offer_ids.tolist(),
        matches.profile_ids.tolist(),
        matches.scores.astype(np.float64).tolist(),
    )
    for row, (offer_id, profile_id, score) in enumerate(pairs):
        found = stored.get((offer_id, profile_id))
        if found is not None:
            stored_id[row] = found[0]
            # As PostgreSQL prints the jsonb: no space after a "true" (storage._apply_scored).
            text = texts[row].tobytes().replace(b"true ", b"true").decode()
            same[row] = found[1] == score and found[2] == text
    return stored_id, same


def _stage(run_id, number, matches, kept, ranked):
    """The chunk's pairs into the staging table: one binary COPY on PostgreSQL."""
    n = len(matches)
    if not n:
        return
    if _copies():
        table = RescoreCandidate._meta.db_table
        texts = slim_json(matches.thousandths, matches.past_partners, matches.host_seeks)
        stored_id, same = _compared(matches, texts, np.unique(matches.offer_ids))
        # A pair stored the same needs no breakdown: nothing reads it (a re-score that
        # changes little stages narrow rows).
        for rows, breakdowns in ((~same, texts), (same, np.zeros((n, 0), np.uint8))):
            if not rows.any():
                continue
            write_binary_copy(
                f"COPY {table} (run_id, chunk, offer_id, profile_id, score, breakdown, kept, "
                "ranked, stored_id, same) FROM STDIN (FORMAT binary)",
                [
                    (">i8", np.full(int(rows.sum()), run_id)),
                    (">i4", np.full(int(rows.sum()), number)),
                    (">i8", matches.offer_ids[rows]),
                    (">i8", matches.profile_ids[rows]),
                    (">f8", matches.scores[rows].astype(np.float64)),
                    ("text", breakdowns[rows]),
                    ("u1", kept[rows]),
                    ("u1", ranked[rows]),
                    (">i8", stored_id[rows]),
                    ("u1", same[rows]),
                ],
            )
        return
    breakdowns = slim_breakdowns(matches.thousandths, matches.past_partners, matches.host_seeks)
    RescoreCandidate.objects.bulk_create(
        [
            RescoreCandidate(
                run_id=run_id,
                chunk=number,
                offer_id=offer_id,
                profile_id=profile_id,
                score=score,
                breakdown=json.dumps(breakdown),
                kept=k,
                ranked=r,
            )
            for offer_id, profile_id, score, breakdown, k, r in zip(
                matches.offer_ids.tolist(),
                matches.profile_ids.tolist(),
                matches.scores.tolist(),
                breakdowns,
                kept.tolist(),
                ranked.tolist(),
            )
        ],
        batch_size=1000,
    )


def _staged_rows(cursor, run_id):
    """The run's staged rows, narrow (no breakdown), as a numpy structured array, read with
    one binary COPY: (id, profile, score, offer, kept, ranked, stored_id, same)."""
    columns = [("id", ">i8"), ("profile", ">i8"), ("score", ">f8"), ("offer", ">i8")]
    columns += [("kept", "u1"), ("ranked", "u1"), ("stored_id", ">i8"), ("same", "u1")]
    fields = [("fields", ">i2")]
    for name, kind in columns:
        fields += [(f"{name}_length", ">i4"), (name, kind)]
    data = bytearray()
    table = RescoreCandidate._meta.db_table
    with cursor.copy(
        # (No parameters: Django's debugging cursor passes none to a COPY.)
        f"COPY (SELECT id, profile_id, score, offer_id, kept, ranked, stored_id, same "
        f"FROM {table} WHERE run_id = {int(run_id)}) TO STDOUT (FORMAT binary)"
    ) as copy:
        for block in copy:
            data += block
    return np.frombuffer(bytes(data[19:-2]), dtype=np.dtype(fields))  # past header, before end


def _selected(rows, k):
    """Which staged rows are stored: the kept ones, and each profile's K best ranked ones
    (higher score, then lower offer id), ranked with numpy."""
    ranked = np.flatnonzero(rows["ranked"])
    order = ranked[
        np.lexsort((rows["offer"][ranked], -rows["score"][ranked], rows["profile"][ranked]))
    ]
    profiles = rows["profile"][order]
    first = np.flatnonzero(np.r_[True, profiles[1:] != profiles[:-1]])
    rank = np.arange(len(order)) - np.repeat(first, np.diff(np.r_[first, len(order)]))
    selected = rows["kept"] == 1
    selected[order[rank < k]] = True
    return selected


def _store(run):
    """Every match of the run's staged rows (the kept ones and each profile's K best ranked
    ones), replacing all stored matches. Returns how many."""
    k = settings.MATCHING_TOP_K
    everything = OfferProfileMatch.objects.all()
    if _copies():
        with connection.cursor() as cursor:
            # The hashes of hundreds of thousands of ids in memory, for this transaction.
            cursor.execute("SET LOCAL work_mem = '256MB'")
            rows = _staged_rows(cursor, run.pk)
        selected = _selected(rows, k)
        stored = rows["stored_id"] != 0
        store_staged_matches(
            RescoreCandidate._meta.db_table,
            changed=rows["id"][selected & stored & (rows["same"] == 0)],
            new=rows["id"][selected & ~stored],
            kept=rows["stored_id"][selected & stored],
            replacing=everything,
        )
        return int(selected.sum())
    staged = list(
        RescoreCandidate.objects.filter(run_id=run.pk).values_list(
            "offer_id", "profile_id", "score", "breakdown", "kept", "ranked"
        )
    )
    ranked = sorted((row for row in staged if row[5]), key=lambda row: (row[1], -row[2], row[0]))
    chosen, count, profile = set(), 0, None
    for row in ranked:
        count = count + 1 if row[1] == profile else 1
        profile = row[1]
        if count <= k:
            chosen.add((row[0], row[1]))
    rows = sorted(row for row in staged if row[4] or (row[0], row[1]) in chosen)
    store_match_tuples(
        [(o, p, score, json.loads(breakdown), False) for o, p, score, breakdown, *_f in rows],
        replacing=everything,
    )
    return len(rows)


def _clear_staged(run_id):
    """The run's staged rows deleted: with TRUNCATE (instant, in the transaction) when no
    other run has any."""
    others = RescoreCandidate.objects.exclude(run_id=run_id)
    if _copies():
        table = RescoreCandidate._meta.db_table
        with connection.cursor() as cursor:
            # Locked first: a chunk of another run staging now has committed, or waits.
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            if not others.exists():
                cursor.execute(f"TRUNCATE {table}")
                return
    RescoreCandidate.objects.filter(run_id=run_id).delete()


def _copies():
    # PostgreSQL stages and stores with COPY and a few statements; the demo's SQLite through
    # the ORM, with the same result.
    return connection.vendor == "postgresql"


def _request_changed_since(started_at):
    """Offers and profiles changed while the run read its data may be stored as they were:
    they are scored again (the sweeper queues them)."""
    since = started_at - datetime.timedelta(seconds=1)
    changed = [
        ScoringRequest(kind=ScoringRequest.Kind.OFFER, object_id=pk)
        for pk in Offer.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
    ]
    changed += [
        ScoringRequest(kind=ScoringRequest.Kind.PROFILE, object_id=pk)
        for pk in InterestProfile.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
    ]
    changed += [
        ScoringRequest(kind=ScoringRequest.Kind.APPLICATION, object_id=pk)
        for pk in Application.objects.filter(updated_at__gte=since).values_list("pk", flat=True)
    ]
    ScoringRequest.objects.bulk_create(changed)
