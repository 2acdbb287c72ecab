"""Applications: submitting them and every change of their status."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking.models import Language, Organisation, User
from matchmaking.permissions import require_not_suspended

from .. import emails, tasks
from ..models import Application, ApplicationHistory, Offer
from .records import exchange_create_for


def _record(application, *, acting_user, message=""):
    entry = ApplicationHistory.objects.create(
        application=application, kind=application.status, actor=acting_user, note=message
    )
    emails.application_status_changed(entry)
    return entry


@transaction.atomic
def application_submit(
    *,
    offer: Offer,
    organisation: Organisation,
    acting_user: User,
    languages: Iterable[Language],
    **fields,
) -> Application:
    require_not_suspended(organisation)
    if offer.organisation_id == organisation.pk:
        raise ValidationError(
            _("You cannot apply to your own organisation's offer."), code="own_offer"
        )
    if not offer.is_open_for_applications:
        raise ValidationError(_("This offer does not accept applications."), code="closed")
    left = capacity_left(offer)
    if left <= 0:
        raise ValidationError(
            _("This offer is fully booked: all its places are taken."), code="fully_booked"
        )
    if fields.get("participants") and fields["participants"] > left:
        raise ValidationError(
            {
                "participants": ngettext(
                    "Only %(left)s place is left; apply for at most %(left)s participant.",
                    "Only %(left)s places are left; apply for at most %(left)s participants.",
                    left,
                )
                % {"left": left}
            },
            code="places_left",
        )
    # A withdrawn application is opened again (one row per offer and organisation).
    application = (
        Application.objects.select_for_update()
        .filter(offer=offer, organisation=organisation)
        .first()
    )
    if application is not None and application.status != Application.Status.WITHDRAWN:
        raise ValidationError(
            _("%(name)s has already applied to this offer.") % {"name": organisation.name},
            code="duplicate",
        )
    if application is None:
        application = Application(offer=offer, organisation=organisation)
    for name, value in fields.items():
        setattr(application, name, value)
    application.status = Application.Status.SUBMITTED
    application.submitted_by = acting_user
    application.score = application.score_breakdown = application.scored_at = None
    application.full_clean()
    application.save()
    application.languages.set(languages)
    _record(application, acting_user=acting_user)
    tasks.queue_on_commit(tasks.score_application, application.pk)
    return application


def _lock(application):
    return Application.objects.select_for_update().select_related("offer").get(pk=application.pk)


@transaction.atomic
def application_shortlist(
    *, application: Application, acting_user: User, message: str = ""
) -> Application:
    application = _lock(application)
    if not application.can_be_shortlisted:
        raise ValidationError(_("Only a submitted application can be shortlisted."), code="state")
    application.status = Application.Status.SHORTLISTED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application


def capacity_left(offer: Offer) -> int:
    """The places left now, counted afresh (never from an annotation loaded earlier)."""
    return offer.capacity - offer.places_held()


@transaction.atomic
def application_accept(
    *, application: Application, acting_user: User, message: str = ""
) -> Application:
    # Lock the offer first: concurrent accepts of the same offer queue up here, so each
    # one counts the places left after the previous one has committed.
    offer = Offer.objects.select_for_update().get(pk=application.offer_id)
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(_("This application has already been decided."), code="state")
    left = capacity_left(offer)
    if application.participants > left:
        raise ValidationError(
            ngettext(
                "Not enough places left: %(left)s of %(capacity)s are free and this "
                "application is for %(participants)s participant.",
                "Not enough places left: %(left)s of %(capacity)s are free and this "
                "application is for %(participants)s participants.",
                application.participants,
            )
            % {"left": left, "capacity": offer.capacity, "participants": application.participants},
            code="capacity",
        )
    application.status = Application.Status.ACCEPTED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    exchange_create_for(application=application, acting_user=acting_user)
    # Fewer places are left: the other applications and the profiles are scored again.
    tasks.queue_on_commit(tasks.score_offer, offer.pk, alert=False)
    return application


@transaction.atomic
def application_decline(
    *, application: Application, acting_user: User, message: str = ""
) -> Application:
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(_("This application has already been decided."), code="state")
    application.status = Application.Status.DECLINED
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application


@transaction.atomic
def application_withdraw(
    *, application: Application, acting_user: User, message: str = ""
) -> Application:
    application = _lock(application)
    if not application.is_undecided:
        raise ValidationError(_("A decided application can no longer be withdrawn."), code="state")
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    _record(application, acting_user=acting_user, message=message)
    return application
