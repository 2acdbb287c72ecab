"""The site-wide pages: the home page and the organisations' public profiles.

They show what every app holds (offers, case studies, the partnership), so they live in the
top app; the root URLconf (``matchmaking/urls.py``) routes them without a namespace.
"""

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from exchanges import selectors as exchange_selectors
from exchanges.models import Application, Offer
from matchmaking import caching
from matchmaking.models import Organisation
from matchmaking.permissions import membership_for


def _figures():
    """The partnership in figures."""
    figures = Organisation.objects.filter(is_suspended=False).aggregate(
        organisations=Count("pk"), countries=Count("country", distinct=True)
    )
    figures["open_offers"] = Offer.objects.open_for_applications().count()
    figures["accepted"] = Application.objects.filter(status=Application.Status.ACCEPTED).count()
    return figures


@require_GET
def home(request):
    """What the tool is, a search box, the newest offers, the latest case studies and the
    partnership in figures: the same for every visitor, kept as rendered for this generation
    of the catalogue (matchmaking.caching), a few minutes behind at most."""
    body = caching.cached(caching.CATALOGUE, f"home:{get_language()}", _home_body)
    return render(request, "partnership/home.html", {"body": mark_safe(body)})  # noqa: S308


def _home_body():
    """The home page's body, shared by every visitor: rendered without the request."""
    return render_to_string(
        "partnership/home_body.html",
        {
            "latest_offers": exchange_selectors.latest_offers(),
            "latest_case_studies": exchange_selectors.published_case_studies()[:3],
            "figures": _figures(),
        },
    )


@require_GET
def organisation_detail(request, slug):
    """An organisation's public profile: its published offers, its completed exchanges and
    the published case studies of its exchanges."""
    organisation = get_object_or_404(Organisation.objects.prefetch_related("languages"), slug=slug)
    offers = exchange_selectors.catalogue_offers().filter(organisation=organisation)
    return render(
        request,
        "partnership/organisation_detail.html",
        {
            "organisation": organisation,
            "offers": offers.order_by("available_from", "pk"),
            "completed_exchanges": exchange_selectors.completed_exchanges_of(organisation),
            "case_studies": exchange_selectors.published_case_studies_of(organisation),
            "membership": membership_for(request.user, organisation),
        },
    )
