"""Every change to offers and applications goes through these functions.

They validate, write inside one transaction, record who acted, and queue the emails with
``transaction.on_commit`` so that nothing is sent for a change that was rolled back.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking.models import InterestProfile

from . import emails, tasks
from .models import Application, ApplicationEvent, Offer, OfferInvitation

OFFER_FIELDS = (
    "title", "exchange_type", "target_group", "description", "programme", "city",
    "region_name", "available_from", "available_until", "fixed_dates", "duration_days",
    "capacity", "application_deadline", "supports_fewer_opportunities",
    "fewer_opportunities_support", "practical_information", "costs_note",
)  # fmt: skip


def _refuse_if_suspended(organisation):
    if organisation.is_suspended:
        raise ValidationError(
            _("%(name)s is suspended and cannot do this: %(reason)s")
            % {"name": organisation.name, "reason": organisation.suspension_reason},
            code="suspended",
        )


@transaction.atomic
def offer_create(*, organisation, acting_user, themes, languages, **fields) -> Offer:
    _refuse_if_suspended(organisation)
    offer = Offer(organisation=organisation, created_by=acting_user)
    for name in OFFER_FIELDS:
        if name in fields:
            setattr(offer, name, fields[name])
    offer.full_clean()
    offer.save()
    offer.themes.set(themes)
    offer.languages.set(languages)
    return offer


@transaction.atomic
def offer_update(*, offer, acting_user, themes, languages, **fields) -> Offer:
    _refuse_if_suspended(offer.organisation)
    for name in OFFER_FIELDS:
        if name in fields:
            setattr(offer, name, fields[name])
    offer.full_clean()
    offer.save()
    offer.themes.set(themes)
    offer.languages.set(languages)
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


def _record(application, *, acting_user, message=""):
    event = ApplicationEvent.objects.create(
        application=application, status=application.status, actor=acting_user, message=message
    )
    emails.application_status_changed(event)
    return event


@transaction.atomic
def application_submit(
    *, offer, organisation, acting_user, languages, **fields
) -> Application:
    _refuse_if_suspended(organisation)
    if offer.organisation_id == organisation.pk:
        raise ValidationError(
            _("You cannot apply to your own organisation's offer."), code="own_offer"
        )
    if not offer.is_open_for_applications:
        raise ValidationError(_("This offer does not accept applications."), code="closed")
    if Application.objects.filter(offer=offer, organisation=organisation).exists():
        raise ValidationError(
            _("%(name)s has already applied to this offer.") % {"name": organisation.name},
            code="duplicate",
        )
    application = Application(
        offer=offer, organisation=organisation, submitted_by=acting_user, **fields
    )
    application.full_clean()
    application.save()
    application.languages.set(languages)
    _record(application, acting_user=acting_user)
    tasks.queue_on_commit(tasks.score_application, application.pk)
    return application


def _lock(application):
    return Application.objects.select_for_update().select_related("offer").get(pk=application.pk)


@transaction.atomic
def application_shortlist(*, application, acting_user, message="") -> Application:
    application = _lock(application)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be shortlisted."), code="state")
    application.status = Application.Status.SHORTLISTED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application


def capacity_left(offer) -> int:
    taken = offer.applications.filter(status=Application.Status.ACCEPTED).aggregate(
        total=Sum("participants")
    )["total"]
    return offer.capacity - (taken or 0)


@transaction.atomic
def application_accept(*, application, acting_user, message="") -> Application:
    # Lock the offer first: concurrent accepts of the same offer queue up here, so each
    # one counts the places left after the previous one has committed.
    offer = Offer.objects.select_for_update().get(pk=application.offer_id)
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(_("This application has already been decided."), code="state")
    left = capacity_left(offer)
    if application.participants > left:
        raise ValidationError(
            _(
                "Not enough places left: %(left)s of %(capacity)s are free and this "
                "application is for %(participants)s participants."
            )
            % {"left": left, "capacity": offer.capacity, "participants": application.participants},
            code="capacity",
        )
    application.status = Application.Status.ACCEPTED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    # Fewer places are left: the other applications and the profiles are scored again.
    tasks.queue_on_commit(tasks.score_offer, offer.pk, alert=False)
    return application


@transaction.atomic
def application_decline(*, application, acting_user, message="") -> Application:
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(_("This application has already been decided."), code="state")
    application.status = Application.Status.DECLINED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application


@transaction.atomic
def application_withdraw(*, application, acting_user, message="") -> Application:
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(
            _("A decided application can no longer be withdrawn."), code="state"
        )
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application


# Interest profiles

PROFILE_FIELDS = (
    "name", "countries_wanted", "available_from", "available_until", "participants",
    "fewer_opportunity_participants", "description", "alert",
)  # fmt: skip


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
    tasks.queue_on_commit(tasks.score_profile, profile.pk)
    return profile


@transaction.atomic
def interest_profile_create(
    *, organisation, acting_user, exchange_types, themes, languages, fields_of_education=(),
    **fields,
) -> InterestProfile:  # fmt: skip
    """A new interest profile; the offers that fit it are scored once it is saved."""
    return _save_profile(
        InterestProfile(organisation=organisation),
        exchange_types=exchange_types, themes=themes, languages=languages,
        fields_of_education=fields_of_education, fields=fields,
    )  # fmt: skip


@transaction.atomic
def interest_profile_update(
    *, profile, acting_user, exchange_types, themes, languages, fields_of_education=(), **fields
) -> InterestProfile:
    return _save_profile(
        profile, exchange_types=exchange_types, themes=themes, languages=languages,
        fields_of_education=fields_of_education, fields=fields,
    )  # fmt: skip


@transaction.atomic
def interest_profile_delete(*, profile, acting_user) -> None:
    profile.delete()  # its matches go with it


@transaction.atomic
def interest_profile_set_alert(*, profile, alert) -> InterestProfile:
    """Change only how the organisation hears of new offers; the scores stay as they are."""
    profile.alert = alert
    profile.full_clean(exclude=["organisation"], validate_constraints=False)
    profile.save(update_fields=["alert", "updated_at"])
    return profile


@transaction.atomic
def interest_profile_unsubscribe(*, profile) -> InterestProfile:
    """The one-click unsubscribe of an alert email: no more alerts for this profile."""
    return interest_profile_set_alert(profile=profile, alert=InterestProfile.Alert.OFF)


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
