"""axe-core in Chromium finds no serious or critical accessibility violation on the main pages.

Every page also has exactly one <h1> and one <main> landmark. axe-core comes from the
``axe-playwright-python`` package, which ships ``axe.min.js``; nothing is downloaded.
"""

import os
from pathlib import Path

import axe_playwright_python
import pytest

from exchanges import matching, services
from exchanges.models import Application, Offer
from exchanges.tokens import unsubscribe_token
from tests.browser.helpers import force_sign_in
from tests.factories import (
    ApplicationFactory,
    CallRoundFactory,
    ExchangeFactory,
    InterestProfileFactory,
    OfferFactory,
    round_entry,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

AXE_JS = Path(axe_playwright_python.__file__).with_name("axe.min.js")
BLOCKING_IMPACTS = {"serious", "critical"}


def _problems(page, url):
    """What is wrong with the page at ``url``: axe violations and landmark/heading counts."""
    response = page.goto(url)
    problems = []
    if response is None or response.status != 200:
        return [f"HTTP {response.status if response else 'no response'}"]
    h1_count = page.locator("h1").count()
    if h1_count != 1:
        problems.append(f"{h1_count} <h1> elements instead of 1")
    main_count = page.locator("main, [role=main]").count()
    if main_count != 1:
        problems.append(f"{main_count} <main> landmarks instead of 1")
    # Evaluated, not added as a <script> tag: the site's CSP refuses injected scripts.
    page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run()")
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
            problems.append(
                f"axe {violation['impact']} {violation['id']} ({violation['help']}): {targets}"
            )
    return problems


def _assert_accessible(page, base_url, paths):
    report = {path: _problems(page, base_url + path) for path in paths}
    failing = {path: problems for path, problems in report.items() if problems}
    assert not failing, "\n".join(
        f"{path}:\n  " + "\n  ".join(problems) for path, problems in failing.items()
    )


@pytest.fixture
def catalogue(host_org, host_coordinator, applicant_org, applicant_coordinator):
    """Offers in every status and an application, so that every badge and form shows."""
    offer = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        title="Job shadowing of guidance counsellors in Borås",
        supports_fewer_opportunities=True,
        fewer_opportunities_support="An accessible venue and a mentor for each participant.",
        programme="Day 1: the guidance centre.\nDay 2 (morning): a school visit.",
        practical_information="We meet at the town hall at 9:00.",
        costs_note="Erasmus+ covers travel and stay.",
    )
    OfferFactory(
        organisation=host_org,
        title="A draft for next spring",
        status=Offer.Status.DRAFT,
        published_at=None,
    )
    OfferFactory(organisation=host_org, title="Last year's study visit", status=Offer.Status.CLOSED)
    vestland_offer = OfferFactory(
        organisation=applicant_org,
        title="Study visit to Bergen",
        city="Bergen",
        region_name="Vestland",
    )
    application = ApplicationFactory(
        offer=offer, organisation=applicant_org, submitted_by=applicant_coordinator
    )
    ApplicationFactory(
        offer=vestland_offer,
        organisation=host_org,
        submitted_by=host_coordinator,
        status=Application.Status.ACCEPTED,
    )
    return {"offer": offer, "application": application}


def test_public_pages_have_no_serious_accessibility_violations(live_server, page, catalogue):
    offer = catalogue["offer"]
    _assert_accessible(
        page,
        live_server.url,
        [
            "/",
            "/offers/",
            offer.get_absolute_url(),
            "/partnership/",
            offer.organisation.get_absolute_url(),
            "/organisations/",
            "/organisations/?q=boras&rsp_members=on",
            "/accounts/login/",
            "/accounts/signup/",
            "/privacy/",
            "/help/",
        ],
    )


