"""Interest profile pages: list and alert settings, create, edit, delete, and unsubscribe."""

import datetime

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from exchanges.tokens import unsubscribe_token
from matchmaking.models import InterestProfile
from tests.factories import (
    InterestProfileFactory,
    MembershipFactory,
    UserFactory,
    exchange_type,
    language,
    theme,
)
from tests.pages import field_error, heading, login_url, text

pytestmark = pytest.mark.django_db

LIST_URL = reverse("exchanges:profile_list")
CREATE_URL = reverse("exchanges:profile_create")


def _url(name, profile):
    return reverse(f"exchanges:{name}", args=[profile.pk])


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def profile(applicant_org, applicant_coordinator):
    return InterestProfileFactory(
        organisation=applicant_org,
        name="NEET re-engagement visits",
        themes=[theme("inclusion"), theme("neet-re-engagement")],
        languages=[language("en"), language("no")],
        countries_wanted=["SE", "DK"],
    )


@pytest.fixture
def others_profile(outsider):
    return InterestProfileFactory(
        organisation=outsider.organisations.get(), name="Barcelona's secret plans"
    )


def _data(**overrides):
    data = {
        "name": "Study visits on guidance",
        "exchange_types": [exchange_type("study-visit").pk, exchange_type("job-shadowing").pk],
        "themes": [theme("guidance-counselling").pk],
        "languages": [language("en").pk, language("sv").pk],
        "countries_wanted": ["SE", "FI"],
        "available_from": _days(10).isoformat(),
        "available_until": _days(90).isoformat(),
        "participants": "3",
        "fewer_opportunity_participants": "1",
        "description": "Advisors who build a guidance service.",
        "alert": "weekly",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# profile_list


def test_the_list_shows_the_active_organisations_profiles_only(
    login, profile, others_profile, applicant_coordinator
):
    response = login(applicant_coordinator).get(LIST_URL)

    page = text(response)
    assert heading(response) == "Interest profiles of Vestland fylkeskommune"
    assert "NEET re-engagement visits" in page
    assert "Inclusion, NEET re-engagement" in page
    assert "Denmark, Sweden" in page
    assert "Any time" in page
    assert "Barcelona's secret plans" not in page
    assert f'action="{_url("profile_alert", profile)}"' in response.content.decode()


def test_the_list_says_how_to_start_without_a_profile(login, applicant_coordinator):
    response = login(applicant_coordinator).get(LIST_URL)

    assert "No interest profile yet. Create one to get offers recommended." in text(response)


def test_the_list_sends_an_anonymous_visitor_to_the_login_page(client):
    assert client.get(LIST_URL).url == login_url(LIST_URL)


def test_the_list_asks_a_user_without_an_organisation_to_create_one(login):
    response = login(UserFactory()).get(LIST_URL, follow=True)

    assert response.redirect_chain == [(reverse("matchmaking:organisation_create"), 302)]
    assert "Create your organisation first; profiles belong to one." in text(response)


def test_the_list_refuses_post(login, applicant_coordinator):
    assert login(applicant_coordinator).post(LIST_URL).status_code == 405


# Session, user, the active organisation, then the profiles and their three relations.
PROFILE_LIST_QUERIES = 7


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_runs_the_same_queries_for_any_number_of_profiles(
    login, applicant_org, applicant_coordinator, django_assert_num_queries, count
):
    for _ in range(count):
        InterestProfileFactory(organisation=applicant_org)
    client = login(applicant_coordinator)

    with django_assert_num_queries(PROFILE_LIST_QUERIES):
        response = client.get(LIST_URL)

    assert text(response).count("Email alerts") == count


# profile_create


def test_it_creates_a_profile_for_the_active_organisation(
    login, applicant_org, applicant_coordinator
):
    response = login(applicant_coordinator).post(CREATE_URL, _data(), follow=True)

    created = InterestProfile.objects.get()
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "The profile is saved; the offers that fit it are being looked for." in text(response)
    assert (created.organisation, created.name, created.participants, created.alert) == (
        applicant_org,
        "Study visits on guidance",
        3,
        "weekly",
    )
    assert [c.code for c in created.countries_wanted] == ["FI", "SE"]
    assert set(created.exchange_types.values_list("slug", flat=True)) == {
        "study-visit",
        "job-shadowing",
    }
    assert set(created.languages.values_list("code", flat=True)) == {"en", "sv"}


def test_the_new_profile_form_starts_from_the_organisations_languages(
    login, applicant_org, applicant_coordinator
):
    applicant_org.languages.set([language("no"), language("en")])

    response = login(applicant_coordinator).get(CREATE_URL)

    assert heading(response) == "New interest profile for Vestland fylkeskommune"
    selected = response.context["form"].initial["languages"]
    assert set(selected) == {language("no").pk, language("en").pk}


def test_a_profile_without_dates_or_countries_means_any_time_anywhere(login, applicant_coordinator):
    login(applicant_coordinator).post(
        CREATE_URL, _data(available_from="", available_until="", countries_wanted=None)
    )

    created = InterestProfile.objects.get()
    assert (created.available_from, created.available_until, created.countries_wanted) == (
        None,
        None,
        [],
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"available_until": ""}, "available_until", "Give both ends of the window, or neither."),
        ({"available_from": ""}, "available_from", "Give both ends of the window, or neither."),
        (
            {"available_from": _days(30).isoformat(), "available_until": _days(20).isoformat()},
            "available_until",
            "The end of the window is before its start.",
        ),
        (
            {"available_from": _days(-30).isoformat(), "available_until": _days(-2).isoformat()},
            "available_until",
            "This date is in the past.",
        ),
        (
            {"fewer_opportunity_participants": "4"},
            "fewer_opportunity_participants",
            "There cannot be more participants with fewer opportunities than participants.",
        ),
        ({"participants": "0"}, "participants", "Ensure this value is greater than or equal to 1."),
        ({"name": ""}, "name", "This field is required."),
        (
            {"alert": "hourly"},
            "alert",
            "Select a valid choice. hourly is not one of the available choices.",
        ),
        (
            {"countries_wanted": ["XX"]},
            "countries_wanted",
            "Select a valid choice. XX is not one of the available choices.",
        ),
    ],
    ids=[
        "window-without-end",
        "window-without-start",
        "end-before-start",
        "window-over",
        "more-fewer-than-participants",
        "no-participants",
        "no-name",
        "unknown-alert",
        "unknown-country",
    ],
)
def test_it_shows_bad_input_next_to_its_field_and_saves_nothing(
    login, applicant_coordinator, overrides, field, message
):
    response = login(applicant_coordinator).post(CREATE_URL, _data(**overrides))

    assert response.status_code == 200
    assert message in field_error(response, field)
    assert not InterestProfile.objects.exists()


