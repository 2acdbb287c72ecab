"""Writing what a scoring run computed: offer–profile matches, and applications' scores.

``store_matches`` makes a subject's stored matches (an offer's, a profile's, or all) exactly
the rows a run kept, in the caller's transaction, writing only what changed: a row whose score
and breakdown are the same as stored is left alone (a re-score of unchanged data writes
nothing), a changed one is updated, a new one inserted, and the subject's other rows deleted.
A row that stays keeps its ``created_at`` (when the pair first matched, which the digest
reads) and its ``alerted_at``; ``scored_at`` tells when its score or breakdown last changed.

On PostgreSQL the rows go through a temporary table filled with one binary COPY, built with
array operations (a full re-score writes hundreds of thousands); other databases (the demo's
SQLite) get the same result from the ORM.
"""

import json
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from matchmaking.scoring import COMPONENTS

from ..models import Application, OfferProfileMatch
from .breakdowns import slim_breakdowns, slim_json

# Applications are few per offer: an ORM bulk update serves up to this many; beyond (a full
# re-score's thousands), PostgreSQL gets them with COPY.
BULK_UPDATE_ROWS = 100


@dataclass(frozen=True, eq=False)
class MatchRows:
    """Matches to store, one entry per (offer, profile) pair, each pair once."""

    offer_ids: np.ndarray  # int64
    profile_ids: np.ndarray  # int64
    scores: np.ndarray  # float32
    thousandths: np.ndarray  # int64 (p, len(COMPONENTS)): the components, rounded
    past_partners: np.ndarray  # bool
    host_seeks: np.ndarray  # bool: the host seeks an exchange type the seeker hosts
    alerted: np.ndarray  # bool: the organisation is told now (alerted_at is set)

    def __len__(self):
        return len(self.offer_ids)

    @classmethod
    def empty(cls):
        return cls(
            offer_ids=np.zeros(0, np.int64),
            profile_ids=np.zeros(0, np.int64),
            scores=np.zeros(0, np.float32),
            thousandths=np.zeros((0, len(COMPONENTS)), np.int64),
            past_partners=np.zeros(0, bool),
            host_seeks=np.zeros(0, bool),
            alerted=np.zeros(0, bool),
        )

    def breakdowns(self):
        return slim_breakdowns(self.thousandths, self.past_partners, self.host_seeks)


def store_matches(rows: MatchRows, *, replacing, now=None):
    """Make the matches of ``replacing`` (a queryset: the subject's) exactly ``rows``.

    Every row must belong to ``replacing``. Runs in the caller's transaction.
    """
    now = now or timezone.now()
    if _can_copy():
        _store_with_copy(rows, replacing, now)
    else:
        pairs = zip(
            rows.offer_ids.tolist(),
            rows.profile_ids.tolist(),
            rows.scores.tolist(),
            rows.breakdowns(),
            rows.alerted.tolist(),
        )
        _store_with_orm(pairs, replacing, now)


def store_match_tuples(pairs, *, replacing, now=None):
    """``store_matches`` of (offer id, profile id, score, breakdown, alerted) tuples, through
    the ORM (the other databases' path)."""
    _store_with_orm(pairs, replacing, now or timezone.now())


def _can_copy():
    # PostgreSQL's COPY writes tens of thousands of rows many times faster than an INSERT
    # (whose parameters psycopg quotes one by one); the demo's SQLite gets the ORM.
    return connection.vendor == "postgresql"


_TABLE = "scored_matches"


def _store_with_copy(rows, replacing, now):
    with connection.cursor() as cursor:
        _create_scored_table(cursor)
        if len(rows):
            with cursor.copy(
                f"COPY {_TABLE} (offer_id, profile_id, score, breakdown, alerted) "
                "FROM STDIN (FORMAT binary)"
            ) as copy:
                copy.write(_binary(rows))
        _apply_scored(cursor, replacing, now)


