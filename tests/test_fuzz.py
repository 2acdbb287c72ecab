"""Hostile input for every form of the site, posted through the real views.

Each case names a page, the persona who uses it and a valid submission; hypothesis then
spoils one to three of its fields with huge numbers, huge strings, NUL bytes, far dates,
invalid choices and ids, markup and unusual Unicode. Whatever it sends, the page answers
below 500; when it refuses the submission (the form again, 200 or 400) not a row was written
in any of the project's tables; when it accepts it, the pages that show the result still load.

Borås's world (tests/world.py) is built once for the module, its personas signed in once;
every example runs in a savepoint that is rolled back, so each one starts from the same world
(and the row counts before it are those of the first). Hypothesis is derandomized, so a run is
repeatable. To keep 1,000 inputs near a minute, three in four examples of a form render, instead
of the whole page, only the fields they spoilt (rendering whole forms is most of a request's
cost); every fourth example, the search pages and the known findings below render whole. The
pages that show what was saved, and the double click, are checked for each (field, kind of
hostile value) the first time a form saves it. Not covered here: the admin's intermediate
forms (``DecisionNoteForm``, ``EndMembershipForm`` in partnership/forms.py),
which belong to Django's admin like the rest of it.
"""

import collections
import contextlib
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import connection, transaction
from django.forms import BaseForm, BaseFormSet
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.models import Exchange
from matchmaking.models import Language, Theme
from partnership.events.models import Meeting
from partnership.models import Commitment
from tests.factories import PASSWORD, MembershipFactory, UserFactory, exchange_type
from tests.world import clients_fixture, world_fixture

world = world_fixture()
clients = clients_fixture()

EXAMPLES_PER_FORM = 40
FULL_PAGE_EVERY = 4

HUGE = "x" * 10**5
HOSTILE_VALUES = [
    "2147483648",  # 2**31
    "9223372036854775808",  # 2**63
    "-1",
    "0",
    "1e308",
    "NaN",
    "-inf",
    HUGE,
    "\x00",
    "a\x00b",
    "0001-01-01",
    "9999-12-31",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+00:00",
    "2024-02-30",
    "999999999",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "Borås “ÅÄÖ” 😀 \u202e\u200b مرحبا",
    "",
    " ",
    "../../etc/passwd",
]
HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers().map(str),
    st.text(max_size=30),
    st.lists(st.sampled_from(HOSTILE_VALUES), min_size=2, max_size=3),
)


@dataclass
class FormCase:
    """A form as a person submits it: where, as whom, and a submission the page accepts."""

    name: str
    url: Callable
    persona: str
    valid: Callable
    method: str = "post"
    # Pages that show what an accepted submission saved.
    then_get: Callable = field(default=lambda w: [])
    # Puts the world in the state the form needs (run once per test, rolled back with it).
    prepare: Callable = field(default=lambda w: None)


