"""Call rounds: ranking, allocating and confirming, as senders, hosts and organisers see it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from exchanges import proposals, services
from exchanges.models import Application, CallRound, Exchange, RoundEntry, RoundProposal
from matchmaking.models import Membership
from tests.factories import (
    ApplicationFactory,
    CallRoundFactory,
    MembershipFactory,
    OfferFactory,
    OrganisationFactory,
    UserFactory,
    round_entry,
)
from tests.pages import login_url


def _sender(name, email):
    organisation = OrganisationFactory(name=name)
    user = UserFactory(email=email)
    MembershipFactory(user=user, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation, user


@pytest.fixture
def spring(host_org, host_admin):
    """Borås's round of two one-place offers; Bergen and Tartu applied to both."""
    shadowing = OfferFactory(organisation=host_org, title="Shadowing in Borås", capacity=1)
    visit = OfferFactory(organisation=host_org, title="Study visit in Borås", capacity=1)
    call_round = CallRoundFactory(
        organiser=host_org, offers=[shadowing, visit], name="Spring 2027 VET job shadowing"
    )
    bergen, bergen_user = _sender("Bergen kommune", "coordinator@bergen.example.org")
    tartu, tartu_user = _sender("Tartu linn", "coordinator@tartu.example.org")
    apps = {
        (who, offer.title): ApplicationFactory(offer=offer, organisation=org, score=score)
        for who, org, scores in (("bergen", bergen, (0.9, 0.4)), ("tartu", tartu, (0.6, 0.8)))
        for offer, score in zip((shadowing, visit), scores, strict=True)
    }
    return {
        "round": call_round,
        "shadowing": shadowing,
        "visit": visit,
        "bergen": bergen,
        "bergen_user": bergen_user,
        "tartu": tartu,
        "tartu_user": tartu_user,
        "apps": apps,
    }


def _rank(spring, who, *titles):
    services.round_rank_choices(
        call_round=spring["round"],
        organisation=spring[who],
        acting_user=spring[f"{who}_user"],
        applications=[spring["apps"][who, title] for title in titles],
    )


