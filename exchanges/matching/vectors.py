"""The sentence vectors of offers, interest profiles and applications: computed, stored, read.

A row's text is what the loaders compare (``text_of``): an offer's title, description and
programme, a profile's name and description, an application's motivation and participant
roles. ``refresh(kind, queryset)`` embeds the rows whose stored ``text_hash`` is not the hash
of their text now (a new or edited text), with their language (detected among the
partnership's languages, else the organisation's first working language), and stores the
vector's int8 codes (384 bytes), the hash and the language. The scoring runs call it for
their subject before they score it, on the worker, so a saved text is scored with its vector;
``manage.py embed_texts`` does it for every row. If the model cannot run, the rows keep no
vector and are scored with the lexical similarity; so are they with ``MATCHING_VECTORS`` off
(nothing is embedded; vectors stored before are still read).

``codes(kind, ids, hashes, fetch)``: the loaders' side. A worker keeps the codes it has read,
by row id and hash, so that scoring one offer against every profile reads only the vectors it
has not seen (a fresh worker reads them all, as one value on PostgreSQL).
"""

import hashlib
import logging
import threading
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db import connections

from matchmaking.models import InterestProfile
from matchmaking.scoring import embedding
from matchmaking.scoring.text import detect_language

from ..models import Application, Offer

logger = logging.getLogger(__name__)

KINDS = {"offer": Offer, "profile": InterestProfile, "application": Application}
# The fields a kind's text is made of, in order (the loaders' ``_text``).
SOURCES = {
    "offer": ("title", "description", "programme"),
    "profile": ("name", "description"),
    "application": ("motivation", "participant_roles"),
}
BATCH = 32


def text_of(*parts) -> str:
    """The parts that are not empty, one per line: the text the engine compares."""
    return "\n".join(part for part in parts if part)


def text_hash(text: str) -> str:
    """A stable hash of ``text`` (16 hex digits): the same in every process."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def stale(kind, queryset):
    """(pk, text, organisation_id) of the rows of ``queryset`` whose vector is missing or not
    of their text now."""
    fields = SOURCES[kind]
    rows = queryset.order_by("pk").values_list("pk", "text_hash", "organisation_id", *fields)
    found = []
    for pk, stored, organisation_id, *parts in rows:
        text = text_of(*parts)
        if stored != text_hash(text):
            found.append((pk, text, organisation_id))
    return found


def refresh(kind, queryset, *, progress=None) -> int:
    """Embed and store the rows of ``queryset`` whose text changed; how many were stored
    (none with ``MATCHING_VECTORS`` off). ``progress``: called with the number of rows done
    after each batch."""
    if not settings.MATCHING_VECTORS:
        return 0
    rows = stale(kind, queryset)
    if not rows:
        return 0
    model = KINDS[kind]
    fallback = _first_languages({organisation_id for _pk, _text, organisation_id in rows})
    stored = 0
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        texts = [text for _pk, text, _organisation in batch]
        try:
            vectors = embedding.embed(texts, kind=embedding.MATCHING_KIND)
        except (ImportError, OSError, RuntimeError):
            logger.warning("No sentence vectors: the model cannot run here.", exc_info=True)
            return stored
        codes = embedding.quantise(vectors)
        for (pk, text, organisation_id), row_codes in zip(batch, codes):
            language = detect_language(text, fallback.get(organisation_id)) or ""
            # An edit meanwhile stores a newer text: its own scoring run embeds it again,
            # since this hash is not of it.
            model.objects.filter(pk=pk).update(
                text_vector=embedding.to_bytes(row_codes) if text else None,
                text_hash=text_hash(text),
                text_language=language[:8],
            )
            stored += 1
        if progress is not None:
            progress(len(batch))
    return stored


def _first_languages(organisation_ids):
    """Each organisation's first working language (its code), as its forms list them."""
    from matchmaking.models import Organisation

    through = Organisation.languages.through.objects.filter(
        organisation_id__in=organisation_ids
    ).order_by("organisation_id", "language__name", "language__pk")
    first = {}
    for organisation_id, code in through.values_list("organisation_id", "language__code"):
        first.setdefault(organisation_id, code)
    return first


# The loaders' side ---------------------------------------------------------------------------

LIMIT = 2_000_000

_lock = threading.Lock()
_known: dict = {}


@dataclass(frozen=True)
class _Codes:
    ids: np.ndarray  # int64, ascending
    hashes: np.ndarray  # object: the hash each row's codes were read with
    codes: np.ndarray  # float32 (n, DIMENSIONS): what the engine multiplies (never written)
    scales: np.ndarray  # float32 (n,): embedding.scales of the codes


