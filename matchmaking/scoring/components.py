"""The arithmetic of the components whose definitions ``engine``'s docstring gives, written once.

Each function works element by element on arrays that broadcast, so the same lines score a
block of offers against every seeker (``engine._Pairs.block``: offers × seekers arrays), chosen
pairs (``engine.score_pairs``: one entry per pair) and one pair (the explanations: 0-d
arrays or plain numbers). The operations and their dtypes are the engine's, in its order, so
every caller gets the same bits.

Day arguments are day ordinals (``date.toordinal()``); set sizes and overlaps are float32
counts (exact).
"""

import numpy as np

LAST_PLACES = 0.8

# A seeker without a window takes any dates: its window spans every day an offer may have.
_ANY_FIRST_DAY, _ANY_LAST_DAY = -(2**30), 2**30


def themes(shared, offer_sizes, seeker_sizes, out):
    """themes into ``out``: Jaccard index |common| / |either|, 0 when neither has a theme."""
    either = offer_sizes + seeker_sizes - shared
    np.divide(shared, np.maximum(either, 1, out=either), out=out)


def window_days(start, end):
    """Days in the windows from ``start`` to ``end``, both included (int64)."""
    return np.asarray(end, dtype=np.int64) - start + 1


def seeker_windows(has_window, start, end):
    """The seekers' windows as the dates component sees them: (first day int32, last day int32,
    days float32). A seeker without a window spans everything and counts one day, so that
    the component reaches 1 with any offer."""
    first_day = np.where(has_window, start, _ANY_FIRST_DAY).astype(np.int32)
    last_day = np.where(has_window, end, _ANY_LAST_DAY).astype(np.int32)
    days = np.where(has_window, np.maximum(window_days(start, end), 1), 1).astype(np.float32)
    return first_day, last_day, days


def overlap_days(offer_start, offer_end, first_day, last_day):
    """Days the offer's window shares with the seeker's (``seeker_windows``); <= 0 for none,
    which excludes the pair (DATES)."""
    first = np.maximum(offer_start, first_day)
    overlap = np.minimum(offer_end, last_day)
    overlap -= first
    overlap += 1
    return overlap


def dates(overlap, seeker_days, out):
    """dates into ``out``: days of overlap / days in the seeker's window, within [0, 1]."""
    np.divide(overlap.astype(np.float32), seeker_days, out=out)
    np.clip(out, 0.0, 1.0, out=out)


def date_facts(offer_start, offer_end, has_window, seeker_start, seeker_end):
    """What an explanation says of the dates: (days shared, >= 0; days in the seeker's window,
    meaningless where it has none). A seeker without a window shares the offer's whole
    window."""
    first_day, last_day, _days = seeker_windows(has_window, seeker_start, seeker_end)
    shared = np.maximum(0, overlap_days(offer_start, offer_end, first_day, last_day))
    return shared, window_days(seeker_start, seeker_end)


def seeker_languages(sizes):
    """What the languages component needs of the seekers' language counts, worked out once:
    (divisor, 1.0 where the seeker lists none)."""
    return np.maximum(sizes, 1), (sizes == 0).astype(np.float32)


def languages(shared, divisor, seeker_without, offer_without, out):
    """languages into ``out``: |common| / |seeker's languages|, 1 when either side lists none;
    returns whether the pair passes the LANGUAGE constraint. ``offer_without`` (bool, one per
    row of ``out``) marks the offers that list none."""
    np.divide(shared, divisor, out=out)
    out += seeker_without
    out[offer_without] = 1.0
    ok = (shared > 0) | (seeker_without > 0)
    ok[offer_without] = True
    return ok


def capacity(participants, places, out):
    """capacity into ``out``: 1 with places to spare, ``LAST_PLACES`` when the participants
    take the last ones, 0 when they do not fit; returns whether they fit (CAPACITY). Exact in
    float32: LAST_PLACES + (1 - LAST_PLACES) rounds to 1."""
    fits = participants <= places
    np.multiply(fits, np.float32(LAST_PLACES), out=out)
    out += (participants < places) * (np.float32(1) - np.float32(LAST_PLACES))
    return fits


# Fields of education: a side that names none tells nothing, and gets this.
FIELDS_UNKNOWN = 0.5


def fields(shared, offer_sizes, seeker_sizes, out):
    """fields into ``out``: |common| / min(|offer's|, |seeker's|) (the overlap coefficient:
    an offer about one field fits a profile that lists it among others), ``FIELDS_UNKNOWN``
    when either side lists none."""
    smaller = np.minimum(offer_sizes, seeker_sizes)
    np.divide(shared, np.maximum(smaller, 1), out=out)
    out[...] = np.where(smaller == 0, np.float32(FIELDS_UNKNOWN), out)
