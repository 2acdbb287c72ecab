"""The exchange's pages after acceptance: the record, editing, completing, cancelling, the
calendar, each side's follow-up and the draft offer for a reciprocal visit — per persona."""

import datetime
import re

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from exchanges import services
from exchanges.models import Exchange, ExchangeHistory, FollowUp, FollowUpSide, Offer, Quote
from matchmaking.models import FewerOpportunityCategory, FieldOfEducation, OutboxEmail
from tests.exchanges.test_views import DESK_QUERIES
from tests.factories import ApplicationFactory, OfferFactory, OrganisationFactory
from tests.pages import field_error, heading, login_url, submission_token, text

pytestmark = pytest.mark.django_db

DESK_URL = reverse("desk")


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _url(name, exchange):
    return reverse(f"exchanges:{name}", args=[exchange.pk])


def _accepted(offer, organisation, host_user, **application_fields):
    """The exchange that accepting an application creates, as the service makes it."""
    application = ApplicationFactory(offer=offer, organisation=organisation, **application_fields)
    services.application_accept(application=application, acting_user=host_user)
    return Exchange.objects.get(application=application)


@pytest.fixture
def exchange(offer, applicant_org, host_coordinator):
    """Planned, a month from now: two participants, one of them with fewer opportunities."""
    offer.programme = "Day 1: the multicompetent team.\nDay 2 (morning): ACT guidance."
    offer.practical_information = "Meet at the town hall at 09:00."
    offer.save()
    return _accepted(
        offer, applicant_org, host_coordinator, participants=2, fewer_opportunity_participants=1
    )


@pytest.fixture
def past_exchange(host_org, applicant_org, host_coordinator):
    """Planned, but its days are over: it can be completed and followed up."""
    offer = OfferFactory(
        organisation=host_org,
        title="Reintegrating individuals into education and work",
        available_from=_days(-10),
        available_until=_days(-5),
        application_deadline=_days(-20),
    )
    return _accepted(
        offer,
        applicant_org,
        host_coordinator,
        preferred_start=_days(-10),
        preferred_end=_days(-9),
        participants=2,
    )


def category(slug):
    return FewerOpportunityCategory.objects.get(slug=slug)


# exchange_detail


@pytest.mark.parametrize("persona", ["host_coordinator", "applicant_coordinator"])
def test_both_sides_see_the_exchange_with_its_dates_participants_and_programme(
    request, login, exchange, persona
):
    host_coordinator = request.getfixturevalue("host_coordinator")
    services.exchange_update(
        exchange=exchange,
        acting_user=host_coordinator,
        counts={category("economic-barriers"): 1, category("disabilities"): 0},
    )

    response = login(request.getfixturevalue(persona)).get(_url("exchange_detail", exchange))

    page = text(response)
    assert response.status_code == 200
    assert heading(response) == "Exchange: Job shadowing of guidance counsellors in Borås"
    assert "Host organisation Borås Stad (Sweden)" in page
    assert "Sending organisation Vestland fylkeskommune (Norway)" in page
    start, end = exchange.start_date, exchange.end_date
    assert f"Confirmed dates {start:%-d %B %Y} – {end:%-d %B %Y}" in page
    assert "Duration 1.5 days" in page
    assert "Participants 2 Of whom with fewer opportunities 1 Economic barriers: 1" in page
    assert "Disabilities" not in page
    assert "Programme Day 1: the multicompetent team. Day 2 (morning): ACT guidance." in page
    # The programme keeps its lines, day by day.
    assert "Day 1: the multicompetent team.\nDay 2 (morning)" in response.content.decode()
    assert "Practical notes Meet at the town hall at 09:00." in page
    who = re.escape(str(host_coordinator))
    assert re.search(rf"History Planned — [^,]+, {who} Edited — [^,]+, {who}", page)
    assert _url("exchange_calendar", exchange) in response.content.decode()
    assert _url("follow_up", exchange) in response.content.decode()


