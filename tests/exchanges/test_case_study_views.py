"""The good-practice library and the case-study page in the seed's layout; each organisation's
public profile listing its completed exchanges and published case studies."""

import datetime
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import CaseStudy, Exchange, FewerOpportunityCount
from exchanges.views import case_studies as case_study_views
from matchmaking.models import FewerOpportunityCategory
from tests.factories import (
    ApplicationFactory,
    CaseStudyFactory,
    ExchangeFactory,
    OfferFactory,
    OrganisationFactory,
    exchange_type,
    theme,
)
from tests.pages import field_error, heading, text
from tests.partnership.images import png

pytestmark = pytest.mark.django_db

LIBRARY_URL = reverse("exchanges:case_study_list")

# The seed's story (../shared/seed/000_fe1137427a79b48e.txt), as the two sides write it.
HOST_ACCOUNT = (
    "The job shadowing focused on creating inclusive pathways to re-engage those outside "
    "education and employment.\n\nFollowing the match, the institutions began preparing for the "
    "visit on 12-13 May 2025."
)
SENDING_ACCOUNT = (
    "The programme offered valuable insight into Borås' inclusive employment strategies. "
    "Vestland participants observed real follow-up meetings."
)
HOST_LESSONS = (
    "- Identified shared challenges in skills matching and inclusive education across regions.\n"
    "- Gained valuable insight into the Norwegian NAV system and multi-level cooperation.\n"
    "- Strengthened interest in reciprocal job shadowing opportunities with Vestland."
)
PARTICIPANT_LESSONS = (
    "- Discovered innovative person-centred methods in Borås, such as motivational interviews "
    "and ACT guidance.\n"
    "- Inspired to improve inter-agency information flow and coordination in regional projects.\n"
    "- Identified clear potential for future collaboration, including opportunities for schools "
    "to participate."
)
NEXT_STEPS = (
    "Following the exchange, the Vestland team is already exploring how to adapt several "
    "aspects of Borås' approach in their own regional context."
)
NICHOLAS = {
    "person_name": "Nicholas Waller",
    "role": "International Coordinator, Working Life Department",
    "organisation_name": "Borås Stad (Sweden)",
    "text": "We were very pleased to host Vestland and show how we support individuals who are "
    "furthest from the labour market.",
    "consent": True,
    "public": True,
}
INGRID = {
    "person_name": "Ingrid Hillestad Bårgard",
    "role": "Advisor, Section for Quality in Education",
    "organisation_name": "Vestland County Council (Norway)",
    "text": "We left Borås full of ideas.",
    "consent": True,
    "public": True,
}
NOT_CONSENTED = {
    "person_name": "Ola Nordmann",
    "role": "Advisor",
    "organisation_name": "Vestland County Council (Norway)",
    "text": "Please do not quote me on this.",
    "consent": False,
    "public": False,
}
CONSENTED_NOT_PUBLIC = {
    **NOT_CONSENTED,
    "person_name": "Kari Nordmann",
    "consent": True,
    "text": "Kept for the partners only.",
}


@pytest.fixture
def draft(host_org, applicant_org, host_coordinator, applicant_coordinator, settings, tmp_path):
    """Borås hosted Vestland on 12–13 May 2025; both sides wrote their follow-up."""
    settings.MEDIA_ROOT = tmp_path
    host_org.logo = png("boras.png")
    host_org.rsp_member_since = datetime.date(2024, 9, 17)
    host_org.save()
    offer = OfferFactory(
        organisation=host_org,
        title="reintegrating individuals into education and work",
        exchange_type=exchange_type("job-shadowing"),
        themes=[theme("neet-re-engagement"), theme("inter-agency-cooperation")],
        available_from=datetime.date(2025, 5, 12),
        available_until=datetime.date(2025, 5, 13),
        application_deadline=datetime.date(2025, 4, 30),
        duration_days=Decimal("1.5"),
    )
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        participants=3,
        preferred_start=datetime.date(2025, 5, 12),
        preferred_end=datetime.date(2025, 5, 13),
    )
    services.application_accept(application=application, acting_user=host_coordinator)
    exchange = Exchange.objects.get(application=application)
    services.exchange_complete(exchange=exchange, acting_user=host_coordinator)
    services.follow_up_submit(
        exchange=exchange,
        organisation=host_org,
        acting_user=host_coordinator,
        account=HOST_ACCOUNT,
        lessons=HOST_LESSONS,
        next_steps="",
        wants_reciprocal_visit=True,
        quotes=[NICHOLAS],
    )
    services.follow_up_submit(
        exchange=exchange,
        organisation=applicant_org,
        acting_user=applicant_coordinator,
        account=SENDING_ACCOUNT,
        lessons=PARTICIPANT_LESSONS,
        next_steps=NEXT_STEPS,
        wants_reciprocal_visit=False,
        quotes=[INGRID, NOT_CONSENTED, CONSENTED_NOT_PUBLIC],
    )
    return CaseStudy.objects.get(exchange=exchange)


