from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Case, Value, When
from django.shortcuts import render
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import nuts, outbox, selectors, services
from .admin_helpers import (
    HistoryInline,
    LabelledListEditableMixin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnly,
    ReadOnlyAdmin,
    ToldOrganisationsMixin,
    country_filter,
    recorded_action,
)
from .exports import export_actions, organisation_columns
from .models import (
    ExchangeType,
    FewerOpportunityCategory,
    FieldOfEducation,
    Invitation,
    Language,
    Membership,
    Organisation,
    OrganisationHistory,
    OutboxEmail,
    Theme,
    User,
)

# The admin carries the site's name (templates/admin/base_site.html adds its colours).
admin.site.site_header = settings.SITE_NAME
# The app list stays on the index and in the breadcrumbs: beside a list and its filters, the
# sidebar left the rows too narrow for a 1280 px laptop screen.
admin.site.enable_nav_sidebar = False
admin.site.site_title = format_lazy("{site} · {admin}", site=settings.SITE_NAME, admin=_("admin"))


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "first_name",
        "last_name",
        "preferred_language",
        "is_staff",
        "is_active",
    ]
    list_filter = ["is_staff", "is_active", "preferred_language", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        """Only superusers see (and reset) a password's hash; the secretariat sees the person."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for name, options in fieldsets
        ]

    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Theme, FewerOpportunityCategory, FieldOfEducation)
class VocabularyAdmin(LabelledListEditableMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "position", "is_active"]
    list_editable = ["position", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ExchangeType)
class ExchangeTypeAdmin(VocabularyAdmin):
    list_display = [
        "name",
        "slug",
        "activity_code",
        "long_term_activity_code",
        "mobility_of",
        "sector",
        "position",
        "is_active",
    ]
    list_filter = ["is_active", "mobility_of", "sector"]
    search_fields = ["name", "slug", "activity_code"]


class NutsCodeFilter(admin.SimpleListFilter):
    """Organisations whose NUTS code is not in NUTS 2024 (kept by the migration for the
    secretariat to correct), in it, or missing."""

    title = _("NUTS code")
    parameter_name = "nuts"

    def lookups(self, request, model_admin):
        return [
            ("invalid", _("not in NUTS 2024")),
            ("valid", _("in NUTS 2024")),
            ("none", _("none")),
        ]

    def queryset(self, request, queryset):
        codes = list(nuts.regions())
        if self.value() == "invalid":
            return queryset.exclude(nuts_code="").exclude(nuts_code__in=codes)
        if self.value() == "valid":
            return queryset.filter(nuts_code__in=codes)
        if self.value() == "none":
            return queryset.filter(nuts_code="")
        return queryset


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class MembershipReadOnly(ReadOnly):
    """Who acts for an organisation is decided by its own admins on the site (people page).

    In the admin nobody adds, moves or removes a membership: changing its user, organisation
    or role would let staff act as any organisation's admin without anyone knowing.
    """


class MembershipInline(MembershipReadOnly, admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = ["user", "role", "created_at"]


class OrganisationHistoryInline(HistoryInline):
    model = OrganisationHistory
    verbose_name_plural = _("suspensions")


class SuspendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, told to the organisation's admins"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


class SharesNameFilter(admin.SimpleListFilter):
    """Organisations whose name reads the same as another's (case, accents and spacing aside):
    either two entries for one organisation, or someone posing as another."""

    title = _("shares its name with another organisation")
    parameter_name = "shares_name"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(shares_name=True)
        if self.value() == "no":
            return queryset.filter(shares_name=False)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(ObjectActionsMixin, ToldOrganisationsMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "region_name",
        "nuts_code",
        "city",
        "shares_name",
        "is_suspended",
        "created_at",
    ]
    list_filter = [
        SharesNameFilter,
        "is_suspended",
        "kind",
        country_filter("country", parameter_name="country"),
        NutsCodeFilter,
        "rsp_member_since",
    ]
    search_fields = ["name", "region_name", "city", "nuts_code", "contact_email"]
    # Suspension and partnership membership change only through their actions, which keep
    # their history and tell the organisation.
    readonly_fields = [
        "is_suspended",
        "suspension_reason",
        "suspended_at",
        "suspended_by",
        "rsp_member_since",
        "created_at",
    ]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["languages"]
    inlines = [MembershipInline, OrganisationHistoryInline]
    actions = ["suspend", "unsuspend", *export_actions("organisations", organisation_columns)]
    date_hierarchy = "created_at"
    object_actions = (
        ObjectAction("suspend", _("Suspend"), uses_form=True, danger=True),
        ObjectAction("unsuspend", _("Lift the suspension")),
    )
    object_action_form = SuspendForm
    object_actions_title = _("Suspension")

    def object_action_applies(self, organisation, action):
        return organisation.is_suspended == (action == "unsuspend")

    owner_field = None

    def organisations_told(self, organisation):
        return [organisation]

    def get_queryset(self, request):
        # Computed, not stored: names change, and the comparison leaves accents out, which the
        # database would need an extension for (matchmaking.selectors.name_key).
        shared = selectors.organisation_ids_sharing_a_name()
        return (
            super()
            .get_queryset(request)
            .annotate(shares_name=Case(When(pk__in=shared, then=Value(True)), default=Value(False)))
        )

    @admin.display(boolean=True, description=_("shares its name"), ordering="shares_name")
    def shares_name(self, organisation):
        return organisation.shares_name

    @recorded_action(description=_("Suspend the selected organisations"), permissions=["change"])
    def suspend(self, request, queryset):
        if "apply" in request.POST:
            form = SuspendForm(request.POST)
            if form.is_valid():
                for organisation in queryset:
                    services.organisation_suspend(
                        organisation=organisation,
                        reason=form.cleaned_data["reason"],
                        acting_user=request.user,
                    )
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d organisation suspended; its admins are told why.",
                        "%(count)d organisations suspended; their admins are told why.",
                        queryset.count(),
                    )
                    % {"count": queryset.count()},
                    messages.SUCCESS,
                )
                return None
        else:
            form = SuspendForm()
        return render(
            request,
            "admin/matchmaking/organisation/suspend.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Suspend organisations"),
                "organisations": queryset,
                "form": form,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @recorded_action(
        description=_("Lift the suspension of the selected organisations"), permissions=["change"]
    )
    def unsuspend(self, request, queryset):
        for organisation in queryset.filter(is_suspended=True):
            services.organisation_unsuspend(organisation=organisation, acting_user=request.user)
        self.message_user(request, _("Suspensions lifted."), messages.SUCCESS)


@admin.register(Membership)
class MembershipAdmin(MembershipReadOnly, admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "invited_by", "created_at"]
    search_fields = ["email", "organisation__name"]
    readonly_fields = ["organisation", "email", "role", "invited_by", "created_at"]
    list_select_related = ["organisation", "invited_by"]

    def has_add_permission(self, request):
        return False


@admin.register(LogEntry)
class LogEntryAdmin(ReadOnlyAdmin):
    """The admin's own log: every add, change, delete and action done here, by whom."""

    list_display = ["action_time", "user", "content_type", "object_repr", "change_message"]
    list_filter = ["action_flag", "content_type"]
    search_fields = ["object_repr", "change_message", "user__email"]
    list_select_related = ["user", "content_type"]
    date_hierarchy = "action_time"

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("admin.view_logentry")


class OutboxTemplateFilter(admin.SimpleListFilter):
    """The kinds of email in the outbox, by their readable names (only those present)."""

    title = _("email")
    parameter_name = "template"

    def lookups(self, request, model_admin):
        names = OutboxEmail.objects.order_by().values_list("template", flat=True).distinct()
        return sorted(((name, outbox.template_title(name)) for name in names), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(template=self.value()) if self.value() else queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    """The outbox: every email, its state, and a resend for the ones that failed."""

    list_display = [
        "kind",
        "recipient",
        "language",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "created_at",
    ]
    list_filter = ["status", OutboxTemplateFilter, "language"]
    search_fields = ["recipient", "idempotency_key", "last_error"]
    date_hierarchy = "created_at"
    readonly_fields = ["kind", *(field.name for field in OutboxEmail._meta.fields)]
    actions = ["resend"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("email"), ordering="template")
    def kind(self, email):
        return outbox.template_title(email.template)

    @recorded_action(description=_("Send the selected emails again"), permissions=["change"])
    def resend(self, request, queryset):
        count = outbox.resend(queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d email is queued again.", "%(count)d emails are queued again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