def test_a_planned_exchange_offers_edit_and_a_folded_cancel_but_not_yet_complete(
    login, exchange, host_coordinator
):
    response = login(host_coordinator).get(_url("exchange_detail", exchange))

    content = response.content.decode()
    assert _url("exchange_edit", exchange) in content
    assert _url("exchange_complete", exchange) not in content
    assert "Mark as completed" not in text(response)
    assert (
        f"You can mark it as completed from its last day, {exchange.end_date:%-d %B %Y}."
        in text(response)
    )
    # Folded away: a closed disclosure with the form inside.
    folded = re.search(r"<details class=\"cancel-exchange[^\"]*\">(.*?)</details>", content, re.S)
    assert folded is not None
    assert '<summary class="card-header">Cancel the exchange</summary>' in folded.group(1)
    assert f'action="{_url("exchange_cancel", exchange)}"' in folded.group(1)
    assert 'name="reason"' in folded.group(1)


def test_an_exchange_that_has_ended_offers_mark_as_completed(
    login, past_exchange, host_coordinator
):
    response = login(host_coordinator).get(_url("exchange_detail", past_exchange))

    assert _url("exchange_complete", past_exchange) in response.content.decode()
    assert "Mark as completed" in text(response)
    assert "You can mark it as completed from" not in text(response)


def test_a_completed_exchange_offers_no_more_changes(login, past_exchange, host_coordinator):
    services.exchange_complete(exchange=past_exchange, acting_user=host_coordinator)

    response = login(host_coordinator).get(_url("exchange_detail", past_exchange))

    content = response.content.decode()
    assert "Completed" in text(response)
    for name in ("exchange_edit", "exchange_complete", "exchange_cancel"):
        assert _url(name, past_exchange) not in content


def test_the_exchange_page_sends_anonymous_visitors_to_sign_in(client, exchange):
    url = _url("exchange_detail", exchange)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == login_url(url)


@pytest.mark.parametrize("persona", ["outsider", "secretariat"])
def test_the_exchange_page_is_not_found_for_anyone_outside_the_two_organisations(
    request, login, exchange, persona
):
    response = login(request.getfixturevalue(persona)).get(_url("exchange_detail", exchange))

    assert response.status_code == 404


def test_the_exchange_page_refuses_post(login, exchange, host_coordinator):
    assert login(host_coordinator).post(_url("exchange_detail", exchange)).status_code == 405


# exchange_edit


def _edit_data(exchange, **changes):
    data = {
        "start_date": exchange.start_date.isoformat(),
        "end_date": exchange.end_date.isoformat(),
        "duration_days": "1.5",
        "participants": "2",
        "fewer_opportunity_participants": "1",
        "programme": exchange.programme,
        "practical_notes": exchange.practical_notes,
    }
    for term in FewerOpportunityCategory.objects.all():
        data["count_" + term.slug.replace("-", "_")] = "0"
    data.update({key: str(value) for key, value in changes.items()})
    return data


def test_a_coordinator_edits_the_dates_participants_and_counts_by_category(
    login, exchange, applicant_coordinator
):
    start = exchange.start_date + datetime.timedelta(days=1)
    data = _edit_data(
        exchange,
        start_date=start.isoformat(),
        end_date=(start + datetime.timedelta(days=1)).isoformat(),
        participants=3,
        fewer_opportunity_participants=2,
        count_economic_barriers=2,
        count_geographical_barriers=1,
        programme="Day 1: arrival.\nDay 2: follow-up meetings.",
    )

    response = login(applicant_coordinator).post(_url("exchange_edit", exchange), data)

    assert response.status_code == 302
    assert response.url == _url("exchange_detail", exchange)
    exchange.refresh_from_db()
    assert exchange.start_date == start
    assert (exchange.participants, exchange.fewer_opportunity_participants) == (3, 2)
    assert exchange.programme == "Day 1: arrival.\nDay 2: follow-up meetings."
    assert {(c.category.slug, c.count) for c in exchange.fewer_opportunity_counts.all()} == {
        ("economic-barriers", 2),
        ("geographical-barriers", 1),
    }
    edited = exchange.history.get(kind=ExchangeHistory.Kind.EDITED)
    assert edited.actor == applicant_coordinator


