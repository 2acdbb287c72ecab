"""A double-clicked organisation form creates one organisation (issue 9, finding 10)."""

import pytest
from django.urls import reverse

from matchmaking.models import Membership, Organisation
from tests.factories import UserFactory
from tests.matchmaking.test_views import _organisation_data
from tests.pages import heading, submission_token, text

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("matchmaking:organisation_create")


def test_two_posts_of_one_organisation_form_make_one_organisation(
    login, django_capture_on_commit_callbacks
):
    client = login(UserFactory())
    data = {**_organisation_data(), "submission_token": submission_token(client.get(CREATE_URL))}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(CREATE_URL, data)
    second = client.post(CREATE_URL, data, follow=True)

    assert second.redirect_chain == [(reverse("desk"), 302)]
    assert heading(second) == "Lappia Vocational College"
    assert "You sent this form twice; it was saved once." in text(second)
    assert Organisation.objects.get().slug == "lappia-vocational-college"
    assert Membership.objects.count() == 1


def test_a_token_that_is_not_one_of_ours_is_ignored(login):
    login(UserFactory()).post(CREATE_URL, {**_organisation_data(), "submission_token": "x y\n"})

    assert Organisation.objects.count() == 1
