"""The open read-only API (``/api/v1/``): what every app's API module builds on, and the
organisations' endpoints.

The API is django-ninja's: each app has an ``api`` module with a ``router`` of its public
records, and the root URLconf puts them together with ``build_api``. Everything here is
anonymous and read-only: published records only, public fields only, never people, contact
details, drafts, applications or exchanges.

The lists take the same filters as the site's pages (their ``django-filter`` filter sets), so
a portal sees what a visitor sees; a filter value that does not exist is a 422 with the
field's message. Pages are numbered; the total is counted up to ``COUNT_LIMIT`` and said as
"more than" past it, so that no request counts a whole table.
"""

import datetime
import math
import re
from typing import Annotated, Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_safe
from django_countries import countries
from ninja import Field, NinjaAPI, Query, Router, Schema
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.openapi.docs import Swagger
from ninja.throttling import AnonRateThrottle
from pydantic import BeforeValidator

from .filters import OrganisationFilter
from .selectors import directory_organisations

# The total of a list is counted up to this many rows; past it the answer is "more than".
COUNT_LIMIT = 10_000
PAGE_SIZE = 20
PAGE_SIZE_MAX = 100


# Shared parts --------------------------------------------------------------------------------


class Error(Schema):
    """What every refusal answers: a sentence, and for bad parameters one entry per field."""

    detail: str | list[dict[str, Any]] = Field(
        description="Why the request was refused; for invalid parameters, one entry per field."
    )


ERRORS = {404: Error, 422: Error, 429: Error}


class Paging(Schema):
    page: int = Field(1, ge=1, le=COUNT_LIMIT, description="The page, from 1.")
    page_size: int = Field(
        PAGE_SIZE, ge=1, le=PAGE_SIZE_MAX, description=f"Items per page (at most {PAGE_SIZE_MAX})."
    )


class Page(Schema):
    count: int = Field(
        description=f"How many items match, counted up to {COUNT_LIMIT:,}; see count_is_exact."
    )
    count_is_exact: bool = Field(
        description=f"False when more than {COUNT_LIMIT:,} items match: count is then a floor."
    )
    page: int
    pages: int = Field(description="The number of pages (of the counted items).")
    next: int | None = Field(description="The next page's number, if there is one.")
    previous: int | None = Field(description="The previous page's number, if there is one.")


def paginate(queryset, paging: Paging) -> dict:
    """One page of ``queryset`` (already in a stable order) and the page's figures.

    The count is of at most ``COUNT_LIMIT + 1`` rows, and a page past the last is a 404.
    """
    counted = queryset.order_by()[: COUNT_LIMIT + 1].count()
    exact = counted <= COUNT_LIMIT
    count = min(counted, COUNT_LIMIT)
    pages = max(1, math.ceil(count / paging.page_size))
    if paging.page > pages:
        raise HttpError(404, gettext("There is no page %(page)d.") % {"page": paging.page})
    start = (paging.page - 1) * paging.page_size
    items = list(queryset[start : start + paging.page_size])
    more = paging.page < pages or (not exact and len(items) == paging.page_size)
    return {
        "count": count,
        "count_is_exact": exact,
        "page": paging.page,
        "pages": pages,
        "next": paging.page + 1 if more else None,
        "previous": paging.page - 1 if paging.page > 1 else None,
        "items": items,
    }


def filtered(filterset_class, queryset, parameters: Schema):
    """``queryset`` filtered as the site's page filters it by ``parameters``; invalid values
    are a 422 with each field's message (like a form's errors)."""
    data = {
        name: value
        for name, value in parameters.dict(exclude={"page", "page_size"}).items()
        if value not in (None, "")
    }
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise ValidationError(
            [
                {"loc": ["query", name], "msg": " ".join(messages), "type": "invalid"}
                for name, messages in filterset.errors.items()
            ]
        )
    return filterset.qs


def _iso_date(value):
    """Only a YYYY-MM-DD date, as the schema says (pydantic would take a number of seconds)."""
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError(gettext("Enter a date as YYYY-MM-DD."))
    if not isinstance(value, str | datetime.date):
        raise ValueError(gettext("Enter a date as YYYY-MM-DD."))
    return value


IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


