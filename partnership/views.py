from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from exchanges import selectors as exchange_selectors
from exchanges.models import Application, Offer
from matchmaking.models import Organisation
from matchmaking.permissions import membership_for


@require_GET
def home(request):
    """What the tool is, a search box, the newest offers and the partnership in figures."""
    figures = Organisation.objects.filter(is_suspended=False).aggregate(
        organisations=Count("pk"), countries=Count("country", distinct=True)
    )
    figures["open_offers"] = Offer.objects.open_for_applications().count()
    figures["accepted"] = Application.objects.filter(status=Application.Status.ACCEPTED).count()
    return render(
        request,
        "partnership/home.html",
        {"latest_offers": exchange_selectors.latest_offers(), "figures": figures},
    )


@require_GET
def organisation_detail(request, slug):
    """An organisation's public profile with its published offers."""
    organisation = get_object_or_404(
        Organisation.objects.prefetch_related("languages"), slug=slug
    )
    offers = exchange_selectors.catalogue_offers().filter(organisation=organisation)
    return render(
        request,
        "partnership/organisation_detail.html",
        {
            "organisation": organisation,
            "offers": offers.order_by("available_from", "pk"),
            "membership": membership_for(request.user, organisation),
        },
    )


@require_GET
def about(request):
    """The Regional Skills Partnership for Lifelong Learning Mobility and its targets."""
    return render(request, "partnership/about.html")
