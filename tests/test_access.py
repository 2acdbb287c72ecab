"""Who gets what on every page: generated from the URL resolver, so a new page is covered
(and fails until it has a row in ``EXPECTED``) the day it is added.

Every pattern of the project is requested as five personas — anonymous, an outsider (a
coordinator of a third organisation), a coordinator and the admin of Borås, the secretariat —
with GET and with an empty POST (the test client does not check CSRF tokens). The objects are
Borås's (tests/world.py): its offer, Vestland's application to it, an accepted one with its
exchange, follow-up and case study, an interest profile, an event with registrations and a
meeting. The rules the table spells out: anonymous visitors are sent to the login page, an
outsider gets 404 for another organisation's objects, a member without the right role 403,
a wrong method 405, and nothing is ever a 500.

Left out: Django's admin (``admin/``, its own permission system, tested in the apps'
``test_admin`` modules), allauth's account pages (the ``accounts/`` include; the project's own
``accounts/profile/`` is walked), the language switcher (``i18n/``) and uploaded files
(``media/``, tests/matchmaking/test_media.py).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.pages import login_url
from tests.world import PERSONAS, clients_fixture, world_fixture

world = world_fixture()
clients = clients_fixture()

METHODS = ["GET", "POST"]

SKIPPED_ROUTES = ("admin/", "i18n/", "media/")
SKIPPED_URLCONFS = ("allauth.urls",)


def _walk(resolver, route="", namespace=""):
    for entry in resolver.url_patterns:
        full_route = route + str(entry.pattern)
        if full_route.startswith(SKIPPED_ROUTES):
            continue
        if isinstance(entry, URLResolver):
            if getattr(entry.urlconf_name, "__name__", None) in SKIPPED_URLCONFS:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, full_route, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry


def url_patterns():
    """Every named pattern the tests walk: ``{"exchanges:offer_edit": URLPattern, …}``."""
    patterns = {}
    for name, pattern in _walk(get_resolver()):
        assert name not in patterns, f"Two patterns are named {name}; reverse() finds one only."
        patterns[name] = pattern
    return patterns


PATTERNS = url_patterns()


# The kwargs of each pattern, from Borås's world (a URL name, else a kwarg name). ----------

KWARGS = {
    "matchmaking:organisation_edit": lambda w: {"slug": w.host_org.slug},
    "matchmaking:organisation_people": lambda w: {"slug": w.host_org.slug},
    "matchmaking:membership_remove": lambda w: {
        "slug": w.host_org.slug,
        "pk": w.host_org.memberships.get(user=w.host_coordinator).pk,
    },
    "matchmaking:invitation_cancel": lambda w: {"slug": w.host_org.slug, "pk": w.invitation.pk},
    "organisation_detail": lambda w: {"slug": w.host_org.slug},
    "exchanges:application_create": lambda w: {"pk": w.offer.pk},
    "exchanges:application_detail": lambda w: {"pk": w.application.pk},
    "exchanges:application_decide": lambda w: {"pk": w.application.pk},
    "exchanges:application_withdraw": lambda w: {"pk": w.application.pk},
    "exchanges:application_message": lambda w: {"pk": w.application.pk},
    "exchanges:case_study_detail": lambda w: {"slug": w.case_study.slug},
    "partnership:application_withdraw": lambda w: {"slug": w.host_org.slug},
    "partnership:promoter_contact": lambda w: {"pk": w.promoter.pk},
    "partnership:export": lambda w: {"kind": "exchanges", "fmt": "csv"},
    "events:meeting_accept": lambda w: {"slug": w.event.slug, "pk": w.meeting.pk},
    "events:meeting_decline": lambda w: {"slug": w.event.slug, "pk": w.meeting.pk},
    "api:offer_detail": lambda w: {"offer_id": w.offer.pk},
    "api:case_study_detail": lambda w: {"slug": w.case_study.slug},
    "api:organisation_detail": lambda w: {"slug": w.host_org.slug},
    "api:event_detail": lambda w: {"slug": w.event.slug},
    "api_not_found": lambda w: {"rest": "v1/applications/"},
    "events:meeting_cancel": lambda w: {"slug": w.event.slug, "pk": w.meeting.pk},
    "events:meeting_request": lambda w: {
        "slug": w.event.slug,
        "organisation": w.applicant_org.slug,
    },
    # By kwarg name: what a pattern's ``pk`` or ``slug`` is depends on where it lives.
    "exchanges:offer_*:pk": lambda w: w.offer.pk,
    "exchanges:profile_*:pk": lambda w: w.profile.pk,
    "exchanges:exchange_*:pk": lambda w: w.exchange.pk,
    "exchanges:*:pk": lambda w: w.exchange.pk,  # follow_up, reciprocal_offer
    "events:*:slug": lambda w: w.event.slug,
    "exchanges:round_*:pk": lambda w: w.call_round.pk,
    "token": lambda w: w.unsubscribe_token,
}


def _kwarg(name, kwarg, world):
    namespace, _, url_name = name.rpartition(":")
    candidates = [
        f"{namespace}:{url_name.split('_')[0]}_*:{kwarg}",
        f"{namespace}:*:{kwarg}",
        kwarg,
    ]
    for key in candidates:
        if key in KWARGS:
            return KWARGS[key](world)
    raise AssertionError(f"No value for {kwarg!r} of {name}: add it to KWARGS in {__name__}.")


def url_of(name, world):
    pattern = PATTERNS[name]
    if name in KWARGS:
        kwargs = KWARGS[name](world)
    else:
        kwargs = {kwarg: _kwarg(name, kwarg, world) for kwarg in pattern.pattern.converters}
    return reverse(name, kwargs=kwargs)


# What each persona gets, as (GET, POST) statuses; LOGIN is a redirect to the login page. --

LOGIN = "login"


def everyone(get, post):
    return dict.fromkeys(PERSONAS, (get, post))


def signed_in(get, post, **personas):
    """Anonymous visitors go to the login page; the signed-in personas get ``get``/``post``
    unless named."""
    return {**everyone(get, post), "anonymous": (LOGIN, LOGIN), **personas}


def but(kind, **personas):
    return {**kind, **personas}


PUBLIC = everyone(200, 405)
SIGNED_IN_PAGE = signed_in(200, 405)
# A page about one of Borås's objects: reached through the user's organisations, so a 404 for
# the outsider and for the secretariat, who belongs to none.
BORAS_PAGE = signed_in(200, 405, outsider=(404, 405), secretariat=(404, 405))
# The same with a form; an empty POST is read as no submission and shows the form again.
BORAS_FORM = signed_in(200, 200, outsider=(404, 404), secretariat=(404, 404))
# A button (POST only) on one of Borås's objects; it does its thing and goes back.
BORAS_ACTION = signed_in(405, 302, outsider=(405, 404), secretariat=(405, 404))
BORAS_ADMIN_FORM = but(BORAS_FORM, coordinator=(403, 403))
BORAS_ADMIN_ACTION = but(BORAS_ACTION, coordinator=(405, 403))
# Only the organisation that applied (Vestland) withdraws or asks for the reciprocal draft.
VESTLAND_ACTION = signed_in(405, 404)
SECRETARIAT_PAGE = signed_in(403, 405, secretariat=(200, 405))
# The secretariat belongs to no organisation: pages that act for one send it to create one.
NO_ORGANISATION = (302, 302)

EXPECTED = {
    "home": PUBLIC,
    "organisation_detail": PUBLIC,
    "matchmaking:organisation_directory": PUBLIC,
    "desk": SIGNED_IN_PAGE,
    "matchmaking:organisation_create": signed_in(200, 200),
    "matchmaking:organisation_edit": BORAS_ADMIN_FORM,
    "matchmaking:organisation_people": BORAS_ADMIN_FORM,
    "matchmaking:membership_remove": BORAS_ADMIN_ACTION,
    "matchmaking:invitation_cancel": BORAS_ADMIN_ACTION,
    "matchmaking:organisation_switch": signed_in(405, 302),
    "matchmaking:profile": signed_in(200, 200),
    # The person's own data and account: nobody else's, so the same for every persona.
    "matchmaking:personal_data_download": SIGNED_IN_PAGE,
    "matchmaking:account_delete": signed_in(200, 200),
    "matchmaking:privacy": PUBLIC,
    "matchmaking:help": PUBLIC,
    # Offers and applications
    "exchanges:offer_list": PUBLIC,
    "exchanges:offer_detail": PUBLIC,
    "exchanges:offer_create": signed_in(200, 200, secretariat=NO_ORGANISATION),
    "exchanges:offer_edit": BORAS_FORM,
    "exchanges:offer_publish": BORAS_ACTION,
    "exchanges:offer_close": BORAS_ACTION,
    "exchanges:offer_archive": BORAS_ACTION,
    "exchanges:offer_duplicate": BORAS_ACTION,
    "exchanges:offer_applications": BORAS_PAGE,
    "exchanges:offer_invite": BORAS_ACTION,
    # Borås does not apply to its own offer (back to the offer); the outsider may apply.
    "exchanges:application_create": signed_in(
        302, 302, outsider=(200, 200), secretariat=NO_ORGANISATION
    ),
    "exchanges:application_detail": BORAS_PAGE,
    "exchanges:application_decide": but(BORAS_ACTION, coordinator=(405, 400), admin=(405, 400)),
    "exchanges:application_withdraw": VESTLAND_ACTION,
    # Either side writes a message; an empty one is the form again with its error.
    "exchanges:application_message": but(BORAS_ACTION, coordinator=(405, 400), admin=(405, 400)),
    # Matching and interest profiles
    "exchanges:recommendations": SIGNED_IN_PAGE,
    "exchanges:profile_list": signed_in(200, 405, secretariat=(302, 405)),
    "exchanges:profile_create": signed_in(200, 200, secretariat=NO_ORGANISATION),
    "exchanges:profile_edit": BORAS_FORM,
    "exchanges:profile_delete": BORAS_ACTION,
    "exchanges:profile_alert": BORAS_ACTION,
    # The link in an alert email: no login, the signed token is the key.
    "exchanges:profile_unsubscribe": everyone(200, 200),
    # The exchange after acceptance
    "exchanges:exchange_detail": BORAS_PAGE,
    "exchanges:exchange_edit": BORAS_FORM,
    "exchanges:exchange_complete": BORAS_ACTION,
    "exchanges:exchange_cancel": but(BORAS_ACTION, coordinator=(405, 400), admin=(405, 400)),
    "exchanges:exchange_calendar": BORAS_PAGE,
    "exchanges:exchange_message": but(BORAS_ACTION, coordinator=(405, 400), admin=(405, 400)),
    "exchanges:follow_up": BORAS_FORM,
    "exchanges:reciprocal_offer": VESTLAND_ACTION,
    "exchanges:case_study_list": PUBLIC,
    "exchanges:case_study_detail": PUBLIC,
    # Call rounds: Borås organises one of its offer, Vestland ranked its application in it.
    "exchanges:round_list": PUBLIC,
    "exchanges:round_detail": PUBLIC,
    "exchanges:round_create": signed_in(
        200, 200, outsider=(403, 403), coordinator=(403, 403), secretariat=NO_ORGANISATION
    ),
    "exchanges:round_sender_ranking": signed_in(404, 404),
    "exchanges:round_host_ranking": BORAS_FORM,
    "exchanges:round_proposal": but(BORAS_PAGE, coordinator=(403, 405)),
    "exchanges:round_allocate": BORAS_ADMIN_ACTION,
    "exchanges:round_confirm": BORAS_ADMIN_ACTION,
    # The partnership
    "partnership:about": PUBLIC,
    "partnership:join": signed_in(
        200, 200, outsider=(403, 403), coordinator=(403, 403), secretariat=NO_ORGANISATION
    ),
    "partnership:application_withdraw": BORAS_ADMIN_ACTION,
    # Nobody the outsider administers is a member: sent back to the partnership's page.
    "partnership:leave": signed_in(
        200, 200, outsider=(403, 403), coordinator=(403, 403), secretariat=NO_ORGANISATION
    ),
    "partnership:members": PUBLIC,
    "partnership:promoters": PUBLIC,
    "partnership:promoter_nominate": signed_in(
        200, 200, outsider=NO_ORGANISATION, secretariat=NO_ORGANISATION
    ),
    "partnership:promoter_contact": everyone(200, 400),
    # The monitoring: public figures; the dashboard, its downloads and the baseline page for
    # the secretariat and for the admin of a member organisation (Borås, in SE23).
    "partnership:figures": PUBLIC,
    "partnership:dashboard": signed_in(403, 405, admin=(200, 405), secretariat=(200, 405)),
    "partnership:export": signed_in(403, 405, admin=(200, 405), secretariat=(200, 405)),
    "partnership:baseline": signed_in(403, 403, admin=(200, 200), secretariat=(200, 200)),
    # The open API: anonymous and read-only; any other address under /api/ is a JSON 404.
    "api:index": PUBLIC,
    "api:api-root": PUBLIC,
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:offer_list": PUBLIC,
    "api:offer_detail": PUBLIC,
    "api:case_study_list": PUBLIC,
    "api:case_study_detail": PUBLIC,
    "api:organisation_list": PUBLIC,
    "api:organisation_detail": PUBLIC,
    "api:event_list": PUBLIC,
    "api:event_detail": PUBLIC,
    "api_not_found": everyone(404, 404),
    # Matchmaking events: Borås and Vestland are registered, Vestland asked Borås to meet.
    "events:list": PUBLIC,
    "events:detail": PUBLIC,
    "events:register": signed_in(302, 302, outsider=(200, 400), secretariat=NO_ORGANISATION),
    "events:meetings": BORAS_PAGE,
    # Vestland's request waits for Borås's answer: Borås is sent back to answer it rather
    # than ask Vestland again.
    "events:meeting_request": but(BORAS_FORM, coordinator=(302, 302), admin=(302, 302)),
    "events:meeting_accept": BORAS_ACTION,
    "events:meeting_decline": BORAS_ACTION,
    # Either side cancels (a form with a reason); an organisation withdraws its registration.
    "events:meeting_cancel": BORAS_FORM,
    "events:withdraw": BORAS_FORM,
    "events:schedule": BORAS_PAGE,
    "events:schedule_ics": BORAS_PAGE,
    "events:grid": SECRETARIAT_PAGE,
    "events:grid_csv": SECRETARIAT_PAGE,
}


def test_every_row_of_the_table_is_a_page():
    assert not set(EXPECTED) - set(PATTERNS), "EXPECTED names pages that no longer exist"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_persona_gets_what_the_table_says(db, world, clients, name, persona, method):
    assert name in EXPECTED, (
        f"The page {name} ({PATTERNS[name].pattern}) has no row in EXPECTED of {__name__}: "
        "say what each persona gets there, GET and POST."
    )
    url = url_of(name, world)
    expected = EXPECTED[name][persona][METHODS.index(method)]

    response = getattr(clients[persona], method.lower())(url)

    if expected == LOGIN:
        assert response.status_code == 302, f"{method} {url} as {persona}"
        assert response["Location"] == login_url(url)
    else:
        assert response.status_code == expected, f"{method} {url} as {persona}"
        if expected == 302:
            assert not response["Location"].startswith(reverse("account_login"))
