"""Admin building blocks shared by every app: read-only lists, country filters, actions that
ask for a note on an intermediate page before calling a service for each selected row, actions
recorded in the admin's log, and change forms that tell the organisation what was changed."""

import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .services import organisation_told_of_change


def country_filter(field, *, title=None, parameter_name="country"):
    """A list filter offering only the countries present, by name (one query for the distinct
    codes). With ``parameter_name=field`` the admin also takes ``?<field>__exact=…``, the
    address of Django's own field filter, which the monitoring's links use."""
    filter_title, filter_parameter = title or _("country"), parameter_name

    class CountryFilter(admin.SimpleListFilter):
        title = filter_title
        parameter_name = filter_parameter

        def lookups(self, request, model_admin):
            queryset = model_admin.get_queryset(request).order_by()
            codes = queryset.values_list(field, flat=True).distinct()
            return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

        def queryset(self, request, queryset):
            return queryset.filter(**{field: self.value()}) if self.value() else queryset

    return CountryFilter


class LabelledListEditableMixin:
    """The fields edited in a list (``list_editable``) get a label that names the field and the
    row, e.g. "position: Inclusion", as a screen reader needs: the column heading is not one."""

    def get_changelist_form(self, request, **kwargs):
        base = super().get_changelist_form(request, **kwargs)

        class LabelledForm(base):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for name, field in self.fields.items():
                    label = field.label or name
                    field.widget.attrs["aria-label"] = (
                        f"{label}: {self.instance}" if self.instance.pk else str(label)
                    )

        return LabelledForm


def label_split_datetime(field):
    """A date-and-time field of the admin labels its two inputs ("starts at, date"), which
    Django leaves unlabelled."""
    date, time = field.widget.widgets
    date.attrs["aria-label"] = _("%(field)s, date") % {"field": field.label}
    time.attrs["aria-label"] = _("%(field)s, time") % {"field": field.label}


class ReadOnly:
    """For a model admin or an inline: nobody adds, changes or deletes rows here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    """Rows change only through the services (the actions); nobody adds or deletes them here."""


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


@dataclass(frozen=True)
class ObjectAction:
    """A button on the change page for one of the admin's actions (``action``, its name)."""

    action: str
    label: str
    uses_form: bool = False  # posts the admin's ``object_action_form`` (a note, a reason)
    danger: bool = False


class ObjectActionsMixin:
    """Buttons on an object's change page for some of its list's actions.

    Each button posts (with the CSRF token) to ``<id>/actions/<action>/``, which runs that very
    action — the one the list offers, so the same service, permission check and log entry
    (``recorded_action``) — on this one row, and comes back to the change page with the
    action's message. An action that asks for a note shows the note on the change page; if it
    is refused (a rejection without a reason), the action's own page shows the error next to
    the field. A GET is refused (405): it would change state.
    """

    change_form_template = "admin/object_actions_change_form.html"
    object_actions: tuple[ObjectAction, ...] = ()
    object_action_form = None  # the form class of the actions that take a note
    object_actions_title = _("Decision")
    object_actions_help = ""

    def object_action_applies(self, obj, action):
        """Whether ``action`` makes sense for ``obj`` now (e.g. only a pending one is
        approved); the button is shown only then."""
        return True

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/actions/<str:action>/",
                self.admin_site.admin_view(self.object_action_view),
                name=f"{opts.app_label}_{opts.model_name}_object_action",
            ),
            *super().get_urls(),
        ]

    def _allowed_object_actions(self, request, obj):
        offered = self.get_actions(request)  # those the user's permissions allow
        return [
            button
            for button in self.object_actions
            if button.action in offered and self.object_action_applies(obj, button.action)
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            opts = self.model._meta
            buttons = [
                {
                    "button": button,
                    "url": reverse(
                        f"admin:{opts.app_label}_{opts.model_name}_object_action",
                        args=[quote(obj.pk), button.action],
                    ),
                }
                for button in self._allowed_object_actions(request, obj)
            ]
            context["object_actions_title"] = self.object_actions_title
            context["object_actions_help"] = self.object_actions_help
            context["object_actions_plain"] = [b for b in buttons if not b["button"].uses_form]
            context["object_actions_with_form"] = [b for b in buttons if b["button"].uses_form]
            if context["object_actions_with_form"]:
                context["object_action_form"] = self.object_action_form()
        return super().render_change_form(request, context, add, change, form_url, obj)

    def object_action_view(self, request, object_id, action):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("There is no such row."))
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        offered = self.get_actions(request)
        if action not in offered or action not in {b.action for b in self.object_actions}:
            raise PermissionDenied
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[quote(obj.pk)])
        if not self.object_action_applies(obj, action):
            self.message_user(
                request,
                _("Nothing was done: “%(object)s” is no longer in a state for this.")
                % {"object": obj},
                messages.WARNING,
            )
            return redirect(back)
        function = offered[action][0]
        response = function(self, request, self.get_queryset(request).filter(pk=obj.pk))
        return response or redirect(back)


def recorded_action(*, description, permissions=None):
    """``admin.action`` that also writes one entry per selected row in the admin's log
    ("Recent actions", and the log entries list) once the action is done — an action that
    shows an intermediate page is recorded when that page is submitted, not when shown; an
    export when its file is handed over.

    Every admin action of the project is declared with it (the tests check): the log keeps who
    did what to which row, as Django already does for the change and delete forms.
    """

    def decorator(function):
        @functools.wraps(function)
        def action(modeladmin, request, queryset):
            selected = list(queryset)
            response = function(modeladmin, request, queryset)
            # Done: no page in between, or a download (an export) handed over.
            if response is None or response.has_header("Content-Disposition"):
                LogEntry.objects.log_actions(
                    user_id=request.user.pk,
                    queryset=selected,
                    action_flag=CHANGE,
                    change_message=str(_("Action: %(action)s") % {"action": description}),
                )
            return response

        action.recorded = True
        return admin.action(description=description, permissions=permissions)(action)

    return decorator


class ToldOrganisationsMixin:
    """A change form for something organisations own: when someone outside them saves a change,
    each organisation's history keeps which fields changed and its admins are emailed
    (``matchmaking.services.organisation_told_of_change``)."""

    # The organisation an object belongs to is not moved in the admin (it would hand the
    # object to another organisation behind both organisations' backs).
    owner_field = "organisation"

    def organisations_told(self, obj):
        return [getattr(obj, self.owner_field)]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.owner_field and self.owner_field not in fields:
            fields.append(self.owner_field)
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            return
        fields = list(form.changed_data)
        fields += [
            formset.model._meta.verbose_name_plural for formset in formsets if formset.has_changed()
        ]
        for organisation in self.organisations_told(form.instance):
            organisation_told_of_change(
                organisation=organisation,
                changed=form.instance,
                fields=fields,
                acting_user=request.user,
            )


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