@pytest.mark.parametrize("field", ["exchange_types", "themes", "languages"])
def test_it_requires_an_exchange_type_a_theme_and_a_language(login, applicant_coordinator, field):
    response = login(applicant_coordinator).post(CREATE_URL, _data(**{field: []}))

    assert response.context["form"].errors[field] == ["This field is required."]
    assert "This field is required." in text(response)
    assert not InterestProfile.objects.exists()


def test_creating_sends_an_anonymous_visitor_to_the_login_page(client):
    assert client.post(CREATE_URL, _data()).url == login_url(CREATE_URL)
    assert not InterestProfile.objects.exists()


def test_creating_refuses_put(login, applicant_coordinator):
    assert login(applicant_coordinator).put(CREATE_URL).status_code == 405


# profile_edit


def test_it_edits_a_profile(login, profile, applicant_coordinator):
    response = login(applicant_coordinator).post(
        _url("profile_edit", profile), _data(name="Renamed"), follow=True
    )

    profile.refresh_from_db()
    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "The profile is saved." in text(response)
    assert profile.name == "Renamed"


def test_the_edit_page_shows_the_saved_name_while_the_form_has_errors(
    login, profile, applicant_coordinator
):
    response = login(applicant_coordinator).post(
        _url("profile_edit", profile), _data(name="Renamed", participants="0")
    )

    assert heading(response) == "Edit “NEET re-engagement visits”"
    profile.refresh_from_db()
    assert profile.name == "NEET re-engagement visits"


def test_an_outsider_cannot_see_or_edit_another_organisations_profile(login, profile, outsider):
    client = login(outsider)

    assert client.get(_url("profile_edit", profile)).status_code == 404
    assert client.post(_url("profile_edit", profile), _data(name="Hijacked")).status_code == 404
    profile.refresh_from_db()
    assert profile.name == "NEET re-engagement visits"


def test_a_member_of_two_organisations_edits_the_profiles_of_both(
    login, profile, others_profile, applicant_coordinator
):
    MembershipFactory(user=applicant_coordinator, organisation=others_profile.organisation)

    assert login(applicant_coordinator).get(_url("profile_edit", others_profile)).status_code == 200


def test_editing_sends_an_anonymous_visitor_to_the_login_page(client, profile):
    url = _url("profile_edit", profile)
    assert client.get(url).url == login_url(url)


# profile_delete


