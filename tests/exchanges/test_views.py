import datetime
import re

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from exchanges.models import Application, ApplicationHistory, Exchange, Offer
from matchmaking.models import FieldOfEducation
from tests.factories import (
    ApplicationFactory,
    ExchangeFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
    exchange_type,
    language,
    theme,
)
from tests.pages import card_titles, field_error, heading, login_url, submission_token, text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("exchanges:offer_list")
CREATE_URL = reverse("exchanges:offer_create")
DESK_URL = reverse("desk")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _suspend(organisation):
    organisation.is_suspended = True
    organisation.suspension_reason = "Spam offers."
    organisation.save()


DATE_FIELDS = {
    "available_from",
    "available_until",
    "application_deadline",
    "preferred_start",
    "preferred_end",
}


def _dated(data):
    """Form data in which a date given as a whole number means that many days from today."""
    return {
        key: _days(value).isoformat() if key in DATE_FIELDS and isinstance(value, int) else value
        for key, value in data.items()
    }


def _url(name, obj):
    return reverse(f"exchanges:{name}", args=[obj.pk])


# offer_list


@pytest.fixture
def catalogue(host_org, applicant_org):
    """Three published offers that differ in every way the catalogue filters on.

    ``guidance`` is the oldest, ``digital`` the newest; ``digital``'s deadline has passed.
    """
    barcelona = OrganisationFactory(name="Barcelona Activa", country="ES", city="Barcelona")
    now = timezone.now()
    return {
        "guidance": OfferFactory(
            organisation=host_org,
            title="Guidance counselling in Borås",
            exchange_type=exchange_type("job-shadowing"),
            themes=[theme("inclusion")],
            languages=[language("en")],
            target_group=Offer.TargetGroup.STAFF,
            available_from=_days(30),
            available_until=_days(60),
            application_deadline=_days(5),
            published_at=now - datetime.timedelta(days=3),
        ),
        "apprentices": OfferFactory(
            organisation=applicant_org,
            title="Apprentices at a shipyard",
            description="Two weeks of welding in Bergen for VET learners.",
            city="Bergen",
            region_name="Vestland",
            exchange_type=exchange_type("vet-learner"),
            themes=[theme("work-based-learning")],
            languages=[language("no")],
            target_group=Offer.TargetGroup.LEARNERS,
            available_from=_days(90),
            available_until=_days(120),
            application_deadline=_days(10),
            supports_fewer_opportunities=True,
            fewer_opportunities_support="A mentor follows each learner.",
            published_at=now - datetime.timedelta(days=2),
        ),
        "digital": OfferFactory(
            organisation=barcelona,
            title="Digital skills for adult educators",
            city="Barcelona",
            exchange_type=exchange_type("study-visit"),
            themes=[theme("digital-skills")],
            languages=[language("es"), language("en")],
            target_group=Offer.TargetGroup.STAFF,
            available_from=_days(5),
            available_until=_days(15),
            application_deadline=_days(-1),
            published_at=now - datetime.timedelta(days=1),
        ),
    }


GUIDANCE = "Guidance counselling in Borås"
APPRENTICES = "Apprentices at a shipyard"
DIGITAL = "Digital skills for adult educators"


def test_the_catalogue_shows_published_offers_newest_first_to_anyone(client, catalogue):
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert card_titles(response) == [DIGITAL, APPRENTICES, GUIDANCE]
    assert "3 offers" in text(response)
    assert "Barcelona Activa — Barcelona, Spain" in text(response)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"exchange_type": "vet-learner"}, [APPRENTICES]),
        ({"theme": "digital-skills"}, [DIGITAL]),
        ({"country": "NO"}, [APPRENTICES]),
        ({"language": "en"}, [DIGITAL, GUIDANCE]),
        ({"language": "es"}, [DIGITAL]),
        ({"target_group": "learners"}, [APPRENTICES]),
        # An offer matches when its window overlaps the dates asked for.
        ({"dates_from": 70}, [APPRENTICES]),
        ({"dates_until": 20}, [DIGITAL]),
        ({"dates_from": 40, "dates_until": 50}, [GUIDANCE]),
        ({"dates_from": 60, "dates_until": 60}, [GUIDANCE]),
        ({"fewer_opportunities": "on"}, [APPRENTICES]),
        ({"open": "on"}, [APPRENTICES, GUIDANCE]),
        ({"q": "bergen"}, [APPRENTICES]),
        ({"q": "welding shipyard"}, [APPRENTICES]),
        ({"q": "welding Borås"}, []),
        ({"sort": "newest"}, [DIGITAL, APPRENTICES, GUIDANCE]),
        ({"sort": "deadline"}, [DIGITAL, GUIDANCE, APPRENTICES]),
        ({"sort": "start"}, [DIGITAL, GUIDANCE, APPRENTICES]),
        ({"open": "on", "sort": "deadline"}, [GUIDANCE, APPRENTICES]),
        ({"language": "en", "country": "SE"}, [GUIDANCE]),
    ],
)
def test_the_catalogue_filters_and_sorts_offers(client, catalogue, query, expected):
    query = {
        key: _days(value).isoformat() if key.startswith("dates_") else value
        for key, value in query.items()
    }

    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert card_titles(response) == expected


def test_the_catalogue_counts_one_offer_in_the_singular(client, catalogue):
    response = client.get(LIST_URL, {"country": "NO"})

    assert re.search(r"\b1 offer\b", text(response))


def test_the_catalogue_says_so_when_nothing_matches(client, catalogue):
    response = client.get(LIST_URL, {"q": "astronauts"})

    assert "0 offers" in text(response)
    assert "No offer matches these filters." in text(response)


