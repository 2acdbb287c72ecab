"""The catalogue at scale: keyword search, facet counts, the capped count, the gone-filter
message, the cache, and the plans PostgreSQL chooses for the first page."""

import datetime
import re

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from exchanges import catalogue, selectors, services
from exchanges.filters import OfferFilter
from exchanges.models import Offer
from matchmaking import services as core_services
from matchmaking.search import TEXT_SEARCH_CONFIGS
from tests.factories import OfferFactory, OrganisationFactory, exchange_type, language, theme
from tests.pages import card_titles, text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("exchanges:offer_list")


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _options(response, name):
    """The options of the select ``name``: {value: the text shown}."""
    select = re.search(
        rf'<select name="{name}"[^>]*>(.*?)</select>', response.content.decode(), re.DOTALL
    )
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1)))


def _tick_label(response, name):
    match = re.search(
        rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', response.content.decode(), re.DOTALL
    )
    return " ".join(match.group(1).split())


# Search


@pytest.fixture
def hosts():
    return {
        "boras": OrganisationFactory(name="Borås Stad", country="SE", city="Borås"),
        "wroclaw": OrganisationFactory(
            name="Uniwersytet Wrocławski", country="PL", city="Wrocław", region_name="Dolnośląskie"
        ),
    }


@pytest.fixture
def searchable(hosts):
    return {
        "boras": OfferFactory(
            organisation=hosts["boras"],
            title="Job shadowing of guidance counsellors",
            city="Borås",
            published_at=_ago(2),
        ),
        "wroclaw": OfferFactory(
            organisation=hosts["wroclaw"],
            title="Study visit to a university's career office",
            description="Meet the career counsellors of a large university.",
            city="Wrocław",
            region_name="Dolnośląskie",
            published_at=_ago(1),
        ),
    }


BORAS = "Job shadowing of guidance counsellors"
WROCLAW = "Study visit to a university's career office"


@pytest.mark.parametrize(
    ("keywords", "expected"),
    [
        ("Boras", [BORAS]),
        ("borås", [BORAS]),
        ("BORÅS", [BORAS]),
        ("Wroclaw", [WROCLAW]),
        ("WROCŁAW", [WROCLAW]),
        ("wrocławski", [WROCLAW]),  # the host's name
        ("Uniwersytet", [WROCLAW]),
        ("Dolnoslaskie", [WROCLAW]),  # the host region
        ("stad guidance", [BORAS]),  # every word, from the host's name and the title
        ("counsellors", [BORAS, WROCLAW]),  # in the title, before the newer in a description
        ("guidance -shadowing", []),  # websearch syntax: a word left out
        ('"career office"', [WROCLAW]),  # a phrase
        ("astronauts", []),
    ],
)
def test_keywords_forgive_accents_and_case_and_find_the_hosts_name_and_city(
    client, searchable, keywords, expected
):
    response = client.get(LIST_URL, {"q": keywords})

    assert card_titles(response) == expected


def test_renaming_an_organisation_makes_its_offers_findable_by_the_new_name(
    client, searchable, hosts
):
    organisation = hosts["boras"]
    core_services.organisation_update(
        organisation=organisation,
        languages=list(organisation.languages.all()),
        name="Västra Götalandsregionen",
        city="Göteborg",
    )

    assert card_titles(client.get(LIST_URL, {"q": "vastra goteborg"})) == [BORAS]
    assert card_titles(client.get(LIST_URL, {"q": "Stad"})) == []


def test_a_swedish_offer_is_found_by_another_form_of_its_words(client, hosts):
    offer = OfferFactory(
        organisation=hosts["boras"],
        title="Studiebesök på våra yrkesskolor",
        description="Vi visar hur lärlingarna lär sig på arbetsplatsen.",
    )
    # The worker detects the text's language (exchanges.matching.vectors); the trigger stems
    # the text again in it.
    Offer.objects.filter(pk=offer.pk).update(text_language="sv")

    assert card_titles(client.get(LIST_URL, {"q": "yrkesskola"})) == [offer.title]
    assert card_titles(client.get(LIST_URL, {"q": "lärlingar arbetsplats"})) == [offer.title]


def test_without_a_known_language_an_offer_is_found_by_its_words_as_written(client, hosts):
    offer = OfferFactory(organisation=hosts["boras"], title="Studiebesök på våra yrkesskolor")

    assert card_titles(client.get(LIST_URL, {"q": "yrkesskolor"})) == [offer.title]
    assert card_titles(client.get(LIST_URL, {"q": "yrkesskola"})) == []