def store_staged_matches(staging, *, changed, new, kept, replacing, now=None):
    """Make the matches of ``replacing`` those a full re-score staged (PostgreSQL only), by
    ids worked out beforehand: the staged rows (in the table ``staging``: offer_id,
    profile_id, score, breakdown text as ``slim_json`` writes it, stored_id) whose match
    ``changed`` are written into it, the ``new`` ones inserted (a pair another run inserted
    meanwhile is theirs), and the matches not ``kept`` deleted. Only ids go to the database
    and back, so a re-score that changes nothing reads no breakdown. Runs in the caller's
    transaction."""
    now = now or timezone.now()
    table = OfferProfileMatch._meta.db_table
    with connection.cursor() as cursor:
        for name, ids in (("changed", changed), ("new", new), ("kept", kept)):
            _id_table(cursor, f"staged_{name}", ids)
        cursor.execute(
            f"UPDATE {table} AS m SET score = s.score, breakdown = s.breakdown::jsonb, "
            f"scored_at = %s FROM {staging} AS s "
            "WHERE s.id IN (SELECT id FROM staged_changed) AND m.id = s.stored_id",
            [now],
        )
        subject, params = replacing.order_by().values("pk").query.sql_with_params()
        cursor.execute(
            f"DELETE FROM {table} AS m WHERE m.id IN ({subject}) AND NOT EXISTS "
            "(SELECT 1 FROM staged_kept AS k WHERE k.id = m.id)",
            params,
        )
        # A match that another task deleted since its chunk compared it went for a reason
        # newer than the run's data: it is not inserted again.
        cursor.execute(
            f"INSERT INTO {table} (offer_id, profile_id, score, breakdown, created_at, "
            f"scored_at) SELECT offer_id, profile_id, score, breakdown::jsonb, %s, %s "
            f"FROM {staging} WHERE id IN (SELECT id FROM staged_new) "
            "ON CONFLICT (offer_id, profile_id) DO NOTHING",
            [now, now],
        )


def _id_table(cursor, name, ids):
    """A temporary table ``name`` (id bigint) holding ``ids``, filled with one binary COPY."""
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{name}")
    cursor.execute(f"CREATE TEMPORARY TABLE {name} (id bigint) ON COMMIT DROP")
    ids = np.asarray(ids, dtype=np.int64)
    if len(ids):
        write_binary_copy(f"COPY {name} (id) FROM STDIN (FORMAT binary)", [(">i8", ids)])
    cursor.execute(f"ANALYZE {name}")


def _create_scored_table(cursor):
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{_TABLE}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {_TABLE} (offer_id bigint, profile_id bigint, "
        "score double precision, breakdown text, alerted boolean, "
        "stored bigint, changed boolean NOT NULL DEFAULT false) ON COMMIT DROP"
    )


def _apply_scored(cursor, replacing, now):
    """Make ``replacing``'s rows those of the temporary table (filled)."""
    table = OfferProfileMatch._meta.db_table
    same_pair = "m.offer_id = s.offer_id AND m.profile_id = s.profile_id"
    # Which pairs are stored already (their id), and which of those changed. (The insert
    # below must not look the table it writes up itself: a nested loop over it would read
    # its own new rows again and again, and the planner takes one whenever the table's
    # statistics say it is empty.) The breakdowns are compared as text: ``slim_json`` writes
    # them as PostgreSQL prints a jsonb (its keys in jsonb's order, its numbers as they came)
    # but for the space after a "true" that keeps its width, and reading a jsonb as text is
    # several times cheaper than parsing the text as a jsonb.
    cursor.execute(
        f"UPDATE {_TABLE} AS s SET stored = m.id, changed = (m.score <> s.score "
        "OR m.breakdown::text <> replace(s.breakdown, 'true ', 'true') "
        "OR (s.alerted AND m.alerted_at IS NULL)) "
        f"FROM {table} AS m WHERE {same_pair}"
    )
    cursor.execute(
        f"UPDATE {table} AS m SET score = s.score, breakdown = s.breakdown::jsonb, "
        "scored_at = %s, alerted_at = CASE WHEN s.alerted AND m.alerted_at IS NULL "
        "THEN %s ELSE m.alerted_at END "
        f"FROM {_TABLE} AS s WHERE s.changed AND m.id = s.stored",
        [now, now],
    )
    # A pair another run inserted meanwhile is theirs: as fresh as this one.
    cursor.execute(
        f"INSERT INTO {table} (offer_id, profile_id, score, breakdown, created_at, "
        "scored_at, alerted_at) SELECT offer_id, profile_id, score, breakdown::jsonb, "
        f"%s, %s, CASE WHEN alerted THEN %s::timestamptz END FROM {_TABLE} "
        "WHERE stored IS NULL ON CONFLICT (offer_id, profile_id) DO NOTHING",
        [now, now, now],
    )
    subject, params = replacing.order_by().values("pk").query.sql_with_params()
    cursor.execute(
        f"DELETE FROM {table} AS m WHERE m.id IN ({subject}) AND NOT EXISTS "
        f"(SELECT 1 FROM {_TABLE} AS s WHERE {same_pair})",
        params,
    )


