"""Reads of offers and applications, always scoped to what the user may see."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Case, Count, F, IntegerField, Max, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from matchmaking.models import InterestProfile, Language, Organisation, Theme
from matchmaking.permissions import organisations_for

from .models import Application, ApplicationEvent, Offer, OfferProfileMatch
from .tokens import profile_id_from_unsubscribe_token

_CARD_RELATIONS = ("organisation", "exchange_type")


def _with_card_data(offers):
    return offers.select_related(*_CARD_RELATIONS).prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position")),
        Prefetch("languages", queryset=Language.objects.order_by("name")),
    )


def with_places_taken(offers):
    return offers.annotate(
        places_taken=Coalesce(
            Sum("applications__participants", filter=Q(applications__status="accepted")),
            Value(0),
            output_field=IntegerField(),
        )
    )


def catalogue_offers():
    """Published offers of organisations in good standing, with what a card shows."""
    return _with_card_data(Offer.objects.visible_in_catalogue())


def latest_offers(limit=6):
    return catalogue_offers().open_for_applications().order_by("-published_at")[:limit]


def offer_for_viewer(user, pk):
    """An offer as a visitor sees it.

    Published and closed offers are public (a closed one stays readable for the exchanges and
    case studies that point to it); drafts and archived ones only to the host's members and to
    the organisations that applied to them.
    """
    mine = organisations_for(user)
    visible = Offer.objects.filter(
        Q(
            status__in=(Offer.Status.PUBLISHED, Offer.Status.CLOSED),
            organisation__is_suspended=False,
        )
        | Q(organisation__in=mine)
        | Q(applications__organisation__in=mine)
    )
    return get_object_or_404(_with_card_data(with_places_taken(visible.distinct())), pk=pk)


def offer_for_host(user, pk):
    """An offer the user may manage; 404 for anyone outside the host organisation."""
    return get_object_or_404(
        Offer.objects.select_related("organisation", "exchange_type").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def offers_of(organisation):
    """An organisation's own offers with their application counts, for its desk."""
    return with_places_taken(
        organisation.offers.select_related("exchange_type").annotate(
            application_count=Count("applications", distinct=True),
            undecided_count=Count(
                "applications",
                filter=Q(applications__status__in=Application.UNDECIDED),
                distinct=True,
            ),
        )
    ).order_by("-created_at")


def applications_of(organisation):
    """The applications an organisation has sent, with their offers."""
    return (
        organisation.applications.select_related("offer__organisation", "offer__exchange_type")
        .order_by("-created_at")
    )


def application_for_user(user, pk):
    """An application seen by either side; 404 for everyone else."""
    mine = organisations_for(user)
    return get_object_or_404(
        Application.objects.select_related(
            "offer__organisation", "offer__exchange_type", "organisation", "submitted_by"
        )
        .prefetch_related("languages")
        .filter(Q(organisation__in=mine) | Q(offer__organisation__in=mine))
        .distinct(),
        pk=pk,
    )


def history_of(application):
    return ApplicationEvent.objects.filter(application=application).select_related("actor")


def application_for_host(user, pk):
    """An application to one of the user's organisations' offers; 404 otherwise."""
    return get_object_or_404(
        Application.objects.select_related("offer__organisation", "organisation").filter(
            offer__organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def application_for_applicant(user, pk):
    """An application one of the user's organisations sent; 404 otherwise."""
    return get_object_or_404(
        Application.objects.select_related("offer__organisation", "organisation").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def applications_ranked_for(offer):
    """An offer's applications: undecided first, each group the best fit first (those not
    scored yet last), then the newest.
    """
    return (
        offer.applications.select_related("organisation", "submitted_by")
        .prefetch_related("languages")
        .annotate(
            decided=Case(
                When(status__in=Application.UNDECIDED, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("decided", F("score").desc(nulls_last=True), "-created_at", "pk")
    )


# Interest profiles and matches


def profiles_of(organisation):
    """An organisation's interest profiles with what their list shows."""
    return organisation.interest_profiles.prefetch_related(
        "exchange_types",
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        Prefetch("languages", queryset=Language.objects.order_by("name")),
    ).order_by("name", "pk")


def profile_for_user(user, pk):
    """A profile of one of the user's organisations; 404 for anyone else."""
    return get_object_or_404(
        InterestProfile.objects.select_related("organisation").filter(
            organisation__in=organisations_for(user)
        ),
        pk=pk,
    )


def profile_for_unsubscribe_token(token):
    """The profile an unsubscribe link was made for, or None if the token is not ours."""
    profile_id = profile_id_from_unsubscribe_token(token)
    if profile_id is None:
        return None
    return InterestProfile.objects.select_related("organisation").filter(pk=profile_id).first()


def _best_per(matches, group, *, limit):
    """The best match of each of the ``limit`` best groups (e.g. offers), best first.

    Two queries whatever the number of matches: the groups' best scores, then their matches.
    """
    top = list(
        matches.values(group).annotate(best=Max("score")).order_by("-best", group)[:limit]
    )
    keys = [row[group] for row in top]
    best = {}
    for match in matches.filter(**{f"{group}__in": keys}).order_by("-score", "pk"):
        best.setdefault(_follow(match, group), match)
    return [best[key] for key in keys]


def _follow(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def recommendations_for(organisation, *, limit=None):
    """Open offers of other organisations, ranked by their best match with the organisation's
    profiles; offers it has already applied to are left out. Each match's ``offer`` is loaded.
    """
    matches = (
        OfferProfileMatch.objects.filter(
            profile__organisation=organisation,
            offer__in=Offer.objects.open_for_applications(),
        )
        .exclude(offer__organisation=organisation)
        .exclude(offer__applications__organisation=organisation)
        .select_related("offer__organisation", "offer__exchange_type", "profile")
    )
    return _best_per(matches, "offer_id", limit=limit or settings.MATCHING_TOP_K)


@dataclass(frozen=True)
class InterestedOrganisation:
    organisation: Organisation
    score: float
    breakdown: dict
    invited: bool


def interested_organisations(offer, *, limit=10):
    """The organisations whose profiles fit an offer best, each with its best profile's match,
    leaving out the host and those that already applied; and whether the host invited them.
    """
    matches = (
        OfferProfileMatch.objects.filter(offer=offer, profile__organisation__is_suspended=False)
        .exclude(profile__organisation_id=offer.organisation_id)
        .exclude(profile__organisation__applications__offer=offer)
        .select_related("profile__organisation")
    )
    invited = set(offer.invitations.values_list("organisation_id", flat=True))
    return [
        InterestedOrganisation(
            match.profile.organisation,
            match.score,
            match.breakdown,
            match.profile.organisation_id in invited,
        )
        for match in _best_per(matches, "profile__organisation_id", limit=limit)
    ]


def invitable_organisations(offer):
    """The organisations a host may invite to apply: those whose profiles match the offer."""
    return (
        Organisation.objects.filter(
            interest_profiles__offer_matches__offer=offer, is_suspended=False
        )
        .exclude(pk=offer.organisation_id)
        .distinct()
    )