def test_pages_of_a_signed_in_coordinator_have_no_serious_accessibility_violations(
    live_server, page, new_context, catalogue, host_coordinator, applicant_coordinator
):
    offer, application = catalogue["offer"], catalogue["application"]
    force_sign_in(page.context, live_server.url, host_coordinator)
    _assert_accessible(
        page,
        live_server.url,
        [
            "/my/",  # with the getting-started checklist (no interest profile yet)
            "/accounts/profile/",
            "/accounts/profile/delete/",
            "/offers/new/",
            offer.get_absolute_url(),  # with the host's buttons
            f"/offers/{offer.pk}/applications/",
            application.get_absolute_url(),  # with the decision form
        ],
    )

    applicant_page = new_context().new_page()
    force_sign_in(applicant_page.context, live_server.url, applicant_coordinator)
    _assert_accessible(
        applicant_page,
        live_server.url,
        [
            f"/offers/{offer.pk}/apply/",
            application.get_absolute_url(),  # with the withdraw form
        ],
    )


def test_matching_pages_have_no_serious_accessibility_violations(
    live_server,
    page,
    new_context,
    catalogue,
    host_coordinator,
    applicant_org,
    applicant_coordinator,
):
    offer = catalogue["offer"]
    profile = InterestProfileFactory(organisation=applicant_org, name="NEET re-engagement")
    InterestProfileFactory(organisation=applicant_org, name="Study visits")
    matching.score_offer(offer.pk, alert=False)
    force_sign_in(page.context, live_server.url, host_coordinator)
    _assert_accessible(
        page,
        live_server.url,
        [
            offer.get_absolute_url(),  # with "Organisations that may be interested"
            f"/offers/{offer.pk}/applications/",  # ranked, with the reasons
        ],
    )

    applicant_page = new_context().new_page()
    force_sign_in(applicant_page.context, live_server.url, applicant_coordinator)
    _assert_accessible(
        applicant_page,
        live_server.url,
        [
            "/recommendations/",
            "/profiles/",
            "/profiles/new/",
            f"/profiles/{profile.pk}/edit/",
            f"/profiles/unsubscribe/{unsubscribe_token(profile)}/",
        ],
    )


def test_the_message_thread_and_the_unread_counts_have_no_serious_accessibility_violations(
    live_server, page, catalogue, host_coordinator, applicant_org, applicant_coordinator
):
    application = catalogue["application"]
    for body in ("Welcome! Which dates suit you?", "<b>Markup</b> stays text.\nA second line."):
        services.message_post(
            application=application,
            organisation=application.offer.organisation,
            acting_user=host_coordinator,
            body=body,
        )
    exchange = ExchangeFactory(
        application__offer=OfferFactory(organisation=application.offer.organisation),
        application__organisation=applicant_org,
    )
    services.message_post(
        application=exchange.application,
        organisation=applicant_org,
        acting_user=applicant_coordinator,
        body="We land on Sunday evening.",
    )
    force_sign_in(page.context, live_server.url, applicant_coordinator)
    _assert_accessible(
        page,
        live_server.url,
        [
            "/my/",  # with the unread messages and their counts
            application.get_absolute_url(),  # with the thread, its new messages and the form
            exchange.get_absolute_url(),  # the thread goes on on the exchange
        ],
    )


def test_call_round_pages_have_no_serious_accessibility_violations(
    live_server, page, new_context, catalogue, host_admin, applicant_coordinator
):
    offer, application = catalogue["offer"], catalogue["application"]
    call_round = CallRoundFactory(organiser=offer.organisation, offers=[offer], name="Spring round")
    round_entry(call_round, application)
    services.round_allocate(call_round=call_round, acting_user=host_admin)
    force_sign_in(page.context, live_server.url, host_admin)
    _assert_accessible(
        page,
        live_server.url,
        [
            "/rounds/",
            call_round.get_absolute_url(),
            "/rounds/new/",
            f"/rounds/{call_round.pk}/applicants/",
            f"/rounds/{call_round.pk}/proposal/",
        ],
    )

    applicant_page = new_context().new_page()
    force_sign_in(applicant_page.context, live_server.url, applicant_coordinator)
    _assert_accessible(applicant_page, live_server.url, [f"/rounds/{call_round.pk}/choices/"])
