"""What a person can download about themself (the privacy page's "download your data").

The core app knows the account, its memberships and what the person's organisations keep
here (interest profiles); the other apps add their own sections
through the registry: each registers an exporter in its ``AppConfig.ready``
(``register_exporter("exchanges", exchanges.personal_data.export)``), so the file holds every
app's part while imports still run one way (matchmaking never imports the others).

An exporter takes the user and returns JSON-able data (lists of dicts; dates and decimals are
encoded by the view). It holds what the person may see on the site — their organisations'
records — and never another person's name or address: rows written by someone else carry no
author, history rows are only the person's own, and the invitations the person sent are left
out (they hold the invited people's addresses).
"""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.utils import timezone

from .models import InterestProfile, Membership, OrganisationHistory, User

# The version of the privacy notice (templates/matchmaking/privacy.html) that sign-up asks
# people to agree to; stored on the user with the time of consent. Change it when the notice
# changes in substance.
NOTICE_VERSION = "2026-12"

Exporter = Callable[[User], object]
_exporters: dict[str, Exporter] = {}


def register_exporter(section: str, exporter: Exporter) -> None:
    """Add ``section`` to every person's download, filled by ``exporter(user)``."""
    if section in CORE_SECTIONS:
        raise ValueError(f"The section {section!r} is the core app's own.")
    _exporters[section] = exporter


def rows(queryset, *fields) -> list[dict]:
    """The rows of ``queryset`` as dicts of these fields (one query), in a stable order."""
    return list(queryset.order_by("pk").values(*fields))


def _account(user):
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "privacy_consent_at": user.privacy_consent_at,
        "privacy_notice_version": user.privacy_notice_version,
        "email_addresses": rows(
            EmailAddress.objects.filter(user=user), "email", "verified", "primary"
        ),
    }


def _memberships(user):
    return rows(
        Membership.objects.filter(user=user),
        "organisation__name",
        "organisation__slug",
        "role",
        "created_at",
    )


def _interest_profiles(user):
    return rows(
        InterestProfile.objects.filter(organisation__memberships__user=user),
        "organisation__name",
        "name",
        "description",
        "countries_wanted",
        "available_from",
        "available_until",
        "participants",
        "fewer_opportunity_participants",
        "alert",
        "created_at",
        "updated_at",
    )


def _organisation_history(user):
    return rows(
        OrganisationHistory.objects.filter(actor=user),
        "organisation__name",
        "kind",
        "note",
        "created_at",
    )


CORE_SECTIONS = {
    "account": _account,
    "memberships": _memberships,
    "interest_profiles": _interest_profiles,
    "organisation_history": _organisation_history,
}


def personal_data(user: User) -> dict:
    """Everything the site keeps about ``user`` that they may see, by section."""
    data = {"generated_at": timezone.now(), "notice_version": NOTICE_VERSION}
    for section, exporter in CORE_SECTIONS.items():
        data[section] = exporter(user)
    for section in sorted(_exporters):
        data[section] = _exporters[section](user)
    return data