@pytest.fixture
def published(draft, secretariat):
    return services.case_study_publish(case_study=draft, acting_user=secretariat)


def _in_order(page, *parts):
    """Whether the parts appear in the page's text one after the other, in this order."""
    position = 0
    for part in parts:
        found = page.find(part, position)
        if found < 0:
            return part
        position = found + len(part)
    return None


# case_study_detail


def test_the_case_study_page_follows_the_seed_s_layout(client, published):
    response = client.get(published.get_absolute_url())

    page = text(response)
    content = response.content.decode()
    assert response.status_code == 200
    assert heading(response) == "Job shadowing: reintegrating individuals into education and work"
    assert content.count("<h1") == 1
    missing = _in_order(
        page,
        "Mobility Matchmaking Tool",
        "Pact for Skills – Regional Skills Partnership for Lifelong Learning Mobility",
        "Job shadowing: reintegrating individuals into education and work",
        "Theme: NEET re-engagement",
        "Receiving organisation Borås Stad (Sweden) RSP member",
        "Sending organisation Vestland fylkeskommune (Norway)",
        "Duration 1.5 days May 2025",
        "The exchange The job shadowing focused on creating inclusive pathways",
        "Following the match, the institutions began preparing for the visit on 12-13 May 2025.",
        "The programme offered valuable insight into Borås' inclusive employment strategies.",
        "Lessons learnt Hosting institution: Identified shared challenges in skills matching",
        "Gained valuable insight into the Norwegian NAV system and multi-level cooperation.",
        "Strengthened interest in reciprocal job shadowing opportunities with Vestland.",
        "Participants: Discovered innovative person-centred methods in Borås",
        "Inspired to improve inter-agency information flow",
        "Identified clear potential for future collaboration",
        "What do the participants say? Nicholas Waller International Coordinator, Working Life "
        "Department Borås Stad (Sweden) “We were very pleased to host Vestland",
        "Ingrid Hillestad Bårgard Advisor, Section for Quality in Education Vestland County "
        "Council (Norway) “We left Borås full of ideas.”",
        "Next steps Following the exchange, the Vestland team is already exploring",
        "Join the Regional Skills Partnership for Lifelong Learning Mobility",
    )
    assert missing is None, f"not found in its place: {missing!r}"


def test_the_case_study_shows_only_quotes_that_are_public_and_consented(client, published):
    response = client.get(published.get_absolute_url())

    content = response.content.decode()
    assert "Ola Nordmann" not in content
    assert "Please do not quote me on this." not in content
    assert "Kari Nordmann" not in content
    assert content.count("<blockquote") == 2
    assert content.count("<figcaption>") == 2


def test_the_case_study_lists_the_lessons_without_their_bullets(client, published):
    content = client.get(published.get_absolute_url()).content.decode()

    assert "<li>Identified shared challenges in skills matching" in content
    assert "<li>Discovered innovative person-centred methods" in content
    assert "<li>- " not in content


def test_the_case_study_shows_a_logo_only_for_an_organisation_that_has_one(client, published):
    content = client.get(published.get_absolute_url()).content.decode()

    logos = re.findall(r'<img class="case-study-logo[^"]*" src="([^"]+)" alt="([^"]+)"', content)
    assert len(logos) == 1
    assert logos[0][0].startswith("/media/logos/boras")
    assert logos[0][1] == "Logo of Borås Stad"
    assert content.count("RSP member") == 1  # Borås is a member, Vestland is not


def test_the_case_study_links_to_the_partnership_and_prints_cleanly(client, published):
    content = client.get(published.get_absolute_url()).content.decode()

    assert f'href="{reverse("partnership:about")}"' in content
    assert re.search(r'<link rel="stylesheet" href="[^"]*css/print\.css" media="print">', content)


def test_the_print_stylesheet_hides_the_site_and_keeps_quotes_whole():
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/print.css")).read_text(encoding="utf-8")

    assert "@page" in css
    assert re.search(r"\.site-header, footer, nav,[^{]*\{ display: none !important; \}", css)
    assert re.search(r"\.case-study-quote, blockquote[^{]*\{\s*break-inside: avoid;", css)


