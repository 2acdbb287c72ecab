"""Reads of offers and applications, always scoped to what the user may see."""

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
    Sum,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from matchmaking.models import (
    FewerOpportunityCategory,
    InterestProfile,
    Language,
    Organisation,
    Theme,
)
from matchmaking.permissions import organisations_for

from . import explanations
from .models import (
    Application,
    ApplicationEvent,
    CaseStudy,
    Exchange,
    Offer,
    OfferProfileMatch,
    Quote,
)
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
            # accepted applications whose exchange was not cancelled (holding_places)
            Sum(
                "applications__participants",
                filter=Q(applications__status="accepted")
                & ~Q(applications__exchange__status="cancelled"),
            ),
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
    return organisation.applications.select_related(
        "offer__organisation", "offer__exchange_type"
    ).order_by("-created_at")


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


def recommendations_for(organisation, *, limit=None):
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


def invitable_organisations(offer):
    """The organisations a host may invite to apply: those whose profiles match the offer."""
    return (
        Organisation.objects.filter(
            interest_profiles__offer_matches__offer=offer, is_suspended=False
        )
        .exclude(pk=offer.organisation_id)
        .distinct()
    )


# Exchanges after acceptance, follow-ups and case studies

_EXCHANGE_RELATIONS = (
    "application__offer__exchange_type",
    "application__offer__organisation",
    "host",
    "sender",
)


def exchange_for_user(user, pk):
    """An exchange seen by either side; 404 for everyone else."""
    mine = organisations_for(user)
    return get_object_or_404(
        Exchange.objects.select_related(*_EXCHANGE_RELATIONS).filter(
            Q(host__in=mine) | Q(sender__in=mine)
        ),
        pk=pk,
    )


def exchange_for_sender(user, pk):
    """An exchange one of the user's organisations took part in as the sending side."""
    return get_object_or_404(
        Exchange.objects.select_related(*_EXCHANGE_RELATIONS).filter(
            sender__in=organisations_for(user)
        ),
        pk=pk,
    )


def history_of_exchange(exchange):
    return exchange.events.select_related("actor")


def counts_of(exchange):
    """The participants with fewer opportunities per category: counts only, never names."""
    return exchange.fewer_opportunity_counts.select_related("category")


def follow_ups_of(exchange):
    """The follow-ups written so far, by side ("host", "sending")."""
    return {follow_up.side: follow_up for follow_up in exchange.follow_ups.all()}


def follow_up_of(exchange, side):
    """One side's follow-up with its quotes, or None if that side has not written it yet."""
    return exchange.follow_ups.filter(side=side).prefetch_related("quotes").first()


def exchanges_of(organisation):
    """The exchanges an organisation hosts or sends participants to, for its desk."""
    return (
        Exchange.objects.filter(Q(host=organisation) | Q(sender=organisation))
        .select_related("application__offer", "host", "sender")
        .order_by("-start_date", "-pk")
    )


def completed_exchanges_of(organisation):
    """What an organisation's public profile shows of its exchanges: the completed ones."""
    return (
        exchanges_of(organisation)
        .filter(status=Exchange.Status.COMPLETED)
        .select_related("application__offer__exchange_type")
    )


def published_case_studies():
    """The good-practice library, with what a case study's card shows."""
    return CaseStudy.objects.published().select_related(
        "theme", "exchange__host", "exchange__sender", "exchange__application__offer__exchange_type"
    )


def published_case_studies_of(organisation):
    return published_case_studies().filter(
        Q(exchange__host=organisation) | Q(exchange__sender=organisation)
    )


def case_study_for_viewer(user, slug):
    """A published case study; a draft only for those who review it (the secretariat)."""
    case_studies = CaseStudy.objects.select_related(
        "theme", "exchange__host", "exchange__sender", "exchange__application__offer__exchange_type"
    )
    if not user.has_perm("exchanges.view_casestudy"):
        case_studies = case_studies.published()
    return get_object_or_404(case_studies, slug=slug)


def public_quotes_of(case_study):
    """The quotes the case study shows: only those marked public *and* consented to."""
    return Quote.objects.filter(
        follow_up__exchange_id=case_study.exchange_id, public=True, consent=True
    ).order_by("follow_up__side", "pk")


def case_study_of(exchange):
    """The exchange's case study, draft or published, or None."""
    return CaseStudy.objects.filter(exchange=exchange).first()


def fewer_opportunity_categories_for(exchange):
    """The categories an exchange's form asks about: those in use, and any retired one the
    exchange still has a count for (leaving it out would drop that count on saving)."""
    return FewerOpportunityCategory.objects.filter(
        Q(is_active=True) | Q(feweropportunitycount__exchange=exchange)
    ).distinct()


def own_side_of(user, exchange, *, prefer=None):
    """The organisation a user acts for in an exchange: the active one if it is a party,
    else whichever party the user belongs to; None for outsiders."""
    parties = organisations_for(user).filter(pk__in=[exchange.host_id, exchange.sender_id])
    if prefer is not None and parties.filter(pk=prefer.pk).exists():
        return prefer
    return parties.order_by("name").first()
