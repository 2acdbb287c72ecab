"""``manage.py seed_demo``'s partnership half: the demo's members and promoters."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from matchmaking.models import Organisation
from partnership.models import Commitment, MembershipApplication, MembershipHistory, Promoter
from partnership.selectors import members


def _state():
    return {
        "members": sorted(
            Organisation.objects.filter(rsp_member_since__isnull=False).values_list(
                "slug", "rsp_member_since", "logo"
            )
        ),
        "applications": sorted(
            MembershipApplication.objects.values_list(
                "pk", "organisation__slug", "status", "logo_consent", "created_at", "decided_at"
            )
        ),
        "history": sorted(
            MembershipHistory.objects.values_list(
                "pk", "organisation_id", "kind", "actor_id", "created_at"
            )
        ),
        "promoters": sorted(
            Promoter.objects.values_list("pk", "name", "status", "organisation__slug")
        ),
    }


@pytest.fixture(scope="module")
def seeded_twice(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo twice, rolled back."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            out = StringIO()
            call_command("seed_demo", stdout=out)
            before = _state()
            call_command("seed_demo", stdout=StringIO())
            yield out.getvalue(), before, _state(), media
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_twice, db):
    return seeded_twice


@pytest.mark.django_db
def test_seed_demo_ends_with_the_partnership(seeded):
    output, *_rest = seeded

    assert "Partnership: 7 members, 1 pending application, 2 promoters" in output


@pytest.mark.django_db
def test_running_it_again_changes_nothing(seeded):
    _output, before, after, _media = seeded

    assert after == before


@pytest.mark.django_db
def test_borås_and_vestland_are_members_with_their_history_and_logos(seeded):
    *_rest, media = seeded
    for name in ("Borås Stad", "Vestland County Council"):
        organisation = Organisation.objects.get(name=name)
        application = organisation.partnership_applications.get()
        assert organisation.is_rsp_member
        assert organisation.rsp_member_since == application.decided_at.date()
        assert application.status == MembershipApplication.Status.APPROVED
        assert application.logo_consent
        assert sorted(application.commitments) == sorted(Commitment.values)
        assert [(e.kind, e.actor.email) for e in application.history.select_related("actor")] == [
            ("applied", application.submitted_by.email),
            ("approved", "secretariat@demo.earlall.eu"),
        ]
        assert (media / organisation.logo.name).exists()
    listed = {member.name: member.logo_consent for member in members()}
    assert len(listed) == 7
    assert listed["Borås Stad"] and listed["Vestland County Council"]
    assert not all(listed.values())  # some members keep their logo out of the communication


@pytest.mark.django_db
def test_one_application_waits_for_the_secretariat(seeded):
    application = MembershipApplication.objects.pending().get()

    assert application.organisation.name == "Sjuhärad Vocational College"
    assert not application.organisation.is_rsp_member
    assert application.submitted_by.email == "admin@demo.earlall.eu"
    application.full_clean()


@pytest.mark.django_db
def test_the_case_studys_people_are_promoters_and_one_nomination_waits(seeded):
    approved = Promoter.objects.public().order_by("name")

    assert [(p.name, p.organisation.name) for p in approved] == [
        ("Ingrid Hillestad Bårgard", "Vestland County Council"),
        ("Nicholas Waller", "Borås Stad"),
    ]
    assert "We left Borås full of ideas." in approved[0].bio
    assert "Multicompetent Team" in approved[1].bio
    assert Promoter.objects.filter(status=Promoter.Status.PENDING).count() == 1
    for promoter in Promoter.objects.all():
        promoter.full_clean()
        assert promoter.languages.exists()
        assert not promoter.photo
