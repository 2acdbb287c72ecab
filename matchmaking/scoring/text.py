"""Text similarity: TF-IDF vectors with the hashing trick, compared by cosine.

- Words: the text is put in Unicode NFC form and lower-cased; a word is a run of three or more
  letters (any script; digits and ``_`` split words); stop words (a short list for the languages
  of the partnership, below) are dropped.
- Each word goes to one of ``N_BUCKETS`` buckets by ``zlib.crc32`` of its UTF-8 bytes, so the
  vectors need no vocabulary and are the same in every process (Python's ``hash()`` is salted).
- A document's vector holds, per bucket, ``count × idf`` with
  ``idf = ln((1 + N) / (1 + df)) + 1``, where ``N`` counts the offers and seekers scored
  together and ``df`` how many of them use the bucket; vectors are L2-normalised, so the
  similarity is their dot product, in [0, 1] (clipped against rounding).

Lemmas (``lemmatise=True``, the default): each word is reduced to its lemma in the text's
language with ``simplemma`` (offline; "interviewing" and "interviews" both become
"interview", Swedish "intervjuerna" "intervju"), lower-cased again, and a stop word after
lemmatising is dropped too. A text's language is the one ``languages`` gives for it when
known (e.g. stored when the text was saved, see ``detect_language``), else detected among
``DETECTED_LANGUAGES``; a language simplemma does not know (Basque) keeps the words as they
are. ``lemmatise=False`` gives the words exactly as before lemmas existed (the benchmark's
"current engine"). Lemmatising costs 0.3–2 s per language the first time a process meets it
(simplemma loads its dictionary), then under a microsecond a word.

Counting words is the slow part (pure Python: about 1 s per 100,000 texts of 10 to 60 words,
against some 0.03 s for the similarities of one offer with them); it depends on each text
alone, so a caller that keeps ``term_counts`` can hand them to ``Offers`` / ``Seekers`` as
``text_counts`` and skip it.
"""

import itertools
import re
import threading
import unicodedata
import zlib
from collections import defaultdict
from collections.abc import Sequence

import numpy as np
from scipy import sparse

N_BUCKETS = 2**18

_WORD = re.compile(r"[^\W\d_]{3,}")
_SEPARATOR = "\x00"

# Words of three letters or more only: shorter ones never become tokens.
STOP_WORDS = frozenset(
    # English
    "about above after again against all also among and any are because been before being"
    " below between both but can could did does doing down during each either etc few for"
    " from further had has have having her here hers herself him himself his how however into"
    " its itself just more most much must not now off once only other our ours ourselves out"
    " over own same she should since some such than that the their theirs them themselves then"
    " there these they this those through too under until upon very via was were what when"
    " where which while who whom whose why will with within without would yet you your yours"
    " yourself yourselves"
    # Swedish, Norwegian, Danish
    " och att det som för med den har inte till var jag ett men eller från kan vid sig"
    " ska skal ikke også fra til der ved være vil deres vår våra vårt vores"
    # German
    " und der die das den dem des ein eine einer eines einem nicht mit auf für von sich ist"
    " auch als wie aus bei nach oder aber wir sie ihr sind wird werden zum zur über"
    # French
    " les des une est pour dans par sur avec qui que pas plus sont ont aux ces leur leurs"
    " nous vous ils elles mais comme être avoir cette tout tous"
    # Spanish, Portuguese, Catalan, Italian
    " los las del por para con una uno que como más sus entre sobre pero este esta son"
    " não uma com dos das pelo pela são também"
    " els amb per una als"
    " che della delle degli dei nel nella per con una sono anche come più alla alle"
    # Dutch
    " het een van dat niet zijn met voor aan ook als bij door naar".split()
)


# The partnership's languages that are lemmatised, and among which a text's language is
# detected. Each costs its simplemma dictionary in every process that lemmatises (English 20
# MB and 0.3 s to load; Swedish, Norwegian, Spanish, Catalan, Italian 30–100 MB and 1–2 s);
# Polish (400 MB, 5 s) and German (140 MB, 2.5 s) are left out for the workers' memory, as is
# Basque (simplemma has none): their words are kept as they are, and the sentence vectors
# carry their texts across languages. At most eight (simplemma's dictionary cache).
# Norwegian Bokmål is "nb" for simplemma, "no" in the vocabulary of working languages.
DETECTED_LANGUAGES = ("en", "sv", "nb", "es", "ca", "it")
_SIMPLEMMA_CODES = {"no": "nb"}
# Below this share of words known in the best language, the detection is not trusted.
DETECTION_CONFIDENCE = 0.5


