"""The open API's offers and case studies (``/api/v1/offers/``, ``/api/v1/case-studies/``).

Only what the catalogue and the good-practice library show anyone: published offers of
organisations in good standing (a draft's, a closed or an archived offer's id is a 404) and
published case studies with the quotes their authors made public with consent. Applications,
exchanges, matches and people are never exposed. See ``matchmaking.api`` for the shared parts.
"""

import datetime
from decimal import Decimal
from typing import Literal

from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from matchmaking.api import (
    ERRORS,
    Code,
    Country,
    IsoDate,
    Page,
    Paging,
    coded,
    country,
    filtered,
    paginate,
    site_url,
)

from . import selectors
from .filters import CaseStudyFilter, OfferFilter
from .models import Quote

router = Router(tags=["offers"])
case_study_router = Router(tags=["case studies"])


class Host(Schema):
    slug: str
    name: str
    country: Country
    nuts_code: str
    city: str

    @staticmethod
    def resolve_country(organisation):
        return country(organisation.country)


class ExchangeType(Code):
    activity_code: str = Field(
        description="The Erasmus+ activity code (Beneficiary Module) of this offer's mobility, "
        "from its type and duration; empty if the type has none."
    )
    sector: str
    mobility_of: str = Field(description="staff or learners.")


class FieldOfEducation(Schema):
    isced: str = Field(description="ISCED-F 2013 broad field, two digits.")
    name: str


class OfferOut(Schema):
    id: int
    title: str
    url: str = Field(description="The offer's page on the site.")
    host: Host
    exchange_type: ExchangeType
    themes: list[Code]
    fields_of_education: list[FieldOfEducation]
    target_group: str = Field(description="staff or learners.")
    description: str
    programme: str
    city: str
    region_name: str
    languages: list[str] = Field(description="Working languages, ISO 639-1.")
    available_from: datetime.date
    available_until: datetime.date
    fixed_dates: bool
    duration_days: Decimal
    capacity: int = Field(description="Participants the host can take.")
    places_left: int
    application_deadline: datetime.date
    supports_fewer_opportunities: bool
    fewer_opportunities_support: str
    practical_information: str
    costs_note: str
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_url(offer):
        return site_url(offer.get_absolute_url())

    @staticmethod
    def resolve_host(offer):
        return offer.organisation

    @staticmethod
    def resolve_exchange_type(offer):
        kind = offer.exchange_type
        return {
            **coded(kind),
            "activity_code": kind.activity_code_for(offer.duration_days),
            "sector": kind.sector,
            "mobility_of": kind.mobility_of,
        }

    @staticmethod
    def resolve_themes(offer):
        return [coded(theme) for theme in offer.themes.all()]

    @staticmethod
    def resolve_fields_of_education(offer):
        return [
            {"isced": field.slug, "name": gettext(field.name)}
            for field in offer.fields_of_education.all()
        ]

    @staticmethod
    def resolve_languages(offer):
        return [language.code for language in offer.languages.all()]

    @staticmethod
    def resolve_places_left(offer):
        return max(offer.places_left, 0)


class OfferPage(Page):
    items: list[OfferOut]


class OfferQuery(Paging):
    q: str | None = Field(None, max_length=200, description="Keywords.")
    exchange_type: str | None = Field(None, max_length=80, description="Exchange type (code).")
    theme: str | None = Field(None, max_length=80, description="Theme (code).")
    country: str | None = Field(None, max_length=2, description="Host country, ISO alpha-2.")
    language: str | None = Field(None, max_length=8, description="Working language, ISO 639-1.")
    target_group: Literal["staff", "learners"] | None = Field(None, description="Who travels.")
    dates_from: IsoDate | None = Field(None, description="Available on or after.")
    dates_until: IsoDate | None = Field(None, description="Available on or before.")
    fewer_opportunities: bool | None = Field(
        None, description="Only offers that support participants with fewer opportunities."
    )
    rsp_members: bool | None = Field(None, description="Only offers of partnership members.")
    open: bool | None = Field(None, description="Only offers still open for applications.")
    sort: Literal["newest", "deadline", "start"] | None = Field(None, description="The order.")


