"""Every change to the partnership goes through these functions.

They check who acts, validate, write in one transaction, record the step in the history
(``MembershipHistory``; a promoter's nomination and decision in ``PromoterHistory``) and queue the
emails in the same transaction. Membership is ``Organisation.rsp_member_since``: set on
approval, cleared when the organisation leaves or the secretariat ends it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaking import caching
from matchmaking.models import Language, Organisation, User
from matchmaking.permissions import is_admin_of, is_member_of, require_not_suspended

from . import emails
from .models import MembershipApplication, MembershipHistory, Promoter, PromoterHistory
from .permissions import require_membership_decider, require_promoter_decider


def _lock(organisation):
    """The organisation's row, locked: one partnership change at a time per organisation."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _refuse_unless_admin(user, organisation):
    if not is_admin_of(user, organisation):
        raise ValidationError(
            _("Only an admin of %(name)s can do this for it.") % {"name": organisation.name},
            code="not_admin",
        )


def _refuse_if_suspended(organisation):
    require_not_suspended(
        organisation, _("%(name)s is suspended and cannot take part in the partnership.")
    )


def _latest_approved_application(organisation):
    return (
        organisation.partnership_applications.filter(status=MembershipApplication.Status.APPROVED)
        .order_by("-decided_at", "-pk")
        .first()
    )


# Membership applications --------------------------------------------------------------------


@transaction.atomic
def membership_application_submit(
    *,
    organisation: Organisation,
    acting_user: User,
    contact_name: str,
    contact_role: str,
    contact_email: str,
    motivation: str,
    commitments: list[str],
    logo_consent: bool,
) -> MembershipApplication:
    """An organisation's admin asks for it to join; one open application at a time."""
    organisation = _lock(organisation)
    _refuse_unless_admin(acting_user, organisation)
    _refuse_if_suspended(organisation)
    if organisation.is_rsp_member:
        raise ValidationError(
            _("%(name)s is already a member of the partnership.") % {"name": organisation.name},
            code="already_member",
        )
    if organisation.partnership_applications.pending().exists():
        raise ValidationError(
            _("%(name)s has already applied; the secretariat will decide soon.")
            % {"name": organisation.name},
            code="already_pending",
        )
    application = MembershipApplication(
        organisation=organisation,
        contact_name=contact_name.strip(),
        contact_role=contact_role.strip(),
        contact_email=contact_email.strip(),
        motivation=motivation.strip(),
        commitments=sorted(set(commitments)),
        logo_consent=logo_consent,
        submitted_by=acting_user,
    )
    application.full_clean()
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # the partial unique index, should the lock be bypassed
        raise ValidationError(
            _("%(name)s has already applied; the secretariat will decide soon.")
            % {"name": organisation.name},
            code="already_pending",
        ) from error
    MembershipHistory.objects.create(
        organisation=organisation,
        application=application,
        kind=MembershipHistory.Kind.APPLIED,
        actor=acting_user,
    )
    return application


def _lock_pending(application):
    application = (
        MembershipApplication.objects.select_for_update()
        .select_related("organisation")
        .get(pk=application.pk)
    )
    if application.status != MembershipApplication.Status.PENDING:
        raise ValidationError(
            _("The application of %(name)s is already %(status)s.")
            % {"name": application.organisation.name, "status": application.get_status_display()},
            code="not_pending",
        )
    return application


def _clean_only(instance, *names):
    instance.clean_fields(
        exclude=[f.name for f in instance._meta.concrete_fields if f.name not in names]
    )


def _decide(application, *, status, acting_user, note):
    application.status = status
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application.decision_note = note.strip()
    # Only what the decision changes; the rest was validated when the organisation applied.
    _clean_only(application, "status", "decision_note")
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    MembershipHistory.objects.create(
        organisation=application.organisation,
        application=application,
        kind=status,  # the decisions share their names with the history's kinds
        actor=acting_user,
        note=application.decision_note,
        created_at=application.decided_at,
    )


