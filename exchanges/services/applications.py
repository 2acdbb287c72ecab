"""Applications: submitting them and every change of their status."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matchmaking import caching
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
    already_applied = ValidationError(
        _("%(name)s has already applied to this offer.") % {"name": organisation.name},
        code="duplicate",
    )
    # A withdrawn application is opened again (one row per offer and organisation).
    application = (
        Application.objects.select_for_update()
        .filter(offer=offer, organisation=organisation)
        .first()
    )
    if application is not None and application.status != Application.Status.WITHDRAWN:
        raise already_applied
    if application is None:
        application = Application(offer=offer, organisation=organisation)
    for name, value in fields.items():
        setattr(application, name, value)
    application.status = Application.Status.SUBMITTED
    application.submitted_by = acting_user
    application.score = application.score_breakdown = application.scored_at = None
    application.full_clean()
    try:
        # A double click's second submit passes the check above while the first one's row is
        # not yet committed; the unique (offer, organisation) constraint then refuses it.
        with transaction.atomic():
            application.save()
    except IntegrityError as error:
        raise already_applied from error
    application.languages.set(languages)
    _record(application, acting_user=acting_user)
    tasks.score_on_commit("application", application.pk)
    return application


def _lock(application):
    """The application's offer and then the application, locked, in that order.

    Every transition takes its locks in this one order, so two of them on the same application
    (an accept and a withdraw at the same moment) queue up instead of deadlocking. The offer
    comes first because accepting must count the offer's places before it decides.
    """
    Offer.objects.select_for_update().only("pk").get(pk=application.offer_id)
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("offer")
        .get(pk=application.pk)
    )


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
    return offer.capacity - offer.places_held


@transaction.atomic
def application_accept(
    *, application: Application, acting_user: User, message: str = ""
) -> Application:
    # The offer is locked first: concurrent accepts of the same offer queue up there, so each
    # one counts the places left after the previous one has committed.
    application = _lock(application)
    offer = application.offer
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
    caching.new_generation(caching.CATALOGUE)  # the catalogue's cards say "Fully booked"
    # Fewer places are left: the other applications and the profiles are scored again.
    tasks.score_on_commit("offer", offer.pk)
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