def test_a_title_match_comes_before_a_description_match_even_if_older(client):
    in_title = OfferFactory(
        title="Inclusion of learners with fewer opportunities",
        description="Two days with our teachers.",
        published_at=_ago(10),
    )
    in_description = OfferFactory(
        title="Two days with our teachers",
        description="We work on inclusion of learners with fewer opportunities.",
        published_at=_ago(1),
    )

    ranked = card_titles(client.get(LIST_URL, {"q": "inclusion"}))
    newest = card_titles(client.get(LIST_URL, {"q": "inclusion", "sort": "newest"}))

    assert ranked == [in_title.title, in_description.title]
    assert newest == [in_description.title, in_title.title]


def test_the_folding_search_sqlite_uses_finds_the_same_offers(searchable, monkeypatch):
    monkeypatch.setattr(catalogue, "_full_text_search", lambda alias: False)
    base = catalogue.catalogue_base()

    for keywords, expected in [("Boras", {BORAS}), ("wroclaw uniwersytet", {WROCLAW})]:
        assert {offer.title for offer in catalogue.search(base, keywords)} == expected


def test_the_database_stems_each_language_as_the_code_says():
    with connection.cursor() as cursor:
        cursor.execute("SELECT cfgname FROM pg_ts_config")
        available = {row[0] for row in cursor.fetchall()}
        for code, config in TEXT_SEARCH_CONFIGS.items():
            cursor.execute("SELECT exchanges_search_config(%s)::text", [code])
            assert cursor.fetchone()[0] == (config if config in available else "simple")
        for unknown in ("pl", "", None):
            cursor.execute("SELECT exchanges_search_config(%s)::text", [unknown])
            assert cursor.fetchone()[0] == "simple"


# Facet counts