class Country(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.")
    name: str


def country(code) -> dict:
    code = str(code)
    return {"code": code, "name": str(countries.name(code))}


class Code(Schema):
    """An entry of a vocabulary: its stable code and its name in the request's language."""

    code: str
    name: str


def coded(entry) -> dict:
    return {"code": entry.slug, "name": gettext(entry.name)}


class SiteRateThrottle(AnonRateThrottle):
    """django-ninja's per-address limit, at the rate ``API_RATE_LIMIT`` says when the request
    comes (so a changed setting holds at once), counted in the default cache."""

    def __init__(self):
        pass

    def allow_request(self, request):
        self.rate = settings.API_RATE_LIMIT
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


def build_api(routers) -> NinjaAPI:
    """The API with ``routers`` ((prefix, router) pairs), its schema and its docs."""
    api = NinjaAPI(
        title=f"{settings.SITE_NAME} API",
        version="1",
        description=(
            "Read-only, anonymous access to the published offers, case studies, organisations "
            "and matchmaking events of the Mobility Matchmaking Tool. Codes are the "
            "programme's: Erasmus+ activity codes, ISCED-F 2013 fields, NUTS regions, ISO "
            f"countries and languages. Requests are limited to {settings.API_RATE_LIMIT} per "
            "client address."
        ),
        urls_namespace="api",
        throttle=[SiteRateThrottle()],
        # Swagger UI from the package's static files; without deep links, which it puts as
        # links inside the operations' buttons (axe: nested-interactive).
        docs=Swagger(settings={"deepLinking": False}),
    )
    for prefix, router in routers:
        api.add_router(prefix, router)

    @api.get("/", include_in_schema=False, url_name="index")
    def index(request):
        """/api/v1/ itself: where the documentation and the schema are."""
        return {
            "docs": request.build_absolute_uri(reverse("api:openapi-view")),
            "openapi": request.build_absolute_uri(reverse("api:openapi-json")),
        }

    @api.exception_handler(HttpError)
    def refused(request, exc):
        response = api.create_response(request, {"detail": str(exc)}, status=exc.status_code)
        if isinstance(exc, Throttled):
            wait = max(1, math.ceil(exc.wait or 1))
            response["Retry-After"] = str(wait)
            response.content = api.renderer.render(
                request,
                {
                    "detail": ngettext(
                        "Too many requests: try again in %(seconds)d second.",
                        "Too many requests: try again in %(seconds)d seconds.",
                        wait,
                    )
                    % {"seconds": wait}
                },
                response_status=429,
            )
        return response

    return api


# Organisations -------------------------------------------------------------------------------

router = Router(tags=["organisations"])


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: Code = Field(description="The type of organisation.")
    country: Country
    region_name: str
    nuts_code: str = Field(description="NUTS 2 or 3 code of its region, if known.")
    city: str
    website: str
    description: str
    languages: list[str] = Field(description="Working languages, ISO 639-1.")
    rsp_member_since: Any = Field(
        None, description="Member of the Regional Skills Partnership since (date), or null."
    )
    url: str = Field(description="Its page on the site.")

    @staticmethod
    def resolve_kind(organisation):
        return {"code": organisation.kind, "name": str(organisation.get_kind_display())}

    @staticmethod
    def resolve_country(organisation):
        return country(organisation.country)

    @staticmethod
    def resolve_languages(organisation):
        return [language.code for language in organisation.languages.all()]

    @staticmethod
    def resolve_url(organisation):
        return site_url(organisation.get_absolute_url())


class OrganisationPage(Page):
    items: list[OrganisationOut]


class OrganisationQuery(Paging):
    q: str | None = Field(None, max_length=200, description="Words of the name or city.")
    country: str | None = Field(None, max_length=2, description="ISO 3166-1 alpha-2.")
    region: str | None = Field(None, max_length=120, description="Region name or NUTS code.")
    kind: str | None = Field(None, max_length=32, description="Type of organisation (code).")
    rsp_members: bool | None = Field(None, description="Only members of the partnership.")


@router.get("/", response={200: OrganisationPage, **ERRORS}, summary="List organisations")
def organisation_list(request: HttpRequest, query: Query[OrganisationQuery]):
    """The organisations of the public directory, by name; filters as on /organisations/."""
    organisations = filtered(OrganisationFilter, directory_organisations(), query)
    return paginate(organisations, query)


@router.get("/{slug}", response={200: OrganisationOut, **ERRORS}, summary="One organisation")
def organisation_detail(request: HttpRequest, slug: str):
    return get_object_or_404(directory_organisations(), slug=slug)


def read_only_urls(api: NinjaAPI):
    """``api.urls`` with every view — the schema and docs pages too, which django-ninja
    serves to any method — answering GET and HEAD only (405 otherwise)."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = require_safe(pattern.callback)
    return patterns, app_name, namespace


def not_found(request: HttpRequest, rest: str):
    """Any address under /api/ that is not an endpoint: a JSON 404, like the API's own."""
    return JsonResponse({"detail": gettext("There is no such endpoint.")}, status=404)
