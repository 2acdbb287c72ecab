from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .validators import (
    COUNT_BOUNDS,
    DATE_BOUNDS,
    PARTICIPANT_BOUNDS,
    PARTICIPANTS_MAX,
    dates_within,
    validate_logo,
    within,
)

# A vocabulary holds a few dozen terms; positions beyond this are typos.
VOCABULARY_POSITION_MAX = 1000

nuts_code_validator = RegexValidator(
    r"^[A-Z]{2}[A-Z0-9]{0,3}\Z",
    _("A NUTS code is two capital letters followed by up to three letters or digits, e.g. SE232."),
    code="invalid_nuts",
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person; signs in with an email address."""

    username = None
    email = models.EmailField(_("email address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("Pages and emails are shown in this language."),
    )
    # The privacy notice the person agreed to at sign-up (matchmaking.privacy.NOTICE_VERSION).
    privacy_consent_at = models.DateTimeField(
        _("agreed to the privacy notice at"), null=True, blank=True
    )
    privacy_notice_version = models.CharField(
        _("version of the privacy notice agreed to"), max_length=20, blank=True
    )
    # Set when the person deleted their account: the row stays, emptied of everything that
    # names them, so that what they wrote and did is kept as a "former user"'s.
    deleted_at = models.DateTimeField(_("account deleted at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        """How the person is named on pages and in emails: their name, else their address;
        "former user" once they deleted their account."""
        if self.deleted_at is not None:
            return gettext("former user")
        return self.get_full_name() or self.email

    @property
    def is_former(self):
        return self.deleted_at is not None


class Vocabulary(models.Model):
    """A term of a list the secretariat keeps in the admin (exchange types, themes, …)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, validators=[MaxValueValidator(VOCABULARY_POSITION_MAX)]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=within(0, VOCABULARY_POSITION_MAX, "position"),
                name="%(class)s_position_bounded",
            )
        ]

    def __str__(self):
        # The seeded names are in the translation catalogue; added ones show as typed.
        return gettext(self.name)


class ExchangeType(Vocabulary):
    """A kind of exchange, with the Erasmus+ codes the monitoring and the exports speak."""

    class MobilityOf(models.TextChoices):
        STAFF = "staff", _("Staff")
        LEARNERS = "learners", _("Learners")

    class Sector(models.TextChoices):
        VET = "vet", _("Vocational education and training")
        SCHOOL = "school", _("School education")
        ADULT = "adult", _("Adult education")
        HIGHER = "higher", _("Higher education")
        YOUTH = "youth", _("Youth")

    # Erasmus+ learners' mobility of 90 days or more is "long-term" (ErasmusPro for VET).
    LONG_TERM_DAYS = 90

    activity_code = models.CharField(
        _("Erasmus+ activity code"),
        max_length=40,
        blank=True,
        help_text=_("As in the Beneficiary Module, e.g. SM-JOB-SHDW; empty if there is none."),
    )
    long_term_activity_code = models.CharField(
        _("Erasmus+ activity code from 90 days"),
        max_length=40,
        blank=True,
        help_text=_("For a mobility of 90 days or more, if it has its own code (LM-LONG-VET)."),
    )
    mobility_of = models.CharField(
        _("mobility of"), max_length=16, choices=MobilityOf.choices, blank=True
    )
    sector = models.CharField(_("sector"), max_length=16, choices=Sector.choices, blank=True)

    class Meta(Vocabulary.Meta):
        verbose_name = _("exchange type")
        verbose_name_plural = _("exchange types")

    def activity_code_for(self, duration_days) -> str:
        """The Erasmus+ activity code of a mobility of this type that lasts ``duration_days``."""
        if self.long_term_activity_code and duration_days >= self.LONG_TERM_DAYS:
            return self.long_term_activity_code
        return self.activity_code


