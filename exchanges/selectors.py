"""Reads of offers and applications, always scoped to what the user may see."""

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from matchmaking.models import Language, Theme
from matchmaking.permissions import organisations_for

from .models import Application, ApplicationEvent, Offer

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


def applications_for_offer(offer):
    """The applications an offer received; undecided first, then the newest."""
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
        .order_by("decided", "-created_at")
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