def write_binary_copy(statement, columns):
    """Run a ``COPY … FROM STDIN (FORMAT binary)`` of equally long columns, each (dtype,
    values): a big-endian numpy type (">i8", ">f8", "u1" for a boolean) or "text" with the
    values as a uint8 array of one width (``slim_json``). One structured array, no row loop."""
    n = len(columns[0][1])
    fields = [("fields", ">i2")]
    for k, (dtype, values) in enumerate(columns):
        if dtype == "text":
            fields += [(f"length{k}", ">i4"), (f"value{k}", np.uint8, (values.shape[1],))]
        else:
            fields += [(f"length{k}", ">i4"), (f"value{k}", dtype)]
    record = np.empty(n, dtype=fields)
    record["fields"] = len(columns)
    for k, (dtype, values) in enumerate(columns):
        width = values.shape[1] if dtype == "text" else np.dtype(dtype).itemsize
        record[f"length{k}"], record[f"value{k}"] = width, values
    header = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no extension
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(header + record.tobytes() + b"\xff\xff")


def _binary(rows):
    """The rows in COPY's binary format: every field has a fixed width (the JSON too), so
    the whole is one structured array."""
    text = slim_json(rows.thousandths, rows.past_partners, rows.host_seeks)
    n, width = len(rows), text.shape[1] if len(rows) else 0
    record = np.empty(
        n,
        dtype=[
            ("fields", ">i2"),
            ("offer_length", ">i4"),
            ("offer_id", ">i8"),
            ("profile_length", ">i4"),
            ("profile_id", ">i8"),
            ("score_length", ">i4"),
            ("score", ">f8"),
            ("json_length", ">i4"),
            ("json", np.uint8, (width,)),
            ("alerted_length", ">i4"),
            ("alerted", "u1"),
        ],
    )
    record["fields"] = 5
    record["offer_length"], record["offer_id"] = 8, rows.offer_ids
    record["profile_length"], record["profile_id"] = 8, rows.profile_ids
    record["score_length"], record["score"] = 8, rows.scores.astype(np.float64)
    record["json_length"], record["json"] = width, text
    record["alerted_length"], record["alerted"] = 1, rows.alerted
    header = b"PGCOPY\n\xff\r\n\x00" + bytes(8)  # signature, flags, no extension
    return header + record.tobytes() + b"\xff\xff"


def _store_with_orm(pairs, replacing, now):
    existing = {
        (offer_id, profile_id): (pk, score, breakdown, alerted_at)
        for pk, offer_id, profile_id, score, breakdown, alerted_at in replacing.values_list(
            "pk", "offer_id", "profile_id", "score", "breakdown", "alerted_at"
        )
    }
    new, changed, kept = [], [], set()
    for offer_id, profile_id, score, breakdown, alerted in pairs:
        old = existing.get((offer_id, profile_id))
        if old is None:
            new.append(
                OfferProfileMatch(
                    offer_id=offer_id,
                    profile_id=profile_id,
                    score=score,
                    breakdown=breakdown,
                    created_at=now,
                    scored_at=now,
                    alerted_at=now if alerted else None,
                )
            )
            continue
        pk, old_score, old_breakdown, alerted_at = old
        kept.add(pk)
        if old_score != score or old_breakdown != breakdown or (alerted and not alerted_at):
            changed.append(
                OfferProfileMatch(
                    pk=pk,
                    score=score,
                    breakdown=breakdown,
                    scored_at=now,
                    alerted_at=alerted_at or (now if alerted else None),
                )
            )
    OfferProfileMatch.objects.bulk_update(
        changed, ["score", "breakdown", "scored_at", "alerted_at"], batch_size=500
    )
    OfferProfileMatch.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    stale = [old[0] for old in existing.values() if old[0] not in kept]
    if stale:
        OfferProfileMatch.objects.filter(pk__in=stale).delete()


def store_application_scores(scored, *, now):
    """Write ``scored`` (pk, score, breakdown) into the applications."""
    if not _can_copy() or len(scored) <= BULK_UPDATE_ROWS:
        Application.objects.bulk_update(
            [
                Application(pk=pk, score=score, score_breakdown=breakdown, scored_at=now)
                for pk, score, breakdown in scored
            ],
            ["score", "score_breakdown", "scored_at"],
            batch_size=500,
        )
        return
    table = Application._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS pg_temp.scored_applications")
        cursor.execute(
            "CREATE TEMPORARY TABLE scored_applications (id bigint, score double precision, "
            "breakdown text) ON COMMIT DROP"
        )
        with cursor.copy("COPY scored_applications FROM STDIN") as copy:
            for pk, score, breakdown in scored:
                copy.write_row((pk, score, json.dumps(breakdown)))
        cursor.execute(
            f"UPDATE {table} AS a SET score = s.score, score_breakdown = s.breakdown::jsonb, "
            "scored_at = %s FROM scored_applications AS s WHERE a.id = s.id",
            [now],
        )
