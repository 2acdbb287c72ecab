"""Publishing, closing, archiving and editing an offer leave a history row that its host
sees; an edit's row says what changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from exchanges import services
from exchanges.models import Offer
from tests.factories import OfferFactory, theme
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


def _edit(offer, acting_user, **changes):
    fields = {name: getattr(offer, name) for name in services.offers.OFFER_FIELDS}
    return services.offer_update(
        offer=offer,
        acting_user=acting_user,
        themes=changes.pop("themes", offer.themes.all()),
        languages=offer.languages.all(),
        **{**fields, **changes},
    )


def test_an_edit_is_recorded_with_what_changed(offer, host_coordinator):
    _edit(
        offer,
        host_coordinator,
        title="Job shadowing of NEET counsellors",
        available_until=offer.available_until + datetime.timedelta(days=7),
        capacity=4,
    )

    [entry] = offer.history.all()
    assert (entry.kind, entry.get_kind_display(), entry.actor) == (
        "edited",
        "Edited",
        host_coordinator,
    )
    assert entry.note == "Changed: title, dates, places"


def test_a_change_of_themes_is_named_too(offer, host_coordinator):
    _edit(offer, host_coordinator, themes=[theme("inclusion"), theme("digital-skills")])

    assert offer.history.get().note == "Changed: themes"


def test_saving_an_offer_unchanged_writes_no_history(offer, host_coordinator):
    _edit(offer, host_coordinator)

    assert _history(offer) == []


def test_the_host_sees_what_an_edit_changed(login, offer, host_coordinator):
    client = login(host_coordinator)
    form = client.get(reverse("exchanges:offer_edit", args=[offer.pk])).context["form"]
    data = {field.html_name: field.value() for field in form if field.value() is not None}
    data["title"] = "Job shadowing of NEET counsellors"
    data["themes"] = [t.pk for t in offer.themes.all()]
    data["languages"] = [language.pk for language in offer.languages.all()]
    data.pop("fields_of_education", None)

    response = client.post(reverse("exchanges:offer_edit", args=[offer.pk]), data, follow=True)

    history = text(response).split("History", 1)[1]
    assert "Edited" in history and "Changed: title" in history
    # Only the title changed: the form's other values came back as they were saved.
    assert offer.history.get().note == "Changed: title"