@transaction.atomic
def membership_application_approve(
    *, application: MembershipApplication, acting_user: User, note: str = ""
) -> MembershipApplication:
    """The secretariat approves: the organisation is a member from today."""
    require_membership_decider(acting_user)
    # The organisation first, as every service that changes membership locks it first.
    organisation = _lock(application.organisation)
    application = _lock_pending(application)
    _refuse_if_suspended(organisation)
    _decide(
        application,
        status=MembershipApplication.Status.APPROVED,
        acting_user=acting_user,
        note=note,
    )
    organisation.rsp_member_since = organisation.rsp_member_since or timezone.localdate(
        application.decided_at
    )
    organisation.save(update_fields=["rsp_member_since"])
    caching.new_generation(caching.CATALOGUE)  # the catalogue's "RSP members only" count
    application.organisation = organisation
    emails.membership_approved(application)
    return application


@transaction.atomic
def membership_application_reject(
    *, application: MembershipApplication, acting_user: User, note: str
) -> MembershipApplication:
    """The secretariat declines, and tells the organisation why."""
    require_membership_decider(acting_user)
    if not note.strip():
        raise ValidationError(
            {"note": _("Tell the organisation why its application is rejected.")},
            code="note_required",
        )
    application = _lock_pending(application)
    _decide(
        application,
        status=MembershipApplication.Status.REJECTED,
        acting_user=acting_user,
        note=note,
    )
    emails.membership_rejected(application)
    return application


@transaction.atomic
def membership_application_withdraw(
    *, application: MembershipApplication, acting_user: User
) -> MembershipApplication:
    """An admin of the organisation takes back its open application."""
    _refuse_unless_admin(acting_user, application.organisation)
    application = _lock_pending(application)
    application.status = MembershipApplication.Status.WITHDRAWN
    application.decided_by = acting_user
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at"])
    MembershipHistory.objects.create(
        organisation=application.organisation,
        application=application,
        kind=MembershipHistory.Kind.WITHDRAWN,
        actor=acting_user,
        created_at=application.decided_at,
    )
    return application


# Leaving and ending -------------------------------------------------------------------------


def _end(organisation, *, kind, acting_user, note):
    organisation.rsp_member_since = None
    organisation.save(update_fields=["rsp_member_since"])
    caching.new_generation(caching.CATALOGUE)
    entry = MembershipHistory.objects.create(
        organisation=organisation,
        application=_latest_approved_application(organisation),
        kind=kind,
        actor=acting_user,
        note=note,
    )
    emails.membership_ended(entry)
    return entry


def _refuse_unless_member(organisation):
    if not organisation.is_rsp_member:
        raise ValidationError(
            _("%(name)s is not a member of the partnership.") % {"name": organisation.name},
            code="not_member",
        )


@transaction.atomic
def partnership_leave(*, organisation: Organisation, acting_user: User) -> MembershipHistory:
    """An admin of the organisation takes it out of the partnership."""
    organisation = _lock(organisation)
    _refuse_unless_admin(acting_user, organisation)
    _refuse_unless_member(organisation)
    return _end(organisation, kind=MembershipHistory.Kind.LEFT, acting_user=acting_user, note="")


