"""Reads of offers, applications, profiles, exchanges and case studies.

What a given user may load (the scoped loaders ``*_for_user``, ``*_for_host``, …) is
decided in ``exchanges.permissions``; the reads here take objects already loaded through it.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from matchmaking.models import (
    FewerOpportunityCategory,
    InterestProfile,
    Language,
    Organisation,
    Theme,
)
from matchmaking.selectors import profile_is_complete

from . import explanations
from .models import (
    Application,
    ApplicationHistory,
    CallRound,
    CaseStudy,
    Exchange,
    FollowUp,
    Message,
    Offer,
    OfferProfileMatch,
    Quote,
    RoundEntry,
    RoundPlacement,
    RoundProposal,
    ThreadReader,
    host_order,
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


@dataclass(frozen=True)
class OnboardingStep:
    """One item of a new organisation's checklist on its desk, ticked from its records."""

    key: str
    done: bool
    # The page where the organisation does it (None: only an admin can, and this is not one).
    url: str | None
    # The organisation has a draft to finish: the link goes to it.
    resume: bool = False


def onboarding_steps(organisation: Organisation, *, is_admin: bool) -> list[OnboardingStep]:
    """The three first steps of an organisation: its profile, an interest profile, a first
    published offer or a first application. Empty once all are done, or once the organisation
    has an exchange (it is past getting started: a host that never sends needs no interest
    profile); the desk then hides the list. One query, whatever the organisation holds."""
    offers = Offer.objects.filter(organisation=OuterRef("pk"))
    drafts = offers.filter(status=Offer.Status.DRAFT, published_at=None).order_by("-created_at")
    state = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(
            profile_done=ExpressionWrapper(profile_is_complete(), output_field=BooleanField()),
            has_interest_profile=Exists(
                InterestProfile.objects.filter(organisation=OuterRef("pk"))
            ),
            has_offer=Exists(offers.filter(published_at__isnull=False)),
            has_application=Exists(Application.objects.filter(organisation=OuterRef("pk"))),
            draft_pk=Subquery(drafts.values("pk")[:1]),
            has_exchange=Exists(
                Exchange.objects.filter(Q(host=OuterRef("pk")) | Q(sender=OuterRef("pk")))
            ),
        )
        .values(
            "profile_done",
            "has_interest_profile",
            "has_offer",
            "has_application",
            "draft_pk",
            "has_exchange",
        )
        .get()
    )
    draft_pk = state["draft_pk"]
    steps = [
        OnboardingStep(
            "profile",
            state["profile_done"],
            reverse("matchmaking:organisation_edit", args=[organisation.slug])
            if is_admin
            else None,
        ),
        OnboardingStep(
            "interest_profile", state["has_interest_profile"], reverse("exchanges:profile_create")
        ),
        OnboardingStep(
            "offer",
            state["has_offer"] or state["has_application"],
            reverse("exchanges:offer_detail", args=[draft_pk])
            if draft_pk
            else reverse("exchanges:offer_create"),
            resume=draft_pk is not None,
        ),
    ]
    if state["has_exchange"] or all(step.done for step in steps):
        return []
    return steps


# Messages between the two sides


def thread_for(application: Application, user) -> list[Message]:
    """The messages of an application's thread, oldest first, each with ``is_new``: written by
    someone else after the reader's read mark (what the page marks as new)."""
    read_up_to = (
        ThreadReader.objects.filter(thread__application=application, user=user)
        .values_list("last_read_id", flat=True)
        .first()
    ) or 0
    messages = list(
        Message.objects.filter(thread__application=application).select_related(
            "author", "organisation"
        )
    )
    for message in messages:
        message.is_new = message.pk > read_up_to and message.author_id != user.pk
    return messages


@dataclass(frozen=True)
class UnreadThread:
    """A thread with messages the reader has not read, as the desk lists it."""

    application_id: int
    exchange_id: int | None
    offer_id: int
    offer_title: str
    hosted: bool  # the desk's organisation hosts the offer
    other_side: str
    count: int

    @property
    def url(self):
        if self.exchange_id is not None:
            page = reverse("exchanges:exchange_detail", kwargs={"pk": self.exchange_id})
        else:
            page = reverse("exchanges:application_detail", kwargs={"pk": self.application_id})
        return page + "#messages"


@dataclass(frozen=True)
class UnreadMessages:
    """The messages a person has not read on an organisation's applications and exchanges."""

    threads: list[UnreadThread] = field(default_factory=list)

    @property
    def total(self):
        return sum(thread.count for thread in self.threads)

    def on(self, obj) -> int:
        """Unread messages on an application, on an exchange (its application's thread) or,
        for the host, on an offer (all its applications')."""
        if isinstance(obj, Offer):
            return sum(t.count for t in self.threads if t.hosted and t.offer_id == obj.pk)
        application_id = obj.application_id if isinstance(obj, Exchange) else obj.pk
        return sum(t.count for t in self.threads if t.application_id == application_id)