def test_the_catalogue_shows_a_bad_filter_value_instead_of_failing(client, catalogue):
    response = client.get(LIST_URL, {"exchange_type": "space-travel"})

    assert response.status_code == 200
    assert field_error(response, "exchange_type") == (
        "Select a valid choice. That choice is not one of the available choices."
    )


def test_the_catalogue_leaves_out_drafts_closed_archived_and_suspended_hosts_offers(
    client, catalogue, host_org
):
    for status in (Offer.Status.DRAFT, Offer.Status.CLOSED, Offer.Status.ARCHIVED):
        OfferFactory(organisation=host_org, title=f"A {status} offer", status=status)
    suspended = OrganisationFactory(name="Spam Ltd")
    OfferFactory(organisation=suspended, title="Buy our courses")
    _suspend(suspended)

    response = client.get(LIST_URL)

    assert card_titles(response) == [DIGITAL, APPRENTICES, GUIDANCE]
    assert "3 offers" in text(response)


def test_the_catalogue_pages_through_offers_and_keeps_the_filters(client, catalogue, settings):
    settings.OFFERS_PER_PAGE = 2

    first = client.get(LIST_URL, {"sort": "start"})
    second = client.get(LIST_URL, {"sort": "start", "page": 2})

    assert card_titles(first) == [DIGITAL, GUIDANCE]
    assert "3 offers" in text(first)
    assert "Page 1 of 2" in text(first)
    assert 'href="?sort=start&amp;page=2" rel="next"' in first.content.decode()
    assert card_titles(second) == [APPRENTICES]
    assert "Page 2 of 2" in text(second)


def test_the_catalogue_shows_the_last_page_for_a_page_number_too_high(client, catalogue, settings):
    settings.OFFERS_PER_PAGE = 2

    response = client.get(LIST_URL, {"page": 99})

    assert card_titles(response) == [GUIDANCE]


def test_the_catalogue_escapes_html_in_a_title(client, host_org):
    OfferFactory(organisation=host_org, title="<script>alert('x')</script> Study visit")

    response = client.get(LIST_URL)

    content = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Study visit" in content
    assert "<script>alert" not in content


def test_the_catalogue_refuses_post(client):
    assert client.post(LIST_URL).status_code == 405


# With nothing in the cache: the countries with offers, the capped count and the counts
# beside the filter values (five grouped, three ticks), the filter form's vocabularies (types,
# themes, languages), the page of offers and its prefetched themes and languages. Then none:
# the counts, the form and the page as rendered come from the cache.
CATALOGUE_QUERIES_COUNTED = 16
CATALOGUE_QUERIES = 0


@pytest.mark.parametrize("offers", [5, 25])
def test_the_catalogue_runs_the_same_number_of_queries_for_any_page_size(
    client, settings, django_assert_num_queries, offers
):
    settings.OFFERS_PER_PAGE = offers
    for _ in range(offers):
        OfferFactory(
            themes=[theme("inclusion"), theme("green-skills")],
            languages=[language("en"), language("sv")],
        )

    with django_assert_num_queries(CATALOGUE_QUERIES_COUNTED):
        response = client.get(LIST_URL)
    with django_assert_num_queries(CATALOGUE_QUERIES):
        again = client.get(LIST_URL)

    assert len(card_titles(response)) == offers
    assert card_titles(again) == card_titles(response)


# offer_detail


def test_the_offer_page_is_public_but_hides_the_contact_from_anonymous_visitors(client, offer):
    response = client.get(_url("offer_detail", offer))

    page = text(response)
    assert heading(response) == "Job shadowing of guidance counsellors in Borås"
    assert "Hosted by Borås Stad in Borås, Västra Götaland (Sweden)" in page
    assert "3 of 3 free" in page
    assert "Sign in to see the host's contact details." in page
    assert "contact@boras-stad.example.org" not in page


def test_the_offer_page_shows_the_contact_to_a_signed_in_user(login, offer, outsider):
    response = login(outsider).get(_url("offer_detail", offer))

    assert "contact@boras-stad.example.org" in text(response)
    assert _url("application_create", offer) in response.content.decode()
    assert _url("offer_edit", offer) not in response.content.decode()


def test_the_offer_page_shows_an_applicant_its_application(
    login, offer, applicant_org, applicant_coordinator
):
    application = ApplicationFactory(offer=offer, organisation=applicant_org)

    response = login(applicant_coordinator).get(_url("offer_detail", offer))

    assert "Your organisation has applied: Submitted" in text(response)
    assert application.get_absolute_url() in response.content.decode()


def test_a_draft_is_hidden_from_anonymous_visitors_and_outsiders(client, login, offer, outsider):
    offer.status = Offer.Status.DRAFT
    offer.save()

    assert client.get(_url("offer_detail", offer)).status_code == 404
    assert login(outsider).get(_url("offer_detail", offer)).status_code == 404


def test_a_closed_offer_stays_readable_but_takes_no_applications(client, offer):
    offer.status = Offer.Status.CLOSED
    offer.save()

    response = client.get(_url("offer_detail", offer))

    assert offer.title in text(response)
    assert "This offer does not accept applications now." in text(response)
    assert "Apply" not in [
        a.strip() for a in re.findall(r">([^<]+)</a>", response.content.decode())
    ]


def test_an_applicant_still_sees_an_archived_offer_it_applied_to(
    login, offer, applicant_org, applicant_coordinator
):
    ApplicationFactory(offer=offer, organisation=applicant_org)
    offer.status = Offer.Status.ARCHIVED
    offer.save()

    response = login(applicant_coordinator).get(_url("offer_detail", offer))

    assert offer.title in text(response)
    assert "Your organisation has applied:" in text(response)


