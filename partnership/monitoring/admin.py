from django.contrib import admin
from django.db import transaction

from . import selectors
from .models import VetLearnerBaseline


@admin.register(VetLearnerBaseline)
class VetLearnerBaselineAdmin(admin.ModelAdmin):
    """The secretariat records any region's number of VET learners here; a member
    organisation's admin records its own region's on the dashboard's baseline page."""

    list_display = ["region", "region_name", "year", "vet_learners", "source", "entered_by"]
    list_filter = ["year"]
    search_fields = ["region", "source"]
    readonly_fields = ["entered_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)
        transaction.on_commit(selectors.forget_cached_indicators)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        transaction.on_commit(selectors.forget_cached_indicators)
