"""Writing offers: create, edit, publish, close, archive, duplicate, invite."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import emails, tasks
from ..models import Offer, OfferInvitation

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


def _refuse_if_suspended(organisation):
    if organisation.is_suspended:
        raise ValidationError(
            _("%(name)s is suspended and cannot do this: %(reason)s")
            % {"name": organisation.name, "reason": organisation.suspension_reason},
            code="suspended",
        )


def _save_offer(offer, *, themes, languages, fields):
    for name in OFFER_FIELDS:
        if name in fields:
            setattr(offer, name, fields[name])
    offer.full_clean()
    offer.save()
    offer.themes.set(themes)
    offer.languages.set(languages)
    return offer


@transaction.atomic
def offer_create(*, organisation, acting_user, themes, languages, **fields) -> Offer:
    """A new offer, as a draft."""
    _refuse_if_suspended(organisation)
    offer = Offer(organisation=organisation, created_by=acting_user)
    return _save_offer(offer, themes=themes, languages=languages, fields=fields)


@transaction.atomic
def offer_update(*, offer, acting_user, themes, languages, **fields) -> Offer:
    """Edit an offer; a published one is scored again once the change commits."""
    _refuse_if_suspended(offer.organisation)
    _save_offer(offer, themes=themes, languages=languages, fields=fields)
    if offer.status == Offer.Status.PUBLISHED:
        tasks.queue_on_commit(tasks.score_offer, offer.pk)
    return offer


@transaction.atomic
def offer_publish(*, offer, acting_user) -> Offer:
    _refuse_if_suspended(offer.organisation)
    if offer.status not in (Offer.Status.DRAFT, Offer.Status.CLOSED):
        raise ValidationError(_("Only a draft or closed offer can be published."), code="state")
    if offer.application_deadline < timezone.localdate():
        raise ValidationError(
            _("The application deadline has passed; move it before publishing."), code="deadline"
        )
    offer.status = Offer.Status.PUBLISHED
    offer.published_at = offer.published_at or timezone.now()
    offer.save(update_fields=["status", "published_at", "updated_at"])
    tasks.queue_on_commit(tasks.score_offer, offer.pk)
    return offer


@transaction.atomic
def offer_close(*, offer, acting_user) -> Offer:
    if offer.status != Offer.Status.PUBLISHED:
        raise ValidationError(_("Only a published offer can be closed."), code="state")
    offer.status = Offer.Status.CLOSED
    offer.save(update_fields=["status", "updated_at"])
    # A closed offer leaves the recommendations; its applications keep their scores.
    tasks.queue_on_commit(tasks.score_offer, offer.pk, alert=False)
    return offer


@transaction.atomic
def offer_archive(*, offer, acting_user) -> Offer:
    if offer.status not in (Offer.Status.DRAFT, Offer.Status.CLOSED):
        raise ValidationError(_("Close the offer before archiving it."), code="state")
    offer.status = Offer.Status.ARCHIVED
    offer.save(update_fields=["status", "updated_at"])
    return offer


@transaction.atomic
def offer_duplicate(*, offer, acting_user) -> Offer:
    """A new draft with the same content, for the next round of the same exchange."""
    _refuse_if_suspended(offer.organisation)
    copy = Offer(organisation=offer.organisation, created_by=acting_user)
    for name in OFFER_FIELDS:
        setattr(copy, name, getattr(offer, name))
    copy.title = (_("%(title)s (copy)") % {"title": offer.title})[:200]
    copy.save()
    copy.themes.set(offer.themes.all())
    copy.languages.set(offer.languages.all())
    return copy


# Invitations to apply


@transaction.atomic
def offer_invite(*, offer, organisation, acting_user) -> OfferInvitation:
    """Email an organisation's coordinators an invitation to apply; once per offer."""
    _refuse_if_suspended(offer.organisation)
    if organisation.pk == offer.organisation_id:
        raise ValidationError(_("You cannot invite your own organisation."), code="own_offer")
    if organisation.is_suspended:
        raise ValidationError(
            _("%(name)s is suspended and cannot apply.") % {"name": organisation.name},
            code="suspended",
        )
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