def simplemma_code(language: str | None) -> str | None:
    """The code simplemma knows the language by, or None if it does not lemmatise it."""
    if not language:
        return None
    code = _SIMPLEMMA_CODES.get(language, language)
    return code if code in DETECTED_LANGUAGES else None


def detect_language(text: str, fallback: str | None = None, candidates=DETECTED_LANGUAGES):
    """The language of ``text`` (an ISO 639-1 code as the vocabulary has it: "no", not "nb")
    among ``candidates``, or ``fallback`` when the text says too little (about 1 ms)."""
    import simplemma

    candidates = tuple(c for c in (simplemma_code(c) for c in candidates) if c)
    if text and text.strip() and candidates:
        with _simplemma_lock:
            found = simplemma.langdetect(text, lang=candidates)
        if found and found[0][0] != "unk" and found[0][1] >= DETECTION_CONFIDENCE:
            code = found[0][0]
            return "no" if code == "nb" else code
    return fallback


_simplemma_lock = threading.Lock()  # its dictionary cache is not thread-safe


def words(text: str) -> list[str]:
    """The words of ``text`` as the similarity sees them, stop words dropped."""
    normalised = unicodedata.normalize("NFC", text).lower()
    return [word for word in _WORD.findall(normalised) if word not in STOP_WORDS]


def lemmas(text: str, language: str | None) -> list[str]:
    """The words of ``text`` as lemmas of ``language`` (words as they are if simplemma does
    not know it), stop words dropped before and after."""
    return _lemmatiser(simplemma_code(language))(words(text))


def _lemmatiser(code):
    if code is None:
        return lambda found: found
    import simplemma

    def lemmatise(found):
        with _simplemma_lock:
            reduced = [simplemma.lemmatize(word, lang=code).lower() for word in found]
        return [word for word in reduced if word not in STOP_WORDS and len(word) >= 3]

    return lemmatise


def bucket(word: str, n_buckets: int = N_BUCKETS) -> int:
    return zlib.crc32(word.encode("utf-8")) % n_buckets


def term_counts(
    texts: Sequence[str],
    n_buckets: int = N_BUCKETS,
    *,
    lemmatise: bool = True,
    languages: Sequence[str | None] | None = None,
    candidates: Sequence[str] = DETECTED_LANGUAGES,
) -> sparse.csr_matrix:
    """How often each bucket occurs in each text: float64 (len(texts), n_buckets), canonical.

    With ``lemmatise`` (see the module's docstring), ``languages`` gives each text's language
    where it is known (None or "" to detect it among ``candidates``)."""
    n_texts = len(texts)
    if n_texts == 0:
        return sparse.csr_matrix((0, n_buckets), dtype=np.float64)
    if not lemmatise:
        return _counts(texts, n_buckets, words)
    if languages is None:
        languages = [None] * n_texts
    if len(languages) != n_texts:
        raise ValueError(f"languages: expected {n_texts}, got {len(languages)}")
    languages = [
        language or detect_language(text, candidates=candidates)
        for text, language in zip(texts, languages)
    ]
    # The texts of each language together, each counted as the unlemmatised ones are.
    codes = [simplemma_code(language) for language in languages]
    parts, order = [], []
    for code in sorted(set(codes), key=lambda c: c or ""):
        rows = [i for i, c in enumerate(codes) if c == code]
        parts.append(_counts([texts[i] for i in rows], n_buckets, _chunk_lemmas(code)))
        order.extend(rows)
    counts = sparse.vstack(parts, format="csr")
    position = np.empty(n_texts, dtype=np.int64)
    position[np.asarray(order, dtype=np.int64)] = np.arange(n_texts)
    counts = sparse.csr_matrix(counts[position])
    counts.sort_indices()
    return counts


def _chunk_lemmas(code):
    lemmatise = _lemmatiser(code)
    return lambda chunk: lemmatise(words(chunk))


