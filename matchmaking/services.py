"""Every change to organisations, memberships and users goes through these functions."""

from collections.abc import Iterable, Sequence

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _

from . import caching, emails
from .models import (
    Invitation,
    Language,
    Membership,
    Organisation,
    OrganisationHistory,
    OutboxEmail,
    User,
)
from .permissions import is_member_of
from .personal_data import NOTICE_VERSION
from .selectors import organisations_only_administered_by, organisations_sharing_the_name

# Path segments under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = {"new"}

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "country",
    "region_name",
    "nuts_code",
    "city",
    "website",
    "description",
    "logo",
    "contact_email",
)


def _unique_slug(name, *, exclude_pk=None):
    base = slugify(name)[:70] or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    slug, n = base, 2
    while Organisation.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _save_with_a_free_slug(organisation, *, attempts=5):
    # Two organisations of one name created at the same moment pick the same free slug; the
    # unique index refuses the second, which then takes the next one.
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                organisation.save()
            return
        except IntegrityError:
            if attempt == attempts - 1:
                raise
            organisation.slug = _unique_slug(organisation.name)


def _name_shared_refusal(namesakes):
    names = "; ".join(
        _("“%(name)s” (%(country)s, %(city)s)")
        % {"name": other.name, "country": other.country.name, "city": other.city}
        for other in namesakes
    )
    return ValidationError(
        {
            "confirm_different": ValidationError(
                _(
                    "An organisation with this name is already on the site: %(names)s. If "
                    "yours is a different organisation, tick the box; if it is the same one, "
                    "ask its admins to add you instead."
                )
                % {"names": names},
                code="name_shared",
            )
        }
    )


@transaction.atomic
def organisation_create(
    *,
    acting_user: User,
    languages: Iterable[Language],
    name_shared_confirmed: bool = False,
    **fields,
) -> Organisation:
    """Create an organisation; the person who creates it becomes its admin.

    A name that another organisation has (``selectors.name_key``) is refused until the person
    confirms that theirs is a different organisation (``name_shared_confirmed``); then the
    secretariat is told, in case someone poses as the other one.
    """
    organisation = Organisation(**{k: fields[k] for k in ORGANISATION_FIELDS if k in fields})
    namesakes = organisations_sharing_the_name(organisation.name)
    if namesakes and not name_shared_confirmed:
        raise _name_shared_refusal(namesakes)
    organisation.slug = _unique_slug(organisation.name)
    organisation.full_clean()
    _save_with_a_free_slug(organisation)
    organisation.languages.set(languages)
    Membership.objects.create(
        user=acting_user, organisation=organisation, role=Membership.Role.ADMIN
    )
    if namesakes:
        emails.organisation_name_shared(organisation, namesakes=namesakes, acting_user=acting_user)
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, languages: Iterable[Language], **fields
) -> Organisation:
    for name in ORGANISATION_FIELDS:
        if name in fields:
            setattr(organisation, name, fields[name])
    organisation.full_clean()
    organisation.save()
    organisation.languages.set(languages)
    caching.new_generation(caching.CATALOGUE)  # its offers' cards and countries
    return organisation


@transaction.atomic
def membership_add(
    *, organisation: Organisation, email: str, role: str, acting_user: User
) -> Membership | Invitation:
    """Add a person by email: at once if they have an account, else by an emailed invitation.

    Returns the Membership or the Invitation.
    """
    email = User.objects.normalize_email(email).strip()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        if is_member_of(user, organisation):
            raise ValidationError(
                {"email": _("%(email)s is already a member.") % {"email": email}},
                code="already_member",
            )
        membership = Membership.objects.create(user=user, organisation=organisation, role=role)
        emails.membership_added(membership, added_by=acting_user)
        return membership
    invitation, created = Invitation.objects.get_or_create(
        organisation=organisation,
        email=email.lower(),
        defaults={"role": role, "invited_by": acting_user},
    )
    if not created:
        raise ValidationError(
            {"email": _("%(email)s has already been invited.") % {"email": email}},
            code="already_invited",
        )
    emails.invitation(invitation)
    return invitation


