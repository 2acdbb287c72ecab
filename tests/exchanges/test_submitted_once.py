"""A double-clicked create form makes one row and shows it (issue 9, finding 10): offers and
interest profiles. The mechanism is matchmaking.forms.create_once."""

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from exchanges.models import Offer
from matchmaking.models import InterestProfile
from tests.exchanges.test_profile_views import _data as _profile_data
from tests.exchanges.test_views import _offer_data
from tests.pages import heading, submission_token, text

OFFER_URL = reverse("exchanges:offer_create")
PROFILE_URL = reverse("exchanges:profile_create")


@pytest.mark.django_db
def test_two_posts_of_one_offer_form_make_one_offer_and_the_second_shows_it(
    login, host_coordinator, django_capture_on_commit_callbacks
):
    client = login(host_coordinator)
    data = {**_offer_data(), "submission_token": submission_token(client.get(OFFER_URL))}

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(OFFER_URL, data)
    second = client.post(OFFER_URL, data, follow=True)

    offer = Offer.objects.get()
    assert first.url == offer.get_absolute_url()
    assert second.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert heading(second) == "Study visit: guidance for NEETs in Borås"
    assert "You sent this form twice; it was saved once." in text(second)


@pytest.mark.django_db
def test_a_new_form_makes_a_new_offer(login, host_coordinator):
    client = login(host_coordinator)

    for _ in range(2):
        token = submission_token(client.get(OFFER_URL))
        client.post(OFFER_URL, {**_offer_data(), "submission_token": token})

    assert Offer.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_post_can_be_corrected_and_sent_again_with_the_same_token(
    login, host_coordinator
):
    client = login(host_coordinator)
    token = submission_token(client.get(OFFER_URL))

    refused = client.post(OFFER_URL, {**_offer_data(capacity="0"), "submission_token": token})
    saved = client.post(OFFER_URL, {**_offer_data(), "submission_token": token}, follow=True)

    assert submission_token(refused) == token  # the page shown again keeps it
    assert "The offer is saved as a draft. Publish it when ready." in text(saved)
    assert Offer.objects.count() == 1


@pytest.mark.django_db
def test_someone_elses_token_creates_their_own_offer(
    login, host_coordinator, host_admin, django_capture_on_commit_callbacks
):
    token = submission_token(login(host_coordinator).get(OFFER_URL))

    with django_capture_on_commit_callbacks(execute=True):
        login(host_coordinator).post(OFFER_URL, {**_offer_data(), "submission_token": token})
    login(host_admin).post(OFFER_URL, {**_offer_data(), "submission_token": token})

    assert sorted(Offer.objects.values_list("created_by__email", flat=True)) == [
        "admin@boras.example.org",
        "coordinator@boras.example.org",
    ]


@pytest.mark.django_db
def test_two_posts_of_one_profile_form_make_one_profile(
    login, applicant_coordinator, django_capture_on_commit_callbacks
):
    client = login(applicant_coordinator)
    data = {**_profile_data(), "submission_token": submission_token(client.get(PROFILE_URL))}

    with django_capture_on_commit_callbacks(execute=True):
        client.post(PROFILE_URL, data)
    second = client.post(PROFILE_URL, data, follow=True)

    assert InterestProfile.objects.count() == 1
    assert "You sent this form twice; it was saved once." in text(second)
    assert "Study visits on guidance" in text(second)


def _slow_offer_insert(execute, sql, params, many, context):
    if sql.startswith('INSERT INTO "exchanges_offer"'):
        time.sleep(0.5)  # the second click arrives while the first is still saving
    return execute(sql, params, many, context)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL; run .ci/run")
def test_two_clicks_at_the_same_moment_make_one_offer_and_both_show_it(host_coordinator):
    first_client = Client()
    first_client.force_login(host_coordinator)
    data = {**_offer_data(), "submission_token": submission_token(first_client.get(OFFER_URL))}
    clients = [first_client, Client()]
    clients[1].force_login(host_coordinator)
    barrier = threading.Barrier(2)
    responses = []

    def click(client, delay):
        try:
            barrier.wait(timeout=30)
            time.sleep(delay)
            with connection.execute_wrapper(_slow_offer_insert):
                responses.append(client.post(OFFER_URL, data))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=click, args=(client, delay))
        for client, delay in zip(clients, (0, 0.1), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    offer = Offer.objects.get()
    assert [(r.status_code, r.url) for r in responses] == [(302, offer.get_absolute_url())] * 2
