"""Writing offers: create, edit, publish, close, archive, duplicate, invite."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from matchmaking import caching
from matchmaking.models import FieldOfEducation, Language, Organisation, Theme, User
from matchmaking.permissions import require_not_suspended

from .. import emails, tasks
from ..models import Offer, OfferHistory, OfferInvitation

OFFER_FIELDS = (
    "title",
    "exchange_type",
    "target_group",
    "description",
    "programme",
    "city",
    "region_name",
    "available_from",
    "available_until",
    "fixed_dates",
    "duration_days",
    "capacity",
    "application_deadline",
    "supports_fewer_opportunities",
    "fewer_opportunities_support",
    "practical_information",
    "costs_note",
)
# Fields that a history row names together when an offer is edited, as a person thinks of
# them; every other field of OFFER_FIELDS, and the lists, by its own name.
EDITED_GROUPS = (
    (("available_from", "available_until", "fixed_dates"), _lazy("dates")),
    (
        ("supports_fewer_opportunities", "fewer_opportunities_support"),
        _lazy("participants with fewer opportunities"),
    ),
)
EDITED_LISTS = ("themes", "languages", "fields_of_education")


def _edited_parts():
    """(field names, label) of every part of an offer whose change a history row names, in
    the order of the form."""
    grouped = {name: (names, label) for names, label in EDITED_GROUPS for name in names}
    parts, seen = [], set()
    for name in (*OFFER_FIELDS, *EDITED_LISTS):
        if name in grouped:
            names, label = grouped[name]
            if names[0] not in seen:
                parts.append((names, label))
                seen.update(names)
        else:
            parts.append(((name,), Offer._meta.get_field(name).verbose_name))
    return parts


def _edited_values(offer):
    values = {name: getattr(offer, name) for name in OFFER_FIELDS}
    for name in EDITED_LISTS:
        values[name] = set(getattr(offer, name).values_list("pk", flat=True))
    return values


def _changed_parts(before, after):
    return [
        str(label)
        for names, label in _edited_parts()
        if any(before[name] != after[name] for name in names)
    ]


def _record(offer, *, acting_user):
    return OfferHistory.objects.create(offer=offer, kind=offer.status, actor=acting_user)


def _save_offer(offer, *, themes, languages, fields_of_education, fields):
    for name in OFFER_FIELDS:
        if name in fields:
            setattr(offer, name, fields[name])
    offer.full_clean()
    offer.save()
    offer.themes.set(themes)
    offer.languages.set(languages)
    if fields_of_education is not None:
        offer.fields_of_education.set(fields_of_education)
    return offer


@transaction.atomic
def offer_create(
    *,
    organisation: Organisation,
    acting_user: User,
    themes: Iterable[Theme],
    languages: Iterable[Language],
    fields_of_education: Iterable[FieldOfEducation] | None = None,
    **fields,
) -> Offer:
    """A new offer, as a draft."""
    require_not_suspended(organisation)
    offer = Offer(organisation=organisation, created_by=acting_user)
    return _save_offer(
        offer,
        themes=themes,
        languages=languages,
        fields_of_education=fields_of_education,
        fields=fields,
    )


@transaction.atomic
def offer_update(
    *,
    offer: Offer,
    acting_user: User,
    themes: Iterable[Theme],
    languages: Iterable[Language],
    fields_of_education: Iterable[FieldOfEducation] | None = None,
    **fields,
) -> Offer:
    """Edit an offer; a published one is scored again once the change commits.

    The offer's row is locked first, as accepting an application locks it: the capacity is
    checked against the places held (``Offer.clean``) after any accept has committed.
    """
    require_not_suspended(offer.organisation)
    Offer.objects.select_for_update().filter(pk=offer.pk).values_list("pk").get()
    before = _edited_values(Offer.objects.get(pk=offer.pk))
    _save_offer(
        offer,
        themes=themes,
        languages=languages,
        fields_of_education=fields_of_education,
        fields=fields,
    )
    changed = _changed_parts(before, _edited_values(offer))
    if changed:
        # "Changed: title, dates", as an exchange's history says it.
        OfferHistory.objects.create(
            offer=offer,
            kind=OfferHistory.EDITED,
            actor=acting_user,
            note=_("Changed: %(parts)s") % {"parts": ", ".join(changed)},
        )
    if offer.is_published:
        caching.new_generation(caching.CATALOGUE)
        tasks.score_on_commit("offer", offer.pk, alert=True)
    return offer


@transaction.atomic
def offer_publish(*, offer: Offer, acting_user: User) -> Offer:
    require_not_suspended(offer.organisation)
    if not offer.can_be_published:
        raise ValidationError(_("Only a draft or closed offer can be published."), code="state")
    if offer.application_deadline < timezone.localdate():
        raise ValidationError(
            _("The application deadline has passed; move it before publishing."), code="deadline"
        )
    offer.status = Offer.Status.PUBLISHED
    offer.published_at = offer.published_at or timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    _record(offer, acting_user=acting_user)
    caching.new_generation(caching.CATALOGUE)
    tasks.score_on_commit("offer", offer.pk, alert=True)
    return offer


@transaction.atomic
def offer_close(*, offer: Offer, acting_user: User) -> Offer:
    if not offer.can_be_closed:
        raise ValidationError(_("Only a published offer can be closed."), code="state")
    offer.status = Offer.Status.CLOSED
    offer.save(update_fields=["status", "updated_at"])
    _record(offer, acting_user=acting_user)
    caching.new_generation(caching.CATALOGUE)
    # A closed offer leaves the recommendations; its applications keep their scores.
    tasks.score_on_commit("offer", offer.pk)
    return offer


@transaction.atomic
def offer_archive(*, offer: Offer, acting_user: User) -> Offer:
    if not offer.can_be_archived:
        raise ValidationError(_("Close the offer before archiving it."), code="state")
    offer.status = Offer.Status.ARCHIVED
    offer.save(update_fields=["status", "updated_at"])
    _record(offer, acting_user=acting_user)
    return offer


@transaction.atomic
def offer_duplicate(*, offer: Offer, acting_user: User) -> Offer:
    """A new draft with the same content, for the next round of the same exchange."""
    require_not_suspended(offer.organisation)
    copy = Offer(organisation=offer.organisation, created_by=acting_user)
    for name in OFFER_FIELDS:
        setattr(copy, name, getattr(offer, name))
    copy.title = (_("%(title)s (copy)") % {"title": offer.title})[:200]
    copy.save()
    copy.themes.set(offer.themes.all())
    copy.fields_of_education.set(offer.fields_of_education.all())
    copy.languages.set(offer.languages.all())
    return copy


# Invitations to apply


@transaction.atomic
def offer_invite(*, offer: Offer, organisation: Organisation, acting_user: User) -> OfferInvitation:
    """Email an organisation's coordinators an invitation to apply; once per offer."""
    require_not_suspended(offer.organisation)
    if organisation.pk == offer.organisation_id:
        raise ValidationError(_("You cannot invite your own organisation."), code="own_offer")
    require_not_suspended(organisation, _("%(name)s is suspended and cannot apply."))
    if not offer.is_open_for_applications:
        raise ValidationError(_("This offer does not accept applications."), code="closed")
    if offer.applications.filter(organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s has already applied to this offer.") % {"name": organisation.name},
            code="applied",
        )
    invitation, created = OfferInvitation.objects.get_or_create(
        offer=offer, organisation=organisation, defaults={"invited_by": acting_user}
    )
    if not created:
        raise ValidationError(
            _("%(name)s has already been invited to apply to this offer.")
            % {"name": organisation.name},
            code="already_invited",
        )
    emails.invitation_to_apply(invitation)
    return invitation
