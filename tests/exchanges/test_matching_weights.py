"""Matching weights: fitted by ``manage.py fit_weights``, compared and activated in the admin,
then used by the engine once everything is scored again."""

import io

import numpy as np
import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse

from exchanges import matching, services
from exchanges.models import Application, MatchingWeights, OfferProfileMatch
from matchmaking.scoring import COMPONENTS, Weights
from tests.factories import (
    ApplicationFactory,
    InterestProfileFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
    theme,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

WEIGHTS_URL = reverse("admin:exchanges_matchingweights_changelist")
ONLY_THEMES = Weights(**{name: (1.0 if name == "themes" else 0.0) for name in COMPONENTS})


def _select(action, *objects):
    return {"action": action, "_selected_action": [obj.pk for obj in objects]}


@pytest.fixture
def half_matching_pair(offer, applicant_org):
    """A profile sharing one of the offer's two themes: a themes component of 1/3."""
    offer.themes.set([theme("inclusion"), theme("neet-re-engagement")])
    profile = InterestProfileFactory(
        organisation=applicant_org, themes=[theme("inclusion"), theme("digital-skills")]
    )
    matching.rescore_all()
    return offer, profile


def _score(offer, profile):
    return OfferProfileMatch.objects.get(offer=offer, profile=profile).score


# The weights in use


def test_without_an_active_version_the_engine_uses_the_settings(settings):
    settings.MATCHING_WEIGHTS = {**settings.MATCHING_WEIGHTS, "themes": 0.9}
    MatchingWeights.objects.create(version=1, weights={"themes": 0.1})  # a draft: not in use

    assert matching.weights() == Weights.from_mapping(settings.MATCHING_WEIGHTS)


def test_an_active_version_is_used_over_the_settings_defaults(settings):
    MatchingWeights.objects.create(
        version=3, weights={"themes": 0.5, "gone": 1.0}, status=MatchingWeights.Status.ACTIVE
    )

    # A component the version does not name keeps its settings weight; an unknown one is ignored.
    assert matching.weights() == Weights.from_mapping({**settings.MATCHING_WEIGHTS, "themes": 0.5})


# Activation in the admin


def test_the_secretariat_compares_a_draft_with_the_weights_in_use(login, secretariat):
    version = services.matching_weights_create(
        weights=ONLY_THEMES, figures={"ndcg_before": 0.61, "ndcg_after": 0.74, "pairs": 120}
    )

    page = text(
        login(secretariat).get(reverse("admin:exchanges_matchingweights_change", args=[version.pk]))
    )

    assert "in use: the defaults in the settings" in page
    # themes: its share of the settings' weights, and 100 % in this version.
    share = matching.weights().normalised()[COMPONENTS.index("themes")]
    assert f"themes {share:.1%} 100.0% {1 - share:+.1%}" in page
    assert "held-out nDCG with the weights in use 0.6100" in page
    assert "held-out nDCG with these weights 0.7400" in page


def test_activation_rescores_with_the_new_weights_and_is_recorded(
    login, secretariat, half_matching_pair, django_capture_on_commit_callbacks
):
    offer, profile = half_matching_pair
    before = _score(offer, profile)
    old = MatchingWeights.objects.create(
        version=1, weights=Weights().__dict__, status=MatchingWeights.Status.ACTIVE
    )
    new = services.matching_weights_create(weights=ONLY_THEMES)

    with django_capture_on_commit_callbacks(execute=True):
        response = login(secretariat).post(WEIGHTS_URL, _select("activate", new), follow=True)

    assert "Version 2 is in use; every match is being scored again." in text(response)
    assert _score(offer, profile) == pytest.approx(1 / 3, abs=1e-6)  # themes alone: 1 of 3
    assert before != pytest.approx(1 / 3, abs=1e-3)
    new.refresh_from_db()
    old.refresh_from_db()
    assert (new.status, new.activated_by) == (MatchingWeights.Status.ACTIVE, secretariat)
    assert new.activated_at is not None
    assert old.status == MatchingWeights.Status.RETIRED and old.retired_at is not None


def test_activating_the_version_in_use_again_is_refused(
    login, secretariat, django_capture_on_commit_callbacks
):
    version = MatchingWeights.objects.create(
        version=1, weights={}, status=MatchingWeights.Status.ACTIVE
    )

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = login(secretariat).post(WEIGHTS_URL, _select("activate", version), follow=True)

    assert "These weights are already in use." in text(response)
    assert queued == []  # nothing re-scored


def test_one_version_is_activated_at_a_time(login, secretariat):
    first = services.matching_weights_create(weights=ONLY_THEMES)
    second = services.matching_weights_create(weights=Weights())

    response = login(secretariat).post(WEIGHTS_URL, _select("activate", first, second), follow=True)

    assert "Choose exactly one version to activate." in text(response)
    assert not MatchingWeights.objects.filter(status=MatchingWeights.Status.ACTIVE).exists()


def test_staff_without_the_activate_permission_cannot_activate(login):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_matchingweights"))
    version = services.matching_weights_create(weights=ONLY_THEMES)
    client = login(staff)

    assert "Activate the selected weights" not in text(client.get(WEIGHTS_URL))
    client.post(WEIGHTS_URL, _select("activate", version))

    version.refresh_from_db()
    assert version.status == MatchingWeights.Status.DRAFT
    with pytest.raises(services.weights.PermissionDenied):
        services.matching_weights_activate(version=version, acting_user=staff)


def test_a_version_that_was_in_use_cannot_be_deleted(login, secretariat):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    used = MatchingWeights.objects.create(version=1, weights={}, status="retired")
    draft = services.matching_weights_create(weights=ONLY_THEMES)
    client = login(superuser)

    client.post(WEIGHTS_URL, _select("delete_selected", used) | {"post": "yes"})
    client.post(WEIGHTS_URL, _select("delete_selected", draft) | {"post": "yes"})

    assert list(MatchingWeights.objects.values_list("version", flat=True)) == [1]


# fit_weights


def _decided(offers, per_offer, weights, *, seed=3):
    """Applications decided by hosts who like them by ``weights`` (with some noise): the best
    accepted, the next shortlisted, the rest declined; their stored breakdowns in full."""
    rng = np.random.default_rng(seed)
    senders = OrganisationFactory.create_batch(per_offer)
    rows = []
    for offer in OfferFactory.create_batch(offers):
        components = rng.random((per_offer, len(COMPONENTS)))
        liking = components @ weights.normalised() * 20 + rng.logistic(size=per_offer)
        order = np.argsort(-liking)
        status = {order[0]: "accepted", order[1]: "shortlisted"}
        for k, sender in enumerate(senders):
            rows.append(
                Application(
                    offer=offer,
                    organisation=sender,
                    participants=1,
                    preferred_start=offer.available_from,
                    preferred_end=offer.available_until,
                    status=status.get(k, "declined"),
                    score=0.5,
                    score_breakdown={
                        "components": dict(zip(COMPONENTS, components[k].tolist())),
                        "exclusion": "NONE",
                    },
                )
            )
    Application.objects.bulk_create(rows)


def test_fit_weights_learns_the_hosts_weights_and_saves_a_draft():
    known = Weights(
        themes=0.5, text=0.0, dates=0.2, languages=0.0, capacity=0.0,
        fewer_opportunities=0.2, cross_border=0.0, reciprocity=0.1,
    )  # fmt: skip
    _decided(offers=60, per_offer=6, weights=known)
    ApplicationFactory(status="submitted")  # undecided: not learnt from
    out = io.StringIO()

    call_command("fit_weights", stdout=out)

    version = MatchingWeights.objects.get()
    assert (version.version, version.status) == (1, MatchingWeights.Status.DRAFT)
    fitted = Weights.from_mapping(version.weights).normalised()
    assert fitted == pytest.approx(known.normalised(), abs=0.08)
    assert version.figures["decisions"] == 360 and version.figures["folds"] == 5
    assert version.figures["ndcg_after"] > version.figures["ndcg_before"]
    assert "Saved draft version 1" in out.getvalue()


def test_fit_weights_without_decisions_to_learn_from_saves_nothing():
    ApplicationFactory(status="accepted", score_breakdown={"components": {}, "exclusion": "NONE"})

    with pytest.raises(CommandError, match="Nothing to learn from"):
        call_command("fit_weights", stdout=io.StringIO())

    assert not MatchingWeights.objects.exists()
