"""Reads of offers, applications, profiles, exchanges and case studies.

What a given user may load (the scoped loaders ``*_for_user``, ``*_for_host``, …) is
decided in ``exchanges.permissions``; the reads here take objects already loaded through it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from matchmaking.models import (
    FewerOpportunityCategory,
    InterestProfile,
    Language,
    Organisation,
    Theme,
)

from . import explanations
from .models import (
    Application,
    ApplicationHistory,
    CaseStudy,
    Exchange,
    FollowUp,
    Offer,
    OfferProfileMatch,
    Quote,
)
from .tokens import profile_id_from_unsubscribe_token

_CARD_RELATIONS = ("organisation", "exchange_type")


def with_card_data(offers: QuerySet[Offer]):
    """The offers with what a card shows: organisation, type, themes, languages and the
    places taken (a fully booked offer says so)."""
    return (
        with_places_taken(offers)
        .select_related(*_CARD_RELATIONS)
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position")),
            Prefetch("languages", queryset=Language.objects.order_by("name")),
        )
    )


def with_places_taken(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """The offers with ``places_taken``: the participants of their applications that hold
    places (``Application.objects.holding_places()``)."""
    return offers.annotate(
        places_taken=Coalesce(
            Application.objects.places_held_subquery(), Value(0), output_field=IntegerField()
        )
    )


# A card shows none of the long texts, nor the vectors.
_NOT_ON_A_CARD = (
    "description",
    "programme",
    "practical_information",
    "costs_note",
    "fewer_opportunities_support",
    "text_vector",
    "search_vector",
)


def cards(offers: QuerySet[Offer]) -> QuerySet[Offer]:
    """The offers with what their cards show (``includes/offer_card.html``), and no more."""
    return with_card_data(offers).defer(*_NOT_ON_A_CARD)


def catalogue_offers() -> QuerySet[Offer]:
    """Published offers of organisations in good standing, with what a card shows."""
    return cards(Offer.objects.visible_in_catalogue())


def latest_offers(limit: int = 6) -> QuerySet[Offer]:
    return catalogue_offers().open_for_applications().order_by("-published_at")[:limit]


def offers_of(organisation: Organisation) -> QuerySet[Offer]:
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


def applications_of(organisation: Organisation) -> QuerySet[Application]:
    """The applications an organisation has sent, with their offers."""
    return organisation.applications.select_related(
        "offer__organisation", "offer__exchange_type"
    ).order_by("-created_at")


def exchange_of(application: Application) -> Exchange | None:
    """The exchange an accepted application became, if any."""
    return Exchange.objects.filter(application=application).first()


def history_of(application: Application):
    return ApplicationHistory.objects.filter(application=application).select_related("actor")


def history_of_offer(offer: Offer):
    return offer.history.select_related("actor")


def applications_ranked_for(offer: Offer) -> QuerySet[Application]:
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


def profiles_of(organisation: Organisation) -> QuerySet[InterestProfile]:
    """An organisation's interest profiles with what their list shows."""
    return organisation.interest_profiles.prefetch_related(
        "exchange_types",
        Prefetch("themes", queryset=Theme.objects.order_by("position", "name")),
        Prefetch("languages", queryset=Language.objects.order_by("name")),
    ).order_by("name", "pk")


def profile_for_unsubscribe_token(token: str) -> InterestProfile | None:
    """The profile an unsubscribe link was made for, or None if the token is not ours.

    Raises ``tokens.TokenExpired`` when the link is too old.
    """
    profile_id = profile_id_from_unsubscribe_token(token)
    if profile_id is None:
        return None
    return InterestProfile.objects.select_related("organisation").filter(pk=profile_id).first()


def _best_per(matches, group, *, limit):
    """The best match of each of the ``limit`` best groups (e.g. offers), best first.

    Two queries whatever the number of matches: the groups' best scores, then their matches.
    """
    top = list(matches.values(group).annotate(best=Max("score")).order_by("-best", group)[:limit])
    keys = [row[group] for row in top]
    best = {}
    for match in matches.filter(**{f"{group}__in": keys}).order_by("-score", "pk"):
        best.setdefault(_follow(match, group), match)
    return [best[key] for key in keys]


def _follow(obj, path):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


# What the reasons of a match are worked out from (see exchanges.explanations.facts).
_EXPLAINED = ("themes", "languages")


