"""Wording (issue 12, point 7): plurals that agree with their count, dates in each
language's own format, language lists sorted in the reader's language, and history rows that
say what changed."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from exchanges.services import records
from matchmaking import outbox
from matchmaking.forms import OrganisationForm
from matchmaking.models import Language, Membership
from matchmaking.outbox import Recipient
from matchmaking.search import fold
from tests.factories import (
    ApplicationFactory,
    ExchangeFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
)
from tests.pages import text

pytestmark = pytest.mark.django_db

MARCH_1 = datetime.date(2027, 3, 1)


@pytest.fixture
def offer(db):
    return OfferFactory(
        available_from=MARCH_1,
        available_until=datetime.date(2027, 4, 30),
        application_deadline=datetime.date(2027, 2, 1),
    )


@pytest.mark.parametrize(
    ("language", "date"),
    [
        ("es", "1 de marzo de 2027"),
        ("ca", "1 de març de 2027"),
        ("sv", "1 mars 2027"),
        ("nb", "1. mars 2027"),
        ("en", "1 March 2027"),
    ],
)
def test_an_offers_dates_are_written_in_the_readers_language(offer, language, date):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(offer.get_absolute_url())

    assert response.headers["Content-Language"] == language
    assert date in text(response)


def test_an_email_about_one_participant_says_participant(
    mailoutbox, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(participants=1, fewer_opportunity_participants=0)
    entry = application.history.create(kind="submitted", actor=application.submitted_by)
    recipient = MembershipFactory(organisation=application.offer.organisation).user

    with django_capture_on_commit_callbacks(execute=True):
        outbox.queue(
            "application_received",
            [Recipient.for_user(recipient)],
            {"application": application, "offer": application.offer, "entry": entry, "url": "/"},
            key="probe",
        )

    assert "for 1 participant, of whom 0 with fewer opportunities" in mailoutbox[0].body


def test_the_home_figures_agree_with_their_counts(client, db):
    OrganisationFactory(country="SE")

    page = client.get(reverse("home")).content.decode()

    assert re.search(r"<dt>organisation</dt><dd>1</dd>", page)
    assert re.search(r"<dt>country</dt><dd>1</dd>", page)


def test_working_languages_are_listed_in_the_readers_language(db):
    with translation.override("es"):
        labels = [label for _value, label in OrganisationForm().fields["languages"].choices]
        names = [str(language) for language in Language.objects.all()]

    assert labels == sorted(names, key=fold)
    assert labels != names  # the stored (English) order is not the Spanish one
    assert labels.index("Alemán") < labels.index("Búlgaro") < labels.index("Euskera")


def test_the_language_switcher_lists_languages_by_their_own_names(client, db):
    page = client.get(reverse("home")).content.decode()
    switcher = re.search(r'<select id="language-switcher".*?</select>', page, re.DOTALL).group(0)

    assert re.findall(r">([^<]+)</option>", switcher) == [
        "català",
        "Deutsch",
        "English",
        "español",
        "français",
        "italiano",
        "norsk (bokmål)",
        "polski",
        "svenska",
    ]


def test_an_exchanges_history_says_what_was_edited(login):
    exchange = ExchangeFactory()
    coordinator = MembershipFactory(
        organisation=exchange.host, role=Membership.Role.COORDINATOR
    ).user

    records.exchange_update(
        exchange=exchange,
        acting_user=coordinator,
        counts={},
        start_date=exchange.start_date + datetime.timedelta(days=1),
        end_date=exchange.end_date + datetime.timedelta(days=1),
        participants=exchange.participants + 1,
    )
    records.exchange_update(
        exchange=exchange, acting_user=coordinator, counts={}, programme="Day 1: a new plan."
    )
    # Saving without a change writes no row.
    records.exchange_update(exchange=exchange, acting_user=coordinator, counts={})

    page = text(login(coordinator).get(reverse("exchanges:exchange_detail", args=[exchange.pk])))
    assert "Changed: dates, participants" in page
    assert "Changed: programme" in page
    assert exchange.history.filter(kind="edited").count() == 2