@pytest.fixture
def counted():
    """Hand-counted: SE hosts 3 offers (2 job shadowing, 1 study visit), ES 1 study visit;
    inclusion on 3, green skills on 2; one offer's deadline has passed; one is for learners;
    a draft and a suspended host's offer count nowhere."""
    sweden = OrganisationFactory(country="SE")
    spain = OrganisationFactory(country="ES", rsp_member_since=datetime.date(2025, 1, 1))
    inclusion, green = theme("inclusion"), theme("green-skills")
    OfferFactory(organisation=sweden, themes=[inclusion, green], languages=[language("sv")])
    OfferFactory(organisation=sweden, themes=[inclusion], target_group=Offer.TargetGroup.LEARNERS)
    OfferFactory(
        organisation=sweden,
        exchange_type=exchange_type("study-visit"),
        themes=[green],
        available_from=timezone.localdate() - datetime.timedelta(days=5),
        application_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    OfferFactory(
        organisation=spain,
        exchange_type=exchange_type("study-visit"),
        themes=[inclusion],
        languages=[language("es"), language("en")],
        supports_fewer_opportunities=True,
        fewer_opportunities_support="A mentor.",
    )
    OfferFactory(organisation=sweden, status=Offer.Status.DRAFT, themes=[inclusion])
    suspended = OrganisationFactory(country="FR", is_suspended=True)
    OfferFactory(organisation=suspended, themes=[inclusion])


def test_each_filter_value_shows_how_many_offers_it_leaves(client, counted):
    response = client.get(LIST_URL)

    assert "4 offers" in text(response)
    types = _options(response, "exchange_type")
    assert types["job-shadowing"] == "Job shadowing (2)"
    assert types["study-visit"] == "Study visit (2)"
    assert types[""] == "Any type"
    themes = _options(response, "theme")
    assert themes["inclusion"] == "Inclusion (3)"
    assert themes["green-skills"] == "Green skills (2)"
    assert _options(response, "country") == {
        "": "Any country",
        "ES": "Spain (1)",
        "SE": "Sweden (3)",
    }
    languages = _options(response, "language")
    assert (languages["en"], languages["sv"], languages["es"]) == (
        "English (3)",
        "Swedish (1)",
        "Spanish (1)",
    )
    assert _options(response, "target_group")["learners"] == "Learners (1)"
    assert _options(response, "target_group")["staff"] == "Staff (3)"
    assert _tick_label(response, "open") == "Open for applications (3)"
    assert _tick_label(response, "rsp_members") == "RSP members only (1)"
    assert _tick_label(response, "fewer_opportunities") == (
        "Supports participants with fewer opportunities (1)"
    )


def test_a_value_is_counted_with_the_other_filters_applied(client, counted):
    response = client.get(LIST_URL, {"country": "SE", "theme": "inclusion"})

    assert "2 offers" in text(response)
    # Types and languages within Swedish offers about inclusion
    assert _options(response, "exchange_type")["job-shadowing"] == "Job shadowing (2)"
    assert _options(response, "exchange_type")["study-visit"] == "Study visit (0)"
    # Each filter's own values leave out that filter: other countries, other themes
    assert _options(response, "country")["ES"] == "Spain (1)"
    assert _options(response, "country")["SE"] == "Sweden (2)"
    assert _options(response, "theme")["green-skills"] == "Green skills (2)"


def test_publishing_an_offer_counts_it_at_once_despite_the_cache(
    client, counted, host_coordinator, django_capture_on_commit_callbacks
):
    client.get(LIST_URL)  # counted and kept in the cache
    draft = Offer.objects.get(status=Offer.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_publish(offer=draft, acting_user=host_coordinator)

    response = client.get(LIST_URL)

    assert "5 offers" in text(response)
    assert _options(response, "country")["SE"] == "Sweden (4)"


def test_without_a_service_the_cached_counts_wait_for_their_time(client, counted, settings):
    client.get(LIST_URL)
    Offer.objects.filter(status=Offer.Status.DRAFT).update(status=Offer.Status.PUBLISHED)

    assert "4 offers" in text(client.get(LIST_URL))
    settings.CATALOGUE_CACHE_SECONDS = 0
    assert "5 offers" in text(client.get(LIST_URL))


# The count past the cap, and pages


def test_past_the_cap_the_catalogue_says_more_than_and_pages_on(client, settings, monkeypatch):
    monkeypatch.setattr(catalogue, "COUNT_CAP", 3)
    settings.OFFERS_PER_PAGE = 2
    offers = [OfferFactory(published_at=_ago(n)) for n in range(6)]

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert "More than 3 offers" in text(first)
    assert "Page 1" in text(first) and "Page 1 of" not in text(first)
    assert 'href="?page=2" rel="next"' in first.content.decode()
    assert card_titles(second) == [offers[2].title, offers[3].title]
    assert _tick_label(first, "open") == "Open for applications (more than 3)"


def test_under_the_cap_the_count_is_exact(client, settings):
    for _ in range(3):
        OfferFactory()
    assert "3 offers" in text(client.get(LIST_URL))
    assert catalogue.capped_count(Offer.objects.all(), cap=2) == 3  # cap + 1: "more than"


# A filter value that no longer exists


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"theme": "retired-theme"},
            "The theme you chose no longer exists; showing offers of every theme.",
        ),
        (
            {"exchange_type": "space-travel"},
            "The exchange type you chose no longer exists; showing offers of every type.",
        ),
        (
            {"country": "FR"},
            "No offer comes from the country you chose any more; "
            "showing offers from every country.",
        ),
        (
            {"language": "tlh"},
            "The working language you chose no longer exists; showing offers in every language.",
        ),
        ({"dates_from": "someday"}, "“Available from” was left out: Enter a valid date."),
    ],
)
def test_a_filter_value_that_no_longer_exists_is_named_above_the_offers(
    client, counted, query, message
):
    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    page = text(response)
    assert message in page
    assert page.index(message) < page.index("4 offers")
    assert len(card_titles(response)) == 4


def test_valid_filters_say_nothing_of_the_kind(client, counted):
    response = client.get(LIST_URL, {"theme": "inclusion"})

    assert "no longer exists" not in text(response)
    assert 'class="alert alert-warning"' not in response.content.decode()


# Queries


@pytest.mark.parametrize("offers", [3, 30])
def test_the_catalogue_with_keywords_and_filters_runs_a_fixed_number_of_queries(
    client, settings, django_assert_num_queries, offers
):
    settings.OFFERS_PER_PAGE = 2
    for _ in range(offers):
        OfferFactory(themes=[theme("inclusion"), theme("green-skills")])
    query = {"q": "counsellors", "theme": "inclusion", "country": "SE"}

    # The chosen theme is looked up to check it; the first time, also the keywords' query,
    # the countries, the total, 5 facets and 3 ticks, the form's vocabularies (3), and the
    # page with its themes and languages (3).
    with django_assert_num_queries(18):
        client.get(LIST_URL, query)
    # The catalogue as rendered comes from the cache.
    with django_assert_num_queries(0):
        response = client.get(LIST_URL, query)
    # Another page: the same counts; the theme, the form's vocabularies, its own offers.
    with django_assert_num_queries(7):
        client.get(LIST_URL, {**query, "page": 2})

    assert len(card_titles(response)) == 2