def test_a_draft_is_shown_to_its_host_with_the_publish_button(login, offer, host_coordinator):
    offer.status = Offer.Status.DRAFT
    offer.save()

    response = login(host_coordinator).get(_url("offer_detail", offer))

    assert response.status_code == 200
    assert "Draft" in text(response)
    assert _url("offer_publish", offer) in response.content.decode()


def test_a_suspended_hosts_offer_is_hidden_from_the_public(client, login, offer, outsider):
    _suspend(offer.organisation)

    assert client.get(_url("offer_detail", offer)).status_code == 404
    assert login(outsider).get(_url("offer_detail", offer)).status_code == 404


def test_a_suspended_host_still_sees_its_offer_and_why_it_is_hidden(login, offer, host_coordinator):
    _suspend(offer.organisation)

    response = login(host_coordinator).get(_url("offer_detail", offer))

    assert "Borås Stad is suspended by the EARLALL secretariat" in text(response)
    assert "Reason: Spam offers." in text(response)


def test_an_unknown_offer_is_not_found(client):
    assert client.get(reverse("exchanges:offer_detail", args=[999999])).status_code == 404


def test_the_offer_page_refuses_post(client, offer):
    assert client.post(_url("offer_detail", offer)).status_code == 405


# offer_create


def _offer_data(**overrides):
    return _dated(
        {
            "title": "Study visit: guidance for NEETs in Borås",
            "exchange_type": exchange_type("study-visit").pk,
            "target_group": Offer.TargetGroup.STAFF,
            "themes": [theme("inclusion").pk, theme("neet-re-engagement").pk],
            "description": "Two days with our guidance counsellors.",
            "city": "Borås",
            "region_name": "Västra Götaland",
            "languages": [language("en").pk, language("sv").pk],
            "available_from": 30,
            "available_until": 40,
            "duration_days": "1.5",
            "capacity": "4",
            "application_deadline": 20,
            **overrides,
        }
    )


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_posting_an_offer(client):
    assert client.get(CREATE_URL).url == login_url(CREATE_URL)


def test_it_asks_a_user_without_an_organisation_to_create_one_first(login):
    response = login(UserFactory()).get(CREATE_URL, follow=True)

    assert response.redirect_chain == [(reverse("matchmaking:organisation_create"), 302)]
    assert "Create your organisation first; offers are posted by one." in text(response)


def test_an_offer_names_its_fields_of_education_and_a_copy_keeps_them(login, host_coordinator):
    education = FieldOfEducation.objects.get(slug="01")
    client = login(host_coordinator)
    response = client.post(CREATE_URL, _offer_data(fields_of_education=[education.pk]), follow=True)

    offer = Offer.objects.get()
    assert "Fields of education 01 Education" in text(response)
    client.post(_url("offer_duplicate", offer))
    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert list(copy.fields_of_education.all()) == [education]


def test_it_refuses_an_offer_from_a_suspended_organisation(login, host_org, host_coordinator):
    _suspend(host_org)

    response = login(host_coordinator).post(CREATE_URL, _offer_data(), follow=True)

    assert response.redirect_chain == [(DESK_URL, 302)]
    assert "Your organisation is suspended and cannot post offers." in text(response)
    assert not Offer.objects.exists()


def test_it_prefills_a_new_offer_with_the_organisations_city(login, host_org, host_coordinator):
    response = login(host_coordinator).get(CREATE_URL)

    assert heading(response) == "New offer from Borås Stad"
    assert 'name="city" value="Borås"' in response.content.decode()


def test_it_saves_a_new_offer_as_a_draft(client, login, host_org, host_coordinator):
    response = login(host_coordinator).post(CREATE_URL, _offer_data(), follow=True)

    offer = Offer.objects.get()
    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert heading(response) == "Study visit: guidance for NEETs in Borås"
    assert "The offer is saved as a draft. Publish it when ready." in text(response)
    assert (offer.organisation, offer.created_by, offer.status, offer.capacity) == (
        host_org,
        host_coordinator,
        Offer.Status.DRAFT,
        4,
    )
    assert set(offer.themes.values_list("slug", flat=True)) == {"inclusion", "neet-re-engagement"}
    assert set(offer.languages.values_list("code", flat=True)) == {"en", "sv"}
    assert client.get(offer.get_absolute_url()).status_code == 404  # a draft is not public yet


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"available_until": 25, "application_deadline": 10},
            "available_until",
            "The end of the window is before its start.",
        ),
        (
            {"application_deadline": 45},
            "application_deadline",
            "The application deadline is after the end of the window.",
        ),
        ({"available_from": -1}, "available_from", "This date is in the past."),
        (
            {"application_deadline": -1},
            "application_deadline",
            "This date is in the past.",
        ),
        ({"capacity": "0"}, "capacity", "Ensure this value is greater than or equal to 1."),
        ({"duration_days": "abc"}, "duration_days", "Enter a number."),
        (
            {"duration_days": "0"},
            "duration_days",
            "Ensure this value is greater than or equal to 0.5.",
        ),
        (
            {"title": "x" * 201},
            "title",
            "Ensure this value has at most 200 characters (it has 201).",
        ),
        (
            {"supports_fewer_opportunities": "on", "fewer_opportunities_support": "  "},
            "fewer_opportunities_support",
            "Say what support you offer to participants with fewer opportunities.",
        ),
        ({"themes": []}, "themes", "This field is required."),
    ],
    ids=[
        "end-before-start",
        "deadline-after-window",
        "start-in-past",
        "deadline-in-past",
        "capacity-0",
        "duration-abc",
        "duration-0",
        "title-too-long",
        "fewer-without-support",
        "no-theme",
    ],
)
def test_it_shows_bad_offer_input_next_to_its_field_and_saves_nothing(
    login, host_org, host_coordinator, overrides, field, message
):
    response = login(host_coordinator).post(CREATE_URL, _offer_data(**overrides))

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Offer.objects.exists()


