"""The columns of offers, applications and exchanges in spreadsheets (matchmaking.exports),
and the Beneficiary-Module-shaped table of completed exchanges: what a member needs to fill
in its Erasmus+ reporting without retyping. Counts only; the records name no participant."""

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from matchmaking.exports import Column
from matchmaking.models import ExchangeType, FewerOpportunityCategory

from .models import Exchange, FewerOpportunityCount


def offer_columns() -> list[Column]:
    return [
        Column(_("id"), "pk"),
        Column(_("title"), "title"),
        Column(_("host"), "organisation__name"),
        Column(_("host country"), "organisation__country"),
        Column(_("host NUTS code"), "organisation__nuts_code"),
        Column(_("exchange type"), "exchange_type__name"),
        Column(_("Erasmus+ activity code"), "exchange_type__activity_code"),
        Column(_("target group"), "target_group"),
        Column(_("status"), "status"),
        Column(_("published at"), "published_at"),
        Column(_("available from"), "available_from"),
        Column(_("available until"), "available_until"),
        Column(_("duration in days"), "duration_days"),
        Column(_("places"), "capacity"),
        Column(_("application deadline"), "application_deadline"),
        Column(_("supports participants with fewer opportunities"), "supports_fewer_opportunities"),
    ]


def application_columns() -> list[Column]:
    return [
        Column(_("id"), "pk"),
        Column(_("offer"), "offer__title"),
        Column(_("host"), "offer__organisation__name"),
        Column(_("sending organisation"), "organisation__name"),
        Column(_("sending country"), "organisation__country"),
        Column(_("sending NUTS code"), "organisation__nuts_code"),
        Column(_("exchange type"), "offer__exchange_type__name"),
        Column(_("participants"), "participants"),
        Column(_("of whom with fewer opportunities"), "fewer_opportunity_participants"),
        Column(_("status"), "status"),
        Column(_("submitted at"), "created_at"),
        Column(_("fit"), "score"),
    ]


def exchange_columns() -> list[Column]:
    return [
        Column(_("id"), "pk"),
        Column(_("offer"), "application__offer__title"),
        Column(_("exchange type"), "application__offer__exchange_type__name"),
        Column(_("host"), "host__name"),
        Column(_("host country"), "host__country"),
        Column(_("host NUTS code"), "host__nuts_code"),
        Column(_("sending organisation"), "sender__name"),
        Column(_("sending country"), "sender__country"),
        Column(_("sending NUTS code"), "sender__nuts_code"),
        Column(_("start"), "start_date"),
        Column(_("end"), "end_date"),
        Column(_("duration in days"), "duration_days"),
        Column(_("participants"), "participants"),
        Column(_("of whom with fewer opportunities"), "fewer_opportunity_participants"),
        Column(_("status"), "status"),
    ]


def _category_alias(category):
    return f"fewer_{category.pk}"


def beneficiary_table(exchanges: QuerySet[Exchange]) -> tuple[QuerySet, list[Column]]:
    """The completed ones of ``exchanges`` in the Beneficiary Module's terms: the activity
    code (the long-term one from 90 days), dates, duration, participants, the count per
    fewer-opportunity category, both organisations with country and NUTS code, and the ISCED-F
    field (the first of the exchange's, else the offer's). One query."""
    exchange_type = "application__offer__exchange_type__"
    categories = list(FewerOpportunityCategory.objects.order_by("position", "pk"))
    per_category = {
        _category_alias(category): Coalesce(
            Subquery(
                FewerOpportunityCount.objects.filter(
                    exchange=OuterRef("pk"), category=category
                ).values("count")[:1],
                output_field=IntegerField(),
            ),
            0,
        )
        for category in categories
    }
    first_field = Exchange.fields_of_education.through.objects.filter(
        exchange=OuterRef("pk")
    ).order_by("fieldofeducation__slug")
    queryset = (
        exchanges.filter(status=Exchange.Status.COMPLETED)
        .annotate(
            activity_code=Case(
                When(
                    Q(duration_days__gte=ExchangeType.LONG_TERM_DAYS)
                    & ~Q(**{f"{exchange_type}long_term_activity_code": ""}),
                    then=F(f"{exchange_type}long_term_activity_code"),
                ),
                default=F(f"{exchange_type}activity_code"),
                output_field=CharField(),
            ),
            isced_field=Coalesce(
                Subquery(first_field.values("fieldofeducation__slug")[:1]),
                Value(""),
            ),
            **per_category,
        )
        .order_by("start_date", "pk")
    )
    columns = [
        Column(_("Activity type"), "activity_code"),
        Column(_("Start date"), "start_date"),
        Column(_("End date"), "end_date"),
        Column(_("Duration (days)"), "duration_days"),
        Column(_("Number of participants"), "participants"),
        Column(_("Participants with fewer opportunities"), "fewer_opportunity_participants"),
        *(
            Column(
                _("Fewer opportunities: %(category)s") % {"category": category},
                _category_alias(category),
            )
            for category in categories
        ),
        Column(_("Sending organisation"), "sender__name"),
        Column(_("Sending country"), "sender__country"),
        Column(_("Sending NUTS code"), "sender__nuts_code"),
        Column(_("Receiving organisation"), "host__name"),
        Column(_("Receiving country"), "host__country"),
        Column(_("Receiving NUTS code"), "host__nuts_code"),
        Column(_("Field of education (ISCED-F)"), "isced_field"),
        Column(_("Exchange in the matchmaking tool"), "pk"),
    ]
    return queryset, columns