def test_the_edit_form_shows_the_saved_values_and_counts(login, exchange, host_coordinator):
    services.exchange_update(
        exchange=exchange, acting_user=host_coordinator, counts={category("social-barriers"): 1}
    )

    response = login(host_coordinator).get(_url("exchange_edit", exchange))

    content = response.content.decode()
    assert response.status_code == 200
    assert heading(response) == "Edit the exchange “Job shadowing of guidance counsellors in Borås”"
    assert re.search(r'name="count_social_barriers"[^>]*value="1"', content)
    assert re.search(r'name="count_disabilities"[^>]*value="0"', content)
    assert re.search(r'<label\s+for="id_count_social_barriers"[^>]*>\s*Social barriers', content)


def test_a_retired_category_s_count_stays_on_the_form_and_is_kept_on_saving(
    login, exchange, host_coordinator
):
    retired = category("disabilities")
    services.exchange_update(exchange=exchange, acting_user=host_coordinator, counts={retired: 1})
    retired.is_active = False
    retired.save()
    client = login(host_coordinator)

    form = client.get(_url("exchange_edit", exchange))
    client.post(_url("exchange_edit", exchange), _edit_data(exchange, count_disabilities=1))

    assert 'name="count_disabilities"' in form.content.decode()
    assert exchange.fewer_opportunity_counts.get().category == retired


def test_a_count_above_the_participants_with_fewer_opportunities_is_refused_and_nothing_saved(
    login, exchange, host_coordinator
):
    data = _edit_data(exchange, participants=3, count_economic_barriers=2)

    response = login(host_coordinator).post(_url("exchange_edit", exchange), data)

    assert response.status_code == 400
    assert field_error(response, "fewer_opportunity_participants") == (
        "Economic barriers: 2 is more than the 1 participants with fewer opportunities."
    )
    exchange.refresh_from_db()
    assert exchange.participants == 2
    assert not exchange.fewer_opportunity_counts.exists()
    assert not exchange.history.filter(kind=ExchangeHistory.Kind.EDITED).exists()


@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"end_date": "2020-01-01"}, "end_date", "The end is before the start."),
        (
            {"fewer_opportunity_participants": 3},
            "fewer_opportunity_participants",
            "There cannot be more participants with fewer opportunities than participants.",
        ),
        ({"participants": 0}, "participants", "Ensure this value is greater than or equal to 1."),
        (
            {"count_disabilities": -1},
            "count_disabilities",
            "Ensure this value is greater than or equal to 0.",
        ),
        ({"duration_days": "many"}, "duration_days", "Enter a number."),
    ],
)
def test_bad_input_on_the_edit_form_is_shown_next_to_its_field(
    login, exchange, host_coordinator, changes, field, error
):
    response = login(host_coordinator).post(
        _url("exchange_edit", exchange), _edit_data(exchange, **changes)
    )

    assert response.status_code == 400
    assert field_error(response, field) == error
    assert not exchange.history.filter(kind=ExchangeHistory.Kind.EDITED).exists()


def test_a_completed_exchange_cannot_be_edited(login, past_exchange, host_coordinator):
    services.exchange_complete(exchange=past_exchange, acting_user=host_coordinator)
    client = login(host_coordinator)

    response = client.get(_url("exchange_edit", past_exchange), follow=True)

    assert response.redirect_chain == [(_url("exchange_detail", past_exchange), 302)]
    assert "Only a planned exchange can be changed." in text(response)


def test_the_edit_page_sends_anonymous_visitors_to_sign_in(client, exchange):
    url = _url("exchange_edit", exchange)

    assert client.get(url).url == login_url(url)


def test_the_edit_page_is_not_found_for_outsiders(login, exchange, outsider):
    client = login(outsider)

    assert client.get(_url("exchange_edit", exchange)).status_code == 404
    assert client.post(_url("exchange_edit", exchange), _edit_data(exchange)).status_code == 404