def _counts(texts, n_buckets, words_of):
    n_texts = len(texts)
    # One split over all texts instead of a regular expression per text: the expensive step
    # (words, NFC, lower case, hashing) then runs once per distinct whitespace-separated
    # chunk, and numpy maps the chunks back to their documents.
    joined = f" {_SEPARATOR} ".join(texts)
    if joined.count(_SEPARATOR) != n_texts - 1:  # a text carries the separator itself
        joined = f" {_SEPARATOR} ".join(text.replace(_SEPARATOR, " ") for text in texts)
    chunks = joined.split()
    # Numbers the distinct chunks in order of first appearance, in one pass at C speed.
    index = defaultdict(itertools.count().__next__)
    chunk_ids = np.fromiter(map(index.__getitem__, chunks), dtype=np.int64, count=len(chunks))

    # chunk → buckets, then document → chunks; their product counts each bucket per document.
    distinct = list(index)  # in id order
    buckets_of = [
        [] if chunk == _SEPARATOR else [bucket(word, n_buckets) for word in words_of(chunk)]
        for chunk in distinct
    ]
    lengths = np.fromiter(map(len, buckets_of), dtype=np.int64, count=len(distinct))
    chunk_starts = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum(lengths, out=chunk_starts[1:])
    flat = np.fromiter(
        (b for bs in buckets_of for b in bs), dtype=np.int64, count=int(chunk_starts[-1])
    )
    chunk_buckets = sparse.csr_matrix(
        (np.ones(len(flat)), flat, chunk_starts), shape=(len(distinct), n_buckets)
    )
    # A separator chunk starts the next document (it has no buckets, so it counts for nothing).
    separators = np.flatnonzero(chunk_ids == index[_SEPARATOR]) if n_texts > 1 else []
    document_starts = np.concatenate([[0], separators, [len(chunks)]]).astype(np.int64)
    document_chunks = sparse.csr_matrix(
        (np.ones(len(chunks)), chunk_ids, document_starts), shape=(n_texts, len(distinct))
    )
    counts = sparse.csr_matrix(document_chunks @ chunk_buckets)
    counts.sum_duplicates()
    counts.sort_indices()
    return counts


def document_frequencies(counts: sparse.csr_matrix) -> np.ndarray:
    """In how many documents each bucket occurs: int64 (n_buckets,)."""
    return np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.int64)


class TextSimilarity:
    """Cosine similarities between offers' and seekers' TF-IDF vectors, a block at a time.

    Works on the raw counts: ``cos(o, s) = Σ_k s_k · (o_k idf_k² / |o|) / |s|``; the offers'
    side is prepared once, as are the seekers' norms, so the (large) seekers' matrix is never
    rewritten. A block multiplies the seekers' sparse counts by the block's offers as dense
    columns: each pair's sum runs over the seeker's buckets in order, whichever offers share
    the block, so a pair's value does not depend on the block it is computed in.
    """

    # Above this many offers, the dense columns keep only the buckets some offer uses.
    DENSE_OFFERS = 16

    def __init__(self, offer_counts, offer_df, seeker_counts, seeker_df, *, compact=None):
        n_docs = offer_counts.shape[0] + seeker_counts.shape[0]
        idf = np.log((1.0 + n_docs) / (1.0 + offer_df + seeker_df)) + 1.0
        idf_squared = idf * idf

        offer_norms = _norms(offer_counts, idf_squared)
        scale = np.divide(1.0, offer_norms, out=np.zeros_like(offer_norms), where=offer_norms > 0)
        offers = sparse.csr_matrix(offer_counts.multiply(idf_squared[np.newaxis, :]))
        offers = sparse.csr_matrix(sparse.diags(scale) @ offers)
        seekers = seeker_counts
        seeker_norms = _norms(seeker_counts, idf_squared)
        self._seeker_norms = np.where(seeker_norms > 0, seeker_norms, 1.0)  # dots are 0 there

        if compact is None:
            compact = offer_counts.shape[0] > self.DENSE_OFFERS
        if compact:
            # Renumber the buckets some offer uses 0..u-1 and send all others to u, a column
            # of zeros: the same products in the same order, with narrower dense columns.
            used = np.unique(offers.indices)
            position = np.full(offers.shape[1], len(used), dtype=np.int32)
            position[used] = np.arange(len(used), dtype=np.int32)
            width = len(used) + 1
            offers = sparse.csr_matrix(
                (offers.data, position[offers.indices], offers.indptr),
                shape=(offers.shape[0], width),
            )
            seekers = sparse.csr_matrix(
                (seekers.data, position[seekers.indices], seekers.indptr),
                shape=(seekers.shape[0], width),
            )
        self._offers, self._seekers = offers, seekers

    def block(self, lo: int, hi: int, *, columns=None) -> np.ndarray:
        """float32 (hi - lo, n_seekers): offers ``lo:hi`` against every seeker, or against the
        seekers ``columns`` (an index array) only, with the same bits for them."""
        seekers, norms = self._seekers, self._seeker_norms
        if columns is not None:
            seekers, norms = seekers[columns], norms[columns]
        dense = np.ascontiguousarray(self._offers[lo:hi].toarray().T)
        dots = seekers @ dense  # (n_seekers, hi - lo)
        cosine = dots.T / norms
        return np.minimum(cosine, 1.0, out=cosine).astype(np.float32, order="C")

    def pairs(self, rows, columns) -> np.ndarray:
        """float32 (p,): offer ``rows[p]`` against seeker ``columns[p]``, the same bits as
        ``block`` gives for them."""
        dots = _row_dots(self._seekers[columns], self._offers[rows])
        cosine = dots / self._seeker_norms[columns]
        return np.minimum(cosine, 1.0, out=cosine).astype(np.float32)


