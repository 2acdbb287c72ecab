"""The buttons on the admin's change pages: Publish, Approve, Reject, Confirm, Suspend.

Each posts to ``<id>/actions/<action>/``, which runs the list's own action on that one row: the
same service, the same permission, the same entry in the admin's log. Tested per button:
anonymous visitors go to the login page, staff without the right get 403, a GET is refused
(405), and the secretariat's click changes the row, says so and emails the organisation.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.urls import reverse

from exchanges.models import CaseStudy
from matchmaking.models import Organisation
from partnership.models import EventRegistration, MembershipApplication, Promoter
from tests.factories import (
    CaseStudyFactory,
    EventFactory,
    EventRegistrationFactory,
    MembershipApplicationFactory,
    PromoterFactory,
    UserFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db


@dataclass
class Button:
    model: str  # "app_label.model_name"
    action: str
    label: str
    make: Callable  # (host_org) -> the object, in the state the button is for
    data: dict
    done: str  # the message after the click
    changed: Callable  # (obj) -> whether the row changed as the button says
    email: str  # the outbox template of the email the organisation receives


def _pending_application(host_org):
    return MembershipApplicationFactory(organisation=host_org)


def _pending_promoter(host_org):
    return PromoterFactory(organisation=host_org, status=Promoter.Status.PENDING)


def _pending_registration(host_org):
    return EventRegistrationFactory(
        event=EventFactory(registrations_need_approval=True),
        organisation=host_org,
        status=EventRegistration.Status.PENDING,
    )


def _draft_case_study(host_org):
    return CaseStudyFactory(exchange__application__offer__organisation=host_org)


BUTTONS = {
    "publish a case study": Button(
        "exchanges.casestudy",
        "publish",
        "Publish",
        _draft_case_study,
        {},
        "1 case study published; both organisations have been told.",
        lambda obj: obj.status == CaseStudy.Status.PUBLISHED,
        "case_study_published",
    ),
    "approve a membership application": Button(
        "partnership.membershipapplication",
        "approve",
        "Approve",
        _pending_application,
        {"apply": "1", "note": "Welcome to the partnership."},
        "1 application approved; the organisation is a member.",
        lambda obj: obj.status == MembershipApplication.Status.APPROVED,
        "membership_approved",
    ),
    "reject a membership application": Button(
        "partnership.membershipapplication",
        "reject",
        "Reject",
        _pending_application,
        {"apply": "1", "note": "The partnership is for regions of Europe."},
        "1 application rejected; the organisation is told why.",
        lambda obj: obj.status == MembershipApplication.Status.REJECTED,
        "membership_rejected",
    ),
    "approve a promoter": Button(
        "partnership.promoter",
        "approve",
        "Approve",
        _pending_promoter,
        {"apply": "1", "note": ""},
        "1 promoter approved.",
        lambda obj: obj.status == Promoter.Status.APPROVED,
        "promoter_approved",
    ),
    "reject a promoter": Button(
        "partnership.promoter",
        "reject",
        "Reject",
        _pending_promoter,
        {"apply": "1", "note": "We need their consent first."},
        "1 nomination rejected.",
        lambda obj: obj.status == Promoter.Status.REJECTED,
        "promoter_rejected",
    ),
    "confirm an event registration": Button(
        "partnership.eventregistration",
        "confirm",
        "Confirm",
        _pending_registration,
        {},
        "1 registration confirmed; the organisation is told.",
        lambda obj: obj.status == EventRegistration.Status.CONFIRMED,
        "event_registration_confirmed",
    ),
    "reject an event registration": Button(
        "partnership.eventregistration",
        "reject",
        "Reject",
        _pending_registration,
        {"apply": "1", "note": "The day is for regional authorities."},
        "1 registration rejected; the organisation is told why.",
        lambda obj: obj.status == EventRegistration.Status.REJECTED,
        "event_registration_rejected",
    ),
    "suspend an organisation": Button(
        "matchmaking.organisation",
        "suspend",
        "Suspend",
        lambda host_org: host_org,
        {"apply": "1", "reason": "Offers that are advertisements."},
        "1 organisation suspended; its admins are told why.",
        lambda obj: obj.is_suspended,
        "organisation_suspended",
    ),
}


def _urls(button, obj):
    app_label, model_name = button.model.split(".")
    change = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    action = reverse(f"admin:{app_label}_{model_name}_object_action", args=[obj.pk, button.action])
    return change, action


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


@pytest.fixture(params=sorted(BUTTONS))
def button(request):
    return BUTTONS[request.param]


def test_the_secretariat_clicks_the_button_and_the_row_changes(
    button, login, secretariat, host_org, host_admin, django_capture_on_commit_callbacks
):
    from matchmaking.models import OutboxEmail

    obj = button.make(host_org)
    change, action = _urls(button, obj)
    client = login(secretariat)
    page = client.get(change)
    assert f'action="{action}"' in page.content.decode() or f'formaction="{action}"' in (
        page.content.decode()
    )
    assert button.label in text(page)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(action, button.data, follow=True)

    assert response.redirect_chain[-1][0] == change
    assert button.done in text(response)
    assert button.changed(_fresh(obj))
    assert OutboxEmail.objects.filter(template=button.email).exists()
    entry = LogEntry.objects.get(object_id=str(obj.pk), user=secretariat)
    assert "Action:" in entry.change_message
    # Done: the button is not offered again.
    assert action not in client.get(change).content.decode()


def test_a_get_is_refused_because_it_would_change_the_row(button, login, secretariat, host_org):
    obj = button.make(host_org)
    _change, action = _urls(button, obj)

    response = login(secretariat).get(action)

    assert response.status_code == 405
    assert not button.changed(_fresh(obj))


def test_anonymous_visitors_are_sent_to_sign_in(button, client, host_org):
    obj = button.make(host_org)
    _change, action = _urls(button, obj)

    response = client.post(action, button.data)

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not button.changed(_fresh(obj))


def test_staff_without_the_right_get_403_and_no_button(button, login, host_org):
    obj = button.make(host_org)
    change, action = _urls(button, obj)
    app_label, model_name = button.model.split(".")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=f"view_{model_name}")
    )
    client = login(staff)

    assert action not in client.get(change).content.decode()
    response = client.post(action, button.data)

    assert response.status_code == 403
    assert not button.changed(_fresh(obj))


def test_an_unknown_row_is_a_404(login, secretariat):
    url = reverse("admin:partnership_promoter_object_action", args=[987654, "approve"])

    assert login(secretariat).post(url, {"apply": "1"}).status_code == 404


def test_an_action_that_is_not_a_button_is_refused(login, secretariat, host_org):
    application = _pending_application(host_org)
    url = reverse(
        "admin:partnership_membershipapplication_object_action",
        args=[application.pk, "delete_selected"],
    )

    assert login(secretariat).post(url).status_code == 403


@pytest.mark.parametrize("name", ["reject a membership application", "reject a promoter"])
def test_a_rejection_without_a_note_shows_the_error_next_to_the_field(
    name, login, secretariat, host_org
):
    button = BUTTONS[name]
    obj = button.make(host_org)
    _change, action = _urls(button, obj)

    response = login(secretariat).post(action, {"apply": "1", "note": ""})

    assert response.status_code == 200
    assert "This field is required." in text(response)
    assert not button.changed(_fresh(obj))


def test_a_row_already_decided_is_left_alone_with_a_warning(login, secretariat, host_org):
    promoter = PromoterFactory(organisation=host_org, status=Promoter.Status.APPROVED)
    url = reverse("admin:partnership_promoter_object_action", args=[promoter.pk, "reject"])

    response = login(secretariat).post(url, {"apply": "1", "note": "No."}, follow=True)

    assert "Nothing was done" in text(response)
    assert _fresh(promoter).status == Promoter.Status.APPROVED


def test_a_suspended_organisation_is_offered_the_lifting_instead(login, secretariat, host_org):
    Organisation.objects.filter(pk=host_org.pk).update(is_suspended=True)
    page = login(secretariat).get(
        reverse("admin:matchmaking_organisation_change", args=[host_org.pk])
    )

    assert "Lift the suspension" in text(page)
    assert ">Suspend<" not in page.content.decode()