def test_the_edit_page_refuses_other_methods(login, exchange, host_coordinator):
    assert login(host_coordinator).delete(_url("exchange_edit", exchange)).status_code == 405


# exchange_complete


def test_a_coordinator_marks_an_exchange_that_took_place_as_completed(
    login, past_exchange, applicant_coordinator
):
    response = login(applicant_coordinator).post(
        _url("exchange_complete", past_exchange), follow=True
    )

    assert "The exchange is marked as completed." in text(response)
    past_exchange.refresh_from_db()
    assert past_exchange.status == Exchange.Status.COMPLETED
    assert past_exchange.history.get(kind=ExchangeHistory.Kind.COMPLETED).actor == (
        applicant_coordinator
    )


def test_an_exchange_that_has_not_ended_cannot_be_completed(login, exchange, host_coordinator):
    response = login(host_coordinator).post(_url("exchange_complete", exchange), follow=True)

    assert "The exchange has not ended yet; it can be marked as completed from its last day" in (
        text(response)
    )
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED


def test_completing_refuses_get_outsiders_and_anonymous_visitors(
    client, login, past_exchange, host_coordinator, outsider
):
    url = _url("exchange_complete", past_exchange)

    assert login(host_coordinator).get(url).status_code == 405
    assert login(outsider).post(url).status_code == 404
    assert client.post(url).url == login_url(url)
    past_exchange.refresh_from_db()
    assert past_exchange.status == Exchange.Status.PLANNED


# exchange_cancel


def test_a_coordinator_cancels_an_exchange_with_a_reason_and_both_sides_are_told(
    login, exchange, host_coordinator, applicant_coordinator
):
    response = login(host_coordinator).post(
        _url("exchange_cancel", exchange),
        {"reason": "Our team is in a reorganisation."},
        follow=True,
    )

    assert "The exchange is cancelled." in text(response)
    assert "Cancelled Our team is in a reorganisation." in text(response)
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.CANCELLED
    assert exchange.cancellation_reason == "Our team is in a reorganisation."
    event = exchange.history.get(kind=ExchangeHistory.Kind.CANCELLED)
    assert (event.actor, event.note) == (host_coordinator, "Our team is in a reorganisation.")
    told = OutboxEmail.objects.filter(template="exchange_cancelled")
    assert set(told.values_list("recipient", flat=True)) == {
        host_coordinator.email,
        applicant_coordinator.email,
    }


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_without_a_reason_is_refused_next_to_the_field(
    login, exchange, host_coordinator, reason
):
    response = login(host_coordinator).post(_url("exchange_cancel", exchange), {"reason": reason})

    assert response.status_code == 400
    assert field_error(response, "reason") == "This field is required."
    assert '<details class="cancel-exchange card mt-4" open>' in response.content.decode()
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED


def test_a_cancelled_exchange_cannot_be_cancelled_again(login, exchange, host_coordinator):
    services.exchange_cancel(exchange=exchange, acting_user=host_coordinator, reason="Flood.")

    response = login(host_coordinator).post(
        _url("exchange_cancel", exchange), {"reason": "Again."}, follow=True
    )

    assert "Only a planned exchange can be cancelled." in text(response)
    assert exchange.history.filter(kind=ExchangeHistory.Kind.CANCELLED).count() == 1


def test_cancelling_refuses_get_outsiders_and_anonymous_visitors(
    client, login, exchange, host_coordinator, outsider
):
    url = _url("exchange_cancel", exchange)

    assert login(host_coordinator).get(url).status_code == 405
    assert login(outsider).post(url, {"reason": "Spite."}).status_code == 404
    assert client.post(url, {"reason": "Spite."}).url == login_url(url)
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.PLANNED


# exchange_calendar