def test_it_refuses_to_create_an_offer_with_put(login, host_coordinator):
    assert login(host_coordinator).put(CREATE_URL).status_code == 405


# offer_edit


def _offer_data_of(offer, **overrides):
    current = {
        "title": offer.title,
        "exchange_type": offer.exchange_type.pk,
        "themes": list(offer.themes.values_list("pk", flat=True)),
        "languages": list(offer.languages.values_list("pk", flat=True)),
        "available_from": offer.available_from.isoformat(),
        "available_until": offer.available_until.isoformat(),
        "application_deadline": offer.application_deadline.isoformat(),
        "capacity": str(offer.capacity),
        "duration_days": str(offer.duration_days),
    }
    return _offer_data(**{**current, **overrides})


def test_the_host_edits_an_offer(login, offer, host_coordinator):
    response = login(host_coordinator).post(
        _url("offer_edit", offer),
        _offer_data_of(offer, title="Job shadowing, spring round"),
        follow=True,
    )

    offer.refresh_from_db()
    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert "The offer is saved." in text(response)
    assert heading(response) == offer.title == "Job shadowing, spring round"


def test_the_edit_page_shows_the_offers_current_content(login, offer, host_coordinator):
    response = login(host_coordinator).get(_url("offer_edit", offer))

    assert heading(response) == "Edit “Job shadowing of guidance counsellors in Borås”"
    assert f'name="available_from" value="{offer.available_from.isoformat()}"' in (
        response.content.decode()
    )


def test_an_offer_that_has_started_can_still_be_edited_without_moving_its_dates(
    login, host_org, host_coordinator
):
    started = OfferFactory(
        organisation=host_org,
        created_by=host_coordinator,
        available_from=_days(-5),
        available_until=_days(30),
        application_deadline=_days(-6),
    )

    login(host_coordinator).post(_url("offer_edit", started), _offer_data_of(started, capacity="5"))

    started.refresh_from_db()
    assert started.capacity == 5


def test_the_edit_page_shows_bad_input_and_keeps_the_offer(login, offer, host_coordinator):
    response = login(host_coordinator).post(
        _url("offer_edit", offer), _offer_data_of(offer, capacity="0", title="Changed")
    )

    assert field_error(response, "capacity") == "Ensure this value is greater than or equal to 1."
    offer.refresh_from_db()
    assert (offer.title, offer.capacity) == ("Job shadowing of guidance counsellors in Borås", 3)


def test_a_suspended_host_cannot_edit_its_offer(login, offer, host_org, host_coordinator):
    _suspend(host_org)

    response = login(host_coordinator).post(
        _url("offer_edit", offer), _offer_data_of(offer, title="Changed")
    )

    assert "Borås Stad is suspended and cannot do this: Spam offers." in text(response)
    offer.refresh_from_db()
    assert offer.title == "Job shadowing of guidance counsellors in Borås"


def test_an_offer_whose_creator_has_left_can_still_be_edited(
    login, offer, host_admin, host_coordinator
):
    host_coordinator.delete()  # the offer's creator; created_by becomes NULL

    login(host_admin).post(_url("offer_edit", offer), _offer_data_of(offer, title="New round"))

    offer.refresh_from_db()
    assert offer.title == "New round"


def test_an_outsider_cannot_edit_an_offer(login, offer, outsider):
    response = login(outsider).post(_url("offer_edit", offer), _offer_data_of(offer, title="Mine"))

    assert response.status_code == 404
    offer.refresh_from_db()
    assert offer.title == "Job shadowing of guidance counsellors in Borås"


def test_an_anonymous_visitor_is_sent_to_the_login_page_before_editing(client, offer):
    assert client.get(_url("offer_edit", offer)).url == login_url(_url("offer_edit", offer))


# offer publish / close / archive / duplicate


@pytest.mark.parametrize(
    ("action", "before", "after", "message"),
    [
        ("publish", Offer.Status.DRAFT, Offer.Status.PUBLISHED, "The offer is published."),
        ("publish", Offer.Status.CLOSED, Offer.Status.PUBLISHED, "The offer is published."),
        (
            "close",
            Offer.Status.PUBLISHED,
            Offer.Status.CLOSED,
            "The offer is closed; it no longer takes applications.",
        ),
        ("archive", Offer.Status.CLOSED, Offer.Status.ARCHIVED, "The offer is archived."),
        ("archive", Offer.Status.DRAFT, Offer.Status.ARCHIVED, "The offer is archived."),
    ],
)
def test_the_host_moves_an_offer_through_its_states(
    login, offer, host_coordinator, action, before, after, message
):
    offer.status = before
    offer.save()

    response = login(host_coordinator).post(_url(f"offer_{action}", offer), follow=True)

    offer.refresh_from_db()
    assert offer.status == after
    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert message in text(response)


def test_publishing_makes_a_draft_appear_in_the_catalogue(client, login, offer, host_coordinator):
    offer.status, offer.published_at = Offer.Status.DRAFT, None
    offer.save()

    login(host_coordinator).post(_url("offer_publish", offer))

    assert card_titles(client.get(LIST_URL)) == ["Job shadowing of guidance counsellors in Borås"]


def test_the_host_duplicates_an_offer_into_a_new_draft(login, offer, host_coordinator):
    response = login(host_coordinator).post(_url("offer_duplicate", offer), follow=True)

    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert response.redirect_chain == [(copy.get_absolute_url(), 302)]
    assert heading(response) == "Job shadowing of guidance counsellors in Borås (copy)"
    assert "This is a copy of the offer; edit and publish it." in text(response)
    assert (copy.status, copy.organisation, copy.capacity) == (
        Offer.Status.DRAFT,
        offer.organisation,
        3,
    )


