"""The quality benchmark's arithmetic (bench/quality.py): rankings, metrics and exposure."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from bench import quality

DATA = Path(quality.__file__).resolve().parent / "quality_data"


def test_metrics_count_unjudged_offers_as_not_relevant():
    # One profile; offers 0..3 with relevance 3, 0 (unjudged), 2, 0.
    relevance = np.array([[3], [0], [2], [0]])
    ideal = [np.array([0, 2, 1, 3])]
    worst = [np.array([1, 3, 2, 0])]

    best = quality.metrics(ideal, relevance)
    bad = quality.metrics(worst, relevance)

    assert best == {"ndcg@10": 1.0, "precision@5": 0.4, "recall@10": 1.0, "profiles": 1}
    discount = 1 / np.log2(np.arange(2, 6))
    expected = (3 * discount[2] + 7 * discount[3]) / (7 * discount[0] + 3 * discount[1])
    assert bad["ndcg@10"] == pytest.approx(expected, abs=1e-4)


def test_an_excluded_offer_is_never_shown():
    values = np.array([[0.9, -np.inf], [0.5, 0.4], [-np.inf, 0.8]])

    ranked = quality.rankings(values)

    assert [r.tolist() for r in ranked] == [[0, 1], [2, 1]]


def test_exposure_counts_the_offers_shown_and_how_evenly():
    # Two profiles, four offers: offer 0 shown twice, offer 1 once, offers 2 and 3 never.
    ranked = [np.array([0, 1]), np.array([0])]

    figures = quality.exposure(ranked, 4)

    assert figures["offers_shown_share"] == 0.5
    # Gini of (0, 0, 1, 2): Σ (2i − n − 1)·x_i / (n·Σx) = (1·1 + 3·2) / (4·3).
    assert figures["gini"] == pytest.approx(7 / 12, abs=1e-4)


def test_the_engines_are_built_from_the_data_set(tmp_path):
    offers = json.loads((DATA / "offers.json").read_text(encoding="utf-8"))[:3]
    (tmp_path / "offers.json").write_text(json.dumps(offers), encoding="utf-8")
    profile = {
        "id": "p1",
        "organisation": {
            "name": "Vestland",
            "country": "NO",
            "region_name": "V",
            "kind": "authority",
        },
        "text_language": "nb",
        "exchange_types": [offers[0]["exchange_type"]],
        "themes": offers[0]["themes"][:1],
        "fields_of_education": [],
        "countries_wanted": [],
        "languages": offers[0]["languages"],
        "window_from": None,
        "window_until": None,
        "participants": 1,
        "fewer_opportunities_participants": 0,
        "description": "Vi vil lære hvordan dere når unge som har falt ut av skolen.",
    }
    (tmp_path / "profiles.json").write_text(json.dumps([profile]), encoding="utf-8")
    with open(tmp_path / "judgements.csv", "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["offer", "profile", "relevance", "tags", "note"])
        writer.writerow([offers[0]["id"], "p1", 3, "", "the same subject"])
    dataset = quality.load(tmp_path)

    inputs = quality.build(dataset, new=False)
    result = quality.scored(inputs)
    relevance, judged = quality.relevance_matrix(dataset, inputs)

    assert result.components.shape[:2] == (3, 1)
    assert result.fits[0, 0]  # the offer its profile was written for passes the constraints
    assert relevance[:, 0].tolist() == [3, 0, 0] and judged.sum() == 1
    first = quality.rankings(quality.totals(result, quality.current_weights()))[0][0]
    assert first == 0
