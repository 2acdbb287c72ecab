"""Joining the partnership: applications, the secretariat's decisions and their history."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Decided, History, Organisation


class Commitment(models.TextChoices):
    """What an organisation agrees to when it joins; every one must be ticked."""

    TARGETS = (
        "targets",
        _(
            # xgettext:no-python-format
            "Work towards the partnership's targets: 20 % of VET learners on a mobility by 2030 "
            "and 20 % of all mobilities for people with fewer opportunities."
        ),
    )
    FEWER_OPPORTUNITIES = (
        "fewer_opportunities",
        _("Open our exchanges to people with fewer opportunities and support them."),
    )
    GOOD_PRACTICE = (
        "good_practice",
        _("Share our good practices, and the lessons of our exchanges, with the other members."),
    )
    MONITORING = (
        "monitoring",
        _(
            "Record our mobilities in the tool so that the partnership can monitor and evaluate them."  # noqa: E501 (one translatable string)
        ),
    )
    COOPERATION = (
        "cooperation",
        _(
            "Build lasting links with regional and local authorities, in particular for "
            "apprenticeship mobility."
        ),
    )
    EVENTS = (
        "events",
        _("Take part in the partnership's working-group meetings and matchmaking events."),
    )


class MembershipApplicationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=MembershipApplication.Status.PENDING)


class MembershipApplication(Decided):
    """An organisation's request to join the partnership, decided by the secretariat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnership_applications",
        verbose_name=_("organisation"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_role = models.CharField(_("contact person's role"), max_length=200)
    contact_email = models.EmailField(_("contact person's email"))
    motivation = models.TextField(
        _("motivation"), max_length=3000, validators=[MaxLengthValidator(3000)]
    )
    commitments = models.JSONField(_("commitments agreed to"), default=list)
    logo_consent = models.BooleanField(
        _("the partnership may show our logo in its communication"), default=False
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    created_at = models.DateTimeField(_("submitted at"), default=timezone.now)

    objects = MembershipApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        permissions = [
            ("decide_membershipapplication", _("Can approve, reject and end memberships")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status="pending"),
                name="membershipapplication_one_open_per_organisation",
                violation_error_message=_("This organisation already has an open application."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="membershipapplication_decided_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_status_display()})"

    def clean(self):
        if sorted(self.commitments or []) != sorted(Commitment.values):
            raise ValidationError(
                {"commitments": _("Tick every commitment: a member agrees to all of them.")},
                code="commitments",
            )

    @property
    def commitment_labels(self):
        labels = dict(Commitment.choices)
        return [labels.get(value, value) for value in self.commitments]


class MembershipHistory(History):
    """One step of an organisation's life in the partnership: who did it, when, and why."""

    class Kind(models.TextChoices):
        APPLIED = "applied", _("Applied")
        WITHDRAWN = "withdrawn", _("Withdrew the application")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        LEFT = "left", _("Left the partnership")
        ENDED = "ended", _("Membership ended by the secretariat")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="partnership_history",
        verbose_name=_("organisation"),
    )
    application = models.ForeignKey(
        MembershipApplication,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="history",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=Kind.choices)

    class Meta(History.Meta):
        verbose_name = _("partnership history entry")
        verbose_name_plural = _("partnership history")

    def __str__(self):
        return f"{self.organisation}: {self.get_kind_display()}"


class PartnershipMember(Organisation):
    """The organisations in the partnership, as the secretariat sees them in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
