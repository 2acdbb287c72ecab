"""The text similarity: words, hashed counts, TF-IDF cosines."""

import unicodedata
import zlib
from collections import Counter

import numpy as np
import pytest

from matchmaking.scoring import text

pytestmark = []


def test_words_are_lower_case_runs_of_three_letters_or_more_in_any_script():
    assert text.words("NEET re-engagement: Ålesund 2026, Łódź & Αθήνα, a_b") == [
        "neet",
        "engagement",
        "ålesund",
        "łódź",
        "αθήνα",
    ]


def test_stop_words_are_dropped():
    assert text.words("The youth and the guidance for them, und die Jugend") == [
        "youth",
        "guidance",
        "jugend",
    ]


def test_composed_and_decomposed_letters_make_the_same_word():
    composed = "café éducation"

    assert text.words(unicodedata.normalize("NFD", composed)) == text.words(composed)


def test_buckets_come_from_crc32_not_the_salted_hash():
    assert text.bucket("inclusion") == zlib.crc32(b"inclusion") % text.N_BUCKETS


def test_term_counts_count_each_words_bucket_per_text():
    texts = [
        "Youth guidance, youth work",
        "",
        "Green skills\x00for welders",  # a NUL inside a text stays inside it
        "  ",
        "Rénovation énergétique des bâtiments",
    ]

    counts = text.term_counts(texts, lemmatise=False)  # the words as they are

    assert counts.shape == (len(texts), text.N_BUCKETS)
    assert counts.has_canonical_format
    for row, source in enumerate(texts):
        expected = Counter(text.bucket(word) for word in text.words(source.replace("\x00", " ")))
        found = counts[row]
        assert dict(zip(found.indices.tolist(), found.data.tolist(), strict=True)) == expected


def test_term_counts_of_no_text_is_empty():
    assert text.term_counts([]).shape == (0, text.N_BUCKETS)
    assert text.term_counts(["solo"]).nnz == 1


def _similarity(offer_texts, seeker_texts, **kwargs):
    offers, seekers = text.term_counts(offer_texts), text.term_counts(seeker_texts)
    return text.TextSimilarity(
        offers,
        text.document_frequencies(offers),
        seekers,
        text.document_frequencies(seekers),
        **kwargs,
    )


def test_similarity_is_one_for_the_same_words_and_zero_for_none_shared():
    similarity = _similarity(
        ["welding apprentices shipyard"],
        ["Shipyard welding apprentices", "nursing students", "", "welding nursing"],
    )

    values = similarity.block(0, 1)[0]

    assert values[0] == pytest.approx(1.0)
    assert values[1] == 0.0 and values[2] == 0.0
    assert 0 < values[3] < 1


def test_rare_shared_words_weigh_more_than_common_ones():
    seekers = ["youth rare", "youth common", "youth common", "youth common"]

    values = _similarity(["rare common"], seekers).block(0, 1)[0]

    assert values[0] > values[1]


def test_the_compact_and_the_full_columns_give_the_same_bits():
    rng = np.random.default_rng(0)
    vocabulary = [f"word{chr(97 + i)}{chr(97 + j)}" for i in range(20) for j in range(20)]

    def texts(n):
        return [" ".join(rng.choice(vocabulary, rng.integers(0, 30))) for _ in range(n)]

    offer_texts, seeker_texts = texts(40), texts(300)

    compact = _similarity(offer_texts, seeker_texts, compact=True)
    full = _similarity(offer_texts, seeker_texts, compact=False)

    whole = compact.block(0, 40)
    assert whole.tobytes() == full.block(0, 40).tobytes()
    assert whole[7:9].tobytes() == compact.block(7, 9).tobytes() == full.block(7, 9).tobytes()
    assert ((whole >= 0) & (whole <= 1)).all()


# Lemmas per language (simplemma): the lexical path on its own.


def _shared(first, second, language):
    counts = text.term_counts([first, second], languages=[language, language])
    return counts[0].multiply(counts[1]).sum()


@pytest.mark.parametrize(
    ("first", "second", "language"),
    [
        ("interviewing young people", "interviews", "en"),
        ("intervjuerna med ungdomar", "intervjuer", "sv"),
        ("entrevistas motivacionales", "entrevista", "es"),
        ("prácticas de aprendices", "aprendiz", "es"),
    ],
)
def test_lemmas_make_forms_of_one_word_the_same_term(first, second, language):
    assert _shared(first, second, language) >= 1

    words_only = text.term_counts([first, second], lemmatise=False)
    assert words_only[0].multiply(words_only[1]).sum() == 0  # as before lemmas


def test_lemmas_raise_the_similarity_of_two_texts_on_one_subject():
    def similarity(**options):
        offers = text.term_counts(["Motivational interviewing for advisors"], **options)
        seekers = text.term_counts(["Interviews that motivate"], **options)
        return text.TextSimilarity(
            offers, text.document_frequencies(offers), seekers, text.document_frequencies(seekers)
        ).block(0, 1)[0, 0]

    assert similarity(languages=["en"]) > similarity(lemmatise=False) == 0


def test_a_texts_language_is_detected_among_the_partnerships_or_given():
    assert text.detect_language("Jobbskuggning för vägledare som möter unga arbetslösa") == "sv"
    assert text.detect_language("Hospitering for rådgivere som følger opp unge") == "no"
    assert text.detect_language("Prácticas para aprendices en empresas de logística") == "es"
    # Basque is not among them: the organisation's language is taken.
    assert text.detect_language("Gazteen enplegagarritasuna eta orientazioa", "eu") == "eu"
    assert text.detect_language("", "sv") == "sv"


def test_a_language_simplemma_does_not_lemmatise_keeps_the_words():
    assert text.lemmas("Gazteen orientazioa", "eu") == text.words("Gazteen orientazioa")