@transaction.atomic
def membership_remove(*, membership: Membership, acting_user: User) -> None:
    """Remove a person; an organisation always keeps at least one admin."""
    organisation = Organisation.objects.select_for_update().get(pk=membership.organisation_id)
    if (
        membership.is_admin
        and not organisation.memberships.filter(role=Membership.Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("An organisation needs at least one admin; make someone else admin first."),
            code="last_admin",
        )
    membership.delete()


def invitation_cancel(*, invitation: Invitation) -> None:
    invitation.delete()


@transaction.atomic
def invitations_claim(*, user: User) -> list[Membership]:
    """Turn the invitations sent to a user's (now verified) address into memberships."""
    memberships = []
    for invitation in Invitation.objects.select_for_update().filter(email__iexact=user.email):
        membership, _created = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        memberships.append(membership)
        invitation.delete()
    return memberships


@transaction.atomic
def organisation_suspend(
    *, organisation: Organisation, reason: str, acting_user: User
) -> Organisation:
    """Suspend an organisation: its offers leave the catalogue, it can neither post nor apply."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the organisation is suspended.")})
    organisation.is_suspended = True
    organisation.suspension_reason = reason.strip()
    organisation.suspended_at = timezone.now()
    organisation.suspended_by = acting_user
    organisation.save(
        update_fields=["is_suspended", "suspension_reason", "suspended_at", "suspended_by"]
    )
    OrganisationHistory.objects.create(
        organisation=organisation,
        kind=OrganisationHistory.Kind.SUSPENDED,
        actor=acting_user,
        note=organisation.suspension_reason,
        created_at=organisation.suspended_at,
    )
    emails.organisation_suspended(organisation)
    caching.new_generation(caching.CATALOGUE)  # its offers leave the catalogue
    return organisation


@transaction.atomic
def organisation_unsuspend(*, organisation: Organisation, acting_user: User) -> Organisation:
    if not organisation.is_suspended:
        return organisation
    suspended_at = organisation.suspended_at
    organisation.is_suspended = False
    organisation.suspension_reason = ""
    organisation.suspended_at = None
    organisation.suspended_by = None
    organisation.save(
        update_fields=["is_suspended", "suspension_reason", "suspended_at", "suspended_by"]
    )
    OrganisationHistory.objects.create(
        organisation=organisation, kind=OrganisationHistory.Kind.UNSUSPENDED, actor=acting_user
    )
    emails.organisation_unsuspended(organisation, suspended_at=suspended_at)
    caching.new_generation(caching.CATALOGUE)
    return organisation


def user_update_profile(
    *, user: User, first_name: str, last_name: str, preferred_language: str
) -> User:
    user.first_name = first_name
    user.last_name = last_name
    user.preferred_language = preferred_language
    user.full_clean()
    user.save(update_fields=["first_name", "last_name", "preferred_language"])
    return user


@transaction.atomic
def organisation_told_of_change(
    *,
    organisation: Organisation,
    changed: models.Model,
    fields: Sequence[str],
    acting_user: User,
) -> OrganisationHistory | None:
    """Keep in the organisation's history, and tell its admins, that someone outside it (the
    secretariat, in the admin) changed these fields of the organisation or of what it owns.

    A change by one of the organisation's own people is theirs to know and is not reported.
    """
    if not fields or is_member_of(acting_user, organisation):
        return None
    entry = OrganisationHistory.objects.create(
        organisation=organisation,
        kind=OrganisationHistory.Kind.CHANGED,
        actor=acting_user,
        note=_("%(what)s “%(object)s”: %(fields)s")
        % {
            "what": capfirst(changed._meta.verbose_name),
            "object": changed,
            "fields": ", ".join(emails.field_labels(changed, fields)),
        },
    )
    emails.organisation_changed(organisation, entry=entry, changed=changed, fields=fields)
    caching.new_generation(caching.CATALOGUE)  # the change may be in the catalogue
    return entry


def user_consent_to_privacy_notice(user: User) -> User:
    """Note on the (new, unsaved or saved) user that they agreed to the privacy notice now,
    and to which version; the caller saves the user."""
    user.privacy_consent_at = timezone.now()
    user.privacy_notice_version = NOTICE_VERSION
    return user


def former_user_email(user: User) -> str:
    """The address a deleted account keeps: unique, in the reserved ``.invalid`` domain, so
    it reaches nobody and frees the person's own address for a new account."""
    return f"former-user-{user.pk}@deleted.invalid"


@transaction.atomic
def account_delete(*, user: User) -> User:
    """Delete a person's account, keeping what they did as a "former user"'s.

    The row stays (history rows, authorship of offers, applications, follow-ups and messages
    point to it and read "former user"), emptied of the name, the address, the password and
    the second factors; the person can no longer sign in, and their address may sign up
    again. Their memberships end, each leaving a row in the organisation's history; the
    organisations' offers, applications and exchanges stay as they are. Refused while the
    person is the only admin of an organisation: someone else must be made admin first.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    memberships = list(user.memberships.select_related("organisation"))
    # Lock the organisations as removing a member does, so that two admins who delete their
    # accounts at the same moment cannot leave an organisation with none.
    list(
        Organisation.objects.select_for_update()
        .filter(pk__in=[m.organisation_id for m in memberships])
        .order_by("pk")
    )
    sole = organisations_only_administered_by(user)
    if sole:
        raise ValidationError(
            _(
                "You are the only admin of %(names)s. Make someone else admin there first "
                "(People page), then delete your account."
            )
            % {"names": ", ".join(organisation.name for organisation in sole)},
            code="last_admin",
        )
    now = timezone.now()
    old_email = user.email
    OrganisationHistory.objects.bulk_create(
        OrganisationHistory(
            organisation=membership.organisation,
            kind=OrganisationHistory.Kind.MEMBER_LEFT,
            actor=user,
            note=membership.get_role_display(),
            created_at=now,
        )
        for membership in memberships
    )
    user.memberships.all().delete()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.email = former_user_email(user)
    user.first_name = user.last_name = ""
    user.preferred_language = settings.LANGUAGE_CODE
    user.is_active = user.is_staff = user.is_superuser = False
    user.last_login = None
    user.deleted_at = now
    user.set_unusable_password()  # also ends the person's sessions everywhere
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    # Emails not yet sent to the person are dropped; the outbox keeps what was sent, no longer
    # saying to whom.
    sent_to_them = OutboxEmail.objects.filter(recipient__iexact=old_email)
    sent_to_them.filter(status=OutboxEmail.Status.PENDING).delete()
    sent_to_them.update(recipient=user.email, recipient_name="")
    return user
