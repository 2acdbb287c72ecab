"""A promoter's nomination and the secretariat's decision leave history rows, shown under the
promoter in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matchmaking.models import Language
from partnership import services
from partnership.models import Promoter, PromoterHistory
from tests.factories import PromoterFactory
from tests.pages import text

pytestmark = pytest.mark.django_db


def test_a_nomination_and_its_approval_are_recorded(member_org, host_admin, secretariat):
    promoter = services.promoter_nominate(
        organisation=member_org,
        acting_user=host_admin,
        name="Nicholas Waller",
        role="Mobility advisor",
        languages=Language.objects.filter(code="en"),
        bio="Fifteen years of placements abroad.",
        contact_email="nicholas@boras.example.org",
    )
    promoter = services.promoter_approve(
        promoter=promoter, acting_user=secretariat, note="Welcome!"
    )

    assert list(promoter.history.values_list("kind", "actor", "note")) == [
        (PromoterHistory.Kind.NOMINATED, host_admin.pk, ""),
        (PromoterHistory.Kind.APPROVED, secretariat.pk, "Welcome!"),
    ]
    assert promoter.history.last().created_at == promoter.decided_at


def test_the_secretariat_sees_a_rejection_and_its_note_under_the_promoter(
    login, member_org, secretariat
):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.PENDING)
    client = login(secretariat)
    changelist = reverse("admin:partnership_promoter_changelist")

    client.post(
        changelist,
        {
            "action": "reject",
            "_selected_action": [promoter.pk],
            "apply": "Confirm",
            "note": "The bio is missing.",
        },
    )
    page = text(client.get(reverse("admin:partnership_promoter_change", args=[promoter.pk])))

    history = page.split("History", 1)[1]
    assert "Rejected" in history
    assert "The bio is missing." in history
    assert str(secretariat) in history


def test_a_refused_decision_leaves_no_history(member_org, secretariat):
    promoter = PromoterFactory(organisation=member_org, status=Promoter.Status.APPROVED)

    with pytest.raises(ValidationError):
        services.promoter_reject(promoter=promoter, acting_user=secretariat, note="No.")

    assert not promoter.history.exists()