def codes(kind, ids, hashes, fetch) -> tuple[np.ndarray, np.ndarray]:
    """float32 (len(ids), DIMENSIONS): the stored codes of rows ``ids`` (ascending) whose
    ``hashes`` (stored ``text_hash``) say they have a vector, zero rows for the others; and
    their ``embedding.scales`` (computed once per worker too).

    ``fetch(ids or None)`` reads the stored vectors: (ids int64, float32 codes) of the ids
    asked for, or of every row when None; only the rows this worker has not read yet (with
    this hash) are asked for. Rows whose hash is "" (never embedded) are zeros."""
    ids = np.asarray(ids, dtype=np.int64)
    hashes = np.asarray(hashes, dtype=object)
    with _lock:
        known = _known.get(kind)
    if (
        known is not None
        and len(known.ids) == len(ids)
        and (known.ids == ids).all()
        and (known.hashes == hashes).all()
    ):
        return known.codes, known.scales  # the same rows as last time: no copy
    with_vector = np.flatnonzero(hashes != "")
    if known is None and len(with_vector) == len(ids):
        # A fresh worker, every row with a vector: one read, one conversion, no copies.
        read_ids, read = fetch(None)
        if len(read_ids) == len(ids) and (read_ids == ids).all():
            result = read.astype(np.float32)
            scales = embedding.scales(result)
            _remember(kind, None, ids, hashes, result, scales)
            return result, scales
    result = np.zeros((len(ids), embedding.DIMENSIONS), dtype=np.float32)
    scales = np.zeros(len(ids), dtype=np.float32)
    if not len(with_vector):
        return result, scales
    hit = np.zeros(len(ids), dtype=bool)
    if known is not None and len(known.ids):
        at = np.minimum(np.searchsorted(known.ids, ids), len(known.ids) - 1)
        hit = (known.ids[at] == ids) & (known.hashes[at] == hashes)
        result[hit] = known.codes[at[hit]]
        scales[hit] = known.scales[at[hit]]
    missing = np.flatnonzero(~hit)
    if not len(missing):
        return result, scales
    to_read = missing[hashes[missing] != ""]
    if len(to_read):
        small = len(to_read) <= 1000 and len(to_read) <= len(ids) // 2
        read_ids, read = fetch(ids[to_read].tolist() if small else None)
        position = np.searchsorted(ids, read_ids).clip(0, max(len(ids) - 1, 0))
        wanted = np.zeros(len(ids), dtype=bool)
        wanted[to_read] = True
        take = (ids[position] == read_ids) & wanted[position]
        result[position[take]] = read[take]  # int8 codes into float32
    scales[missing] = embedding.scales(result[missing])
    # The rows missed are kept as they are now, those without a vector as zeros (no text
    # embedded yet, or an empty one), so that none is asked for again while its hash stays,
    # and the same load next time is the cache itself.
    _remember(kind, known, ids[missing], hashes[missing], result[missing], scales[missing])
    return result, scales


def _remember(kind, known, ids, hashes, codes, scales):
    if known is None or len(known.ids) + len(ids) > LIMIT or not len(known.ids):
        parts = ids, hashes, codes, scales
    else:
        kept = ~np.isin(known.ids, ids)
        parts = (
            np.concatenate([known.ids[kept], ids]),
            np.concatenate([known.hashes[kept], hashes]),
            np.concatenate([known.codes[kept], codes]),
            np.concatenate([known.scales[kept], scales]),
        )
    order = np.argsort(parts[0], kind="stable")
    if (order == np.arange(len(order))).all():
        entry = _Codes(*parts)  # in order already: no copy
    else:
        entry = _Codes(*(part[order] for part in parts))
    with _lock:
        _known[kind] = entry


def clear():
    """Forget every vector read (as a freshly started worker)."""
    with _lock:
        _known.clear()


def fetcher(queryset):
    """``fetch`` for ``codes``: the stored vectors of the rows of ``queryset`` (or of the ids
    asked for among them), as (ids int64, int8 codes). On PostgreSQL every vector comes as one
    value (one bytea of 384 bytes a row), in binary, much faster than a row each."""

    def fetch(asked):
        rows = queryset.filter(text_vector__isnull=False)
        if asked is not None:
            rows = rows.filter(pk__in=asked)
        rows = rows.order_by("pk")
        connection = connections[rows.db]
        width = embedding.DIMENSIONS
        if connection.vendor == "postgresql":
            ids_sql, ids_params = rows.values("pk").query.sql_with_params()
            table = rows.model._meta.db_table
            connection.ensure_connection()
            # The driver's own cursor, to have the values in binary (no hex to decode).
            import psycopg  # PostgreSQL only; Django's own cursors bind on the client side

            with psycopg.Cursor(connection.connection) as cursor:
                cursor.execute(
                    # No ORDER BY (a sort each): both read the rows in the same order,
                    # and numpy puts them in id order below.
                    f"SELECT string_agg(int8send(id), ''::bytea), "
                    f"string_agg(text_vector, ''::bytea) FROM {table} "
                    f"WHERE id IN ({ids_sql}) AND octet_length(text_vector) = %s",
                    [*ids_params, width],
                    binary=True,
                )
                id_bytes, blob = cursor.fetchone()
            read_ids = np.frombuffer(bytes(id_bytes or b""), dtype=">i8").astype(np.int64)
            data = np.frombuffer(bytes(blob or b""), dtype=np.int8).reshape(-1, width)
            if len(read_ids) > 1 and not (read_ids[1:] > read_ids[:-1]).all():
                order = np.argsort(read_ids, kind="stable")
                read_ids, data = read_ids[order], data[order]
            return read_ids, data
        pairs = [(pk, bytes(blob)) for pk, blob in rows.values_list("pk", "text_vector")]
        pairs = [(pk, blob) for pk, blob in pairs if len(blob) == width]
        read_ids = np.array([pk for pk, _blob in pairs], dtype=np.int64)
        data = np.frombuffer(b"".join(blob for _pk, blob in pairs), dtype=np.int8)
        return read_ids, data.reshape(-1, width)

    return fetch
