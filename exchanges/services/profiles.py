"""Interest profiles: what an organisation looks for, and how it hears of new offers."""

from collections.abc import Iterable

from django.db import transaction

from matchmaking.models import (
    ExchangeType,
    FieldOfEducation,
    InterestProfile,
    Language,
    Organisation,
    Theme,
    User,
)

from .. import tasks

PROFILE_FIELDS = (
    "name",
    "countries_wanted",
    "available_from",
    "available_until",
    "participants",
    "fewer_opportunity_participants",
    "description",
    "alert",
)


def _save_profile(profile, *, exchange_types, themes, languages, fields_of_education, fields):
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, fields[name])
    profile.full_clean()
    profile.save()
    profile.exchange_types.set(exchange_types)
    profile.themes.set(themes)
    profile.languages.set(languages)
    profile.fields_of_education.set(fields_of_education)
    tasks.score_on_commit("profile", profile.pk)
    return profile


@transaction.atomic
def interest_profile_create(
    *,
    organisation: Organisation,
    acting_user: User,
    exchange_types: Iterable[ExchangeType],
    themes: Iterable[Theme],
    languages: Iterable[Language],
    fields_of_education: Iterable[FieldOfEducation] = (),
    **fields,
) -> InterestProfile:
    """A new interest profile; the offers that fit it are scored once it is saved."""
    return _save_profile(
        InterestProfile(organisation=organisation),
        exchange_types=exchange_types,
        themes=themes,
        languages=languages,
        fields_of_education=fields_of_education,
        fields=fields,
    )


@transaction.atomic
def interest_profile_update(
    *,
    profile: InterestProfile,
    acting_user: User,
    exchange_types: Iterable[ExchangeType],
    themes: Iterable[Theme],
    languages: Iterable[Language],
    fields_of_education: Iterable[FieldOfEducation] = (),
    **fields,
) -> InterestProfile:
    return _save_profile(
        profile,
        exchange_types=exchange_types,
        themes=themes,
        languages=languages,
        fields_of_education=fields_of_education,
        fields=fields,
    )


@transaction.atomic
def interest_profile_delete(*, profile: InterestProfile, acting_user: User) -> None:
    profile.delete()  # its matches go with it


@transaction.atomic
def interest_profile_set_alert(*, profile: InterestProfile, alert: str) -> InterestProfile:
    """Change only how the organisation hears of new offers; the scores stay as they are."""
    profile.alert = alert
    profile.full_clean(exclude=["organisation"], validate_constraints=False)
    profile.save(update_fields=["alert", "updated_at"])
    return profile


@transaction.atomic
def interest_profile_unsubscribe(*, profile: InterestProfile) -> InterestProfile:
    """The one-click unsubscribe of an alert email: no more alerts for this profile."""
    return interest_profile_set_alert(profile=profile, alert=InterestProfile.Alert.OFF)