def test_a_double_clicked_duplicate_makes_one_copy_and_shows_it(
    login, offer, host_coordinator, django_capture_on_commit_callbacks
):
    client = login(host_coordinator)
    token = submission_token(client.get(_url("offer_detail", offer)))

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("offer_duplicate", offer), {"submission_token": token})
    second = client.post(_url("offer_duplicate", offer), {"submission_token": token}, follow=True)

    copy = Offer.objects.exclude(pk=offer.pk).get()
    assert second.redirect_chain == [(copy.get_absolute_url(), 302)]
    assert heading(second) == "Job shadowing of guidance counsellors in Borås (copy)"
    assert "You sent this form twice; it was saved once." in text(second)


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("close", Offer.Status.DRAFT, "Only a published offer can be closed."),
        ("archive", Offer.Status.PUBLISHED, "Close the offer before archiving it."),
        ("publish", Offer.Status.ARCHIVED, "Only a draft or closed offer can be published."),
    ],
)
def test_the_host_is_told_when_an_offer_cannot_change_state(
    login, offer, host_coordinator, action, status, message
):
    offer.status = status
    offer.save()

    response = login(host_coordinator).post(_url(f"offer_{action}", offer), follow=True)

    offer.refresh_from_db()
    assert offer.status == status
    assert message in text(response)


def test_a_draft_whose_deadline_has_passed_cannot_be_published(login, host_org, host_coordinator):
    draft = OfferFactory(
        organisation=host_org, status=Offer.Status.DRAFT, application_deadline=_days(-1)
    )

    response = login(host_coordinator).post(_url("offer_publish", draft), follow=True)

    draft.refresh_from_db()
    assert draft.status == Offer.Status.DRAFT
    assert "The application deadline has passed; move it before publishing." in text(response)


def test_a_suspended_host_cannot_publish(login, offer, host_org, host_coordinator):
    offer.status = Offer.Status.DRAFT
    offer.save()
    _suspend(host_org)

    response = login(host_coordinator).post(_url("offer_publish", offer), follow=True)

    offer.refresh_from_db()
    assert offer.status == Offer.Status.DRAFT
    assert "Borås Stad is suspended and cannot do this: Spam offers." in text(response)


@pytest.mark.parametrize("action", ["publish", "close", "archive", "duplicate"])
def test_offer_actions_refuse_get(login, offer, host_coordinator, action):
    response = login(host_coordinator).get(_url(f"offer_{action}", offer))

    assert response.status_code == 405
    assert Offer.objects.get().status == Offer.Status.PUBLISHED


@pytest.mark.parametrize("action", ["publish", "close", "archive", "duplicate"])
def test_offer_actions_are_not_found_for_an_outsider(login, offer, outsider, action):
    response = login(outsider).post(_url(f"offer_{action}", offer))

    assert response.status_code == 404
    assert Offer.objects.get().status == Offer.Status.PUBLISHED


def test_offer_actions_send_an_anonymous_visitor_to_the_login_page(client, offer):
    response = client.post(_url("offer_close", offer))

    assert response.url == login_url(_url("offer_close", offer))
    assert Offer.objects.get().status == Offer.Status.PUBLISHED


# application_create


def _application_data(offer, organisation, **overrides):
    return _dated(
        {
            "organisation": organisation.pk,
            "motivation": "We want to learn how you reach young people who left school early.",
            "participants": "2",
            "fewer_opportunity_participants": "1",
            "participant_roles": "Two advisors in education.",
            "preferred_start": offer.available_from.isoformat(),
            "preferred_end": (offer.available_from + datetime.timedelta(days=2)).isoformat(),
            "languages": [language("en").pk],
            **overrides,
        }
    )


def test_it_sends_an_anonymous_visitor_to_the_login_page_before_applying(client, offer):
    url = _url("application_create", offer)

    assert client.get(url).url == login_url(url)


def test_the_application_form_says_what_the_host_offers(login, offer, applicant_coordinator):
    response = login(applicant_coordinator).get(_url("application_create", offer))

    assert heading(response) == "Apply to “Job shadowing of guidance counsellors in Borås”"
    assert "Borås Stad hosts up to 3 participants" in text(response)
    assert "Vestland fylkeskommune" in text(response)


def test_an_organisation_applies_and_the_host_is_told(
    login,
    offer,
    applicant_org,
    applicant_coordinator,
    host_coordinator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(applicant_coordinator).post(
            _url("application_create", offer),
            _application_data(offer, applicant_org),
            follow=True,
        )

    application = Application.objects.get()
    assert response.redirect_chain == [(application.get_absolute_url(), 302)]
    assert "Your application is sent. The host has been told." in text(response)
    assert (application.organisation, application.submitted_by, application.participants) == (
        applicant_org,
        applicant_coordinator,
        2,
    )
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["coordinator@boras.example.org"],
            "New application from Vestland fylkeskommune for "
            "“Job shadowing of guidance counsellors in Borås”",
        )
    ]


def test_a_host_member_cannot_apply_to_its_own_offer(login, offer, host_coordinator):
    response = login(host_coordinator).get(_url("application_create", offer), follow=True)

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert "You cannot apply to your own organisation's offer." in text(response)


def test_a_user_without_an_organisation_is_asked_to_create_one_to_apply(login, offer):
    response = login(UserFactory()).get(_url("application_create", offer), follow=True)

    assert response.redirect_chain == [(reverse("matchmaking:organisation_create"), 302)]
    assert "To apply, create your organisation or ask its admin to add you." in text(response)


