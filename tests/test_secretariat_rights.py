"""The secretariat's rights in the admin, as a whole (issue 9): what it may do is written down
once (the README's "What the secretariat may do" and ``SECRETARIAT_PERMISSIONS``), every
admin action is recorded in the admin's log, and a change the secretariat makes to an
organisation or to what it owns is kept in the organisation's history and told to its admins.
"""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group

from matchmaking.models import OrganisationHistory, OutboxEmail
from partnership.permissions import SECRETARIAT_GROUP, SECRETARIAT_PERMISSIONS
from tests.admin_forms import change_form_data
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"


PROJECT_APPS = {"matchmaking", "exchanges", "partnership"}


def _admin_actions():
    """The project's admin actions (allauth's own admin pages are for superusers only)."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for name in model_admin.actions or ():
            yield model, model_admin, name


@pytest.mark.parametrize(
    ("model", "model_admin", "name"),
    list(_admin_actions()),
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_every_admin_action_is_recorded_in_the_admins_log(model, model_admin, name):
    action = name if callable(name) else getattr(type(model_admin), name)
    assert getattr(action, "recorded", False), (
        f"{model.__name__} admin's action {name!r} is not declared with recorded_action"
    )


def test_a_suspension_is_in_the_admins_log_with_who_did_it(login, secretariat, host_org):
    client = login(secretariat)
    url = "/admin/matchmaking/organisation/"
    chosen = {"action": "suspend", "_selected_action": [host_org.pk]}

    client.post(url, chosen)  # the page asking for the reason
    assert not LogEntry.objects.exists()
    client.post(url, {**chosen, "apply": "1", "reason": "Fake organisation"})

    entry = LogEntry.objects.get()
    assert (entry.user, entry.object_repr) == (secretariat, "Borås Stad")
    assert entry.change_message == "Action: Suspend the selected organisations"
    log = client.get("/admin/admin/logentry/")
    assert log.status_code == 200
    assert "Action: Suspend the selected organisations" in log.content.decode()


def test_the_admins_log_is_not_for_a_coordinator_made_staff(login, host_coordinator):
    host_coordinator.is_staff = True
    host_coordinator.save()

    assert login(host_coordinator).get("/admin/admin/logentry/").status_code == 403


def _edit_in_admin(client, url, **changes):
    data = change_form_data(client.get(url))
    data.update(changes)
    return client.post(url, data)


def test_the_host_is_told_when_the_secretariat_edits_its_offer(
    login, secretariat, offer, host_admin, host_coordinator
):
    url = f"/admin/exchanges/offer/{offer.pk}/change/"

    response = _edit_in_admin(login(secretariat), url, title="Job shadowing in Borås", capacity="4")

    assert response.status_code == 302, response.content.decode()[:2000]
    entry = OrganisationHistory.objects.get(organisation=offer.organisation)
    assert (entry.kind, entry.actor) == (OrganisationHistory.Kind.CHANGED, secretariat)
    assert entry.note == "Offer “Job shadowing in Borås”: Title, Places"
    email = OutboxEmail.objects.get(template="organisation_changed")
    assert email.recipient == host_admin.email  # the admins, not every coordinator
    assert email.context["fields"] == ["Title", "Places"]


def test_the_secretariat_cannot_hand_an_offer_to_another_organisation(
    login, secretariat, offer, applicant_org
):
    url = f"/admin/exchanges/offer/{offer.pk}/change/"

    _edit_in_admin(login(secretariat), url, organisation=str(applicant_org.pk))

    offer.refresh_from_db()
    assert offer.organisation != applicant_org


def test_the_admins_are_told_in_their_own_language(login, secretariat, host_org, host_admin):
    host_admin.preferred_language = "sv"
    host_admin.save()
    url = f"/admin/matchmaking/organisation/{host_org.pk}/change/"

    _edit_in_admin(login(secretariat), url, city="Borås centrum")

    email = OutboxEmail.objects.get(template="organisation_changed")
    assert email.language == "sv"
    assert email.context["fields"] == ["Ort"]


def test_a_change_by_the_organisations_own_admin_is_not_reported(login, host_org, host_admin):
    host_admin.is_staff = host_admin.is_superuser = True
    host_admin.save()
    url = f"/admin/matchmaking/organisation/{host_org.pk}/change/"

    response = _edit_in_admin(login(host_admin), url, city="Borås centrum")

    assert response.status_code == 302
    assert not OrganisationHistory.objects.exists()
    assert not OutboxEmail.objects.filter(template="organisation_changed").exists()


def _documented_rights():
    """The README's table: model label → the actions it lists for the secretariat."""
    text = README.read_text(encoding="utf-8")
    section = text.split("### What the secretariat may do", 1)[1].split("\n## ", 1)[0]
    rights = set()
    for app_label, model, actions in re.findall(
        r"^\| `(\w+)\.(\w+)` \| ([a-z_, ]+) \|", section, flags=re.MULTILINE
    ):
        for action in (action.strip() for action in actions.split(",")):
            # "view", "decide"… act on the model; a name with "_" is a permission of its own
            rights.add(f"{app_label}.{action if '_' in action else f'{action}_{model}'}")
    return rights


def test_the_readme_writes_down_exactly_the_secretariats_rights():
    assert _documented_rights() == SECRETARIAT_PERMISSIONS


def test_the_group_holds_exactly_the_written_down_rights():
    group = Group.objects.get(name=SECRETARIAT_GROUP)
    held = {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }

    assert held == SECRETARIAT_PERMISSIONS


def test_an_outsider_made_staff_without_the_group_sees_no_organisation(login, host_org):
    outsider = UserFactory(is_staff=True)
    MembershipFactory(user=outsider)

    response = login(outsider).get(f"/admin/matchmaking/organisation/{host_org.pk}/change/")

    assert response.status_code == 403