@transaction.atomic
def partnership_end(
    *, organisation: Organisation, acting_user: User, reason: str
) -> MembershipHistory:
    """The secretariat ends an organisation's membership, with a reason it is told."""
    require_membership_decider(acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the membership ends.")}, code="reason_required")
    organisation = _lock(organisation)
    _refuse_unless_member(organisation)
    return _end(
        organisation,
        kind=MembershipHistory.Kind.ENDED,
        acting_user=acting_user,
        note=reason.strip(),
    )


# Promoters ----------------------------------------------------------------------------------


@transaction.atomic
def promoter_nominate(
    *,
    organisation: Organisation,
    acting_user: User,
    name: str,
    role: str,
    languages: Iterable[Language],
    bio: str,
    contact_email: str,
    photo: File | None = None,
    photo_consent: bool = False,
) -> Promoter:
    """A member organisation's admin or coordinator nominates a learning-mobility promoter."""
    if not is_member_of(acting_user, organisation):
        raise ValidationError(
            _("Only the people of %(name)s can nominate for it.") % {"name": organisation.name},
            code="not_member_of_organisation",
        )
    _refuse_if_suspended(organisation)
    if not organisation.is_rsp_member:
        raise ValidationError(
            _("Only members of the partnership nominate promoters; %(name)s is not a member.")
            % {"name": organisation.name},
            code="not_member",
        )
    if photo and not photo_consent:
        raise ValidationError(
            {"photo": _("Add a photo only when the person agrees that it is shown.")},
            code="photo_without_consent",
        )
    promoter = Promoter(
        organisation=organisation,
        name=name.strip(),
        role=role.strip(),
        bio=bio.strip(),
        contact_email=contact_email.strip(),
        photo=photo or "",
        photo_consent=photo_consent,
        nominated_by=acting_user,
    )
    promoter.full_clean()
    promoter.save()
    promoter.languages.set(languages)
    PromoterHistory.objects.create(
        promoter=promoter, kind=PromoterHistory.Kind.NOMINATED, actor=acting_user
    )
    return promoter


def _lock_pending_promoter(promoter):
    promoter = (
        Promoter.objects.select_for_update().select_related("organisation").get(pk=promoter.pk)
    )
    if promoter.status != Promoter.Status.PENDING:
        raise ValidationError(
            _("The nomination of %(name)s is already %(status)s.")
            % {"name": promoter.name, "status": promoter.get_status_display()},
            code="not_pending",
        )
    return promoter


def _decide_promoter(promoter, *, status, acting_user, note):
    promoter.status = status
    promoter.decided_by = acting_user
    promoter.decided_at = timezone.now()
    promoter.decision_note = note.strip()
    _clean_only(promoter, "status", "decision_note")
    promoter.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    PromoterHistory.objects.create(
        promoter=promoter,
        kind=status,  # the decisions share their names with the history's kinds
        actor=acting_user,
        note=promoter.decision_note,
        created_at=promoter.decided_at,
    )


@transaction.atomic
def promoter_approve(*, promoter: Promoter, acting_user: User, note: str = "") -> Promoter:
    """The secretariat approves: the promoter appears on the public page."""
    require_promoter_decider(acting_user)
    promoter = _lock_pending_promoter(promoter)
    _decide_promoter(promoter, status=Promoter.Status.APPROVED, acting_user=acting_user, note=note)
    emails.promoter_approved(promoter)
    return promoter


@transaction.atomic
def promoter_reject(*, promoter: Promoter, acting_user: User, note: str) -> Promoter:
    """The secretariat declines a nomination, and tells the organisation why."""
    require_promoter_decider(acting_user)
    if not note.strip():
        raise ValidationError(
            {"note": _("Tell the organisation why the nomination is rejected.")},
            code="note_required",
        )
    promoter = _lock_pending_promoter(promoter)
    _decide_promoter(promoter, status=Promoter.Status.REJECTED, acting_user=acting_user, note=note)
    emails.promoter_rejected(promoter)
    return promoter


@transaction.atomic
def promoter_contact(
    *, promoter: Promoter, sender_name: str, sender_email: str, message: str
) -> int:
    """Pass a visitor's message to a public promoter without showing them the address."""
    if not Promoter.objects.public().filter(pk=promoter.pk).exists():
        raise ValidationError(_("This promoter cannot be contacted."), code="not_public")
    return emails.promoter_contact(
        promoter,
        sender_name=" ".join(sender_name.split()),
        sender_email=sender_email.strip(),
        message=message.strip(),
    )