def test_both_senders_want_shadowing_and_the_host_prefers_the_better_fit(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås", "Study visit in Borås")
    _rank(spring, "tartu", "Shadowing in Borås", "Study visit in Borås")

    proposal = services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    placed = {p.organisation.name: p.application.offer.title for p in proposal.placements.all()}
    assert placed == {"Bergen kommune": "Shadowing in Borås", "Tartu linn": "Study visit in Borås"}
    assert proposal.figures["placed"] == 2
    assert proposal.figures["first_choices"] == 1
    assert proposal.figures["blocking_pairs"] == 0
    spring["round"].refresh_from_db()
    assert spring["round"].status == CallRound.Status.PROPOSED


def test_a_host_reordering_its_applicants_changes_who_gets_the_place(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    shadowing = spring["shadowing"]
    entries = {
        e.organisation.name: e for e in RoundEntry.objects.filter(call_round=spring["round"])
    }
    services.round_rank_applicants(
        call_round=spring["round"],
        host=shadowing.organisation,
        acting_user=host_admin,
        rankings=[(shadowing, [(entries["Tartu linn"], True), (entries["Bergen kommune"], True)])],
    )

    proposal = services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    outcome = {p.organisation.name: (p.is_placed, p.reason) for p in proposal.placements.all()}
    assert outcome == {
        "Tartu linn": (True, ""),
        "Bergen kommune": (
            False,
            "The offer you ranked was filled by applications its host ranked higher.",
        ),
    }


def test_the_reserve_holds_the_place_for_participants_with_fewer_opportunities(spring, host_admin):
    shadowing = spring["shadowing"]
    shadowing.capacity = 2
    shadowing.save()
    spring["round"].reserve_percent = 50
    spring["round"].save()
    third, _user = _sender("Riga dome", "coordinator@riga.example.org")
    riga = ApplicationFactory(
        offer=shadowing, organisation=third, score=0.1, fewer_opportunity_participants=1
    )
    round_entry(spring["round"], riga)
    _rank(spring, "bergen", "Shadowing in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")

    proposal = services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    outcome = {p.organisation.name: p.reason for p in proposal.placements.all()}
    assert outcome == {
        "Bergen kommune": "",
        "Riga dome": "",
        "Tartu linn": "No places were left after the reserve: the places you would have had "
        "are held for participants with fewer opportunities.",
    }
    assert proposal.figures["reserve_filled"] == 1


def test_a_second_run_replaces_the_proposal(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    first = services.round_allocate(call_round=spring["round"], acting_user=host_admin)
    _rank(spring, "tartu", "Study visit in Borås")

    second = services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    assert list(RoundProposal.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.pk != second.pk
    assert second.figures["placed"] == 2


def test_confirming_accepts_the_placed_wait_lists_and_declines_the_others_and_emails_everyone(
    spring, host_admin, mailoutbox, django_capture_on_commit_callbacks
):
    _rank(spring, "bergen", "Shadowing in Borås", "Study visit in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    with django_capture_on_commit_callbacks(execute=True):
        services.round_confirm(call_round=spring["round"], acting_user=host_admin)

    apps = spring["apps"]
    status = {key: Application.objects.get(pk=a.pk).status for key, a in apps.items()}
    assert status == {
        ("bergen", "Shadowing in Borås"): Application.Status.ACCEPTED,
        # Bergen has its place: its second choice is declined.
        ("bergen", "Study visit in Borås"): Application.Status.DECLINED,
        # Tartu is wait-listed where it ranked; its application outside the round stays.
        ("tartu", "Shadowing in Borås"): Application.Status.SHORTLISTED,
        ("tartu", "Study visit in Borås"): Application.Status.SUBMITTED,
    }
    assert Exchange.objects.filter(application=apps["bergen", "Shadowing in Borås"]).exists()
    subjects = {(m.to[0], m.subject) for m in mailoutbox}
    assert (
        "coordinator@bergen.example.org",
        "Spring 2027 VET job shadowing: you have a place",
    ) in (subjects)
    assert (
        "coordinator@tartu.example.org",
        "Spring 2027 VET job shadowing: no place this time",
    ) in subjects
    tartu_result = next(m for m in mailoutbox if m.subject.endswith("no place this time"))
    assert "filled by applications its host ranked higher" in tartu_result.body
    assert (
        host_admin.email,
        "Spring 2027 VET job shadowing: the allocation is confirmed",
    ) in subjects
    spring["round"].refresh_from_db()
    assert spring["round"].status == CallRound.Status.CONFIRMED


def test_a_second_choice_of_a_placed_sender_is_declined_on_confirmation(spring, host_admin):
    _rank(spring, "bergen", "Study visit in Borås", "Shadowing in Borås")
    services.round_allocate(call_round=spring["round"], acting_user=host_admin)
    services.round_confirm(call_round=spring["round"], acting_user=host_admin)

    apps = spring["apps"]
    assert Application.objects.get(pk=apps["bergen", "Study visit in Borås"].pk).status == (
        Application.Status.ACCEPTED
    )
    assert Application.objects.get(pk=apps["bergen", "Shadowing in Borås"].pk).status == (
        Application.Status.DECLINED
    )


def test_a_confirmed_round_is_not_allocated_or_ranked_again(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    services.round_allocate(call_round=spring["round"], acting_user=host_admin)
    services.round_confirm(call_round=spring["round"], acting_user=host_admin)

    with pytest.raises(ValidationError, match="already confirmed"):
        services.round_allocate(call_round=spring["round"], acting_user=host_admin)
    with pytest.raises(ValidationError, match="no longer be changed"):
        _rank(spring, "tartu", "Shadowing in Borås")


def test_a_sender_ranks_at_most_the_rounds_number_of_offers(spring):
    spring["round"].max_choices = 1
    spring["round"].save()
    with pytest.raises(ValidationError, match="Rank at most 1 offer."):
        _rank(spring, "bergen", "Shadowing in Borås", "Study visit in Borås")


def test_an_organisation_round_takes_only_its_own_offers(host_org, host_admin):
    foreign = OfferFactory()
    with pytest.raises(ValidationError) as refusal:
        services.round_create(
            organiser=host_org,
            acting_user=host_admin,
            offers=[foreign],
            name="Mixed",
            application_deadline=timezone.now() + datetime.timedelta(days=3),
            allocation_date=timezone.now() + datetime.timedelta(days=4),
        )
    assert refusal.value.message_dict == {
        "offers": ["A round of an organisation includes only its own offers."]
    }


def test_the_beat_task_proposes_the_rounds_whose_allocation_date_came(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    later = CallRoundFactory(organiser=spring["round"].organiser)
    CallRound.objects.filter(pk=spring["round"].pk).update(
        application_deadline=timezone.now() - datetime.timedelta(hours=2),
        allocation_date=timezone.now() - datetime.timedelta(hours=1),
    )

    assert proposals.propose_due_rounds() == [spring["round"].pk]
    assert proposals.propose_due_rounds() == []  # already proposed: nothing to do
    assert not RoundProposal.objects.filter(call_round=later).exists()
    assert RoundProposal.objects.get().placements.get().organisation == spring["bergen"]


# The pages


def test_the_public_page_lists_the_offers_and_the_deadline(client, spring):
    response = client.get(spring["round"].get_absolute_url())

    page = response.content.decode()
    assert "Spring 2027 VET job shadowing" in page
    assert "Shadowing in Borås" in page and "Study visit in Borås" in page
    assert "Application deadline" in page


def test_the_sender_ranks_its_applications_on_its_page(client, spring):
    client.force_login(spring["bergen_user"])
    url = reverse("exchanges:round_sender_ranking", args=[spring["round"].pk])
    apps = spring["apps"]

    response = client.post(
        url,
        {
            f"rank_{apps['bergen', 'Study visit in Borås'].pk}": "1",
            f"rank_{apps['bergen', 'Shadowing in Borås'].pk}": "2",
        },
        follow=True,
    )

    assert "Your choices are saved." in response.content.decode()
    ranks = RoundEntry.objects.filter(organisation=spring["bergen"]).values_list(
        "application__offer__title", "sender_rank"
    )
    assert sorted(ranks) == [("Shadowing in Borås", 2), ("Study visit in Borås", 1)]


def test_the_sender_is_told_next_to_the_field_when_it_gives_a_rank_twice(client, spring):
    client.force_login(spring["bergen_user"])
    apps = spring["apps"]
    response = client.post(
        reverse("exchanges:round_sender_ranking", args=[spring["round"].pk]),
        {
            f"rank_{apps['bergen', 'Study visit in Borås'].pk}": "1",
            f"rank_{apps['bergen', 'Shadowing in Borås'].pk}": "1",
        },
    )
    assert response.status_code == 200
    assert "is already given to" in response.content.decode()
    assert not RoundEntry.objects.exists()


def test_the_host_reorders_and_marks_one_not_acceptable(client, spring, host_coordinator):
    _rank(spring, "bergen", "Shadowing in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    entries = {e.organisation.name: e for e in RoundEntry.objects.all()}
    client.force_login(host_coordinator)
    url = reverse("exchanges:round_host_ranking", args=[spring["round"].pk])

    page = client.get(url).content.decode()
    assert page.index("Bergen kommune") < page.index("Tartu linn")  # by fit first
    response = client.post(
        url,
        {
            f"rank_{entries['Tartu linn'].pk}": "1",
            f"acceptable_{entries['Tartu linn'].pk}": "on",
            f"rank_{entries['Bergen kommune'].pk}": "2",
        },
        follow=True,
    )

    page = response.content.decode()
    assert "Your ranking is saved." in page
    assert page.index("Tartu linn") < page.index("Bergen kommune")
    assert not RoundEntry.objects.get(pk=entries["Bergen kommune"].pk).acceptable


def test_the_host_is_told_next_to_the_field_when_a_position_is_given_twice(
    client, spring, host_coordinator
):
    _rank(spring, "bergen", "Shadowing in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    ids = list(RoundEntry.objects.values_list("pk", flat=True))
    client.force_login(host_coordinator)
    response = client.post(
        reverse("exchanges:round_host_ranking", args=[spring["round"].pk]),
        {f"rank_{ids[0]}": "1", f"rank_{ids[1]}": "1"},
    )
    assert response.status_code == 200
    assert "Position 1 is given twice" in response.content.decode()


def test_the_organiser_allocates_and_confirms_from_the_proposal_page(client, spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    client.force_login(host_admin)
    pk = spring["round"].pk

    page = client.post(reverse("exchanges:round_allocate", args=[pk]), follow=True)
    text = page.content.decode()
    assert "The allocation is proposed." in text
    assert "1 of 2 (50 %)" in text
    assert "filled by applications its host ranked higher" in text

    page = client.post(reverse("exchanges:round_confirm", args=[pk]), follow=True)
    assert "The allocation is confirmed" in page.content.decode()
    assert Exchange.objects.count() == 1


def test_confirming_without_a_proposal_says_so(client, spring, host_admin):
    client.force_login(host_admin)
    page = client.post(
        reverse("exchanges:round_confirm", args=[spring["round"].pk]), follow=True
    ).content.decode()
    assert "There is no proposed allocation to confirm." in page


@pytest.mark.parametrize(
    "name",
    ["round_sender_ranking", "round_host_ranking", "round_proposal"],
)
def test_the_rounds_pages_send_anonymous_visitors_to_sign_in(client, spring, name):
    url = reverse(f"exchanges:{name}", args=[spring["round"].pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == login_url(url)


@pytest.mark.parametrize(
    "name",
    ["round_sender_ranking", "round_host_ranking", "round_proposal"],
)
def test_the_rounds_pages_are_not_found_for_outsiders(client, spring, outsider, name):
    client.force_login(outsider)
    assert client.get(reverse(f"exchanges:{name}", args=[spring["round"].pk])).status_code == 404


def test_the_buttons_refuse_get_and_a_coordinator_who_is_no_admin(client, spring, host_coordinator):
    client.force_login(host_coordinator)
    pk = spring["round"].pk
    assert client.get(reverse("exchanges:round_allocate", args=[pk])).status_code == 405
    response = client.post(reverse("exchanges:round_allocate", args=[pk]))
    assert response.status_code == 403
    assert not RoundProposal.objects.exists()


def test_an_admin_opens_a_round_of_its_offers(client, spring, host_admin):
    client.force_login(host_admin)
    moment = timezone.localtime() + datetime.timedelta(days=5)
    response = client.post(
        reverse("exchanges:round_create"),
        {
            "name": "Autumn visits",
            "offers": [spring["visit"].pk],
            "application_deadline": moment.strftime("%Y-%m-%dT%H:%M"),
            "allocation_date": (moment + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "reserve_percent": "20",
            "rule": "best_fit",
            "max_choices": "5",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "The round is open." in page
    assert "Autumn visits" in page and "Best total fit" in page


def test_the_round_form_says_when_the_allocation_comes_before_the_deadline(
    client, spring, host_admin
):
    client.force_login(host_admin)
    moment = timezone.localtime() + datetime.timedelta(days=5)
    response = client.post(
        reverse("exchanges:round_create"),
        {
            "name": "Autumn visits",
            "offers": [spring["visit"].pk],
            "application_deadline": moment.strftime("%Y-%m-%dT%H:%M"),
            "allocation_date": (moment - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "reserve_percent": "20",
            "rule": "stable",
            "max_choices": "5",
        },
    )
    assert response.status_code == 200
    assert "The allocation date is before the application deadline." in (response.content.decode())
    assert CallRound.objects.count() == 1


def test_the_secretariat_runs_its_own_round_and_an_organisations_admin_may_not(
    login, spring, secretariat, host_admin
):
    call_round = spring["round"]
    call_round.organiser = None
    call_round.save()
    _rank(spring, "bergen", "Shadowing in Borås")
    url = reverse("exchanges:round_allocate", args=[call_round.pk])

    assert login(host_admin).post(url).status_code == 404
    page = login(secretariat).post(url, follow=True).content.decode()

    assert "The allocation is proposed." in page
    assert RoundProposal.objects.get().created_by == secretariat


def _entries(spring):
    return {
        (e.organisation.name, e.application.offer.title): e
        for e in RoundEntry.objects.filter(call_round=spring["round"]).select_related(
            "organisation", "application__offer"
        )
    }


def test_a_host_ranking_is_saved_for_all_its_offers_or_for_none(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås", "Study visit in Borås")
    _rank(spring, "tartu", "Shadowing in Borås")
    entries = _entries(spring)
    foreign = entries["Tartu linn", "Shadowing in Borås"]

    with pytest.raises(ValidationError):
        services.round_rank_applicants(
            call_round=spring["round"],
            host=spring["shadowing"].organisation,
            acting_user=host_admin,
            rankings=[
                (spring["shadowing"], [(entries["Bergen kommune", "Shadowing in Borås"], False)]),
                # An entry of another offer: the whole ranking is refused.
                (spring["visit"], [(foreign, True)]),
            ],
        )

    assert not RoundEntry.objects.filter(acceptable=False).exists()
    assert not RoundEntry.objects.filter(host_rank__isnull=False).exists()


def test_ranking_again_after_an_early_proposal_drops_it(spring, host_admin):
    _rank(spring, "bergen", "Shadowing in Borås")
    services.round_allocate(call_round=spring["round"], acting_user=host_admin)

    _rank(spring, "tartu", "Shadowing in Borås")

    spring["round"].refresh_from_db()
    assert spring["round"].status == CallRound.Status.OPEN
    assert not RoundProposal.objects.filter(call_round=spring["round"]).exists()