def test_it_deletes_a_profile(login, profile, applicant_coordinator):
    response = login(applicant_coordinator).post(_url("profile_delete", profile), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    assert "The profile “NEET re-engagement visits” is deleted." in text(response)
    assert not InterestProfile.objects.exists()


def test_deleting_needs_a_post(login, profile, applicant_coordinator):
    assert login(applicant_coordinator).get(_url("profile_delete", profile)).status_code == 405
    assert InterestProfile.objects.exists()


def test_an_outsider_cannot_delete_another_organisations_profile(login, profile, outsider):
    assert login(outsider).post(_url("profile_delete", profile)).status_code == 404
    assert InterestProfile.objects.filter(pk=profile.pk).exists()


def test_deleting_sends_an_anonymous_visitor_to_the_login_page(client, profile):
    url = _url("profile_delete", profile)
    assert client.post(url).url == login_url(url)
    assert InterestProfile.objects.exists()


# profile_alert


def test_it_changes_how_the_organisation_hears_of_new_offers(login, profile, applicant_coordinator):
    response = login(applicant_coordinator).post(
        _url("profile_alert", profile), {"alert": "weekly"}, follow=True
    )

    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.WEEKLY
    assert "Alerts for “NEET re-engagement visits”: In a weekly digest." in text(response)


def test_it_refuses_an_unknown_alert_setting(login, profile, applicant_coordinator):
    response = login(applicant_coordinator).post(
        _url("profile_alert", profile), {"alert": "hourly"}, follow=True
    )

    assert "Choose how you want to hear of new offers." in text(response)
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.IMMEDIATELY


def test_alert_settings_need_a_post_and_a_member(
    client, login, profile, outsider, applicant_coordinator
):
    url = _url("profile_alert", profile)
    assert login(applicant_coordinator).get(url).status_code == 405
    assert login(outsider).post(url, {"alert": "off"}).status_code == 404
    assert client.post(url, {"alert": "off"}).url == login_url(url)
    profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.IMMEDIATELY


# profile_unsubscribe: no login, one profile per token


def _unsubscribe_url(token):
    return reverse("exchanges:profile_unsubscribe", args=[token])


def test_following_the_link_asks_before_unsubscribing(client, profile):
    response = client.get(_unsubscribe_url(unsubscribe_token(profile)))

    assert response.status_code == 200
    assert heading(response) == "Stop these email alerts?"
    assert "interest profile “NEET re-engagement visits” of Vestland fylkeskommune" in text(
        response
    )
    profile.refresh_from_db()
    assert (
        profile.alert == InterestProfile.Alert.IMMEDIATELY
    )  # a link scanner's GET changes nothing


def test_one_click_unsubscribes_without_signing_in(client, profile, others_profile):
    response = client.post(_unsubscribe_url(unsubscribe_token(profile)))

    assert heading(response) == "You are unsubscribed"
    profile.refresh_from_db()
    others_profile.refresh_from_db()
    assert profile.alert == InterestProfile.Alert.OFF
    assert others_profile.alert == InterestProfile.Alert.IMMEDIATELY


@pytest.mark.parametrize(
    "forge",
    [
        lambda token, profile: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token, profile: signing.dumps({"profile": profile.pk}, salt="another purpose"),
        lambda token, profile: signing.dumps(
            {"profile": profile.pk + 1},
            key="not our secret",
            salt="exchanges.interest-profile.unsubscribe",
        ),
        lambda token, profile: "not-a-token",
    ],
    ids=["tampered", "other-salt", "other-key", "garbage"],
)
def test_a_forged_token_is_not_found_and_changes_nothing(client, profile, others_profile, forge):
    token = forge(unsubscribe_token(profile), profile)

    for response in (client.get(_unsubscribe_url(token)), client.post(_unsubscribe_url(token))):
        assert response.status_code == 404
        assert heading(response) == "This unsubscribe link is not valid"
    assert set(InterestProfile.objects.values_list("alert", flat=True)) == {"immediately"}


def test_the_link_of_a_deleted_profile_is_not_found(client, profile):
    token = unsubscribe_token(profile)
    profile.delete()

    assert client.post(_unsubscribe_url(token)).status_code == 404


def test_unsubscribing_refuses_put(client, profile):
    assert client.put(_unsubscribe_url(unsubscribe_token(profile))).status_code == 405


# Navigation


def test_the_menu_and_the_desk_lead_to_the_profiles_and_recommendations(
    login, applicant_coordinator
):
    response = login(applicant_coordinator).get(reverse("desk"))

    content = response.content.decode()
    assert content.count(f'href="{LIST_URL}"') == 2
    assert content.count(f'href="{reverse("exchanges:recommendations")}"') == 2


@pytest.mark.parametrize("participants", ["2147483648", "501"])
def test_a_group_larger_than_any_mobility_group_is_refused_next_to_the_field(
    login, applicant_coordinator, participants
):
    # Issue 9, finding 4: on SQLite 2**31 participants were saved, and the engine then failed
    # for every organisation.
    response = login(applicant_coordinator).post(CREATE_URL, _data(participants=participants))

    assert response.status_code == 200
    assert field_error(response, "participants") == (
        "Ensure this value is less than or equal to 500."
    )
    assert 'max="500"' in response.content.decode()
    assert not InterestProfile.objects.exists()
