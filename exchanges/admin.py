from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matchmaking.models import InterestProfile

from . import tasks
from .models import Application, ApplicationEvent, Offer, OfferInvitation, OfferProfileMatch


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = ["organisation", "participants", "fewer_opportunity_participants", "status", "created_at"]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = [
        "title", "organisation", "exchange_type", "status", "available_from",
        "application_deadline", "capacity", "application_count",
    ]  # fmt: skip
    list_filter = ["status", "exchange_type", "target_group", "supports_fewer_opportunities", "organisation__country"]
    search_fields = ["title", "description", "organisation__name", "city"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["themes", "languages"]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "available_from"
    list_select_related = ["organisation", "exchange_type"]
    inlines = [ApplicationInline]
    actions = ["rescore"]

    @admin.action(description=_("Re-score the selected offers"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for pk in ids:
            tasks.queue_on_commit(tasks.score_offer, pk, alert=False)
        self.message_user(
            request,
            ngettext(
                "%(count)d offer is being scored again.",
                "%(count)d offers are being scored again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(application_count=Count("applications"))

    @admin.display(description="applications", ordering="application_count")
    def application_count(self, offer):
        return offer.application_count


class ApplicationEventInline(admin.TabularInline):
    """The status history is a record: shown, never edited."""

    model = ApplicationEvent
    extra = 0
    fields = ["created_at", "status", "actor", "message"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["offer", "organisation", "participants", "fewer_opportunity_participants", "status", "score", "created_at"]
    list_filter = ["status", "offer__exchange_type", "organisation__country"]
    search_fields = ["offer__title", "organisation__name", "motivation"]
    list_select_related = ["offer", "organisation"]
    date_hierarchy = "created_at"
    inlines = [ApplicationEventInline]
    readonly_fields = [f.name for f in Application._meta.fields] + ["languages"]

    def has_add_permission(self, request):
        return False


@admin.register(ApplicationEvent)
class ApplicationEventAdmin(admin.ModelAdmin):
    list_display = ["application", "status", "actor", "created_at"]
    list_filter = ["status"]
    search_fields = ["application__offer__title", "application__organisation__name", "message"]
    list_select_related = ["application__offer", "application__organisation", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InterestProfile)
class InterestProfileAdmin(admin.ModelAdmin):
    """Registered here, not in matchmaking, because re-scoring is the exchanges app's task."""

    list_display = ["name", "organisation", "alert", "participants", "updated_at"]
    list_filter = ["alert", "exchange_types", "organisation__country"]
    search_fields = ["name", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["exchange_types", "themes", "fields_of_education", "languages"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["organisation"]
    actions = ["rescore"]

    @admin.action(description=_("Re-score the selected profiles"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for pk in ids:
            tasks.queue_on_commit(tasks.score_profile, pk)
        self.message_user(
            request,
            ngettext(
                "%(count)d profile is being scored again.",
                "%(count)d profiles are being scored again.",
                len(ids),
            )
            % {"count": len(ids)},
            messages.SUCCESS,
        )


@admin.register(OfferProfileMatch)
class OfferProfileMatchAdmin(admin.ModelAdmin):
    """Computed by the scoring tasks: shown, never edited."""

    list_display = ["offer", "profile", "score", "created_at", "alerted_at"]
    list_filter = ["alerted_at"]
    search_fields = ["offer__title", "profile__name", "profile__organisation__name"]
    list_select_related = ["offer", "profile__organisation"]
    readonly_fields = [f.name for f in OfferProfileMatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OfferInvitation)
class OfferInvitationAdmin(admin.ModelAdmin):
    list_display = ["offer", "organisation", "invited_by", "created_at"]
    search_fields = ["offer__title", "organisation__name"]
    list_select_related = ["offer", "organisation", "invited_by"]
    readonly_fields = ["offer", "organisation", "invited_by", "created_at"]

    def has_add_permission(self, request):
        return False
