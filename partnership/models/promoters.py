"""Learning-mobility promoters nominated by members."""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchmaking.models import Decided, History, Language, Organisation

from ..validators import validate_photo


class PromoterQuerySet(models.QuerySet):
    def public(self):
        """Approved promoters of organisations that are members in good standing."""
        return self.filter(
            status=Promoter.Status.APPROVED,
            organisation__rsp_member_since__isnull=False,
            organisation__is_suspended=False,
        )


class Promoter(Decided):
    """A learning-mobility promoter nominated by a member and approved by the secretariat."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="promoters",
        verbose_name=_("organisation"),
    )
    languages = models.ManyToManyField(
        Language, related_name="promoters", verbose_name=_("languages")
    )
    bio = models.TextField(_("short bio"), max_length=1000, validators=[MaxLengthValidator(1000)])
    photo = models.ImageField(
        _("photo"),
        upload_to="promoters/",
        blank=True,
        validators=[validate_photo],
        help_text=_("PNG or JPEG, at most 2 MB; only with the person's consent."),
    )
    photo_consent = models.BooleanField(
        _("the person agrees that their photo is shown"), default=False
    )
    contact_email = models.EmailField(
        _("contact email"), help_text=_("Never shown: visitors write through a form.")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("nominated by"),
    )
    created_at = models.DateTimeField(_("nominated at"), default=timezone.now)

    objects = PromoterQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("promoter")
        verbose_name_plural = _("promoters")
        permissions = [("decide_promoter", _("Can approve and reject promoters"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | Q(photo_consent=True),
                name="promoter_photo_only_with_consent",
                violation_error_message=_("A photo is shown only with the person's consent."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(decided_at__isnull=False),
                name="promoter_decided_has_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


class PromoterHistory(History):
    """A promoter's nomination and the secretariat's decision on it."""

    class Kind(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    promoter = models.ForeignKey(
        Promoter, on_delete=models.CASCADE, related_name="history", verbose_name=_("promoter")
    )
    kind = models.CharField(_("what happened"), max_length=16, choices=Kind.choices)

    class Meta(History.Meta):
        verbose_name = _("promoter history entry")
        verbose_name_plural = _("promoter history")

    def __str__(self):
        return f"{self.promoter}: {self.get_kind_display()}"


# Matchmaking events ---------------------------------------------------------------------------
