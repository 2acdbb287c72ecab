"""Sentence vectors of the texts: computed by the worker on commit, filled by embed_texts,
read by the loaders, said in the explanation (the real model, on a handful of texts)."""

import io

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from exchanges import explanations, matching, services
from exchanges.matching import vectors
from exchanges.matching.loaders import Vocabularies, load_profiles
from exchanges.models import Application, Offer, OfferProfileMatch
from matchmaking.models import InterestProfile
from matchmaking.scoring import COMPONENTS
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OfferFactory,
    exchange_type,
    language,
    theme,
)

pytestmark = pytest.mark.django_db

TEXT = COMPONENTS.index("text")
NEET_SV = (
    "Vi vill se hur andra kommuner når unga som varken arbetar eller studerar, genom "
    "uppsökande arbete och vägledning."
)


def _offer(**fields):
    return OfferFactory(
        title="Job shadowing on NEET re-engagement",
        description="Follow our outreach workers who reach young people not in education, "
        "employment or training, and our guidance counsellors.",
        **fields,
    )


def test_embed_texts_fills_the_rows_without_a_vector_and_only_those(with_vectors):
    offer = _offer()
    profile = InterestProfileFactory(description=NEET_SV)
    ApplicationFactory(offer=offer, motivation="Our advisors want to learn outreach work.")
    err = io.StringIO()

    call_command("embed_texts", "--no-rescore", stdout=io.StringIO(), stderr=err)

    for model in (Offer, InterestProfile, Application):
        row = model.objects.get()
        assert len(bytes(row.text_vector)) == 384 and row.text_hash
    profile.refresh_from_db()
    assert profile.text_language == "sv"
    assert "100%" in err.getvalue()  # the progress bar

    # Nothing left to do, until a text changes (also by a plain update).
    assert vectors.stale("profile", InterestProfile.objects.all()) == []
    before = bytes(profile.text_vector)
    InterestProfile.objects.update(description="Green skills in construction and renovation.")
    out = io.StringIO()
    call_command("embed_texts", "--no-rescore", "--kind", "profile", stdout=out)
    assert "Embedded 1 profiles" in out.getvalue()
    profile.refresh_from_db()
    assert bytes(profile.text_vector) != before and profile.text_language == "en"


def test_embed_texts_refuses_when_vectors_are_off():
    with pytest.raises(CommandError, match="MATCHING_VECTORS is off"):
        call_command("embed_texts", stdout=io.StringIO())


def test_a_saved_profile_is_embedded_by_the_worker_and_scored_with_its_vector(
    with_vectors, applicant_org, applicant_coordinator, django_capture_on_commit_callbacks
):
    offer = _offer(languages=[language("en"), language("sv")])
    call_command("embed_texts", "--no-rescore", stdout=io.StringIO())

    with django_capture_on_commit_callbacks(execute=True):
        profile = services.interest_profile_create(
            organisation=applicant_org,
            acting_user=applicant_coordinator,
            exchange_types=[exchange_type("job-shadowing")],
            themes=[theme("inclusion")],
            languages=[language("sv")],
            name="Jobbskuggning för våra vägledare",
            description=NEET_SV,
        )
        assert not InterestProfile.objects.get(pk=profile.pk).text_hash  # not before commit

    profile.refresh_from_db()
    assert profile.text_hash == vectors.text_hash(vectors.text_of(profile.name, NEET_SV))
    match = OfferProfileMatch.objects.select_related("offer", "profile").get(
        offer=offer, profile=profile
    )
    # Words alone share nothing between the English offer and the Swedish profile.
    assert match.breakdown["components"][TEXT] >= explanations.TEXT_SIMILARITY_WORTH_SAYING
    assert "similar subject, written in English and Swedish" in explanations.reasons(match)


def test_a_row_without_a_vector_yet_is_scored_by_its_words(with_vectors, settings):
    offer = _offer()
    call_command("embed_texts", "--no-rescore", stdout=io.StringIO())
    settings.MATCHING_VECTORS = False  # the profile is saved while the model is unavailable
    same_words = InterestProfileFactory(description=offer.description)
    matching.score_profile(same_words.pk)

    match = OfferProfileMatch.objects.select_related("offer", "profile").get(profile=same_words)
    assert not same_words.text_hash
    assert match.breakdown["components"][TEXT] > 0.5  # the lexical similarity
    assert "similar wording in the descriptions" in explanations.reasons(match)


def test_the_loader_reads_the_stored_vectors_once_per_worker(with_vectors, monkeypatch):
    profiles = [InterestProfileFactory(description=NEET_SV)]
    call_command("embed_texts", "--no-rescore", stdout=io.StringIO())
    profiles.append(InterestProfileFactory())  # not embedded yet
    vocabularies = Vocabularies.load()
    reads = []
    real = vectors.fetcher

    def counted(queryset):
        fetch = real(queryset)
        return lambda asked: reads.append(asked) or fetch(asked)

    monkeypatch.setattr(vectors, "fetcher", counted)

    seekers = load_profiles(InterestProfile.objects.all(), vocabularies)
    assert seekers.has_vector.tolist() == [True, False]
    stored = np.frombuffer(bytes(InterestProfile.objects.get(pk=profiles[0].pk).text_vector), "i1")
    assert (seekers.codes[0] == stored).all()
    assert seekers.text_languages == ["sv", ""]
    assert len(reads) == 1

    again = load_profiles(InterestProfile.objects.all(), vocabularies)
    assert again.codes.tobytes() == seekers.codes.tobytes()
    assert len(reads) == 1  # read already

    # A changed text is read again, alone.
    call_command("embed_texts", "--no-rescore", stdout=io.StringIO())
    load_profiles(InterestProfile.objects.all(), vocabularies)
    assert reads[1:] == [[profiles[1].pk]]
