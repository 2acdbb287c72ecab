"""Two allocations of a round started at the same moment leave one proposal.

Each thread has its own database connection, so this needs real transactions and PostgreSQL's
row locks (as tests/exchanges/test_capacity_race.py).
"""

import threading
import time

import pytest
from django.db import connection

from exchanges import services
from exchanges.models import RoundHistory, RoundPlacement, RoundProposal
from tests.factories import ApplicationFactory, CallRoundFactory, OfferFactory, round_entry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL row locks; run .ci/run"
    ),
]


def _pause_before_inserting(execute, sql, params, many, context):
    # Widens the race: both runs have read the entries before either writes its proposal.
    if sql.lstrip().upper().startswith("INSERT"):
        time.sleep(0.1)
    return execute(sql, params, many, context)


def test_two_allocations_at_once_produce_one_proposal(host_org, host_admin):
    offer = OfferFactory(organisation=host_org, capacity=2)
    call_round = CallRoundFactory(organiser=host_org, offers=[offer])
    for _ in range(3):
        round_entry(call_round, ApplicationFactory(offer=offer))
    barrier = threading.Barrier(2)
    outcomes = []

    def allocate():
        try:
            barrier.wait(timeout=30)
            with connection.execute_wrapper(_pause_before_inserting):
                services.round_allocate(call_round=call_round, acting_user=host_admin)
            outcomes.append("proposed")
        except Exception as error:  # reported by the assertion below
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert outcomes == ["proposed", "proposed"]
    assert RoundProposal.objects.count() == 1
    proposal = RoundProposal.objects.get()
    assert RoundPlacement.objects.count() == 3
    assert proposal.placements.filter(application__isnull=False).count() == 2
    assert RoundHistory.objects.filter(kind="allocated").count() == 2
