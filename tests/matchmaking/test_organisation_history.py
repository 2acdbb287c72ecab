"""A suspension and its lifting leave a history row, shown under the organisation in the admin."""

import pytest
from django.urls import reverse

from matchmaking import services
from matchmaking.models import OrganisationHistory
from tests.pages import text

pytestmark = pytest.mark.django_db


def test_a_suspension_and_its_lifting_are_recorded_with_who_and_why(host_org, secretariat):
    services.organisation_suspend(
        organisation=host_org, reason="  Spam offers.  ", acting_user=secretariat
    )
    services.organisation_unsuspend(organisation=host_org, acting_user=secretariat)

    assert list(host_org.history.values_list("kind", "actor", "note")) == [
        (OrganisationHistory.Kind.SUSPENDED, secretariat.pk, "Spam offers."),
        (OrganisationHistory.Kind.UNSUSPENDED, secretariat.pk, ""),
    ]


def test_lifting_no_suspension_records_nothing(host_org, secretariat):
    services.organisation_unsuspend(organisation=host_org, acting_user=secretariat)

    assert not host_org.history.exists()


def test_the_secretariat_sees_the_suspension_under_the_organisation(login, host_org, secretariat):
    client = login(secretariat)
    client.post(
        reverse("admin:matchmaking_organisation_changelist"),
        {
            "action": "suspend",
            "_selected_action": [host_org.pk],
            "apply": "Suspend",
            "reason": "Offers that are not mobility offers.",
        },
    )

    page = text(client.get(reverse("admin:matchmaking_organisation_change", args=[host_org.pk])))

    assert "Suspended" in page
    assert "Offers that are not mobility offers." in page.split("Suspensions", 1)[1]
    assert str(secretariat) in page.split("Suspensions", 1)[1]