class Theme(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class FewerOpportunityCategory(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("fewer-opportunity category")
        verbose_name_plural = _("fewer-opportunity categories")


class FieldOfEducation(Vocabulary):
    """An ISCED-F 2013 broad field; the slug is its two-digit code."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("field of education")
        verbose_name_plural = _("fields of education")

    def __str__(self):
        return f"{self.slug} {gettext(self.name)}"


class Language(models.Model):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("ISO 639-1"))
    name = models.CharField(_("name"), max_length=60)

    class Meta:
        ordering = ["name"]
        verbose_name = _("language")
        verbose_name_plural = _("languages")

    def __str__(self):
        return gettext(self.name)


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("Regional or local authority")
        VET = "vet", _("VET provider")
        SCHOOL = "school", _("School")
        HIGHER_EDUCATION = "higher_education", _("Higher education")
        ADULT_EDUCATION = "adult_education", _("Adult education")
        EMPLOYMENT_SERVICE = "employment_service", _("Public employment service")
        NGO = "ngo", _("NGO")
        EMPLOYER = "employer", _("Employer")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    kind = models.CharField(_("type"), max_length=32, choices=Kind.choices)
    country = CountryField(_("country"))
    region_name = models.CharField(_("region"), max_length=120)
    nuts_code = models.CharField(
        _("NUTS code"),
        max_length=5,
        blank=True,
        validators=[nuts_code_validator],
        help_text=_("The NUTS 2024 region, e.g. SE232 for Västra Götaland."),
    )
    city = models.CharField(_("city"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    languages = models.ManyToManyField(
        Language, verbose_name=_("working languages"), related_name="organisations"
    )
    logo = models.ImageField(
        _("logo"),
        upload_to="logos/",
        blank=True,
        validators=[validate_logo],
        help_text=_("PNG or JPEG, at most 2 MB."),
    )
    contact_email = models.EmailField(_("contact email"))
    is_suspended = models.BooleanField(_("suspended"), default=False)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True)
    suspended_at = models.DateTimeField(_("suspended at"), null=True, blank=True)
    suspended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("suspended by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set and cleared by the partnership app when the secretariat approves or ends a membership.
    rsp_member_since = models.DateField(_("member of the partnership since"), null=True, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organisation_detail", kwargs={"slug": self.slug})

    @property
    def is_rsp_member(self):
        return self.rsp_member_since is not None


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        COORDINATOR = "coordinator", _("Coordinator")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"], name="membership_unique_user_organisation"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"

    @property
    def is_admin(self):
        return self.role == self.Role.ADMIN


class Invitation(models.Model):
    """A coordinator invited by email who has no account yet; claimed when they confirm it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="invitation_unique_organisation_email"
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation}"


# Decisions and history ------------------------------------------------------------------------


class Decided(models.Model):
    """The secretariat's decision on a request: who decided, when, and what the organisation is
    told. Shared by membership applications, promoters and event registrations."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(
        _("note to the organisation"),
        max_length=2000,
        blank=True,
        validators=[MaxLengthValidator(2000)],
    )

    class Meta:
        abstract = True


class EmbeddedText(models.Model):
    """The sentence vector of a row's text (``matchmaking.scoring.embedding``), stored so that
    scoring stays a matrix product: the worker computes it when the text changes
    (``exchanges.matching.vectors``), ``manage.py embed_texts`` fills the rows without one."""

    text_vector = models.BinaryField(_("text vector"), null=True, blank=True, editable=False)
    # blake2b (16 hex digits) of the text the vector was computed from; "" = none yet.
    text_hash = models.CharField(_("text hash"), max_length=16, blank=True, editable=False)
    # The text's language (ISO 639-1), detected or the organisation's; "" = unknown.
    text_language = models.CharField(_("text language"), max_length=8, blank=True, editable=False)

    class Meta:
        abstract = True


class History(models.Model):
    """One step in the life of something people look back on: what happened, who did it, when,
    and what they said. Every history table has this shape; each declares ``kind`` again with
    its own choices and adds the foreign key to its subject."""

    kind = models.CharField(_("what"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class OrganisationHistory(History):
    """An organisation's suspensions and their lifting, and the changes someone outside it (the
    secretariat, in the admin) made to it or to what it owns."""

    class Kind(models.TextChoices):
        SUSPENDED = "suspended", _("Suspended")
        UNSUSPENDED = "unsuspended", _("Suspension lifted")
        CHANGED = "changed", _("Changed by the secretariat")
        # A member deleted their account; the note keeps the role they had.
        MEMBER_LEFT = "member_left", _("A member deleted their account")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="history",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)

    class Meta(History.Meta):
        verbose_name = _("organisation history entry")
        verbose_name_plural = _("organisation history")

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()}"


class OutboxEmail(models.Model):
    """One email, written in the same transaction as the change that causes it.

    A Celery task delivers it; the row's own status, claimed under a row lock, decides
    whether it is sent, so a task that runs twice or is lost never sends it twice or never.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.EmailField(_("recipient"))
    recipient_name = models.CharField(_("recipient's name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10)
    template = models.CharField(_("template"), max_length=80)
    context = models.JSONField(_("context"), default=dict)
    idempotency_key = models.CharField(_("idempotency key"), max_length=255, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next try"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox email")
        verbose_name_plural = _("outbox")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_pending_due",
            )
        ]

    def __str__(self):
        return f"{self.template} → {self.recipient}"