def test_an_organisation_cannot_apply_on_behalf_of_one_it_does_not_belong_to(
    login, offer, applicant_coordinator, outsider
):
    barcelona = outsider.memberships.get().organisation

    response = login(applicant_coordinator).post(
        _url("application_create", offer), _application_data(offer, barcelona)
    )

    assert field_error(response, "organisation") == (
        "Select a valid choice. That choice is not one of the available choices."
    )
    assert not Application.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"participants": "0"},
            "participants",
            "Ensure this value is greater than or equal to 1.",
        ),
        (
            {"participants": "4", "fewer_opportunity_participants": "0"},
            "participants",
            "The offer has 3 places; apply for at most that many participants.",
        ),
        (
            {"participants": "2", "fewer_opportunity_participants": "3"},
            "fewer_opportunity_participants",
            "There cannot be more participants with fewer opportunities than participants.",
        ),
        (
            {"preferred_start": 29},
            "preferred_start",
            "Choose dates within the offer's window",
        ),
        (
            {"preferred_end": 61},
            "preferred_start",
            "Choose dates within the offer's window",
        ),
        (
            {"preferred_start": 40, "preferred_end": 35},
            "preferred_end",
            "The end is before the start.",
        ),
        ({"motivation": ""}, "motivation", "This field is required."),
    ],
    ids=[
        "participants-0",
        "above-capacity",
        "fewer-above-participants",
        "start-before-window",
        "end-after-window",
        "end-before-start",
        "no-motivation",
    ],
)
def test_it_shows_bad_application_input_next_to_its_field_and_saves_nothing(
    login, offer, applicant_org, applicant_coordinator, mailoutbox, overrides, field, message
):
    response = login(applicant_coordinator).post(
        _url("application_create", offer), _application_data(offer, applicant_org, **overrides)
    )

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not Application.objects.exists()
    assert mailoutbox == []


def test_an_organisation_cannot_apply_twice_and_is_shown_its_application(
    login, offer, applicant_org, applicant_coordinator
):
    earlier = ApplicationFactory(offer=offer, organisation=applicant_org)

    response = login(applicant_coordinator).post(
        _url("application_create", offer), _application_data(offer, applicant_org), follow=True
    )

    assert response.redirect_chain == [(earlier.get_absolute_url(), 302)]
    assert "Vestland fylkeskommune has already applied to this offer." in text(response)
    assert Application.objects.count() == 1


def test_a_double_clicked_application_is_sent_once_and_the_second_click_shows_it(
    login, offer, applicant_org, applicant_coordinator
):
    client = login(applicant_coordinator)
    data = _application_data(offer, applicant_org)

    client.post(_url("application_create", offer), data)
    response = client.post(_url("application_create", offer), data, follow=True)

    application = Application.objects.get()
    assert response.redirect_chain == [(application.get_absolute_url(), 302)]
    assert "Vestland fylkeskommune has already applied to this offer." in text(response)
    assert ApplicationHistory.objects.count() == 1


def test_an_offer_past_its_deadline_takes_no_applications(
    login, host_org, applicant_org, applicant_coordinator
):
    late = OfferFactory(organisation=host_org, application_deadline=_days(-1))

    response = login(applicant_coordinator).post(
        _url("application_create", late), _application_data(late, applicant_org), follow=True
    )

    assert response.redirect_chain == [(late.get_absolute_url(), 302)]
    assert "This offer does not accept applications." in text(response)
    assert not Application.objects.exists()


def test_a_closed_offer_takes_no_applications(login, offer, applicant_org, applicant_coordinator):
    offer.status = Offer.Status.CLOSED
    offer.save()

    response = login(applicant_coordinator).post(
        _url("application_create", offer), _application_data(offer, applicant_org), follow=True
    )

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert "This offer does not accept applications." in text(response)
    assert not Application.objects.exists()


def test_a_suspended_organisation_cannot_apply(login, offer, applicant_org, applicant_coordinator):
    _suspend(applicant_org)

    response = login(applicant_coordinator).post(
        _url("application_create", offer), _application_data(offer, applicant_org), follow=True
    )

    assert response.redirect_chain == [(offer.get_absolute_url(), 302)]
    assert "Your organisation is suspended and cannot apply." in text(response)
    assert not Application.objects.exists()


# offer_applications


@pytest.fixture
def application(offer, applicant_org, applicant_coordinator):
    """A submitted application with its first history entry, as the service leaves it."""
    application = ApplicationFactory(
        offer=offer,
        organisation=applicant_org,
        submitted_by=applicant_coordinator,
        participants=2,
    )
    ApplicationHistory.objects.create(
        application=application, kind=Application.Status.SUBMITTED, actor=applicant_coordinator
    )
    return application


def test_the_host_sees_every_application_undecided_first(
    login, offer, application, host_coordinator
):
    lisbon = OrganisationFactory(name="Lisboa Formação", country="PT")
    ApplicationFactory(offer=offer, organisation=lisbon, status=Application.Status.ACCEPTED)

    response = login(host_coordinator).get(_url("offer_applications", offer))

    page = text(response)
    assert "2 of 3 places are free." in page
    assert page.index("Vestland fylkeskommune (Norway) 2 0") < page.index("Lisboa Formação")
    assert "Submitted" in page and "Accepted" in page


def test_an_outsider_cannot_see_an_offers_applications(login, offer, application, outsider):
    assert login(outsider).get(_url("offer_applications", offer)).status_code == 404


def test_an_applicant_cannot_see_the_other_applications(
    login, offer, application, applicant_coordinator
):
    response = login(applicant_coordinator).get(_url("offer_applications", offer))

    assert response.status_code == 404


