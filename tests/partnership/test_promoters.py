"""Promoters: nominated by members, listed publicly, reachable without revealing their address."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from matchmaking.models import OutboxEmail
from partnership.models import Promoter
from partnership.views import PROMOTER_CONTACT_LIMIT
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    PromoterFactory,
    UserFactory,
    language,
)
from tests.pages import field_error, heading, login_url, text
from tests.partnership.images import png

pytestmark = pytest.mark.django_db

PROMOTERS_URL = reverse("partnership:promoters")
NOMINATE_URL = reverse("partnership:promoter_nominate")
# The promoters with their organisations, then their languages: however many.
PROMOTERS_PAGE_QUERIES = 2


def _contact_url(promoter):
    return reverse("partnership:promoter_contact", args=[promoter.pk])


def _nomination(organisation, **overrides):
    return {
        "organisation": organisation.pk,
        "name": "Nicholas Waller",
        "role": "International coordinator",
        "languages": [language("sv").pk, language("en").pk],
        "bio": "Hosts job shadowing on inclusive employment in Borås.",
        "contact_email": "nicholas.waller@boras.example.org",
        **overrides,
    }


# the promoters page


def test_the_promoters_page_lists_approved_promoters_without_their_addresses(client, member_org):
    PromoterFactory(
        organisation=member_org,
        name="Nicholas Waller",
        role="International coordinator",
        contact_email="nicholas.waller@boras.example.org",
        languages=[language("sv"), language("en")],
        bio="Hosts job shadowing in Borås.",
    )
    PromoterFactory(organisation=member_org, name="Pending Person", status=Promoter.Status.PENDING)

    response = client.get(PROMOTERS_URL)

    assert heading(response) == "Learning-mobility promoters"
    page = text(response)
    assert "Nicholas Waller International coordinator, Borås Stad (Sweden)" in page
    assert "Speaks English, Swedish" in page
    assert "Hosts job shadowing in Borås." in page
    assert "Pending Person" not in page
    assert "nicholas.waller@boras.example.org" not in response.content.decode()


def test_a_photo_is_shown_only_with_consent(client, member_org):
    PromoterFactory(
        organisation=member_org, name="With Consent", photo=png("a.png"), photo_consent=True
    )
    PromoterFactory(organisation=member_org, name="Without Photo", photo_consent=True)

    response = client.get(PROMOTERS_URL)

    assert re.findall(r'<img src="[^"]+" alt="([^"]+)"', response.content.decode()) == [
        "Photo of With Consent"
    ]


@pytest.mark.parametrize("count", [1, 8])
def test_the_promoters_page_takes_the_same_queries_for_any_number(
    client, django_assert_num_queries, count
):
    for _ in range(count):
        PromoterFactory(languages=[language("en"), language("sv")])

    with django_assert_num_queries(PROMOTERS_PAGE_QUERIES):
        response = client.get(PROMOTERS_URL)

    assert response.content.decode().count('id="promoter-') == count


# nominate


def test_a_members_coordinator_nominates_a_promoter_with_a_photo(
    login, member_org, host_coordinator
):
    response = login(host_coordinator).post(
        NOMINATE_URL,
        _nomination(member_org, photo=png("nicholas.png"), photo_consent="on"),
        follow=True,
    )

    assert response.redirect_chain == [(PROMOTERS_URL, 302)]
    assert "The secretariat will review the nomination of Nicholas Waller" in text(response)
    promoter = Promoter.objects.get()
    assert (promoter.status, promoter.organisation, promoter.nominated_by) == (
        "pending",
        member_org,
        host_coordinator,
    )
    assert promoter.photo_consent and promoter.photo.name.startswith("promoters/nicholas")
    assert "No promoters yet." in text(response)  # not before the secretariat approves


def test_the_nomination_form_names_the_member_organisation(login, member_org, host_admin):
    response = login(host_admin).get(NOMINATE_URL)

    assert heading(response) == "Nominate a learning-mobility promoter"
    assert f'<option value="{member_org.pk}" selected>Borås Stad</option>' in (
        response.content.decode()
    )


def test_a_photo_without_consent_is_refused_next_to_the_photo(login, member_org, host_admin):
    response = login(host_admin).post(NOMINATE_URL, _nomination(member_org, photo=png()))

    assert response.status_code == 400
    assert field_error(response, "photo") == (
        "Add a photo only when the person agrees that it is shown."
    )
    assert not Promoter.objects.exists()


def test_bad_input_is_shown_next_to_the_fields(login, member_org, host_admin):
    response = login(host_admin).post(
        NOMINATE_URL,
        _nomination(
            member_org,
            bio="x" * 1001,
            languages=[],
            contact_email="nope",
            photo_consent="on",
            photo=SimpleUploadedFile("photo.png", b"not an image at all" * 10),
        ),
    )

    assert response.status_code == 400
    assert field_error(response, "bio") == (
        "Ensure this value has at most 1000 characters (it has 1001)."
    )
    assert field_error(response, "languages") == "This field is required."
    assert field_error(response, "contact_email") == "Enter a valid email address."
    assert field_error(response, "photo") == (
        "The photo is not an image we can read; upload a PNG or JPEG file."
    )
    assert not Promoter.objects.exists()


def test_an_organisation_outside_the_partnership_cannot_nominate(login, host_org, outsider):
    response = login(outsider).post(NOMINATE_URL, _nomination(host_org), follow=True)

    assert response.redirect_chain == [(reverse("partnership:about"), 302)]
    assert "Only organisations in the partnership nominate promoters" in text(response)
    assert not Promoter.objects.exists()


def test_a_member_cannot_nominate_for_another_organisation(login, member_org, applicant_org):
    applicant_org.rsp_member_since = member_org.rsp_member_since
    applicant_org.save()
    vestland = UserFactory()
    MembershipFactory(user=vestland, organisation=applicant_org)

    response = login(vestland).post(NOMINATE_URL, _nomination(member_org))

    assert response.status_code == 400
    assert "Select a valid choice." in field_error(response, "organisation")
    assert not Promoter.objects.exists()


def test_nominating_sends_anonymous_visitors_to_sign_in(client, member_org):
    response = client.post(NOMINATE_URL, _nomination(member_org))

    assert response["Location"] == login_url(NOMINATE_URL)
    assert not Promoter.objects.exists()


def test_nominating_refuses_other_methods(login, member_org, host_admin):
    assert login(host_admin).put(NOMINATE_URL).status_code == 405


# contact


def test_the_contact_form_does_not_reveal_the_address(client):
    promoter = PromoterFactory(name="Nicholas Waller", contact_email="nicholas@boras.example.org")

    response = client.get(_contact_url(promoter))

    assert heading(response) == "Write to Nicholas Waller"
    assert "nicholas@boras.example.org" not in response.content.decode()


def test_a_visitor_writes_to_a_promoter_who_answers_by_replying(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    promoter = PromoterFactory(name="Nicholas Waller", contact_email="nicholas@boras.example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _contact_url(promoter),
            {
                "sender_name": "Jordi Ferrer",
                "sender_email": "jordi@montjuic.example.org",
                "message": "Could two of our teachers shadow you in October?",
            },
            follow=True,
        )

    assert response.redirect_chain == [(PROMOTERS_URL, 302)]
    assert "Your message is on its way to Nicholas Waller" in text(response)
    assert "nicholas@boras.example.org" not in response.content.decode()
    (message,) = mailoutbox
    assert message.to == ["nicholas@boras.example.org"]
    assert message.extra_headers["Reply-To"] == "Jordi Ferrer <jordi@montjuic.example.org>"
    assert "Could two of our teachers shadow you in October?" in message.body


def test_bad_input_to_the_contact_form_is_shown_next_to_the_fields(client):
    promoter = PromoterFactory()

    response = client.post(
        _contact_url(promoter),
        {"sender_name": "Jordi\nBcc: spam@example.org", "sender_email": "jordi", "message": ""},
    )

    assert response.status_code == 400
    assert field_error(response, "sender_email") == "Enter a valid email address."
    assert field_error(response, "message") == "This field is required."
    assert not OutboxEmail.objects.exists()


def test_a_name_on_several_lines_is_made_one_line(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    promoter = PromoterFactory()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _contact_url(promoter),
            {
                "sender_name": "Jordi\r\nBcc: spam@example.org",
                "sender_email": "j@example.org",
                "message": "Hello",
            },
        )

    (message,) = mailoutbox
    assert message.extra_headers["Reply-To"] == '"Jordi Bcc: spam@example.org" <j@example.org>'
    assert message.bcc == []


def test_a_visitor_may_write_only_a_few_messages_an_hour(client):
    promoter = PromoterFactory()
    data = {"sender_name": "Jordi", "sender_email": "j@example.org", "message": "Hello"}
    for _ in range(PROMOTER_CONTACT_LIMIT):
        assert client.post(_contact_url(promoter), data).status_code == 302

    response = client.post(_contact_url(promoter), data)

    assert response.status_code == 429
    assert "You have sent several messages in a short time" in text(response)
    assert OutboxEmail.objects.count() == PROMOTER_CONTACT_LIMIT


def test_a_promoter_who_is_not_public_cannot_be_reached(client):
    pending = PromoterFactory(status=Promoter.Status.PENDING)
    left = PromoterFactory(organisation=OrganisationFactory(rsp_member_since=None))

    for promoter in (pending, left):
        assert client.get(_contact_url(promoter)).status_code == 404
        assert client.post(_contact_url(promoter), {"message": "Hi"}).status_code == 404
    assert not OutboxEmail.objects.exists()


def test_the_contact_form_refuses_other_methods(client):
    assert client.delete(_contact_url(PromoterFactory())).status_code == 405
