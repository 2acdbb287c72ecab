"""The facts behind one pair's score, for the pages to put into words.

The engine returns indices and numbers only; the Django layer turns theme and language indices
into names and the facts into translated sentences.
"""

from dataclasses import asdict, dataclass

import numpy as np

from .components import FIELDS_UNKNOWN, date_facts
from .engine import (
    COMPONENTS,
    RECIPROCITY,
    Exclusion,
    ScoreMatrix,
    Weights,
    _Pairs,
    _Partners,
    weighted_total,
)
from .inputs import Offers, Seekers

FORMAT_VERSION = 1


@dataclass(frozen=True)
class Breakdown:
    total: float
    components: dict[str, float]  # name → value in [0, 1], in the order of COMPONENTS
    exclusion: Exclusion
    shared_theme_indices: tuple[int, ...]
    shared_language_indices: tuple[int, ...]
    # Days both windows share; the offer's whole window when the seeker has none.
    date_overlap_days: int
    seeker_window_days: int | None  # None: the seeker takes any dates
    cross_border: bool
    past_partners: bool
    host_seeks_what_seeker_hosts: bool
    fewer_opportunities: tuple[bool, int]  # (offer supports them, how many the seeker brings)
    capacity: tuple[int, int]  # (participants the seeker brings, places left on the offer)
    # Whether the text component came from the sentence vectors (else from the words), and
    # the languages of the two texts (ISO 639-1, None where unknown): offer's, seeker's.
    text_by_vectors: bool = False
    text_languages: tuple[str | None, str | None] = (None, None)

    def as_dict(self) -> dict:
        """A JSON-serialisable dict (for storing); ``from_dict`` reads it back unchanged."""
        data = asdict(self)
        data["exclusion"] = self.exclusion.name
        for name in ("shared_theme_indices", "shared_language_indices"):
            data[name] = list(data[name])
        data["fewer_opportunities"] = list(self.fewer_opportunities)
        data["capacity"] = list(self.capacity)
        data["text_languages"] = list(self.text_languages)
        data["version"] = FORMAT_VERSION
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Breakdown":
        if data.get("version") != FORMAT_VERSION:
            raise ValueError(f"unknown breakdown format: {data.get('version')!r}")
        supports, brings = data["fewer_opportunities"]
        participants, places_left = data["capacity"]
        return cls(
            total=float(data["total"]),
            # A breakdown stored before a component existed reads as that component's
            # neutral value (fields: no information).
            components={
                name: float(data["components"].get(name, _MISSING.get(name, 0.0)))
                for name in COMPONENTS
            },
            exclusion=Exclusion[data["exclusion"]],
            shared_theme_indices=tuple(int(i) for i in data["shared_theme_indices"]),
            shared_language_indices=tuple(int(i) for i in data["shared_language_indices"]),
            date_overlap_days=int(data["date_overlap_days"]),
            seeker_window_days=(
                None if data["seeker_window_days"] is None else int(data["seeker_window_days"])
            ),
            cross_border=bool(data["cross_border"]),
            past_partners=bool(data["past_partners"]),
            host_seeks_what_seeker_hosts=bool(data["host_seeks_what_seeker_hosts"]),
            fewer_opportunities=(bool(supports), int(brings)),
            capacity=(int(participants), int(places_left)),
            text_by_vectors=bool(data.get("text_by_vectors", False)),
            text_languages=tuple(data.get("text_languages") or (None, None)),
        )


_MISSING = {"fields": FIELDS_UNKNOWN}


def explain(
    offers: Offers,
    i: int,
    seekers: Seekers,
    j: int,
    matrix_or_components,
    *,
    weights: Weights | None = None,
    past_partners=None,
) -> Breakdown:
    """The breakdown of offer ``i`` with seeker ``j``.

    ``matrix_or_components``: the ``ScoreMatrix`` that ``score`` returned for these offers and
    seekers (read at [i, j]), or the pair's components (e.g. a row of a ``Ranking``'s
    ``components``) — then ``weights`` are needed for the total and the exclusion is
    re-checked from the data.

    ``past_partners``: the array given to ``score``. Without it, the organisations count as
    past partners when reciprocity is full although the host does not seek what the seeker
    hosts (the only other way to get it).
    """
    offer, seeker = offers.take([i]), seekers.take([j])
    shared_types = _shared(offer.host_seeks_types, seeker.hosts_types)

    if isinstance(matrix_or_components, ScoreMatrix):
        components = matrix_or_components.components[i, j]
        total = float(matrix_or_components.total[i, j])
        exclusion = Exclusion(int(matrix_or_components.exclusion[i, j]))
    else:
        components = np.asarray(matrix_or_components, dtype=np.float32).reshape(len(COMPONENTS))
        if weights is None:
            raise TypeError("explain needs weights when given components instead of a matrix")
        pair = _Pairs(offer, seeker, weights, None, with_text=False)
        exclusion = Exclusion(int(pair.block(0, 1)[1][0, 0]))
        total = 0.0
        if exclusion == Exclusion.NONE:
            total = float(weighted_total(components, weights))

    if past_partners is None:
        partners = bool(components[RECIPROCITY] >= 1.0) and not shared_types
    else:
        lookup = _Partners(offer.organisation_ids, seeker.organisation_ids, past_partners)
        partners = bool(lookup.block(0, 1)[0, 0])

    overlap, window = date_facts(
        offer.start, offer.end, seeker.has_window, seeker.start, seeker.end
    )

    return Breakdown(
        total=total,
        components={name: float(components[k]) for k, name in enumerate(COMPONENTS)},
        exclusion=exclusion,
        shared_theme_indices=_shared(offer.themes, seeker.themes),
        shared_language_indices=_shared(offer.languages, seeker.languages),
        date_overlap_days=int(overlap[0]),
        seeker_window_days=int(window[0]) if seeker.has_window[0] else None,
        cross_border=bool(offer.country[0] != seeker.country[0]),
        past_partners=partners,
        host_seeks_what_seeker_hosts=bool(shared_types),
        fewer_opportunities=(
            bool(offer.supports_fewer_opportunities[0]),
            int(seeker.fewer_opportunity_participants[0]),
        ),
        capacity=(int(seeker.participants[0]), int(offer.places_left[0])),
        text_by_vectors=bool(offer.has_vector[0] and seeker.has_vector[0]),
        text_languages=(_language(offer), _language(seeker)),
    )


def _language(items):
    return None if items.text_languages is None else (items.text_languages[0] or None)


def _shared(offer_row, seeker_row):
    return tuple(int(x) for x in np.intersect1d(offer_row.indices, seeker_row.indices))
