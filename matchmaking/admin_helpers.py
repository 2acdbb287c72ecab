"""Admin building blocks shared by every app: read-only lists, country filters, and actions that
ask for a note on an intermediate page before calling a service for each selected row."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def country_filter(field):
    """A list filter offering only the countries present, by name."""

    class CountryFilter(admin.SimpleListFilter):
        title = _("country")
        parameter_name = "country"

        def lookups(self, request, model_admin):
            queryset = model_admin.get_queryset(request).order_by()
            codes = queryset.values_list(field, flat=True).distinct()
            return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    return CountryFilter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows change only through the services (the actions); nobody adds or deletes them here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryInline(admin.TabularInline):
    """A history table (``matchmaking.models.History``) under its subject: shown, never edited."""

    extra = 0
    fields = ["created_at", "kind", "actor", "note"]
    readonly_fields = fields
    can_delete = False
    verbose_name_plural = _("history")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@dataclass(frozen=True)
class Decision:
    """One of the secretariat's admin actions: the service it calls and what its page says."""

    action: str
    service: Callable
    target: str  # the service's keyword for the object decided on
    form_class: type
    title: str
    intro: str
    button: str
    done: str  # with %(count)d
    nothing: str
    note_required: bool = False


class DecisionActionsMixin:
    """An action with an intermediate page that asks for a note (or reason), then decides each."""

    decision_template = "admin/decision.html"

    def run_decision(self, request, queryset, decision):
        form_kwargs = {"note_required": True} if decision.note_required else {}
        if "apply" not in request.POST:
            form = decision.form_class(**form_kwargs)
        else:
            form = decision.form_class(request.POST, **form_kwargs)
            if form.is_valid():
                self._decide_each(request, queryset, decision, form.cleaned_data)
                return None
        if not queryset:
            self.message_user(request, decision.nothing, messages.WARNING)
            return None
        opts = self.model._meta
        return render(
            request,
            self.decision_template,
            {
                **self.admin_site.each_context(request),
                "title": decision.title,
                "decision": decision,
                "objects": queryset,
                "form": form,
                "opts": opts,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                "cancel_url": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            },
        )

    def _decide_each(self, request, queryset, decision, fields):
        """One service call (and transaction) per object; a refusal is reported, not fatal."""
        decided = 0
        for obj in queryset:
            try:
                decision.service(**{decision.target: obj}, acting_user=request.user, **fields)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                decided += 1
        if decided:
            self.message_user(request, decision.done % {"count": decided}, messages.SUCCESS)


class MonitoredAdmin(admin.ModelAdmin):
    """An admin list that the monitoring dashboard links to with query filters: the lookups it
    uses (``monitoring_lookups``) are allowed beside those of ``list_filter``, so that a
    figure's link lists exactly the rows it counted."""

    monitoring_lookups: frozenset[str] = frozenset()

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.monitoring_lookups or super().lookup_allowed(lookup, value, request)


def organisation_lookups(prefix):
    """The organisation lookups of the dashboard's filters (country, region, membership)."""
    return {
        f"{prefix}__country__exact",
        f"{prefix}__nuts_code__startswith",
        f"{prefix}__rsp_member_since__isnull",
    }


def exchange_type_lookups(prefix):
    """The exchange-type lookups of the dashboard's filters (type, sector, staff/learners)."""
    return {
        f"{prefix}__id__exact",
        f"{prefix}__sector__exact",
        f"{prefix}__mobility_of__exact",
    }
