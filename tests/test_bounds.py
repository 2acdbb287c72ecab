"""Bounds on every number and date a person types (issue 9, findings 4 and 5).

Each bound is said twice: a model validator puts the message next to the field of a form or of
the admin, and a CheckConstraint makes the database refuse the row, also on SQLite, which
stores any integer in any column (there 2,147,483,648 participants were saved, and the engine
then failed for everybody).
"""

import datetime
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction

from exchanges.models import FewerOpportunityCount, OfferProfileMatch
from matchmaking.models import FewerOpportunityCategory, Theme
from tests.factories import (
    ApplicationFactory,
    EventFactory,
    ExchangeFactory,
    InterestProfileFactory,
    MeetingFactory,
    OfferFactory,
)

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TOO_LATE = datetime.date(2101, 1, 1)
TOO_EARLY = datetime.date(1999, 12, 31)
AT_MOST = "Ensure this value is less than or equal to"
AT_LEAST = "Ensure this value is greater than or equal to"


def _count():
    return FewerOpportunityCount.objects.create(
        exchange=ExchangeFactory(
            application__participants=2, application__fewer_opportunity_participants=2
        ),
        category=FewerOpportunityCategory.objects.first(),
        count=1,
    )


# (what, a valid row, the changes that overstep a bound, the field whose message says so)
BEYOND = [
    ("profile-participants", InterestProfileFactory, {"participants": 2**31}, "participants"),
    ("profile-participants-501", InterestProfileFactory, {"participants": 501}, "participants"),
    (
        "profile-window",
        InterestProfileFactory,
        {"available_from": TOO_EARLY, "available_until": datetime.date(2000, 1, 5)},
        "available_from",
    ),
    ("offer-capacity", OfferFactory, {"capacity": 501}, "capacity"),
    ("offer-duration", OfferFactory, {"duration_days": Decimal("365.5")}, "duration_days"),
    ("offer-deadline", OfferFactory, {"application_deadline": TOO_EARLY}, "application_deadline"),
    ("offer-window", OfferFactory, {"available_until": TOO_LATE}, "available_until"),
    ("application-participants", ApplicationFactory, {"participants": 501}, "participants"),
    ("application-end", ApplicationFactory, {"preferred_end": TOO_LATE}, "preferred_end"),
    ("exchange-end", ExchangeFactory, {"end_date": TOO_LATE}, "end_date"),
    ("exchange-duration", ExchangeFactory, {"duration_days": Decimal("366")}, "duration_days"),
    ("exchange-participants", ExchangeFactory, {"participants": 501}, "participants"),
    ("count-by-category", _count, {"count": 501}, "count"),
    ("event-capacity", EventFactory, {"capacity": 1001}, "capacity"),
    ("event-meeting-cap", EventFactory, {"meeting_cap": 101}, "meeting_cap"),
    ("event-slot-minutes", EventFactory, {"slot_minutes": 241}, "slot_minutes"),
    (
        "event-end",
        EventFactory,
        {"ends_at": datetime.datetime(2101, 1, 1, tzinfo=UTC)},
        "ends_at",
    ),
    (
        "meeting-slot",
        MeetingFactory,
        {"slot_start": datetime.datetime(9999, 12, 31, tzinfo=UTC)},
        "slot_start",
    ),
    ("vocabulary-position", Theme.objects.first, {"position": 1001}, "position"),
]


@pytest.mark.parametrize(
    ("make", "changes", "field"), [b[1:] for b in BEYOND], ids=[b[0] for b in BEYOND]
)
def test_the_model_says_which_field_oversteps_its_bound(make, changes, field):
    row = make()
    for name, value in changes.items():
        setattr(row, name, value)

    with pytest.raises(ValidationError) as refused:
        row.full_clean()

    assert any(
        message.startswith((AT_MOST, AT_LEAST)) for message in refused.value.message_dict[field]
    ), refused.value.message_dict


@pytest.mark.parametrize(
    ("make", "changes"),
    [b[1:3] for b in BEYOND if b[2] != {"participants": 2**31}],
    ids=[b[0] for b in BEYOND if b[2] != {"participants": 2**31}],
)
def test_the_database_refuses_a_row_beyond_a_bound(make, changes):
    row = make()

    with pytest.raises(IntegrityError), transaction.atomic():
        type(row).objects.filter(pk=row.pk).update(**changes)


def test_the_engine_scores_a_group_and_an_offer_at_the_bounds():
    offer = OfferFactory(capacity=500, duration_days=Decimal("365"))
    profile = InterestProfileFactory(participants=500, fewer_opportunity_participants=500)
    ApplicationFactory(offer=offer, participants=500, fewer_opportunity_participants=500)
    out = io.StringIO()

    call_command("rescore_matches", "--here", stdout=out)

    assert "Scored 1 open offers against 1 profiles: 1 matches kept; 1 applications scored" in (
        out.getvalue()
    )
    assert OfferProfileMatch.objects.get(offer=offer, profile=profile).score > 0


# SQLite, as the demo runs it: a fresh in-memory database with the models' tables (their
# constraints included), in a process of its own.
SQLITE_SCRIPT = """
import json

import django

django.setup()

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

connection.settings_dict["TEST"]["MIGRATE"] = False
connection.creation.create_test_db(verbosity=0, serialize=False)

from matchmaking.models import InterestProfile, Organisation

organisation = Organisation.objects.create(
    name="Vestland", slug="vestland", kind="authority", country="NO", region_name="Vestland",
    city="Bergen", contact_email="post@vestland.example.org",
)
result = {"vendor": connection.vendor}
huge = InterestProfile(organisation=organisation, name="Huge", participants=2**31)
try:
    huge.full_clean()
except ValidationError as error:
    result["message"] = error.message_dict["participants"]
try:
    with transaction.atomic():
        huge.save()
except IntegrityError as error:
    result["refused"] = str(error)
InterestProfile.objects.create(organisation=organisation, name="Group", participants=500)
result["kept"] = list(InterestProfile.objects.values_list("participants", flat=True))
print(json.dumps(result))
"""


def test_sqlite_refuses_two_billion_participants_too():
    root = Path(__file__).resolve().parent.parent
    environment = {
        **os.environ,
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_SETTINGS_MODULE": "matchmaking.settings",
        "SECRET_KEY": "dev-key",
    }
    environment.pop("CELERY_BROKER_URL", None)

    finished = subprocess.run(
        [sys.executable, "-c", SQLITE_SCRIPT],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert finished.returncode == 0, finished.stderr
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["vendor"] == "sqlite"
    assert result["message"] == ["Ensure this value is less than or equal to 500."]
    assert "CHECK constraint failed: interest_profile_bounded" in result["refused"]
    assert result["kept"] == [500]
