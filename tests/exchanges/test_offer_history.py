"""Publishing, closing and archiving an offer leave a history row that its host sees."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchanges import services
from exchanges.models import Offer
from tests.factories import OfferFactory
from tests.pages import text

pytestmark = pytest.mark.django_db


def _history(offer):
    return list(offer.history.values_list("kind", "actor"))


def test_publishing_closing_and_archiving_are_recorded_with_who_did_it(
    host_org, host_coordinator, host_admin
):
    offer = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT)

    services.offer_publish(offer=offer, acting_user=host_coordinator)
    services.offer_close(offer=offer, acting_user=host_admin)
    services.offer_archive(offer=offer, acting_user=host_admin)

    assert _history(offer) == [
        (Offer.Status.PUBLISHED, host_coordinator.pk),
        (Offer.Status.CLOSED, host_admin.pk),
        (Offer.Status.ARCHIVED, host_admin.pk),
    ]


def test_a_refused_change_leaves_no_history(offer, host_coordinator):
    with pytest.raises(ValidationError):
        services.offer_archive(offer=offer, acting_user=host_coordinator)

    assert _history(offer) == []


def test_the_host_sees_the_offers_history_on_its_page(login, host_org, host_coordinator):
    offer = OfferFactory(organisation=host_org, status=Offer.Status.DRAFT)
    client = login(host_coordinator)

    client.post(reverse("exchanges:offer_publish", args=[offer.pk]))
    client.post(reverse("exchanges:offer_close", args=[offer.pk]))
    page = text(client.get(reverse("exchanges:offer_detail", args=[offer.pk])))

    history = page.split("History", 1)[1]
    assert history.index("Published") < history.index("Closed")
    assert history.count(str(host_coordinator)) == 2


def test_an_applicant_does_not_see_the_offers_history(
    login, offer, host_coordinator, applicant_coordinator
):
    services.offer_close(offer=offer, acting_user=host_coordinator)

    page = text(
        login(applicant_coordinator).get(reverse("exchanges:offer_detail", args=[offer.pk]))
    )

    assert "History" not in page