def unread_messages(user, organisation: Organisation) -> UnreadMessages:
    """What ``user`` has not read of the threads where ``organisation`` is one of the two
    sides: messages by others after the person's read mark. One query."""
    read_up_to = ThreadReader.objects.filter(thread=OuterRef("thread_id"), user=user).values(
        "last_read_id"
    )[:1]
    application = "thread__application__"
    rows = (
        Message.objects.filter(
            Q(thread__application__organisation=organisation)
            | Q(thread__application__offer__organisation=organisation)
        )
        .exclude(author=user)
        .annotate(read_up_to=Coalesce(Subquery(read_up_to), Value(0)))
        .filter(pk__gt=F("read_up_to"))
        .values(
            "thread__application_id",
            f"{application}exchange__id",
            f"{application}offer_id",
            f"{application}offer__title",
            f"{application}offer__organisation_id",
            f"{application}offer__organisation__name",
            f"{application}organisation__name",
        )
        .annotate(count=Count("pk"), latest=Max("created_at"))
        .order_by("-latest")
    )
    threads = []
    for row in rows:
        hosted = row[f"{application}offer__organisation_id"] == organisation.pk
        threads.append(
            UnreadThread(
                application_id=row["thread__application_id"],
                exchange_id=row[f"{application}exchange__id"],
                offer_id=row[f"{application}offer_id"],
                offer_title=row[f"{application}offer__title"],
                hosted=hosted,
                other_side=row[
                    f"{application}organisation__name"
                    if hosted
                    else f"{application}offer__organisation__name"
                ],
                count=row["count"],
            )
        )
    return UnreadMessages(threads)


# Call rounds


def public_rounds():
    return CallRound.objects.select_related("organiser").annotate(offer_count=Count("offers"))


def offers_of_round(call_round) -> QuerySet[Offer]:
    """The round's offers for its public page, with their places taken."""
    return with_places_taken(
        with_card_data(call_round.offers.all()).order_by("organisation__name", "title")
    )


def sender_applications_in(call_round, organisation) -> list[Application]:
    """The sender's undecided applications to the round's offers, and the ranks it gave."""
    return list(
        Application.objects.filter(
            organisation=organisation,
            offer__call_rounds=call_round,
            status__in=Application.UNDECIDED,
        )
        .select_related("offer__organisation")
        .order_by("offer__title")
    )


def sender_ranks_in(call_round, organisation) -> dict[int, int]:
    """Application id -> the rank its sender gave it in the round."""
    return dict(
        RoundEntry.objects.filter(call_round=call_round, organisation=organisation).values_list(
            "application_id", "sender_rank"
        )
    )


def host_entries_in(call_round, host) -> list:
    """For each of the host's offers in the round, ``(offer, entries)`` in the host's order
    (its own ranking first, then by fit)."""
    entries = (
        RoundEntry.objects.filter(call_round=call_round, application__offer__organisation=host)
        .exclude(application__status=Application.Status.WITHDRAWN)
        .select_related("application__offer", "organisation")
    )
    by_offer = {}
    for entry in entries:
        by_offer.setdefault(entry.application.offer_id, []).append(entry)
    return [
        (offer, host_order(by_offer.get(offer.pk, [])))
        for offer in call_round.offers.filter(organisation=host).order_by("title")
    ]


def proposal_of(call_round):
    """The round's proposal with its placements, or None."""
    proposal = RoundProposal.objects.filter(call_round=call_round).first()
    if proposal is not None:
        prefetch_related_objects(
            [proposal],
            Prefetch(
                "placements",
                queryset=RoundPlacement.objects.select_related(
                    "organisation", "application__offer__organisation"
                ).order_by("organisation__name"),
            ),
        )
    return proposal


def places_left_after(call_round, proposal) -> list[tuple[Offer, int, int]]:
    """Each offer of the round with its places left now and after the proposal."""
    placed = {}
    # Once confirmed, the placed applications are accepted and already hold their places.
    pending = proposal if proposal is not None and proposal.confirmed_at is None else None
    for placement in pending.placements.all() if pending else []:
        if placement.is_placed:
            offer = placement.application.offer_id
            placed[offer] = placed.get(offer, 0) + placement.application.participants
    offers = with_places_taken(call_round.offers.select_related("organisation").order_by("title"))
    return [
        (offer, offer.places_left, offer.places_left - placed.get(offer.pk, 0)) for offer in offers
    ]