def _offers():
    # The catalogue defers the texts a card does not show; the API gives every field.
    return selectors.catalogue_offers().defer(None).prefetch_related("fields_of_education")


@router.get("/", response={200: OfferPage, **ERRORS}, summary="List published offers")
def offer_list(request: HttpRequest, query: Query[OfferQuery]):
    """The catalogue's offers, newest first unless sorted; filters and keywords as on /offers/."""
    offers = filtered(OfferFilter, _offers().order_by("-published_at", "-pk"), query)
    return paginate(offers, query)


@router.get("/{int:offer_id}", response={200: OfferOut, **ERRORS}, summary="One published offer")
def offer_detail(request: HttpRequest, offer_id: int):
    return get_object_or_404(_offers(), pk=offer_id)


class Organisation(Schema):
    slug: str
    name: str
    country: Country

    @staticmethod
    def resolve_country(organisation):
        return country(organisation.country)


class QuoteOut(Schema):
    person_name: str
    role: str
    organisation_name: str
    text: str


class CaseStudyOut(Schema):
    slug: str
    title: str
    url: str
    theme: Code | None
    exchange_type: Code
    host: Organisation
    sender: Organisation
    start_date: datetime.date = Field(description="When the exchange began.")
    summary: str
    host_lessons: list[str]
    participant_lessons: list[str]
    next_steps: str
    quotes: list[QuoteOut] = Field(description="The quotes made public with consent.")
    published_at: datetime.datetime | None

    @staticmethod
    def resolve_url(case_study):
        return site_url(case_study.get_absolute_url())

    @staticmethod
    def resolve_theme(case_study):
        return coded(case_study.theme) if case_study.theme else None

    @staticmethod
    def resolve_exchange_type(case_study):
        return coded(case_study.exchange.application.offer.exchange_type)

    @staticmethod
    def resolve_host(case_study):
        return case_study.exchange.host

    @staticmethod
    def resolve_sender(case_study):
        return case_study.exchange.sender

    @staticmethod
    def resolve_start_date(case_study):
        return case_study.exchange.start_date

    @staticmethod
    def resolve_host_lessons(case_study):
        return case_study.host_lesson_list

    @staticmethod
    def resolve_participant_lessons(case_study):
        return case_study.participant_lesson_list

    @staticmethod
    def resolve_quotes(case_study):
        # Prefetched by _case_studies(): the quotes made public with consent, by side.
        follow_ups = sorted(case_study.exchange.follow_ups.all(), key=lambda f: f.side)
        return [quote for follow_up in follow_ups for quote in follow_up.quotes.all()]


def _case_studies():
    public = Quote.objects.filter(public=True, consent=True).order_by("pk")
    return selectors.published_case_studies().prefetch_related(
        Prefetch("exchange__follow_ups__quotes", queryset=public)
    )


class CaseStudyPage(Page):
    items: list[CaseStudyOut]


class CaseStudyQuery(Paging):
    q: str | None = Field(None, max_length=200, description="Keywords.")
    exchange_type: str | None = Field(None, max_length=80, description="Exchange type (code).")
    theme: str | None = Field(None, max_length=80, description="Theme (code).")
    country: str | None = Field(
        None, max_length=2, description="Country of either organisation, ISO alpha-2."
    )
    fewer_opportunities: str | None = Field(
        None, max_length=80, description="Has participants in this fewer-opportunity category."
    )


@case_study_router.get(
    "/", response={200: CaseStudyPage, **ERRORS}, summary="List published case studies"
)
def case_study_list(request: HttpRequest, query: Query[CaseStudyQuery]):
    """The good-practice library, newest first; filters as on /case-studies/."""
    case_studies = filtered(CaseStudyFilter, _case_studies(), query)
    return paginate(case_studies, query)


@case_study_router.get(
    "/{slug}", response={200: CaseStudyOut, **ERRORS}, summary="One published case study"
)
def case_study_detail(request: HttpRequest, slug: str):
    return get_object_or_404(_case_studies(), slug=slug)