# application_detail


@pytest.mark.parametrize("persona", ["host_coordinator", "applicant_coordinator"])
def test_both_sides_see_the_application_and_its_history(login, application, persona, request):
    response = login(request.getfixturevalue(persona)).get(_url("application_detail", application))

    page = text(response)
    submitter = application.submitted_by.get_full_name()
    assert heading(response) == (
        "Vestland fylkeskommune’s application to “Job shadowing of guidance counsellors in Borås”"
    )
    assert "Status: Submitted" in page
    assert f"Submitted — {timezone.localtime().strftime('%-d %b %Y')}" in page
    assert submitter in page


def test_only_the_host_is_offered_the_decision_form(login, application, host_coordinator):
    host_page = login(host_coordinator).get(_url("application_detail", application))

    assert "Your decision" in text(host_page)
    assert "Withdraw the application" not in text(host_page)


def test_only_the_applicant_is_offered_to_withdraw(login, application, applicant_coordinator):
    applicant_page = login(applicant_coordinator).get(_url("application_detail", application))

    assert "Withdraw the application" in text(applicant_page)
    assert "Your decision" not in text(applicant_page)


def test_an_outsider_cannot_see_an_application(login, application, outsider):
    assert login(outsider).get(_url("application_detail", application)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page_before_an_application(client, application):
    url = _url("application_detail", application)

    assert client.get(url).url == login_url(url)


# application_decide


def test_the_host_accepts_an_application_and_the_applicant_is_told(
    login, application, host_coordinator, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(host_coordinator).post(
            _url("application_decide", application),
            {"decision": "accept", "message": "Welcome to Borås in March!"},
            follow=True,
        )

    application.refresh_from_db()
    entry = application.history.last()
    assert application.status == Application.Status.ACCEPTED
    assert (entry.kind, entry.actor, entry.note) == (
        Application.Status.ACCEPTED,
        host_coordinator,
        "Welcome to Borås in March!",
    )
    assert "The application is accepted." in text(response)
    assert "Status: Accepted" in text(response)
    assert "Welcome to Borås in March!" in text(response)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["coordinator@vestland.example.org"],
            "Your application for “Job shadowing of guidance counsellors in Borås”: Accepted",
        )
    ]
    assert "Welcome to Borås in March!" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("decision", "status"),
    [("shortlist", Application.Status.SHORTLISTED), ("decline", Application.Status.DECLINED)],
)
def test_the_host_shortlists_or_declines_an_application(
    login, application, host_coordinator, decision, status
):
    login(host_coordinator).post(_url("application_decide", application), {"decision": decision})

    application.refresh_from_db()
    assert application.status == status
    assert application.history.last().actor == host_coordinator


def test_the_applicant_cannot_decide_its_own_application(login, application, applicant_coordinator):
    response = login(applicant_coordinator).post(
        _url("application_decide", application), {"decision": "accept"}
    )

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_an_outsider_cannot_decide_an_application(login, application, outsider):
    response = login(outsider).post(_url("application_decide", application), {"decision": "accept"})

    assert response.status_code == 404
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_deciding_refuses_get(login, application, host_coordinator):
    assert login(host_coordinator).get(_url("application_decide", application)).status_code == 405


def test_an_unknown_decision_is_shown_next_to_the_field(login, application, host_coordinator):
    response = login(host_coordinator).post(
        _url("application_decide", application), {"decision": "maybe"}
    )

    assert response.status_code == 400
    assert field_error(response, "decision") == (
        "Select a valid choice. maybe is not one of the available choices."
    )
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.history.count() == 1


def test_the_host_cannot_accept_more_participants_than_places_left(
    login, offer, application, host_coordinator, mailoutbox
):
    ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(),
        participants=2,
        status=Application.Status.ACCEPTED,
    )

    response = login(host_coordinator).post(
        _url("application_decide", application), {"decision": "accept"}, follow=True
    )

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert (
        "Not enough places left: 1 of 3 are free and this application is for 2 participants."
        in text(response)
    )
    assert mailoutbox == []


def test_a_decided_application_cannot_be_decided_again(login, application, host_coordinator):
    application.status = Application.Status.DECLINED
    application.save()

    response = login(host_coordinator).post(
        _url("application_decide", application), {"decision": "accept"}, follow=True
    )

    assert "This application has already been decided." in text(response)
    assert Application.objects.get().status == Application.Status.DECLINED


# application_withdraw


def test_the_applicant_withdraws_an_undecided_application_and_the_host_is_told(
    login,
    application,
    applicant_coordinator,
    host_coordinator,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    with django_capture_on_commit_callbacks(execute=True):
        response = login(applicant_coordinator).post(
            _url("application_withdraw", application),
            {"message": "Our budget was cut."},
            follow=True,
        )

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert "Your application is withdrawn. The host has been told." in text(response)
    assert "Our budget was cut." in text(response)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (
            ["coordinator@boras.example.org"],
            "Vestland fylkeskommune withdrew its application for "
            "“Job shadowing of guidance counsellors in Borås”",
        )
    ]


def test_the_host_cannot_withdraw_an_application(login, application, host_coordinator):
    response = login(host_coordinator).post(_url("application_withdraw", application))

    assert response.status_code == 404
    assert Application.objects.get().status == Application.Status.SUBMITTED


def test_a_decided_application_cannot_be_withdrawn(login, application, applicant_coordinator):
    application.status = Application.Status.ACCEPTED
    application.save()

    response = login(applicant_coordinator).post(
        _url("application_withdraw", application), follow=True
    )

    assert "A decided application can no longer be withdrawn." in text(response)
    assert Application.objects.get().status == Application.Status.ACCEPTED