def _date(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _moment(days):
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M")


def _pk(model, **lookup):
    return model.objects.get(**lookup).pk


def _organisation(w):
    return {
        "name": "Vestland Region",
        "kind": "authority",
        "country": "NO",
        "region_name": "Vestland",
        "nuts_code": "NO0A2",
        "city": "Bergen",
        "website": "https://vestland.example.org",
        "contact_email": "contact@vestland-region.example.org",
        "languages": [_pk(Language, code="en")],
        "description": "We send advisors.",
    }


def _offer(w):
    return {
        "title": "Job shadowing of advisors",
        "exchange_type": exchange_type("job-shadowing").pk,
        "target_group": "staff",
        "themes": [_pk(Theme, slug="inclusion")],
        "description": "Follow our advisors for two days.",
        "programme": "Day 1: the team.",
        "city": "Borås",
        "region_name": "Västra Götaland",
        "languages": [_pk(Language, code="en")],
        "available_from": _date(30),
        "available_until": _date(60),
        "duration_days": "2",
        "capacity": "3",
        "application_deadline": _date(20),
        "practical_information": "",
        "costs_note": "",
    }


def _profile(w):
    return {
        "name": "Job shadowing for our advisors",
        "exchange_types": [exchange_type("job-shadowing").pk],
        "themes": [_pk(Theme, slug="inclusion")],
        "countries_wanted": ["NO"],
        "languages": [_pk(Language, code="en")],
        "available_from": _date(10),
        "available_until": _date(90),
        "participants": "2",
        "fewer_opportunity_participants": "1",
        "description": "Inclusion of young people.",
        "alert": "weekly",
    }


def _exchange(w):
    return {
        "start_date": _date(31),
        "end_date": _date(32),
        "duration_days": "1.5",
        "participants": "1",
        "fewer_opportunity_participants": "0",
        "programme": "Day 1: welcome.",
        "practical_notes": "Town hall at 09:00.",
    }


def _follow_up(w):
    return {
        "account": "We showed our team.",
        "lessons": "Shared challenges.",
        "next_steps": "A reciprocal visit.",
        "wants_reciprocal_visit": "on",
        "quotes-TOTAL_FORMS": "1",
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "10",
        "quotes-0-person_name": "Anna Berg",
        "quotes-0-role": "Advisor",
        "quotes-0-organisation_name": "Borås Stad",
        "quotes-0-text": "We left full of ideas.",
        "quotes-0-consent": "on",
        "quotes-0-public": "on",
    }


def _slot(w):
    return w.event.slots()[2].start.astimezone(datetime.UTC).isoformat()


CASES = [
    FormCase(
        "organisation_create",
        lambda w: reverse("matchmaking:organisation_create"),
        "outsider",
        _organisation,
    ),
    FormCase(
        "organisation_edit",
        lambda w: reverse("matchmaking:organisation_edit", kwargs={"slug": w.host_org.slug}),
        "admin",
        lambda w: {**_organisation(w), "name": "Borås Stad", "country": "SE", "nuts_code": "SE232"},
        then_get=lambda w: [reverse("organisation_detail", kwargs={"slug": w.host_org.slug})],
    ),
    FormCase(
        "organisation_people",
        lambda w: reverse("matchmaking:organisation_people", kwargs={"slug": w.host_org.slug}),
        "admin",
        lambda w: {"email": "colleague@boras.example.org", "role": "coordinator"},
    ),
    FormCase(
        "organisation_switch",
        lambda w: reverse("matchmaking:organisation_switch"),
        "coordinator",
        lambda w: {"organisation": w.host_org.pk, "next": "/offers/"},
    ),
    FormCase(
        "profile",
        lambda w: reverse("matchmaking:profile"),
        "coordinator",
        lambda w: {"first_name": "Anna", "last_name": "Berg", "preferred_language": "sv"},
    ),
    FormCase(
        # Vestland's coordinator (not its only admin) deletes their account with their password.
        "account_delete",
        lambda w: reverse("matchmaking:account_delete"),
        "applicant",
        lambda w: {"password": PASSWORD},
        then_get=lambda w: [reverse("home"), reverse("exchanges:offer_detail", args=[w.offer.pk])],
    ),
    FormCase(
        "offer_create",
        lambda w: reverse("exchanges:offer_create"),
        "coordinator",
        _offer,
        then_get=lambda w: [reverse("desk")],
    ),
    FormCase(
        # The offer of the exchange: one place is taken by the accepted application.
        "offer_edit",
        lambda w: reverse("exchanges:offer_edit", kwargs={"pk": w.exchange.application.offer.pk}),
        "coordinator",
        _offer,
        then_get=lambda w: [
            reverse("exchanges:offer_detail", kwargs={"pk": w.exchange.application.offer.pk}),
            reverse("exchanges:offer_list"),
            reverse("home"),
        ],
    ),
    FormCase(
        "application_create",
        lambda w: reverse("exchanges:application_create", kwargs={"pk": w.offer.pk}),
        "outsider",
        lambda w: {
            "organisation": w.outsider.memberships.get().organisation_id,
            "motivation": "We want to learn how you reach young people.",
            "participants": "1",
            "fewer_opportunity_participants": "0",
            "participant_roles": "One advisor.",
            "preferred_start": _date(31),
            "preferred_end": _date(32),
            "languages": [_pk(Language, code="en")],
        },
        then_get=lambda w: [reverse("exchanges:offer_applications", kwargs={"pk": w.offer.pk})],
    ),
    FormCase(
        "application_decide",
        lambda w: reverse("exchanges:application_decide", kwargs={"pk": w.application.pk}),
        "coordinator",
        lambda w: {"decision": "accept", "message": "Welcome!"},
    ),
    FormCase(
        "application_withdraw",
        lambda w: reverse("exchanges:application_withdraw", kwargs={"pk": w.application.pk}),
        "applicant",
        lambda w: {"message": "We cannot travel after all."},
    ),
    FormCase(
        "application_message",
        lambda w: reverse("exchanges:application_message", kwargs={"pk": w.application.pk}),
        "coordinator",
        lambda w: {"body": "Welcome! Which dates suit you?"},
        then_get=lambda w: [
            reverse("exchanges:application_detail", kwargs={"pk": w.application.pk}),
            reverse("desk"),
        ],
    ),
    FormCase(
        "exchange_message",
        lambda w: reverse("exchanges:exchange_message", kwargs={"pk": w.exchange.pk}),
        "applicant",
        lambda w: {"body": "We land on Sunday evening."},
        then_get=lambda w: [
            reverse("exchanges:exchange_detail", kwargs={"pk": w.exchange.pk}),
            reverse("desk"),
        ],
    ),
    FormCase(
        "round_create",
        lambda w: reverse("exchanges:round_create"),
        "admin",
        lambda w: {
            "name": "Autumn job shadowing",
            "description": "Three offers, one deadline.",
            "offers": [w.offer.pk],
            "application_deadline": _moment(5),
            "allocation_date": _moment(6),
            "reserve_percent": "20",
            "rule": "stable",
            "max_choices": "3",
        },
        then_get=lambda w: [reverse("exchanges:round_list")],
    ),
    FormCase(
        "round_sender_ranking",
        lambda w: reverse("exchanges:round_sender_ranking", kwargs={"pk": w.call_round.pk}),
        "applicant",
        lambda w: {f"rank_{w.application.pk}": "1"},
        then_get=lambda w: [reverse("exchanges:round_detail", kwargs={"pk": w.call_round.pk})],
    ),
    FormCase(
        "round_host_ranking",
        lambda w: reverse("exchanges:round_host_ranking", kwargs={"pk": w.call_round.pk}),
        "coordinator",
        lambda w: {
            f"rank_{w.call_round.entries.get().pk}": "1",
            f"acceptable_{w.call_round.entries.get().pk}": "on",
        },
        then_get=lambda w: [reverse("exchanges:round_detail", kwargs={"pk": w.call_round.pk})],
    ),
    FormCase(
        "profile_create",
        lambda w: reverse("exchanges:profile_create"),
        "coordinator",
        _profile,
        then_get=lambda w: [
            reverse("exchanges:profile_list"),
            reverse("exchanges:recommendations"),
        ],
    ),
    FormCase(
        "profile_edit",
        lambda w: reverse("exchanges:profile_edit", kwargs={"pk": w.profile.pk}),
        "coordinator",
        _profile,
        then_get=lambda w: [
            reverse("exchanges:profile_list"),
            reverse("exchanges:recommendations"),
        ],
    ),
    FormCase(
        "profile_alert",
        lambda w: reverse("exchanges:profile_alert", kwargs={"pk": w.profile.pk}),
        "coordinator",
        lambda w: {"alert": "off"},
    ),
    FormCase(
        "offer_invite",
        lambda w: reverse("exchanges:offer_invite", kwargs={"pk": w.offer.pk}),
        "coordinator",
        lambda w: {"organisation": w.applicant_org.pk},
    ),
    FormCase(
        "exchange_edit",
        lambda w: reverse("exchanges:exchange_edit", kwargs={"pk": w.exchange.pk}),
        "coordinator",
        _exchange,
        then_get=lambda w: [
            reverse("exchanges:exchange_detail", kwargs={"pk": w.exchange.pk}),
            reverse("exchanges:exchange_calendar", kwargs={"pk": w.exchange.pk}),
            reverse("desk"),
        ],
    ),
    FormCase(
        "exchange_cancel",
        lambda w: reverse("exchanges:exchange_cancel", kwargs={"pk": w.exchange.pk}),
        "coordinator",
        lambda w: {"reason": "The flights were cancelled."},
    ),
    FormCase(
        "follow_up",
        lambda w: reverse("exchanges:follow_up", kwargs={"pk": w.exchange.pk}),
        "coordinator",
        _follow_up,
        prepare=lambda w: Exchange.objects.filter(pk=w.exchange.pk).update(
            start_date=timezone.localdate() - datetime.timedelta(days=3),
            end_date=timezone.localdate() - datetime.timedelta(days=2),
        ),
        then_get=lambda w: [reverse("exchanges:exchange_detail", kwargs={"pk": w.exchange.pk})],
    ),
    FormCase(
        "offer_list",
        lambda w: reverse("exchanges:offer_list"),
        "anonymous",
        lambda w: {
            "q": "shadowing",
            "exchange_type": "job-shadowing",
            "theme": "inclusion",
            "country": "SE",
            "language": "en",
            "target_group": "staff",
            "dates_from": _date(1),
            "dates_until": _date(90),
            "fewer_opportunities": "on",
            "rsp_members": "on",
            "open": "on",
            "sort": "deadline",
            "page": "1",
        },
        method="get",
    ),
    FormCase(
        "case_study_list",
        lambda w: reverse("exchanges:case_study_list"),
        "anonymous",
        lambda w: {
            "q": "job",
            "exchange_type": "job-shadowing",
            "theme": "inclusion",
            "country": "SE",
            "fewer_opportunities": "disability",
            "page": "1",
        },
        method="get",
    ),
    FormCase(
        "join",
        lambda w: reverse("partnership:join"),
        "applicant_admin",
        lambda w: {
            "organisation": w.applicant_org.pk,
            "contact_name": "Ingrid",
            "contact_role": "Advisor",
            "contact_email": "ingrid@vestland.example.org",
            "motivation": "We send advisors.",
            "commitments": list(Commitment.values),
            "logo_consent": "on",
        },
    ),
    FormCase(
        "leave",
        lambda w: reverse("partnership:leave"),
        "admin",
        lambda w: {"organisation": w.host_org.pk, "confirm": "on"},
    ),
    FormCase(
        "promoter_nominate",
        lambda w: reverse("partnership:promoter_nominate"),
        "coordinator",
        lambda w: {
            "organisation": w.host_org.pk,
            "name": "Nicholas Waller",
            "role": "Coordinator",
            "languages": [_pk(Language, code="en")],
            "bio": "Promotes job shadowing.",
            "contact_email": "nicholas@boras.example.org",
        },
    ),
    FormCase(
        "promoter_contact",
        lambda w: reverse("partnership:promoter_contact", kwargs={"pk": w.promoter.pk}),
        "anonymous",
        lambda w: {
            "sender_name": "Ana",
            "sender_email": "ana@example.org",
            "message": "Could we talk?",
        },
    ),
    FormCase(
        "organisation_directory",
        lambda w: reverse("matchmaking:organisation_directory"),
        "anonymous",
        lambda w: {
            "q": "Borås",
            "country": "SE",
            "region": "Västra",
            "kind": "authority",
            "rsp_members": "on",
            "page": "1",
        },
        method="get",
    ),
    FormCase(
        "dashboard",
        lambda w: reverse("partnership:dashboard"),
        "secretariat",
        lambda w: {
            "year": str(timezone.localdate().year),
            "country": "SE",
            "region": "SE23",
            "exchange_type": exchange_type("job-shadowing").pk,
            "sector": "vet",
            "mobility_of": "staff",
            "member": "yes",
        },
        method="get",
    ),
    FormCase(
        "baseline",
        lambda w: reverse("partnership:baseline"),
        "admin",
        lambda w: {"region": "SE23", "year": "2025", "vet_learners": "1200", "source": "SCB"},
        then_get=lambda w: [reverse("partnership:dashboard"), reverse("partnership:figures")],
    ),
    FormCase(
        "members",
        lambda w: reverse("partnership:members"),
        "anonymous",
        lambda w: {"country": "SE"},
        method="get",
    ),
    FormCase(
        "event_register",
        lambda w: reverse("events:register", kwargs={"slug": w.event.slug}),
        "outsider",
        lambda w: {
            "organisation": w.outsider.memberships.get().organisation_id,
            "attendees-TOTAL_FORMS": "2",
            "attendees-INITIAL_FORMS": "0",
            "attendees-MIN_NUM_FORMS": "1",
            "attendees-MAX_NUM_FORMS": "6",
            "attendees-0-name": "Marta",
            "attendees-0-role": "Advisor",
            "attendees-1-name": "",
            "attendees-1-role": "",
        },
        then_get=lambda w: [reverse("events:detail", kwargs={"slug": w.event.slug})],
    ),
    FormCase(
        "meeting_request",
        lambda w: reverse(
            "events:meeting_request",
            kwargs={"slug": w.event.slug, "organisation": w.applicant_org.slug},
        ),
        "coordinator",
        lambda w: {"slot": _slot(w), "message": "Shall we talk about inclusion?"},
        # Borås declined Vestland's request, so it may ask in its turn.
        prepare=lambda w: Meeting.objects.filter(pk=w.meeting.pk).update(
            status=Meeting.Status.DECLINED, decided_at=timezone.now()
        ),
        then_get=lambda w: [
            reverse("events:meetings", kwargs={"slug": w.event.slug}),
            reverse("events:schedule", kwargs={"slug": w.event.slug}),
            reverse("events:schedule_ics", kwargs={"slug": w.event.slug}),
        ],
    ),
    FormCase(
        "meeting_cancel",
        lambda w: reverse(
            "events:meeting_cancel", kwargs={"slug": w.event.slug, "pk": w.meeting.pk}
        ),
        "coordinator",
        lambda w: {"reason": "Our delegation leaves at noon."},
        then_get=lambda w: [
            reverse("events:meetings", kwargs={"slug": w.event.slug}),
            reverse("events:detail", kwargs={"slug": w.event.slug}),
        ],
    ),
    FormCase(
        "event_withdraw",
        lambda w: reverse("events:withdraw", kwargs={"slug": w.event.slug}),
        "coordinator",
        lambda w: {"reason": "Our budget was cut."},
        then_get=lambda w: [
            reverse("events:detail", kwargs={"slug": w.event.slug}),
            reverse("events:meetings", kwargs={"slug": w.event.slug}),
        ],
    ),
]

PROJECT_APPS = ("matchmaking", "exchanges", "partnership")


def _tables():
    return sorted(
        {
            model._meta.db_table
            for app in PROJECT_APPS
            for model in apps.get_app_config(app).get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


TABLES = _tables()


def row_counts():
    """The number of rows of every table of the project's apps, in one query."""
    quote = connection.ops.quote_name
    counts = ", ".join(f"(SELECT count(*) FROM {quote(table)})" for table in TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")
        return dict(zip(TABLES, cursor.fetchone(), strict=True))


@st.composite
def spoiled(draw, valid):
    """The valid submission with one to three of its fields (or an unknown one) replaced."""
    data = dict(valid)
    names = draw(
        st.lists(st.sampled_from([*valid, "unknown_field"]), min_size=1, max_size=3, unique=True)
    )
    for name in names:
        data[name] = draw(HOSTILE)
    return data


@pytest.fixture
def client_for(world, clients):
    """Clients of the world's personas, plus Vestland's coordinator and a new admin of it."""

    def signed_in(persona):
        if persona in clients:
            return clients[persona]
        if persona == "applicant":
            user = world.applicant_coordinator
        else:
            user = UserFactory(email="admin@vestland.example.org")
            MembershipFactory(user=user, organisation=world.applicant_org, role="admin")
        client = Client()
        client.force_login(user)
        return client

    return signed_in


def _submit(client, case, url, data):
    if case.method == "get":
        return client.get(url, data)
    return client.post(url, data)


def _spoilt_fields_only(spoilt):
    """A stand-in for a page's template that renders, of every form and formset in the page's
    context, the fields a submission spoilt (``spoilt``, their names as posted), their errors
    and the form's own: where a hostile value meets a widget."""

    def render_to_string(template_name, context=None, request=None, using=None):
        html = []
        for value in (context or {}).values():
            if isinstance(value, BaseFormSet):
                forms = [value.management_form, *value.forms]
                html.append(str(value.non_form_errors()))
            else:
                forms = [value] if isinstance(value, BaseForm) else []
            for form in forms:
                html.append(str(form.non_field_errors()))
                html.extend(
                    str(form[name]) + str(form[name].errors)
                    for name in form.fields
                    if form.add_prefix(name) in spoilt
                )
        return "".join(html)

    return render_to_string


def _renders_whole_page(case):
    """A search page runs its query while its template lists the results: always whole."""
    return case.method == "get" or TRIED[case.name] % FULL_PAGE_EVERY == 0


@contextlib.contextmanager
def pages(full, spoilt=()):
    """The pages as they are (``full``), or only the spoilt fields of their forms: rendering a
    whole form (every option of every list, through the test runner's instrumented templates)
    is most of a request's cost, and only the spoilt fields hold a hostile value."""
    if full:
        yield
        return
    with mock.patch.object(loader, "render_to_string", _spoilt_fields_only(set(spoilt))):
        yield


# Inputs tried, by form; the module's last test checks that they add up.
TRIED = collections.Counter()
# The rows of the project's tables as each form's examples start (every example starts alike),
# and its valid submission.
ROWS_BEFORE = {}
VALID = {}
# Accepted submissions by form, and the (field, kind of value) pairs whose pages were checked.
SAVED = collections.Counter()
SAVED_KINDS = collections.defaultdict(set)


def _kind(value):
    """A hostile value of the list as itself; any other by its shape: an integer by its number
    of digits in fives (``int:2`` for 10 to 14 digits), text as ``text``, a list by its kinds."""
    if isinstance(value, list):
        return ("list", *sorted(map(str, map(_kind, value))))
    if value in HOSTILE_VALUES:
        return value
    if value.lstrip("-").isdigit():
        return f"int:{len(value.lstrip('-')) // 5}"
    return "text"


def _kinds(submission, valid):
    """The (field, kind) pairs by which a submission differs from the valid one."""
    return {(name, _kind(value)) for name, value in submission.items() if valid.get(name) != value}


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
@settings(
    max_examples=EXAMPLES_PER_FORM,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_hostile_submission_is_refused_or_saved_never_a_500(db, world, client_for, case, data):
    # The valid submission, worked out once per form (it looks up vocabulary ids).
    if case.name not in VALID:
        VALID[case.name] = case.valid(world)
    valid = VALID[case.name]
    submission = data.draw(spoiled(valid), label="submission")
    url = case.url(world)
    # Every example goes through the real view, its form, its service and the database; one in
    # FULL_PAGE_EVERY renders the whole page too, and so do the search pages and the pages that
    # show what was saved.
    full = _renders_whole_page(case)
    TRIED[case.name] += 1
    with transaction.atomic():
        case.prepare(world)
        client = client_for(case.persona)
        cache.clear()  # rate limits
        before = ROWS_BEFORE.setdefault(case.name, row_counts())
        spoilt = [name for name, value in submission.items() if valid.get(name) != value]
        with pages(full, spoilt):
            response = _submit(client, case, url, submission)

        assert response.status_code < 500
        if case.method == "post" and response.status_code in (200, 400):
            assert row_counts() == before, "a refused submission wrote rows"
        if response.status_code == 302:
            SAVED[case.name] += 1
            new = _kinds(submission, valid) - SAVED_KINDS[case.name]
            # The pages that show what was saved, for each kind of hostile value in each field
            # the first time it is saved (the same kind again shows the same way).
            if new or not SAVED_KINDS[case.name]:
                SAVED_KINDS[case.name] |= new
                for page in case.then_get(world):
                    assert client.get(page).status_code < 500, page
                # The same submission again (a double click): refused or saved, never a 500.
                with pages(full, spoilt):
                    assert _submit(client, case, url, submission).status_code < 500
        transaction.set_rollback(True)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_the_valid_submission_is_accepted(db, world, client_for, case):
    """The base of the fuzzing is right: unspoiled, each form goes through."""
    case.prepare(world)
    response = _submit(client_for(case.persona), case, case.url(world), case.valid(world))

    form = response.context.get("form") if response.context else None
    assert response.status_code == (200 if case.method == "get" else 302), form and form.errors


# The findings of issue 9, pinned: hypothesis reaches them rarely in its examples. -----------

CASE = {case.name: case for case in CASES}
KNOWN = [
    ("profile_create", {"participants": "2147483648"}),
    ("profile_create", {"available_from": "0001-01-01"}),
    ("application_create", {"preferred_start": "0001-01-01"}),
    ("offer_create", {"available_until": "9999-12-31"}),
    ("exchange_edit", {"end_date": "9999-12-31"}),
    ("exchange_edit", {"start_date": "0001-01-01"}),
    ("meeting_request", {"slot": "9999-12-31T23:59:59+00:00"}),
    ("meeting_request", {"slot": "0001-01-01T00:00:00+00:00"}),
    ("offer_edit", {"capacity": "0"}),
]


@pytest.mark.parametrize(
    ("name", "spoilt"), KNOWN, ids=[f"{name}-{'-'.join(spoilt.values())}" for name, spoilt in KNOWN]
)
def test_a_known_hostile_value_is_refused(db, world, client_for, name, spoilt):
    case = CASE[name]
    case.prepare(world)
    client = client_for(case.persona)
    before = row_counts()

    response = _submit(client, case, case.url(world), {**case.valid(world), **spoilt})

    for page in case.then_get(world):
        assert client.get(page).status_code < 500, page
    assert response.status_code in (200, 400)
    assert row_counts() == before


def test_at_least_a_thousand_hostile_inputs_were_tried():
    """The issue asks for 1,000 inputs at least; run alone (``-k``), this test has nothing to
    count and says so."""
    if set(TRIED) != {case.name for case in CASES}:
        pytest.skip("the fuzzing of every form did not run in this session")
    print(
        f"{sum(TRIED.values())} hostile inputs over {len(TRIED)} forms; "
        f"{sum(SAVED.values())} accepted, the pages of "
        f"{sum(map(len, SAVED_KINDS.values()))} (field, kind) pairs checked"
    )
    assert sum(TRIED.values()) >= 1000, TRIED