def recommendations_for(organisation: Organisation, *, limit: int | None = None):
    """Open offers of other organisations, ranked by their best match with the organisation's
    profiles; offers it has already applied to are left out. Each match's ``offer`` and
    ``profile`` are loaded with what its reasons are worked out from.
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
    best = _best_per(matches, "offer_id", limit=limit or settings.MATCHING_TOP_K)
    prefetch_related_objects(
        best, *(f"{side}__{name}" for side in ("offer", "profile") for name in _EXPLAINED)
    )
    return best


@dataclass(frozen=True)
class InterestedOrganisation:
    organisation: Organisation
    score: float
    breakdown: dict  # with every fact its reasons say (exchanges.explanations.facts)
    invited: bool


def interested_organisations(offer: Offer, *, limit: int = 10):
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
    best = _best_per(matches, "profile__organisation_id", limit=limit)
    prefetch_related_objects(best, *(f"profile__{name}" for name in _EXPLAINED))
    return [
        InterestedOrganisation(
            match.profile.organisation,
            match.score,
            explanations.facts(match.breakdown, offer=offer, profile=match.profile),
            match.profile.organisation_id in invited,
        )
        for match in best
    ]


def invitable_organisations(offer: Offer):
    """The organisations a host may invite to apply: those whose profiles match the offer."""
    return (
        Organisation.objects.filter(
            interest_profiles__offer_matches__offer=offer, is_suspended=False
        )
        .exclude(pk=offer.organisation_id)
        .distinct()
    )


# Exchanges after acceptance, follow-ups and case studies


def history_of_exchange(exchange: Exchange):
    return exchange.history.select_related("actor")


def counts_of(exchange: Exchange):
    """The participants with fewer opportunities per category: counts only, never names."""
    return exchange.fewer_opportunity_counts.select_related("category")


def follow_ups_of(exchange: Exchange) -> dict[str, FollowUp]:
    """The follow-ups written so far, by side ("host", "sending")."""
    return {follow_up.side: follow_up for follow_up in exchange.follow_ups.all()}


def follow_up_of(exchange: Exchange, side: str) -> FollowUp | None:
    """One side's follow-up with its quotes, or None if that side has not written it yet."""
    return exchange.follow_ups.filter(side=side).prefetch_related("quotes").first()


def exchanges_of(organisation: Organisation) -> QuerySet[Exchange]:
    """The exchanges an organisation hosts or sends participants to, for its desk."""
    return (
        Exchange.objects.filter(Q(host=organisation) | Q(sender=organisation))
        .select_related("application__offer", "host", "sender")
        .order_by("-start_date", "-pk")
    )


def completed_exchanges_of(organisation: Organisation) -> QuerySet[Exchange]:
    """What an organisation's public profile shows of its exchanges: the completed ones."""
    return (
        exchanges_of(organisation)
        .filter(status=Exchange.Status.COMPLETED)
        .select_related("application__offer__exchange_type")
    )


def published_case_studies() -> QuerySet[CaseStudy]:
    """The good-practice library, with what a case study's card shows."""
    return CaseStudy.objects.published().select_related(
        "theme", "exchange__host", "exchange__sender", "exchange__application__offer__exchange_type"
    )


def published_case_studies_of(organisation: Organisation) -> QuerySet[CaseStudy]:
    return published_case_studies().filter(
        Q(exchange__host=organisation) | Q(exchange__sender=organisation)
    )


def public_quotes_of(case_study: CaseStudy) -> QuerySet[Quote]:
    """The quotes the case study shows: only those marked public *and* consented to."""
    return Quote.objects.filter(
        follow_up__exchange_id=case_study.exchange_id, public=True, consent=True
    ).order_by("follow_up__side", "pk")


def case_study_of(exchange: Exchange) -> CaseStudy | None:
    """The exchange's case study, draft or published, or None."""
    return CaseStudy.objects.filter(exchange=exchange).first()


def fewer_opportunity_categories_for(exchange: Exchange) -> QuerySet[FewerOpportunityCategory]:
    """The categories an exchange's form asks about: those in use, and any retired one the
    exchange still has a count for (leaving it out would drop that count on saving)."""
    return FewerOpportunityCategory.objects.filter(
        Q(is_active=True) | Q(feweropportunitycount__exchange=exchange)
    ).distinct()