def test_the_calendar_file_holds_the_visit_as_an_all_day_event(
    login, exchange, applicant_coordinator, settings
):
    settings.SITE_URL = "https://mobility.example.org"

    response = login(applicant_coordinator).get(_url("exchange_calendar", exchange))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert response["Content-Disposition"] == f'attachment; filename="exchange-{exchange.pk}.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == exchange.start_date
    # DTEND is exclusive: the day after the last day.
    assert event.decoded("dtend") == exchange.end_date + datetime.timedelta(days=1)
    assert str(event["uid"]) == f"exchange-{exchange.pk}@mobility.example.org"
    assert str(event["summary"]) == (
        "Job shadowing of guidance counsellors in Borås: Borås Stad hosts Vestland fylkeskommune"
    )
    assert str(event["location"]) == "Borås, Västra Götaland, Sweden"
    description = str(event["description"])
    assert (
        "Programme:\nDay 1: the multicompetent team.\nDay 2 (morning): ACT guidance." in description
    )
    assert "Practical notes:\nMeet at the town hall at 09:00." in description


def test_the_calendar_of_a_one_day_exchange_ends_the_next_day(
    login, offer, host_org, host_coordinator
):
    sender = OrganisationFactory(name="Region Skåne")
    one_day = _accepted(
        offer,
        sender,
        host_coordinator,
        preferred_start=offer.available_from,
        preferred_end=offer.available_from,
    )

    response = login(host_coordinator).get(_url("exchange_calendar", one_day))

    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert event.decoded("dtend") - event.decoded("dtstart") == datetime.timedelta(days=1)


def test_the_calendar_refuses_outsiders_anonymous_visitors_and_post(
    client, login, exchange, host_coordinator, outsider
):
    url = _url("exchange_calendar", exchange)

    assert login(outsider).get(url).status_code == 404
    assert client.get(url).url == login_url(url)
    assert login(host_coordinator).post(url).status_code == 405


# follow_up


HOST_FOLLOW_UP = {
    "account": "We showed Vestland how our multicompetent team works.",
    "lessons": "Identified shared challenges.\nGained insight into the NAV system.",
    "next_steps": "Visit Vestland.",
    "wants_reciprocal_visit": "on",
}


def _quotes(*quotes):
    data = {
        "quotes-TOTAL_FORMS": str(max(len(quotes), 1)),
        "quotes-INITIAL_FORMS": "0",
        "quotes-MIN_NUM_FORMS": "0",
        "quotes-MAX_NUM_FORMS": "10",
    }
    for index, quote in enumerate(quotes):
        for name, value in quote.items():
            data[f"quotes-{index}-{name}"] = value
    return data


NICHOLAS = {
    "person_name": "Nicholas Waller",
    "role": "International Coordinator",
    "organisation_name": "Borås Stad (Sweden)",
    "text": "We were very pleased to host Vestland.",
    "consent": "on",
    "public": "on",
}


def test_the_host_writes_its_follow_up_with_a_consented_quote(
    login, past_exchange, host_coordinator
):
    data = {**HOST_FOLLOW_UP, **_quotes(NICHOLAS)}

    response = login(host_coordinator).post(_url("follow_up", past_exchange), data)

    assert response.status_code == 302
    assert response.url == _url("exchange_detail", past_exchange)
    follow_up = FollowUp.objects.get(exchange=past_exchange)
    assert (follow_up.side, follow_up.organisation, follow_up.submitted_by) == (
        FollowUpSide.HOST,
        past_exchange.host,
        host_coordinator,
    )
    assert follow_up.lesson_list == [
        "Identified shared challenges.",
        "Gained insight into the NAV system.",
    ]
    assert follow_up.wants_reciprocal_visit is True
    quote = follow_up.quotes.get()
    assert (quote.person_name, quote.consent, quote.public) == ("Nicholas Waller", True, True)
    assert past_exchange.history.filter(kind=ExchangeHistory.Kind.FOLLOW_UP).count() == 1


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        ("host_coordinator", "Lessons learnt by the hosting institution"),
        ("applicant_coordinator", "Lessons learnt by the participants"),
    ],
)
def test_each_side_s_form_names_whose_lessons_it_asks_for(
    request, login, past_exchange, persona, label
):
    response = login(request.getfixturevalue(persona)).get(_url("follow_up", past_exchange))

    assert response.status_code == 200
    assert heading(response) == "Follow-up of “Reintegrating individuals into education and work”"
    assert re.search(rf'<label\s+for="id_lessons"[^>]*>\s*{label}', response.content.decode())
    assert re.search(r'<label\s+for="id_account"[^>]*>\s*The exchange', response.content.decode())
    assert 'name="quotes-0-consent"' in response.content.decode()


