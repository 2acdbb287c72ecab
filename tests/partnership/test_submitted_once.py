"""A double-clicked nomination or membership application is saved once and the second click
shows it (issue 9, finding 10; matchmaking.forms.create_once)."""

import pytest
from django.urls import reverse

from partnership.models import MembershipApplication, Promoter, PromoterHistory
from tests.pages import submission_token, text
from tests.partnership.test_join import _application_data
from tests.partnership.test_promoters import _nomination

pytestmark = pytest.mark.django_db

NOMINATE_URL = reverse("partnership:promoter_nominate")
JOIN_URL = reverse("partnership:join")


def test_two_posts_of_one_nomination_make_one_promoter(
    login, member_org, host_coordinator, django_capture_on_commit_callbacks
):
    client = login(host_coordinator)
    data = {
        **_nomination(member_org),
        "submission_token": submission_token(client.get(NOMINATE_URL)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(NOMINATE_URL, data)
    second = client.post(NOMINATE_URL, data, follow=True)

    assert second.redirect_chain == [(reverse("partnership:promoters"), 302)]
    assert "You sent the nomination of Nicholas Waller twice; it was saved once." in text(second)
    assert Promoter.objects.get().name == "Nicholas Waller"
    assert PromoterHistory.objects.count() == 1


def test_a_second_nomination_form_nominates_again(login, member_org, host_coordinator):
    client = login(host_coordinator)

    for name in ("Nicholas Waller", "Karin Sjöberg"):
        token = submission_token(client.get(NOMINATE_URL))
        client.post(NOMINATE_URL, {**_nomination(member_org, name=name), "submission_token": token})

    assert sorted(Promoter.objects.values_list("name", flat=True)) == [
        "Karin Sjöberg",
        "Nicholas Waller",
    ]


def test_two_posts_of_one_membership_application_show_the_pending_application(
    login, host_org, host_admin, django_capture_on_commit_callbacks
):
    client = login(host_admin)
    data = {
        **_application_data(host_org),
        "submission_token": submission_token(client.get(JOIN_URL)),
    }

    with django_capture_on_commit_callbacks(execute=True):
        client.post(JOIN_URL, data)
    second = client.post(JOIN_URL, data, follow=True)

    assert second.redirect_chain == [(JOIN_URL, 302)]
    assert "You sent this form twice; it was saved once." in text(second)
    assert "already applied" not in text(second)
    assert MembershipApplication.objects.count() == 1