def text_pairs_by_corpus(offer_counts, rows, seeker_counts, columns, corpora) -> np.ndarray:
    """float32 (p,): offer ``rows[p]`` against seeker ``columns[p]``, where the pairs with the
    same ``corpora`` label form their own corpus: their offers and seekers, each counted once.

    The same arithmetic as ``TextSimilarity`` of those offers and seekers alone, computed for
    all corpora at once: only the buckets the documents use are looked at, instead of every
    bucket once per corpus.
    """
    n = len(rows)
    if not n:
        return np.zeros(0, dtype=np.float32)
    width = offer_counts.shape[1]
    _labels, corpus = np.unique(corpora, return_inverse=True)
    n_corpora = int(corpus.max()) + 1
    # Each (corpus, offer) and (corpus, seeker) is one document.
    offer_docs, offer_of_pair = np.unique(
        corpus * offer_counts.shape[0] + rows, return_inverse=True
    )
    seeker_docs, seeker_of_pair = np.unique(
        corpus * seeker_counts.shape[0] + columns, return_inverse=True
    )
    offers = _canonical(offer_counts[offer_docs % offer_counts.shape[0]])
    seekers = _canonical(seeker_counts[seeker_docs % seeker_counts.shape[0]])
    offer_corpus = offer_docs // offer_counts.shape[0]
    seeker_corpus = seeker_docs // seeker_counts.shape[0]
    n_docs = np.bincount(offer_corpus, minlength=n_corpora) + np.bincount(
        seeker_corpus, minlength=n_corpora
    )

    # Document frequencies per (corpus, bucket), as sorted keys corpus * width + bucket.
    def keys(matrix, corpus_of_row):
        return np.repeat(corpus_of_row, np.diff(matrix.indptr)) * width + matrix.indices

    offer_keys, seeker_keys = keys(offers, offer_corpus), keys(seekers, seeker_corpus)
    used, df = np.unique(np.concatenate([offer_keys, seeker_keys]), return_counts=True)

    def idf_squared(matrix, matrix_keys):
        documents = n_docs[matrix_keys // width]
        idf = np.log((1.0 + documents) / (1.0 + df[np.searchsorted(used, matrix_keys)])) + 1.0
        return idf * idf

    offer_idf = idf_squared(offers, offer_keys)
    seeker_idf = idf_squared(seekers, seeker_keys)
    offer_norms = _row_sums(_with_data(offers, offers.data * offers.data * offer_idf))
    offer_norms = np.sqrt(offer_norms)
    scale = np.divide(1.0, offer_norms, out=np.zeros_like(offer_norms), where=offer_norms > 0)
    weighted = offers.data * offer_idf
    weighted *= np.repeat(scale, np.diff(offers.indptr))
    seeker_norms = np.sqrt(_row_sums(_with_data(seekers, seekers.data * seekers.data * seeker_idf)))
    seeker_norms = np.where(seeker_norms > 0, seeker_norms, 1.0)

    dots = _row_dots(seekers[seeker_of_pair], _with_data(offers, weighted)[offer_of_pair])
    cosine = dots / seeker_norms[seeker_of_pair]
    return np.minimum(cosine, 1.0, out=cosine).astype(np.float32)


def _canonical(matrix):
    matrix = sparse.csr_matrix(matrix)
    matrix.sum_duplicates()
    return matrix


def _with_data(matrix, data):
    return sparse.csr_matrix((data, matrix.indices, matrix.indptr), shape=matrix.shape)


def _row_sums(matrix):
    # A sparse product sums each row's entries in order, as the similarities' products do.
    return matrix @ np.ones(matrix.shape[1])


def _row_dots(seekers, offers):
    """Per row, Σ seekers[k] · offers[k] over the seeker's buckets in order: the sum a
    product with the offer's dense column makes (buckets the offer lacks add 0)."""
    return _row_sums(_canonical(seekers).multiply(_canonical(offers)).tocsr())


def _norms(counts, idf_squared):
    squares = sparse.csr_matrix(
        (counts.data * counts.data, counts.indices, counts.indptr), shape=counts.shape
    )
    return np.sqrt(squares @ idf_squared)