def test_each_side_writes_its_own_follow_up_and_both_make_a_draft_case_study(
    login, past_exchange, host_coordinator, applicant_coordinator
):
    login(host_coordinator).post(_url("follow_up", past_exchange), {**HOST_FOLLOW_UP, **_quotes()})
    login(applicant_coordinator).post(
        _url("follow_up", past_exchange),
        {
            "account": "We observed real follow-up meetings.",
            "lessons": "Discovered ACT guidance.",
            "next_steps": "Adapt the approach.",
            **_quotes(),
        },
    )

    sides = dict(FollowUp.objects.values_list("side", "organisation"))
    assert sides == {"host": past_exchange.host_id, "sending": past_exchange.sender_id}
    case_study = past_exchange.case_study
    assert case_study.status == "draft"
    assert case_study.participant_lessons == "Discovered ACT guidance."
    response = login(host_coordinator).get(_url("exchange_detail", past_exchange))
    assert "the EARLALL secretariat is reviewing the case study" in text(response)


def test_a_public_quote_without_consent_is_refused_next_to_the_consent_field(
    login, past_exchange, host_coordinator
):
    quote = {**NICHOLAS, "consent": ""}

    response = login(host_coordinator).post(
        _url("follow_up", past_exchange), {**HOST_FOLLOW_UP, **_quotes(quote)}
    )

    assert response.status_code == 400
    assert field_error(response, "quotes-0-consent") == (
        "A quote can only be published with the person's consent."
    )
    assert not FollowUp.objects.exists()
    assert not Quote.objects.exists()


def test_a_follow_up_without_an_account_is_refused_next_to_the_field(
    login, past_exchange, host_coordinator
):
    response = login(host_coordinator).post(
        _url("follow_up", past_exchange), {**HOST_FOLLOW_UP, "account": "", **_quotes()}
    )

    assert response.status_code == 400
    assert field_error(response, "account") == "This field is required."
    assert not FollowUp.objects.exists()


def test_writing_the_follow_up_again_shows_and_replaces_the_saved_one(
    login, past_exchange, host_coordinator
):
    client = login(host_coordinator)
    client.post(_url("follow_up", past_exchange), {**HOST_FOLLOW_UP, **_quotes(NICHOLAS)})

    form = client.get(_url("follow_up", past_exchange))
    client.post(
        _url("follow_up", past_exchange),
        {
            **HOST_FOLLOW_UP,
            "account": "A better account.",
            **_quotes({**NICHOLAS, "person_name": "Anna Berg"}),
        },
    )

    assert "We showed Vestland how our multicompetent team works." in form.content.decode()
    assert 'value="Nicholas Waller"' in form.content.decode()
    follow_up = FollowUp.objects.get()
    assert follow_up.account == "A better account."
    assert list(follow_up.quotes.values_list("person_name", flat=True)) == ["Anna Berg"]


def test_a_quote_can_be_removed_when_writing_again(login, past_exchange, host_coordinator):
    client = login(host_coordinator)
    client.post(_url("follow_up", past_exchange), {**HOST_FOLLOW_UP, **_quotes(NICHOLAS)})
    data = {**HOST_FOLLOW_UP, **_quotes({**NICHOLAS, "DELETE": "on"})}
    data["quotes-INITIAL_FORMS"] = "1"

    client.post(_url("follow_up", past_exchange), data)

    assert not Quote.objects.exists()


