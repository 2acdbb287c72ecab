"""The labelled matching-quality data set (bench/quality_data, issue 11) loads, is consistent
with its rubric, and keeps the size and mix the issue asks for."""

import collections
import shutil

import pytest

from bench import quality_dataset
from bench.quality_dataset import load, unmet_requirements
from matchmaking import vocabularies

TAG_REQUIREMENT = {
    "hard_negative_type": "type",
    "hard_negative_dates": "dates",
    "hard_negative_language": "language",
}


@pytest.fixture(scope="module")
def dataset():
    return load()


def test_it_loads_and_every_judgement_refers_to_an_existing_item(dataset):
    for judgement in dataset.judgements:
        assert dataset.offers[judgement.offer.id] is judgement.offer
        assert dataset.profiles[judgement.profile.id] is judgement.profile


def test_it_reads_the_same_slugs_as_the_vocabularies_module():
    assert {slug for slug, _ in vocabularies.THEMES} == quality_dataset.THEMES
    assert {slug for slug, _ in vocabularies.EXCHANGE_TYPES} == quality_dataset.EXCHANGE_TYPES
    assert {code for code, _ in vocabularies.LANGUAGES} == quality_dataset.LANGUAGES
    assert {
        code for code, _ in vocabularies.FIELDS_OF_EDUCATION
    } == quality_dataset.FIELDS_OF_EDUCATION


def test_it_keeps_the_size_the_issue_asks_for(dataset):
    assert len(dataset.offers) >= 45
    assert len(dataset.profiles) >= 65
    assert len(dataset.judgements) >= 320
    per_offer = collections.Counter(j.offer.id for j in dataset.judgements)
    assert min(per_offer[offer] for offer in dataset.offers) >= 3


def test_every_profile_has_five_judged_offers_a_relevant_one_and_a_hard_negative(dataset):
    per_profile = collections.defaultdict(list)
    for judgement in dataset.judgements:
        per_profile[judgement.profile.id].append(judgement)
    for profile in dataset.profiles:
        judged = per_profile[profile]
        assert len(judged) >= 5, profile
        assert any(j.relevance >= 2 for j in judged), profile
        assert any(j.hard_negative for j in judged), profile


def test_a_third_of_the_pairs_cross_languages_and_a_quarter_of_those_are_relevant(dataset):
    cross = [j for j in dataset.judgements if j.cross_language]
    assert len(cross) >= 0.35 * len(dataset.judgements)
    assert sum(j.relevance >= 2 for j in cross) >= 0.25 * len(cross)
    assert any(not j.cross_language and j.relevance >= 2 for j in dataset.judgements)


def test_texts_are_in_five_languages_at_most_forty_percent_english(dataset):
    texts = list(dataset.offers.values()) + list(dataset.profiles.values())
    languages = collections.Counter(item.text_language for item in texts)
    assert len(languages) >= 5
    assert languages["en"] <= 0.4 * len(texts)


def test_descriptions_have_the_lengths_of_the_schema(dataset):
    for offer in dataset.offers.values():
        assert 80 <= len(offer.description.split()) <= 200, offer.id
    for profile in dataset.profiles.values():
        assert 40 <= len(profile.description.split()) <= 150, profile.id


def test_judgements_follow_the_rubric_hard_requirements(dataset):
    for judgement in dataset.judgements:
        unmet = unmet_requirements(judgement.offer, judgement.profile)
        pair = (judgement.offer.id, judgement.profile.id)
        if unmet:
            assert judgement.relevance == 0, (pair, unmet)
        for tag in judgement.tags:
            if tag in TAG_REQUIREMENT:
                assert TAG_REQUIREMENT[tag] in unmet, (pair, tag)
        if "hard_negative_subject" in judgement.tags:
            assert judgement.relevance <= 1, pair


def test_every_kind_of_hard_negative_is_there(dataset):
    kinds = collections.Counter(tag for j in dataset.judgements for tag in j.tags)
    for tag in quality_dataset.TAGS:
        assert kinds[tag] >= 5, tag


def test_the_cross_language_property_compares_the_text_languages(dataset):
    judgement = next(j for j in dataset.judgements if j.offer.text_language == "sv")
    assert judgement.cross_language is (judgement.profile.text_language != "sv")


def test_a_judgement_about_a_missing_offer_raises_and_names_it(tmp_path):
    shutil.copytree(quality_dataset.DEFAULT_DIRECTORY, tmp_path, dirs_exist_ok=True)
    with open(tmp_path / "judgements.csv", "a", encoding="utf-8") as file:
        file.write("o999,p001,2,,an offer that is not there\n")

    with pytest.raises(ValueError, match="o999"):
        load(tmp_path)


def test_an_unknown_theme_raises_and_names_the_offer(tmp_path):
    shutil.copytree(quality_dataset.DEFAULT_DIRECTORY, tmp_path, dirs_exist_ok=True)
    text = (tmp_path / "offers.json").read_text(encoding="utf-8")
    (tmp_path / "offers.json").write_text(
        text.replace('"neet-re-engagement"', '"neet-reengagement"', 1), encoding="utf-8"
    )

    with pytest.raises(ValueError, match="o01.*neet-reengagement"):
        load(tmp_path)


def test_a_relevance_out_of_range_raises(tmp_path):
    shutil.copytree(quality_dataset.DEFAULT_DIRECTORY, tmp_path, dirs_exist_ok=True)
    with open(tmp_path / "judgements.csv", "a", encoding="utf-8") as file:
        file.write("o02,p050,4,,too relevant\n")

    with pytest.raises(ValueError, match="relevance"):
        load(tmp_path)