class InterestProfile(EmbeddedText):
    """What an organisation looks for as a sending organisation; offers are matched against it.

    It lives in the core app beside the organisation that owns it and the vocabularies it
    names; the scoring runs in the exchanges app (matchmaking never imports it), whose
    services queue the re-scoring when a profile changes.
    """

    class Alert(models.TextChoices):
        IMMEDIATELY = "immediately", _("At once, by email")
        WEEKLY = "weekly", _("In a weekly digest")
        OFF = "off", _("Off")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="interest_profiles",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("name"), max_length=120, help_text=_("For example: Job shadowing for our advisors.")
    )
    exchange_types = models.ManyToManyField(
        ExchangeType, related_name="interest_profiles", verbose_name=_("exchange types sought")
    )
    themes = models.ManyToManyField(
        Theme, related_name="interest_profiles", verbose_name=_("themes")
    )
    fields_of_education = models.ManyToManyField(
        FieldOfEducation,
        blank=True,
        related_name="interest_profiles",
        verbose_name=_("fields of education"),
    )
    countries_wanted = CountryField(
        _("countries wanted"),
        multiple=True,
        blank=True,
        help_text=_("Leave empty for anywhere."),
    )
    languages = models.ManyToManyField(
        Language, related_name="interest_profiles", verbose_name=_("working languages")
    )
    available_from = models.DateField(
        _("available from"), null=True, blank=True, validators=DATE_BOUNDS
    )
    available_until = models.DateField(
        _("available until"), null=True, blank=True, validators=DATE_BOUNDS
    )
    participants = models.PositiveSmallIntegerField(
        _("participants"), default=1, validators=PARTICIPANT_BOUNDS
    )
    fewer_opportunity_participants = models.PositiveSmallIntegerField(
        _("of whom with fewer opportunities"), default=0, validators=COUNT_BOUNDS
    )
    description = models.TextField(
        _("what you are looking for"),
        max_length=5000,
        blank=True,
        help_text=_("In your own words; it is compared with the offers' descriptions."),
    )
    alert = models.CharField(
        _("email alerts"),
        max_length=16,
        choices=Alert.choices,
        default=Alert.IMMEDIATELY,
        help_text=_("When an offer that fits this profile is published."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["organisation__name", "name", "pk"]
        verbose_name = _("interest profile")
        verbose_name_plural = _("interest profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(available_from__isnull=True, available_until__isnull=True)
                | Q(
                    available_from__isnull=False,
                    available_until__isnull=False,
                    available_until__gte=F("available_from"),
                ),
                name="interest_profile_window_complete_and_in_order",
            ),
            models.CheckConstraint(
                condition=Q(participants__gte=1), name="interest_profile_participants_positive"
            ),
            models.CheckConstraint(
                condition=Q(fewer_opportunity_participants__lte=F("participants")),
                name="interest_profile_fewer_opportunities_within_participants",
            ),
            models.CheckConstraint(
                condition=within(1, PARTICIPANTS_MAX, "participants")
                & dates_within("available_from", "available_until"),
                name="interest_profile_bounded",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"

    def clean(self):
        errors = {}
        start, end = self.available_from, self.available_until
        if (start is None) != (end is None):
            missing = "available_until" if end is None else "available_from"
            errors[missing] = _("Give both ends of the window, or neither.")
        elif start and end and end < start:
            errors["available_until"] = _("The end of the window is before its start.")
        if self.participants and self.fewer_opportunity_participants > self.participants:
            errors["fewer_opportunity_participants"] = _(
                "There cannot be more participants with fewer opportunities than participants."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def has_window(self):
        return self.available_from is not None and self.available_until is not None
