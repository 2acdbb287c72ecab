"""From exchange to good practice through the UI: both sides write their follow-up, the
secretariat publishes the case study in the Django admin, and a visitor finds it in the
library with a filter — with the consented quote and without the other one."""

import datetime
import os
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from exchanges import services
from exchanges.models import CaseStudy, Exchange
from tests.browser.helpers import sign_in
from tests.factories import (
    ApplicationFactory,
    CaseStudyFactory,
    ExchangeFactory,
    OfferFactory,
    OrganisationFactory,
    theme,
)
from tests.second_factor import sign_in_to_the_admin

# The ORM runs in the test thread while Playwright's event loop is alive there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.browser

TITLE = "Job shadowing with the Multicompetent Team"
# The offer's title already names its type, so the case study keeps it as it is.
CASE_STUDY_TITLE = TITLE
HOST_LESSON = "Gained valuable insight into the Norwegian NAV system and multi-level cooperation."
PARTICIPANT_LESSON = (
    "Discovered innovative person-centred methods in Borås, such as motivational interviews "
    "and ACT guidance."
)
WALLER_SAYS = (
    "We were very pleased to host Vestland and show how we support individuals who are "
    "furthest from the labour market."
)
INGRID_SAYS = "We left Borås full of ideas."
UNCONSENTED = "I would rather not be quoted by name."


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _label(text):
    """A field's label as crispy renders it, with or without the required asterisk."""
    return re.compile(rf"^\s*{re.escape(text)}\s*\*?\s*$")


@pytest.fixture
def past_exchange(host_org, host_coordinator, applicant_org):
    """Borås hosted Vestland 10 and 9 days ago; still planned, no follow-up yet."""
    offer = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        title=TITLE,
        available_from=_days(-10),
        available_until=_days(-5),
        application_deadline=_days(-20),
        themes=[theme("inclusion"), theme("neet-re-engagement")],
    )
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        participants=3,
        preferred_start=_days(-10),
        preferred_end=_days(-9),
    )
    services.application_accept(application=application, acting_user=host_coordinator)
    return Exchange.objects.get(application=application)


@pytest.fixture
def another_case_study(db):
    """Published already, between two organisations of other countries."""
    host = OrganisationFactory(name="Barcelona Activa", country="ES", city="Barcelona")
    sender = OrganisationFactory(name="Regione Emilia-Romagna", country="IT", city="Bologna")
    application = ApplicationFactory(
        offer=OfferFactory(organisation=host), organisation=sender, status="accepted"
    )
    return CaseStudyFactory(
        exchange=ExchangeFactory(application=application),
        title="Study visit: green skills in Barcelona",
        status=CaseStudy.Status.PUBLISHED,
        theme=theme("green-skills"),
    )


