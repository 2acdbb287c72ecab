"""What the secretariat reads in the admin: the site's name, readable email names, country
filters with only the countries present, labelled fields in the vocabulary lists."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from matchmaking import outbox
from matchmaking.models import OutboxEmail
from tests.factories import ExchangeFactory, OrganisationFactory
from tests.pages import text

pytestmark = pytest.mark.django_db

EMAIL_TEMPLATES = Path(settings.BASE_DIR) / "templates" / "emails"


def _email(template, number):
    return OutboxEmail.objects.create(
        recipient=f"person{number}@example.org",
        language="en",
        template=template,
        idempotency_key=f"{template}:{number}",
    )


def test_every_email_has_a_readable_name():
    names = {path.name for path in EMAIL_TEMPLATES.iterdir() if path.is_dir()}

    assert names - set(outbox.TEMPLATE_TITLES) == set()
    assert outbox.template_title("application_received") == "Application received"
    # One the list forgot still reads as words.
    assert outbox.template_title("something_new") == "Something new"


def test_the_outbox_names_its_emails_in_words(login, secretariat):
    _email("application_received", 1)
    _email("event_meeting_cancelled", 2)

    page = login(secretariat).get(reverse("admin:matchmaking_outboxemail_changelist"))

    assert "Application received" in text(page)
    assert "Event: meeting cancelled" in text(page)
    assert "application_received" not in text(page)
    # The filter offers the kinds present, by name.
    assert "?template=event_meeting_cancelled" in page.content.decode()
    assert "Weekly digest" not in text(page)


def test_the_outbox_filter_by_kind(login, secretariat):
    _email("application_received", 1)
    _email("weekly_digest", 2)

    page = login(secretariat).get(
        reverse("admin:matchmaking_outboxemail_changelist"), {"template": "weekly_digest"}
    )

    assert "person2@example.org" in text(page)
    assert "person1@example.org" not in text(page)


def test_the_country_filters_list_only_the_countries_present(login, secretariat):
    OrganisationFactory(country="SE")
    OrganisationFactory(country="NO")
    client = login(secretariat)

    organisations = client.get(reverse("admin:matchmaking_organisation_changelist"))
    assert "?country=SE" in organisations.content.decode()
    assert "?country=FR" not in organisations.content.decode()
    assert "Afghanistan" not in text(organisations)

    exchange = ExchangeFactory(application__offer__organisation=OrganisationFactory(country="ES"))
    exchanges = client.get(reverse("admin:exchanges_exchange_changelist"))
    assert f"?host__country={exchange.host.country.code}" in exchanges.content.decode()
    assert "Afghanistan" not in text(exchanges)
    # The monitoring's links (Django's own field lookups) still filter.
    filtered = client.get(
        reverse("admin:exchanges_exchange_changelist"), {"host__country__exact": "ES"}
    )
    assert filtered.status_code == 200


def test_the_admin_carries_the_site_name_and_colours(login, secretariat):
    page = login(secretariat).get(reverse("admin:index"))

    assert settings.SITE_NAME in text(page)
    assert "Django administration" not in text(page)
    assert "css/admin.css" in page.content.decode()
    assert f"| {settings.SITE_NAME}" in page.content.decode()


def test_the_fields_of_the_vocabulary_lists_are_labelled(login, secretariat):
    page = login(secretariat).get(reverse("admin:matchmaking_theme_changelist"))

    assert 'aria-label="Position: Inclusion"' in page.content.decode()
    assert 'aria-label="In use: Inclusion"' in page.content.decode()


def test_the_event_times_are_labelled(login, secretariat):
    page = login(secretariat).get(reverse("admin:partnership_event_add"))

    assert 'aria-label="Starts at, date"' in page.content.decode()
    assert 'aria-label="Starts at, time"' in page.content.decode()