def test_withdrawing_refuses_get(login, application, applicant_coordinator):
    response = login(applicant_coordinator).get(_url("application_withdraw", application))

    assert response.status_code == 405
    assert Application.objects.get().status == Application.Status.SUBMITTED


# desk


def test_the_desk_sends_an_anonymous_visitor_to_the_login_page(client):
    assert client.get(DESK_URL).url == login_url(DESK_URL)


def test_the_desk_welcomes_a_user_without_an_organisation(login):
    response = login(UserFactory()).get(DESK_URL)

    assert heading(response) == "Welcome"
    assert "You do not belong to an organisation yet." in text(response)


def test_the_desk_lists_the_hosts_offers_with_their_applications(
    login, offer, application, host_coordinator
):
    ApplicationFactory(
        offer=offer,
        organisation=OrganisationFactory(),
        participants=1,
        status=Application.Status.ACCEPTED,
    )
    OfferFactory(organisation=offer.organisation, title="Study visit in autumn", status="draft")

    response = login(host_coordinator).get(DESK_URL)

    page = text(response)
    assert heading(response) == "Borås Stad"
    assert "Job shadowing of guidance counsellors in Borås" in page
    assert "1 / 3 2 applications 1 to decide" in page
    assert "Study visit in autumn Job shadowing Draft" in page
    assert "0 / 3 0 applications" in page
    assert "No applications yet." in page


def test_the_desk_lists_the_applications_the_organisation_sent(
    login, application, applicant_coordinator
):
    application.status = Application.Status.SHORTLISTED
    application.save()

    response = login(applicant_coordinator).get(DESK_URL)

    assert heading(response) == "Vestland fylkeskommune"
    assert "Job shadowing of guidance counsellors in Borås Borås Stad 2 Shortlisted" in text(
        response
    )
    assert "No offers yet." in text(response)


def test_the_desk_shows_admin_links_only_to_admins(login, host_org, host_admin, host_coordinator):
    people_url = reverse("matchmaking:organisation_people", args=[host_org.slug])

    assert people_url in login(host_admin).get(DESK_URL).content.decode()
    assert people_url not in login(host_coordinator).get(DESK_URL).content.decode()


def test_the_desk_refuses_post(login, host_coordinator):
    assert login(host_coordinator).post(DESK_URL).status_code == 405


# The session, the user, the active organisation, its membership, the user's organisations
# (the switcher), its offers, its exchanges (one query with their offers and organisations,
# added with "Our exchanges"), its applications, the unread messages of its threads, and the
# getting-started checklist (one query, whatever the organisation holds).
DESK_QUERIES = 10


@pytest.mark.parametrize("offers", [2, 10])
def test_the_desk_runs_the_same_number_of_queries_for_any_number_of_offers(
    login, host_org, host_coordinator, django_assert_num_queries, offers
):
    for _ in range(offers):
        hosted = OfferFactory(organisation=host_org)
        ApplicationFactory(offer=hosted, status=Application.Status.ACCEPTED)
        ApplicationFactory(offer=OfferFactory(), organisation=host_org)
    client = login(host_coordinator)

    with django_assert_num_queries(DESK_QUERIES):
        response = client.get(DESK_URL)

    assert text(response).count("1 / 3 1 application") == offers
    assert text(response).count("Submitted") == offers


def _held(offer, *participants):
    """Accepted applications of other organisations to ``offer``, planned exchanges each."""
    return [
        ExchangeFactory(application__offer=offer, application__participants=n) for n in participants
    ]


def test_the_capacity_cannot_be_cut_below_the_places_taken(login, offer, host_coordinator):
    # Issue 9, finding 9: the offer's page said "-1 of 1 places are free".
    _held(offer, 2, 1)
    client = login(host_coordinator)

    response = client.post(_url("offer_edit", offer), _offer_data_of(offer, capacity="2"))

    assert field_error(response, "capacity") == (
        "3 places are already taken; the capacity cannot be less than 3."
    )
    offer.refresh_from_db()
    assert offer.capacity == 3
    assert "0 of 3 free" in text(client.get(offer.get_absolute_url()))


def test_the_capacity_can_be_cut_to_the_places_taken_and_a_cancelled_exchange_frees_its_own(
    login, offer, host_coordinator
):
    kept, cancelled = _held(offer, 1, 2)
    cancelled.status = Exchange.Status.CANCELLED
    cancelled.cancellation_reason = "No flights."
    cancelled.save()

    response = login(host_coordinator).post(
        _url("offer_edit", offer), _offer_data_of(offer, capacity="1")
    )

    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.capacity == 1


def test_the_admin_refuses_a_capacity_below_the_places_taken(rf, offer, secretariat):
    _held(offer, 2)
    request = rf.get("/")
    request.user = secretariat
    form_class = admin.site._registry[Offer].get_form(request, offer, change=True)

    data = {**model_to_dict(offer), "capacity": 1}
    form = form_class({k: v for k, v in data.items() if v is not None}, instance=offer)

    assert form.errors == {
        "capacity": ["2 places are already taken; the capacity cannot be less than 2."]
    }


def test_an_application_for_year_one_is_refused_next_to_the_field(
    login, offer, applicant_org, applicant_coordinator
):
    today = timezone.localdate()
    response = login(applicant_coordinator).post(
        _url("application_create", offer),
        _application_data(offer, applicant_org, preferred_start="0001-01-01"),
    )

    assert field_error(response, "preferred_start") == (
        f"Enter a date between {today.replace(year=today.year - 10, day=1).isoformat()} "
        f"and {today.replace(year=today.year + 10, day=1).isoformat()}."
    )
    assert not Application.objects.exists()
