"""Reads for the partnership's pages."""

from django.db.models import BooleanField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from matchmaking.models import Language, Organisation

from .models import MembershipApplication, Promoter


def logo_consent():
    """Whether the organisation's latest approved application consents to showing its logo."""
    latest = MembershipApplication.objects.filter(
        organisation=OuterRef("pk"), status=MembershipApplication.Status.APPROVED
    ).order_by("-decided_at", "-pk")
    return Coalesce(
        Subquery(latest.values("logo_consent")[:1]), Value(False), output_field=BooleanField()
    )


def members(*, country: str | None = None) -> QuerySet[Organisation]:
    """The members in good standing, with ``logo_consent``; one query however many there are."""
    queryset = Organisation.objects.filter(
        rsp_member_since__isnull=False, is_suspended=False
    ).annotate(logo_consent=logo_consent())
    if country:
        queryset = queryset.filter(country=country)
    return queryset.order_by("name", "pk")


def member_countries():
    """The countries the members come from, as codes."""
    return (
        Organisation.objects.filter(rsp_member_since__isnull=False, is_suspended=False)
        .order_by()
        .values_list("country", flat=True)
        .distinct()
    )


def member_logos(limit: int = 8) -> QuerySet[Organisation]:
    """A few members whose logo the partnership may show, the longest-standing first."""
    return (
        members()
        .filter(logo_consent=True)
        .exclude(logo="")
        .order_by("rsp_member_since", "name")[:limit]
    )


def public_promoters() -> QuerySet[Promoter]:
    return (
        Promoter.objects.public()
        .select_related("organisation")
        .prefetch_related(Prefetch("languages", queryset=Language.objects.order_by("name")))
    )


def membership_applications_of(
    organisations: QuerySet[Organisation],
) -> QuerySet[MembershipApplication]:
    """The applications to join that these organisations sent."""
    return MembershipApplication.objects.filter(organisation__in=organisations)


def promoters_nominated_by(organisations: QuerySet[Organisation]) -> QuerySet[Promoter]:
    """The promoters these organisations nominated, whatever the secretariat decided."""
    return Promoter.objects.filter(organisation__in=organisations)


def partnership_status_of(organisations: QuerySet[Organisation]) -> list[Organisation]:
    """The user's organisations, each with its open application (or None), in two queries."""
    organisations = list(organisations.order_by("name"))
    pending = {
        application.organisation_id: application
        for application in MembershipApplication.objects.pending()
        .filter(organisation__in=[organisation.pk for organisation in organisations])
        .select_related("submitted_by")
    }
    for organisation in organisations:
        organisation.pending_application = pending.get(organisation.pk)
    return organisations