@pytest.mark.parametrize("persona", [None, "host_coordinator", "applicant_coordinator", "outsider"])
def test_a_draft_case_study_is_not_found_for_the_public_or_the_partners(
    request, client, login, draft, persona
):
    visitor = login(request.getfixturevalue(persona)) if persona else client

    assert visitor.get(draft.get_absolute_url()).status_code == 404


def test_the_secretariat_reviews_a_draft_on_its_page(login, draft, secretariat):
    response = login(secretariat).get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "Draft, in review: only the secretariat sees this page" in text(response)
    assert reverse("admin:exchanges_casestudy_change", args=[draft.pk]) in (
        response.content.decode()
    )


def test_an_unknown_case_study_is_not_found(client):
    assert client.get(reverse("exchanges:case_study_detail", args=["atlantis"])).status_code == 404


def test_the_case_study_page_refuses_post(client, published):
    assert client.post(published.get_absolute_url()).status_code == 405


# case_study_list


def _case_study(
    title,
    *,
    host_country,
    sender_country,
    kind,
    case_theme,
    offer_themes,
    summary,
    counts=(),
    days_ago,
    status=CaseStudy.Status.PUBLISHED,
):
    exchange = ExchangeFactory(
        application__offer__organisation=OrganisationFactory(country=host_country),
        application__offer__exchange_type=exchange_type(kind),
        application__offer__themes=[theme(slug) for slug in offer_themes],
        application__organisation=OrganisationFactory(country=sender_country),
        application__participants=3,
        fewer_opportunity_participants=2,
    )
    for slug, count in counts:
        FewerOpportunityCount.objects.create(
            exchange=exchange, category=FewerOpportunityCategory.objects.get(slug=slug), count=count
        )
    return CaseStudyFactory(
        exchange=exchange,
        title=title,
        summary=summary,
        status=status,
        theme=theme(case_theme) if case_theme else None,
        published_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


BORAS = "Job shadowing: reintegrating individuals into education and work"
BARCELONA = "Study visit: digital skills for adult educators"
BERGEN = "VET learners at a shipyard"


@pytest.fixture
def library(db):
    """Three published case studies that differ in every way the library filters on, and a
    draft. Newest first: Bergen, Barcelona, Borås."""
    return {
        "boras": _case_study(
            BORAS,
            host_country="SE",
            sender_country="NO",
            kind="job-shadowing",
            case_theme="neet-re-engagement",
            offer_themes=["neet-re-engagement"],
            summary="Motivational interviews and ACT guidance.",
            counts=[("economic-barriers", 1)],
            days_ago=3,
        ),
        "barcelona": _case_study(
            BARCELONA,
            host_country="ES",
            sender_country="IT",
            kind="study-visit",
            case_theme="digital-skills",
            offer_themes=["digital-skills"],
            summary="Coding clubs for adults in libraries.",
            days_ago=2,
        ),
        "bergen": _case_study(
            BERGEN,
            host_country="NO",
            sender_country="FI",
            kind="vet-learner",
            case_theme=None,
            offer_themes=["work-based-learning", "green-skills"],
            summary="Welding apprentices on a wind-farm vessel.",
            counts=[("geographical-barriers", 2)],
            days_ago=1,
        ),
        "draft": _case_study(
            "A draft from Germany",
            host_country="DE",
            sender_country="AT",
            kind="study-visit",
            case_theme="digital-skills",
            offer_themes=["digital-skills"],
            summary="Not yet.",
            days_ago=0,
            status=CaseStudy.Status.DRAFT,
        ),
    }


def _titles(response):
    return re.findall(
        r'<h3 class="card-title h5"><a href="[^"]*">(.*?)</a></h3>', response.content.decode()
    )


def test_the_library_shows_published_case_studies_newest_first_to_anyone(client, library):
    response = client.get(LIBRARY_URL)

    assert response.status_code == 200
    assert heading(response) == "Good-practice library"
    assert _titles(response) == [BERGEN, BARCELONA, BORAS]
    assert "3 case studies" in text(response)
    assert "Job shadowing · NEET re-engagement" in text(response)
    assert library["boras"].get_absolute_url() in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"exchange_type": "study-visit"}, [BARCELONA]),
        ({"exchange_type": "job-shadowing"}, [BORAS]),
        ({"theme": "digital-skills"}, [BARCELONA]),
        # The case study's main theme, or any theme of its offer.
        ({"theme": "green-skills"}, [BERGEN]),
        ({"country": "NO"}, [BERGEN, BORAS]),  # host in one, sender in the other
        ({"country": "IT"}, [BARCELONA]),
        ({"fewer_opportunities": "economic-barriers"}, [BORAS]),
        ({"fewer_opportunities": "geographical-barriers"}, [BERGEN]),
        ({"fewer_opportunities": "disabilities"}, []),
        ({"q": "coding"}, [BARCELONA]),
        ({"q": "JOB shadowing"}, [BORAS]),
        ({"q": "welding wind-farm"}, [BERGEN]),
        ({"q": "welding coding"}, []),
        ({"country": "NO", "exchange_type": "vet-learner"}, [BERGEN]),
    ],
)
def test_the_library_filters_case_studies(client, library, query, expected):
    response = client.get(LIBRARY_URL, query)

    assert response.status_code == 200
    assert _titles(response) == expected


