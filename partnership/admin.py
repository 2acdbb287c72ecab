"""The secretariat's side of the partnership: applications, members and promoters.

Everything here is read-only except through the actions, which call the services. The
actions need the custom permissions (``decide_membershipapplication``, ``decide_promoter``),
which the Secretariat group holds; other staff may see the lists but are not offered them.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from matchmaking.admin_helpers import (
    Decision,
    DecisionActionsMixin,
    HistoryInline,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnlyAdmin,
    country_filter,
    recorded_action,
)

from . import permissions, selectors, services
from .events import admin as events_admin  # noqa: F401 (registers the events' admin)
from .forms import DecisionNoteForm, EndMembershipForm
from .models import (
    MembershipApplication,
    MembershipHistory,
    PartnershipMember,
    Promoter,
    PromoterHistory,
)
from .monitoring import admin as monitoring_admin  # noqa: F401 (registers the baselines)

APPROVE_APPLICATIONS = Decision(
    action="approve",
    service=services.membership_application_approve,
    target="application",
    form_class=DecisionNoteForm,
    title=_("Approve membership applications"),
    intro=_(
        "These organisations become members of the partnership today. Their admins receive an "
        "email with your note."
    ),
    button=_("Approve"),
    done=ngettext_lazy(
        "%(count)d application approved; the organisation is a member.",
        "%(count)d applications approved; the organisations are members.",
        "count",
    ),
    nothing=_("None of the selected applications is pending."),
)
REJECT_APPLICATIONS = Decision(
    action="reject",
    service=services.membership_application_reject,
    target="application",
    form_class=DecisionNoteForm,
    note_required=True,
    title=_("Reject membership applications"),
    intro=_(
        "The admins of these organisations receive an email with your note, which should say why."
    ),
    button=_("Reject"),
    done=ngettext_lazy(
        "%(count)d application rejected; the organisation is told why.",
        "%(count)d applications rejected; the organisations are told why.",
        "count",
    ),
    nothing=_("None of the selected applications is pending."),
)
END_MEMBERSHIPS = Decision(
    action="end_membership",
    service=services.partnership_end,
    target="organisation",
    form_class=EndMembershipForm,
    title=_("End memberships"),
    intro=_(
        "These organisations leave the partnership today. Their admins receive an email with "
        "your reason."
    ),
    button=_("End membership"),
    done=ngettext_lazy(
        "%(count)d membership ended; the organisation is told why.",
        "%(count)d memberships ended; the organisations are told why.",
        "count",
    ),
    nothing=_("Select at least one member."),
)
APPROVE_PROMOTERS = Decision(
    action="approve",
    service=services.promoter_approve,
    target="promoter",
    form_class=DecisionNoteForm,
    title=_("Approve promoters"),
    intro=_(
        "They appear on the public promoters page. The admins of the nominating organisations "
        "receive an email with your note."
    ),
    button=_("Approve"),
    done=ngettext_lazy("%(count)d promoter approved.", "%(count)d promoters approved.", "count"),
    nothing=_("None of the selected nominations is pending."),
)
REJECT_PROMOTERS = Decision(
    action="reject",
    service=services.promoter_reject,
    target="promoter",
    form_class=DecisionNoteForm,
    note_required=True,
    title=_("Reject promoters"),
    intro=_(
        "The admins of the nominating organisations receive an email with your note, which "
        "should say why."
    ),
    button=_("Reject"),
    done=ngettext_lazy(
        "%(count)d nomination rejected.", "%(count)d nominations rejected.", "count"
    ),
    nothing=_("None of the selected nominations is pending."),
)


# The buttons on a pending application's or nomination's change page.
APPROVE_OR_REJECT = (
    ObjectAction("approve", _("Approve"), uses_form=True),
    ObjectAction("reject", _("Reject"), uses_form=True, danger=True),
)
NOTE_HELP = _("The note is emailed with the decision; a rejection needs one that says why.")


class PendingDecisionsMixin(ObjectActionsMixin):
    """Approve and Reject on the change page of a row still waiting for a decision."""

    object_actions = APPROVE_OR_REJECT
    object_action_form = DecisionNoteForm
    object_actions_help = NOTE_HELP

    def object_action_applies(self, obj, action):
        return obj.status == "pending"


# Membership applications --------------------------------------------------------------------


class MembershipApplicationHistoryInline(HistoryInline):
    model = MembershipHistory
    fk_name = "application"


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(PendingDecisionsMixin, DecisionActionsMixin, ReadOnlyAdmin):
    list_display = [
        "organisation",
        "status",
        "country",
        "kind",
        "contact_name",
        "created_at",
        "decided_at",
    ]
    list_filter = ["status", country_filter("organisation__country"), "organisation__kind"]
    search_fields = ["organisation__name", "contact_name", "contact_email"]
    list_select_related = ["organisation"]
    date_hierarchy = "created_at"
    fields = [
        "organisation",
        "status",
        "contact_name",
        "contact_role",
        "contact_email",
        "motivation",
        "commitments_agreed",
        "logo_consent",
        "submitted_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields
    inlines = [MembershipApplicationHistoryInline]
    actions = ["approve", "reject"]

    def has_decide_permission(self, request):
        return permissions.can_decide_memberships(request.user)

    def _pending(self, queryset):
        return queryset.pending().select_related("organisation")

    @admin.display(description=_("country"), ordering="organisation__country")
    def country(self, application):
        return application.organisation.country.name

    @admin.display(description=_("type"), ordering="organisation__kind")
    def kind(self, application):
        return application.organisation.get_kind_display()

    @admin.display(description=_("commitments agreed to"))
    def commitments_agreed(self, application):
        return " · ".join(str(label) for label in application.commitment_labels)

    @recorded_action(description=_("Approve the selected applications"), permissions=["decide"])
    def approve(self, request, queryset):
        return self.run_decision(request, self._pending(queryset), APPROVE_APPLICATIONS)

    @recorded_action(description=_("Reject the selected applications"), permissions=["decide"])
    def reject(self, request, queryset):
        return self.run_decision(request, self._pending(queryset), REJECT_APPLICATIONS)


# Members ------------------------------------------------------------------------------------


class MembershipHistoryInline(HistoryInline):
    model = MembershipHistory
    fk_name = "organisation"
    fields = [*HistoryInline.fields, "application"]
    readonly_fields = fields
    verbose_name_plural = _("history in the partnership")


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(ObjectActionsMixin, DecisionActionsMixin, ReadOnlyAdmin):
    list_display = ["name", "country", "kind", "region_name", "rsp_member_since", "shows_logo"]
    list_filter = [country_filter("country"), "kind"]
    search_fields = ["name", "region_name", "city"]
    fields = ["name", "kind", "country", "region_name", "city", "rsp_member_since", "is_suspended"]
    readonly_fields = fields
    inlines = [MembershipHistoryInline]
    actions = ["end_membership"]
    object_actions = (ObjectAction("end_membership", _("End membership"), True, danger=True),)
    object_action_form = EndMembershipForm
    object_actions_title = _("Membership")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(rsp_member_since__isnull=False)
            .annotate(logo_consent=selectors.logo_consent())
        )

    def has_decide_permission(self, request):
        return permissions.can_decide_memberships(request.user)

    @admin.display(description=_("logo shown"), boolean=True, ordering="logo_consent")
    def shows_logo(self, organisation):
        return organisation.logo_consent and bool(organisation.logo)

    @recorded_action(
        description=_("End the membership of the selected organisations"), permissions=["decide"]
    )
    def end_membership(self, request, queryset):
        return self.run_decision(request, queryset, END_MEMBERSHIPS)


# Promoters ----------------------------------------------------------------------------------


class PromoterHistoryInline(HistoryInline):
    model = PromoterHistory


@admin.register(Promoter)
class PromoterAdmin(PendingDecisionsMixin, DecisionActionsMixin, ReadOnlyAdmin):
    list_display = ["name", "role", "organisation", "status", "photo_consent", "created_at"]
    list_filter = ["status", country_filter("organisation__country")]
    search_fields = ["name", "role", "organisation__name"]
    list_select_related = ["organisation"]
    inlines = [PromoterHistoryInline]
    fields = [
        "name",
        "role",
        "organisation",
        "status",
        "spoken_languages",
        "bio",
        "photo",
        "photo_consent",
        "contact_email",
        "nominated_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_note",
    ]
    readonly_fields = fields
    actions = ["approve", "reject"]

    def has_decide_permission(self, request):
        return permissions.can_decide_promoters(request.user)

    @admin.display(description=_("languages"))
    def spoken_languages(self, promoter):
        return ", ".join(str(language) for language in promoter.languages.all())

    def _pending(self, queryset):
        return queryset.filter(status=Promoter.Status.PENDING).select_related("organisation")

    @recorded_action(description=_("Approve the selected promoters"), permissions=["decide"])
    def approve(self, request, queryset):
        return self.run_decision(request, self._pending(queryset), APPROVE_PROMOTERS)

    @recorded_action(description=_("Reject the selected promoters"), permissions=["decide"])
    def reject(self, request, queryset):
        return self.run_decision(request, self._pending(queryset), REJECT_PROMOTERS)