@pytest.mark.parametrize("offers", [3, 30])
def test_the_home_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, offers):
    for _ in range(offers):
        OfferFactory()

    # The figures (3), the newest offers with their themes and languages, the case studies.
    with django_assert_num_queries(7):
        response = client.get("/")
    with django_assert_num_queries(0):  # all from the cache
        again = client.get("/")

    assert len(card_titles(response)) == min(offers, 6)
    assert card_titles(again) == card_titles(response)


def test_accepting_an_application_shows_a_full_offer_as_fully_booked_at_once(
    client, host_coordinator, host_org, django_capture_on_commit_callbacks
):
    from tests.factories import ApplicationFactory

    offer = OfferFactory(organisation=host_org, capacity=1)
    application = ApplicationFactory(offer=offer, participants=1)
    assert "Fully booked" not in text(client.get(LIST_URL))  # kept in the cache

    with django_capture_on_commit_callbacks(execute=True):
        services.application_accept(application=application, acting_user=host_coordinator)

    assert "Fully booked" in text(client.get(LIST_URL))


# Plans: no sequential scan of the offers for the first page

PLAN_ROWS = 5000


@pytest.fixture
def many_offers():
    """Enough offers that PostgreSQL's planner prefers an index where one serves."""
    organisations = [OrganisationFactory(country=code) for code in ("SE", "NO", "ES", "PL")]
    template = OfferFactory.build()
    job_shadowing = exchange_type("job-shadowing")
    now = timezone.now()
    Offer.objects.bulk_create(
        Offer(
            organisation=organisations[n % 4],
            title=f"Offer {n} about {'inclusion' if n % 100 == 0 else 'quality'}",
            exchange_type=job_shadowing,
            target_group=template.target_group,
            description=template.description,
            city=template.city,
            region_name=template.region_name,
            available_from=template.available_from,
            available_until=template.available_until,
            duration_days=template.duration_days,
            capacity=template.capacity,
            application_deadline=template.application_deadline,
            status=Offer.Status.PUBLISHED if n % 10 else Offer.Status.CLOSED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(PLAN_ROWS)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE exchanges_offer")
        cursor.execute("ANALYZE matchmaking_organisation")


def _page_plan(params):
    offer_filter = OfferFilter(QueryDict(params), queryset=catalogue.catalogue_base())
    return selectors.cards(offer_filter.qs)[:20].explain()


@pytest.mark.parametrize("params", ["", "sort=start", "page=50", "q=inclusion"])
def test_the_first_page_reads_the_offers_through_an_index(many_offers, params):
    plan = _page_plan(params)

    assert not re.search(r"Seq Scan on exchanges_offer\b", plan), plan
    assert "exchanges_offer" in plan


def test_keywords_are_looked_up_in_the_gin_index(many_offers):
    plan = _page_plan("q=inclusion")

    assert "offer_search" in plan, plan


def test_the_capped_count_reads_no_more_than_the_cap(many_offers, monkeypatch):
    monkeypatch.setattr(catalogue, "COUNT_CAP", 100)
    plan = catalogue.catalogue_base().order_by().values("pk")[: catalogue.COUNT_CAP + 1].explain()

    assert "Limit" in plan
    assert catalogue.capped_count(catalogue.catalogue_base()) == 101


def test_a_made_up_parameter_is_neither_kept_in_the_shared_page_nor_passed_on(client, settings):
    settings.OFFERS_PER_PAGE = 1
    OfferFactory.create_batch(2)

    first = client.get(reverse("exchanges:offer_list"), {"utm_source": "newsletter"})
    second = client.get(reverse("exchanges:offer_list"))

    # The pages' links carry the catalogue's parameters only (the language switcher, outside
    # the shared body, returns the visitor to the address they came by).
    links = re.findall(r'href="([^"]*page=2[^"]*)"', first.content.decode())
    assert links and not [link for link in links if "utm_source" in link]
    assert "utm_source" not in second.content.decode()