def test_before_the_last_day_the_follow_up_page_says_when_it_opens(
    login, exchange, host_coordinator
):
    client = login(host_coordinator)

    page = client.get(_url("follow_up", exchange))
    refused = client.post(_url("follow_up", exchange), {**HOST_FOLLOW_UP, **_quotes()})

    assert f"The follow-up opens on {exchange.end_date:%-d %B %Y}" in text(page)
    assert 'name="account"' not in page.content.decode()
    assert refused.status_code == 400
    assert "The follow-up opens on the last day of the exchange." in text(refused)
    assert not FollowUp.objects.exists()


def test_a_cancelled_exchange_has_no_follow_up_form(login, past_exchange, host_coordinator):
    services.exchange_cancel(exchange=past_exchange, acting_user=host_coordinator, reason="Ill.")

    response = login(host_coordinator).get(_url("follow_up", past_exchange))

    assert "A cancelled exchange has no follow-up." in text(response)
    assert 'name="account"' not in response.content.decode()


def test_the_follow_up_refuses_outsiders_anonymous_visitors_and_other_methods(
    client, login, past_exchange, host_coordinator, outsider
):
    url = _url("follow_up", past_exchange)

    assert login(outsider).get(url).status_code == 404
    assert login(outsider).post(url, {**HOST_FOLLOW_UP, **_quotes()}).status_code == 404
    assert client.get(url).url == login_url(url)
    assert login(host_coordinator).put(url).status_code == 405
    assert not FollowUp.objects.exists()


# reciprocal_offer


def _sending_follow_up(exchange, user, *, wants):
    services.follow_up_submit(
        exchange=exchange,
        organisation=exchange.sender,
        acting_user=user,
        quotes=[],
        account="We observed real follow-up meetings.",
        lessons="Discovered ACT guidance.",
        next_steps="",
        wants_reciprocal_visit=wants,
    )


def test_the_sending_side_that_wants_a_reciprocal_visit_is_offered_a_draft(
    login, past_exchange, applicant_coordinator, host_coordinator
):
    _sending_follow_up(past_exchange, applicant_coordinator, wants=True)
    url = _url("reciprocal_offer", past_exchange)
    detail = _url("exchange_detail", past_exchange)

    assert url in login(applicant_coordinator).get(detail).content.decode()
    assert url not in login(host_coordinator).get(detail).content.decode()


def test_no_reciprocal_draft_is_offered_when_the_sending_side_did_not_ask(
    login, past_exchange, applicant_coordinator
):
    _sending_follow_up(past_exchange, applicant_coordinator, wants=False)

    response = login(applicant_coordinator).get(_url("exchange_detail", past_exchange))

    assert _url("reciprocal_offer", past_exchange) not in response.content.decode()


def test_the_reciprocal_draft_is_the_same_exchange_the_other_way_round(
    login, past_exchange, applicant_coordinator, applicant_org
):
    _sending_follow_up(past_exchange, applicant_coordinator, wants=True)

    response = login(applicant_coordinator).post(_url("reciprocal_offer", past_exchange))

    draft = Offer.objects.get(organisation=applicant_org)
    assert response.status_code == 302
    assert response.url == reverse("exchanges:offer_edit", args=[draft.pk])
    assert draft.status == Offer.Status.DRAFT
    assert draft.title == "Reciprocal visit: Reintegrating individuals into education and work"
    assert draft.exchange_type == past_exchange.offer.exchange_type
    assert draft.city == "Bergen"


def test_a_double_clicked_reciprocal_draft_is_made_once(
    login, past_exchange, applicant_coordinator, applicant_org, django_capture_on_commit_callbacks
):
    _sending_follow_up(past_exchange, applicant_coordinator, wants=True)
    client = login(applicant_coordinator)
    token = submission_token(client.get(_url("exchange_detail", past_exchange)))
    url = _url("reciprocal_offer", past_exchange)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"submission_token": token})
    second = client.post(url, {"submission_token": token}, follow=True)

    draft = Offer.objects.get(organisation=applicant_org)
    assert second.redirect_chain == [(reverse("exchanges:offer_edit", args=[draft.pk]), 302)]
    assert "You sent this form twice; it was saved once." in text(second)


