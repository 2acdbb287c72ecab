"""seed_partnership on a database without the demo (apart from test_seed.py's seeded module)."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partnership.models import MembershipApplication


@pytest.mark.django_db
def test_it_asks_for_seed_demo_first():
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("seed_partnership", stdout=StringIO())

    assert not MembershipApplication.objects.exists()
