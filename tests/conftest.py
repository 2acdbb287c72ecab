"""Personas and helpers shared by the whole suite.

The personas follow the Borås–Vestland story: Borås hosts, Vestland applies, a third
organisation stands outside, and the EARLALL secretariat administers.
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db import connections
from django.test import Client
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from matchmaking.models import Membership
from tests.factories import MembershipFactory, OfferFactory, OrganisationFactory, UserFactory
from tests.integration_fixtures import (  # noqa: F401 (fixtures)
    _celery_test_broker,
    celery_on_redis,
    celery_worker_redis,
    redis_broker,
    smtp_server,
    worker_processes,
)
from tests.second_factor import with_second_factor


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    # Two runs at once on one machine must not create and drop the same test database;
    # .ci/run gives each run its own suffix.
    suffix = os.environ.get("TEST_DATABASE_SUFFIX")
    if not suffix:
        return
    for database in settings.DATABASES.values():
        if database["ENGINE"] != "django.db.backends.sqlite3":
            database.setdefault("TEST", {})["NAME"] = f"test_{database['NAME']}_{suffix}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    # A test that runs Playwright's event loop gets other connection objects (Django keeps them
    # in context-local storage) than the one that created the test database, and those lack
    # the snapshot that serialized_rollback restores; keep the snapshot on the class instead.
    for connection in connections.all():
        snapshot = getattr(connection, "_test_serialized_contents", None)
        if snapshot is not None:
            type(connection)._test_serialized_contents = snapshot


def pytest_collection_modifyitems(items):
    # A transactional test empties every table when it ends, which would take the
    # vocabularies and the Secretariat group seeded by data migrations with it; a serialized
    # rollback restores them before the next one.
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker is not None and marker.kwargs.get("transaction")) or any(
            name in fixtures for name in ("transactional_db", "live_server")
        )
        if transactional:
            item.add_marker(
                pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False
            )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # The flush that ends a transactional test also empties the tables the data migrations
    # filled; the next transactional test restores them when it starts, but an ordinary test
    # that runs after it would find no vocabularies and no Secretariat group. Restore them
    # here, once the test's own teardown has flushed.
    result = yield
    marker = item.get_closest_marker("django_db")
    # (After the last test the test database itself is gone: nothing to restore.)
    if nextitem is not None and marker is not None and marker.kwargs.get("serialized_rollback"):
        with item.config.stash[blocking_manager_key].unblock():
            for connection in connections.all():
                snapshot = getattr(connection, "_test_serialized_contents", None)
                if snapshot:
                    connection.creation.deserialize_db_from_string(snapshot)
                    connection.close()
    return result


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language, whatever a previous request activated."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def no_sentence_vectors(settings):
    """Texts are compared by their words unless a test asks for the sentence vectors (the
    model costs 0.2–0.5 s per saved text); ``with_vectors`` turns them on."""
    settings.MATCHING_VECTORS = False


@pytest.fixture
def with_vectors(settings):
    settings.MATCHING_VECTORS = True
    from exchanges.matching import vectors

    vectors.clear()
    yield
    vectors.clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Every test starts with no rate-limit or lockout counts left by another, nor figures
    or fragments it kept (the shared cache and each process's own, matchmaking.caching)."""
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


def _member(organisation, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def host_org(db):
    return OrganisationFactory(name="Borås Stad", country="SE", city="Borås")


@pytest.fixture
def host_admin(host_org):
    return _member(host_org, Membership.Role.ADMIN, email="admin@boras.example.org")


@pytest.fixture
def host_coordinator(host_org):
    return _member(host_org, Membership.Role.COORDINATOR, email="coordinator@boras.example.org")


@pytest.fixture
def applicant_org(db):
    return OrganisationFactory(
        name="Vestland fylkeskommune", country="NO", region_name="Vestland", city="Bergen"
    )


@pytest.fixture
def applicant_coordinator(applicant_org):
    return _member(
        applicant_org, Membership.Role.COORDINATOR, email="coordinator@vestland.example.org"
    )


@pytest.fixture
def outsider(db):
    third = OrganisationFactory(name="Barcelona Activa", country="ES", city="Barcelona")
    return _member(third, Membership.Role.COORDINATOR, email="outsider@barcelona.example.org")


@pytest.fixture
def secretariat(db):
    user = UserFactory(email="secretariat@earlall.example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Secretariat"))
    return user


@pytest.fixture
def offer(host_org, host_coordinator):
    return OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        title="Job shadowing of guidance counsellors in Borås",
    )


@pytest.fixture
def login(db):
    """``login(user)`` gives a test client signed in as that user."""

    def signed_in_client(user):
        client = Client()
        client.force_login(user)
        if user.is_staff:
            # Staff reach the admin only after a second factor (tests/second_factor.py).
            with_second_factor(client, user)
        return client

    return signed_in_client