def test_only_the_sending_side_creates_the_reciprocal_draft(
    client, login, past_exchange, applicant_coordinator, host_coordinator, outsider
):
    _sending_follow_up(past_exchange, applicant_coordinator, wants=True)
    url = _url("reciprocal_offer", past_exchange)
    offers = Offer.objects.count()

    assert login(host_coordinator).post(url).status_code == 404
    assert login(outsider).post(url).status_code == 404
    assert client.post(url).url == login_url(url)
    assert login(applicant_coordinator).get(url).status_code == 405
    assert Offer.objects.count() == offers


# The desk's "Our exchanges"


def test_the_desk_lists_the_exchanges_as_host_and_as_sender(
    login, exchange, host_org, host_coordinator, applicant_coordinator
):
    other_host = OfferFactory(title="Apprentices at a shipyard")
    sent = _accepted(other_host, host_org, host_coordinator)

    host_page = login(host_coordinator).get(DESK_URL)
    sender_page = login(applicant_coordinator).get(DESK_URL)

    dates = f"{exchange.start_date:%-d %b %Y} – {exchange.end_date:%-d %b %Y}"
    assert "Our exchanges Exchange We are With Dates Status" in text(host_page)
    assert (
        f"Job shadowing of guidance counsellors in Borås Host Vestland fylkeskommune {dates} "
        "Planned" in text(host_page)
    )
    assert f"Apprentices at a shipyard Sending {other_host.organisation.name}" in text(host_page)
    assert _url("exchange_detail", exchange) in host_page.content.decode()
    assert _url("exchange_detail", sent) in host_page.content.decode()
    assert f"in Borås Sending Borås Stad {dates} Planned" in text(sender_page)


@pytest.mark.parametrize("exchanges", [1, 6])
def test_the_desk_runs_the_same_number_of_queries_for_any_number_of_exchanges(
    login, host_org, host_coordinator, django_assert_num_queries, exchanges
):
    for _ in range(exchanges):
        _accepted(OfferFactory(organisation=host_org), OrganisationFactory(), host_coordinator)
    client = login(host_coordinator)

    with django_assert_num_queries(DESK_QUERIES):
        response = client.get(DESK_URL)

    assert text(response).count("Planned") == exchanges


def test_a_coordinator_sets_the_exchanges_fields_of_education(
    login, exchange, applicant_coordinator
):
    health = FieldOfEducation.objects.get(slug="09")
    data = {**_edit_data(exchange), "fields_of_education": [health.pk]}

    response = login(applicant_coordinator).post(_url("exchange_edit", exchange), data)

    assert response.status_code == 302
    assert list(exchange.fields_of_education.all()) == [health]
    page = login(applicant_coordinator).get(_url("exchange_detail", exchange)).content.decode()
    assert "09 Health and welfare" in page


# Far dates (issue 9, finding 5): 9999-12-31 made the calendar a 500, year 1 opened the follow-up.


def _reach():
    today = timezone.localdate()
    return (
        f"Enter a date between {today.replace(year=today.year - 10, day=1).isoformat()} "
        f"and {today.replace(year=today.year + 10, day=1).isoformat()}."
    )


@pytest.mark.parametrize(
    ("field", "value"), [("end_date", "9999-12-31"), ("start_date", "0001-01-01")]
)
def test_a_date_out_of_reach_is_refused_next_to_its_field_and_the_exchange_kept(
    login, exchange, host_coordinator, field, value
):
    client = login(host_coordinator)
    saved = (exchange.start_date, exchange.end_date)

    response = client.post(_url("exchange_edit", exchange), _edit_data(exchange, **{field: value}))

    assert field_error(response, field) == _reach()
    exchange.refresh_from_db()
    assert (exchange.start_date, exchange.end_date) == saved
    assert client.get(_url("exchange_calendar", exchange)).status_code == 200
    # The follow-up does not open before the exchange's last day.
    assert 'name="account"' not in client.get(_url("follow_up", exchange)).content.decode()
