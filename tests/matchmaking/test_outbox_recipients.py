import pytest
from django.utils import translation

from matchmaking import outbox
from matchmaking.models import Membership
from matchmaking.outbox import Recipient
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def probe_email(settings, tmp_path):
    """An email template that shows the language it was rendered in."""
    folder = tmp_path / "emails" / "probe"
    folder.mkdir(parents=True)
    (folder / "subject.txt").write_text(
        "{% load i18n %}{% get_current_language as language %}\n  Probe in   {{ language }}\n"
    )
    (folder / "body.txt").write_text("Hello {{ recipient.email }}, see {{ site_url }}/x/")
    (folder / "body.html").write_text("<p>Hello {{ recipient.name }}</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    settings.SITE_URL = "https://mobility.example.org"
    return "probe"


@pytest.mark.django_db
def test_it_renders_each_email_in_its_recipients_language(
    probe_email, mailoutbox, django_capture_on_commit_callbacks
):
    recipients = [
        Recipient(email="lena@example.org", language="sv", name="Lena"),
        Recipient(email="ola@example.org", language="nb", name="Ola"),
    ]

    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        queued = outbox.queue(probe_email, recipients, {}, key="probe")
        assert translation.get_language() == "en"

    assert len(queued) == 2
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["lena@example.org"], "Probe in sv"),
        (["ola@example.org"], "Probe in nb"),
    ]
    assert mailoutbox[0].body == "Hello lena@example.org, see https://mobility.example.org/x/"
    assert mailoutbox[1].alternatives[0] == ("<p>Hello Ola</p>", "text/html")


@pytest.mark.django_db
def test_it_addresses_a_user_in_their_preferred_language():
    user = UserFactory(
        email="lena@example.org", first_name="Lena", last_name="Berg", preferred_language="sv"
    )

    assert Recipient.for_user(user) == Recipient(
        email="lena@example.org", language="sv", name="Lena Berg"
    )


@pytest.mark.django_db
def test_it_writes_to_the_active_members_of_an_organisation(host_org, host_admin, host_coordinator):
    gone = MembershipFactory(organisation=host_org, user=UserFactory(is_active=False))

    everyone = {r.email for r in outbox.recipients_of(host_org)}
    admins = {r.email for r in outbox.recipients_of(host_org, admins_only=True)}

    assert everyone == {host_admin.email, host_coordinator.email}
    assert gone.user.email not in everyone
    assert admins == {host_admin.email}
    assert Membership.objects.filter(organisation=host_org).count() == 3
