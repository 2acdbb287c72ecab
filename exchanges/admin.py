from django.contrib import admin
from django.db.models import Count

from .models import Application, ApplicationEvent, Offer


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
    list_display = ["offer", "organisation", "participants", "fewer_opportunity_participants", "status", "created_at"]
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