def test_the_library_offers_only_the_countries_of_published_case_studies(client, library):
    response = client.get(LIBRARY_URL, {"country": "DE"})

    options = re.findall(r'<option value="([A-Z]{2})"', response.content.decode())
    assert options == ["FI", "IT", "NO", "ES", "SE"]  # by name: Finland, Italy, Norway, …
    assert field_error(response, "country") == (
        "Select a valid choice. DE is not one of the available choices."
    )


def test_the_library_says_so_when_nothing_matches(client, library):
    response = client.get(LIBRARY_URL, {"q": "astronauts"})

    assert "0 case studies" in text(response)
    assert "No case study matches these filters." in text(response)


def test_the_library_pages_through_case_studies_and_keeps_the_filters(client, library, monkeypatch):
    monkeypatch.setattr(case_study_views, "CASE_STUDIES_PER_PAGE", 2)

    first = client.get(LIBRARY_URL)
    second = client.get(LIBRARY_URL, {"page": 2})
    filtered = client.get(LIBRARY_URL, {"q": "a", "page": 1})

    assert _titles(first) == [BERGEN, BARCELONA]
    assert _titles(second) == [BORAS]
    assert "Page 2 of 2" in text(second)
    assert "?q=a&amp;page=2" in filtered.content.decode()


def test_the_library_refuses_post(client):
    assert client.post(LIBRARY_URL).status_code == 405


# The countries with case studies, the filter form's vocabularies (exchange types, themes,
# fewer-opportunity categories), the count, and the page of case studies with their exchanges,
# organisations, offers and themes (joined).
LIBRARY_QUERIES = 6


@pytest.mark.parametrize("case_studies", [2, 12])
def test_the_library_runs_the_same_number_of_queries_for_any_number_of_case_studies(
    client, django_assert_num_queries, case_studies
):
    for n in range(case_studies):
        _case_study(
            f"Case study {n}",
            host_country="SE",
            sender_country="NO",
            kind="job-shadowing",
            case_theme="inclusion",
            offer_themes=["inclusion"],
            summary="…",
            days_ago=n,
            counts=[("economic-barriers", 1)],
        )

    with django_assert_num_queries(LIBRARY_QUERIES):
        response = client.get(LIBRARY_URL)

    assert len(_titles(response)) == case_studies


# The organisation's public profile


def test_an_organisation_s_profile_lists_its_completed_exchanges_and_published_case_studies(
    client, published, host_org, applicant_org, host_coordinator
):
    planned = ExchangeFactory(
        application__offer__organisation=host_org, application__offer__title="Planned visit"
    )
    draft_elsewhere = CaseStudyFactory(
        exchange__application__offer__organisation=host_org, title="Not yet public"
    )

    host_page = text(client.get(reverse("organisation_detail", args=[host_org.slug])))
    sender_page = text(client.get(reverse("organisation_detail", args=[applicant_org.slug])))

    assert (
        "Completed exchanges reintegrating individuals into education and work (Job shadowing): "
        "hosted Vestland fylkeskommune (Norway), May 2025" in host_page
    )
    assert (
        "Completed exchanges reintegrating individuals into education and work (Job shadowing): "
        "visited Borås Stad (Sweden), May 2025" in sender_page
    )
    for page in (host_page, sender_page):
        assert (
            "Case studies Job shadowing: reintegrating individuals into education and work "
            "— Borås Stad · Vestland fylkeskommune, May 2025" in page
        )
    exchanges_section = host_page[host_page.index("Completed exchanges") :]
    assert planned.offer.title not in exchanges_section
    assert draft_elsewhere.title not in exchanges_section


def test_an_organisation_without_exchanges_says_so(client, host_org):
    page = text(client.get(reverse("organisation_detail", args=[host_org.slug])))

    assert "No completed exchanges yet." in page
    assert "No published case studies yet." in page