def _write_follow_up(page, base, user, *, account, lessons_label, lessons, next_steps, quotes):
    sign_in(page, base, user)
    page.get_by_role("region", name="Our exchanges").get_by_role("link", name=TITLE).click()
    page.get_by_role("link", name="Follow-up", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Follow-up of “{TITLE}”")
    page.get_by_label(_label("The exchange")).fill(account)
    page.get_by_label(_label(lessons_label)).fill(lessons)
    page.get_by_label(_label("What we will do next")).fill(next_steps)
    page.get_by_label("We would like a reciprocal visit").check()
    for number, quote in enumerate(quotes, start=1):
        group = page.get_by_role("group", name=f"Quote {number}", exact=True)
        group.get_by_label(_label("Name")).fill(quote["name"])
        group.get_by_label(_label("Role")).fill(quote["role"])
        group.get_by_label(_label("Organisation")).fill(quote["organisation"])
        group.get_by_label(_label("Quote")).fill(quote["text"])
        if quote["consent"]:
            group.get_by_label("This person agreed to have the quote published").check()
            group.get_by_label("Show it in the case study").check()
    page.get_by_role("button", name="Save the follow-up").click()
    expect(page.get_by_role("status")).to_contain_text("Thank you: your follow-up is saved.")


def test_both_sides_follow_up_the_secretariat_publishes_and_a_visitor_finds_it_by_country(
    live_server,
    page,
    new_context,
    past_exchange,
    another_case_study,
    host_coordinator,
    applicant_coordinator,
    secretariat,
    mailoutbox,
):
    base = live_server.url
    exchange_url = f"{base}/exchanges/{past_exchange.pk}/"

    # --- Borås writes the host's follow-up, with a consented quote and one without consent.
    _write_follow_up(
        page,
        base,
        host_coordinator,
        account="We showed how our Multicompetent Team supports people furthest from work.",
        lessons_label="Lessons learnt by the hosting institution",
        lessons="Identified shared challenges in skills matching.\n" + HOST_LESSON,
        next_steps="We hope to visit Vestland in the near future.",
        quotes=[
            {
                "name": "Nicholas Waller",
                "role": "International Coordinator",
                "organisation": "Borås Stad (Sweden)",
                "text": WALLER_SAYS,
                "consent": True,
            },
            {
                "name": "Anna Berg",
                "role": "Job coach",
                "organisation": "Borås Stad",
                "text": UNCONSENTED,
                "consent": False,
            },
        ],
    )
    expect(page).to_have_url(exchange_url)

    # --- Vestland writes the participants' follow-up.
    applicant = new_context().new_page()
    _write_follow_up(
        applicant,
        base,
        applicant_coordinator,
        account="Our advisors observed real follow-up meetings.",
        lessons_label="Lessons learnt by the participants",
        lessons=PARTICIPANT_LESSON + "\nInspired to improve inter-agency information flow.",
        next_steps="Introduce motivational interviews and mapping with NAV.",
        quotes=[
            {
                "name": "Ingrid Hillestad Bårgard",
                "role": "Advisor",
                "organisation": "Vestland County Council (Norway)",
                "text": INGRID_SAYS,
                "consent": True,
            }
        ],
    )
    expect(
        applicant.get_by_text("the EARLALL secretariat is reviewing the case study")
    ).to_be_visible()
    # Not in the library until it is published.
    visitor = new_context().new_page()
    visitor.goto(f"{base}/case-studies/")
    expect(visitor.get_by_role("heading", name="1 case study", exact=True)).to_be_visible()
    expect(visitor.get_by_role("link", name=CASE_STUDY_TITLE)).to_have_count(0)

    # --- The secretariat publishes the draft in the Django admin.
    admin = new_context().new_page()
    sign_in_to_the_admin(admin, base, secretariat, next_path="/admin/exchanges/casestudy/")
    expect(admin.get_by_role("heading", level=1)).to_contain_text("case stud")
    admin.get_by_role("checkbox", name=re.compile(re.escape(CASE_STUDY_TITLE))).check()
    admin.get_by_role("combobox", name="Action").select_option(
        label="Publish the selected case studies"
    )
    admin.get_by_role("button", name=re.compile("Go|Run")).click()
    expect(admin.locator(".messagelist")).to_contain_text(
        "1 case study published; both organisations have been told."
    )
    published = CaseStudy.objects.published().get(exchange=past_exchange)
    assert published.published_by == secretariat
    subject = f"Published: the case study “{CASE_STUDY_TITLE}”"
    assert sorted((m.to[0], m.subject) for m in mailoutbox if m.subject == subject) == sorted(
        [(host_coordinator.email, subject), (applicant_coordinator.email, subject)]
    )

    # --- A visitor finds it in the library by the sending organisation's country.
    visitor.goto(f"{base}/case-studies/")
    expect(visitor.get_by_role("heading", name="2 case studies")).to_be_visible()
    visitor.get_by_label("Country of either organisation").select_option(label="Norway")
    visitor.get_by_role("button", name="Show case studies").click()
    expect(visitor).to_have_url(re.compile(r"/case-studies/\?.*country=NO"))
    expect(visitor.get_by_role("heading", name="1 case study", exact=True)).to_be_visible()
    expect(visitor.get_by_role("link", name=another_case_study.title)).to_have_count(0)
    visitor.get_by_role("link", name=CASE_STUDY_TITLE).click()

    expect(visitor).to_have_url(f"{base}/case-studies/{published.slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text(CASE_STUDY_TITLE)
    receiving = visitor.get_by_role("region", name="Receiving organisation")
    expect(receiving).to_contain_text("Borås Stad")
    expect(receiving).to_contain_text("Sweden")
    sending = visitor.get_by_role("region", name="Sending organisation")
    expect(sending).to_contain_text("Vestland fylkeskommune")
    expect(sending).to_contain_text("Norway")
    lessons = visitor.get_by_role("region", name="Lessons learnt")
    expect(lessons.get_by_role("region", name="Hosting institution:")).to_contain_text(HOST_LESSON)
    expect(lessons.get_by_role("region", name="Participants:")).to_contain_text(PARTICIPANT_LESSON)
    says = visitor.get_by_role("region", name="What do the participants say?")
    expect(says).to_contain_text("Nicholas Waller")
    expect(says).to_contain_text(WALLER_SAYS)
    expect(says).to_contain_text("Ingrid Hillestad Bårgard")
    expect(says).to_contain_text(INGRID_SAYS)
    expect(visitor.get_by_text(UNCONSENTED)).to_have_count(0)
    expect(visitor.get_by_text("Anna Berg")).to_have_count(0)
