"""Unsubscribe links expire after a year (issue 9, finding 10); a 2019 token worked in 2026."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from exchanges.tokens import unsubscribe_token
from matchmaking.models import InterestProfile
from tests.factories import InterestProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def profile(applicant_org):
    alert = InterestProfile.Alert.IMMEDIATELY
    return InterestProfileFactory(organisation=applicant_org, alert=alert)


def _url(token):
    return reverse("exchanges:profile_unsubscribe", args=[token])


def test_a_year_old_link_asks_the_person_to_sign_in_instead(client, profile):
    with time_machine.travel(datetime.datetime(2025, 1, 10, tzinfo=datetime.UTC)):
        token = unsubscribe_token(profile)

    with time_machine.travel(datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC)):
        page = client.get(_url(token))
        post = client.post(_url(token))

    assert page.status_code == 410
    assert "This unsubscribe link has expired" in page.content.decode()
    assert reverse("exchanges:profile_list") in page.content.decode()
    assert post.status_code == 410
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.IMMEDIATELY


def test_a_link_from_this_year_still_unsubscribes(client, profile):
    with time_machine.travel(datetime.datetime(2025, 1, 10, tzinfo=datetime.UTC)):
        token = unsubscribe_token(profile)

    with time_machine.travel(datetime.datetime(2025, 12, 20, tzinfo=datetime.UTC)):
        response = client.post(_url(token))

    assert response.status_code == 200
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.OFF
