from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from matchmaking.admin_helpers import (
    HistoryInline,
    MonitoredAdmin,
    ObjectAction,
    ObjectActionsMixin,
    ReadOnly,
    ReadOnlyAdmin,
    ToldOrganisationsMixin,
    country_filter,
    exchange_type_lookups,
    organisation_lookups,
    recorded_action,
)
from matchmaking.exports import export_actions
from matchmaking.models import InterestProfile
from matchmaking.scoring import COMPONENTS

from . import exports, permissions, services, tasks
from .matching.weights import active_version, as_weights, default_weights
from .models import (
    Application,
    ApplicationHistory,
    CallRound,
    CaseStudy,
    Exchange,
    ExchangeHistory,
    FewerOpportunityCount,
    FollowUp,
    MatchingWeights,
    Message,
    Offer,
    OfferHistory,
    OfferInvitation,
    OfferProfileMatch,
    Quote,
    RescoreRun,
    RoundEntry,
    RoundHistory,
    Thread,
)


class ApplicationInline(admin.TabularInline):
    model = Application
    extra = 0
    fields = [
        "organisation",
        "participants",
        "fewer_opportunity_participants",
        "status",
        "created_at",
    ]
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class OfferHistoryInline(HistoryInline):
    model = OfferHistory


@admin.register(Offer)
class OfferAdmin(ToldOrganisationsMixin, MonitoredAdmin):
    list_display = [
        "title",
        "organisation",
        "exchange_type",
        "status",
        "available_from",
        "application_deadline",
        "capacity",
        "application_count",
    ]
    list_filter = [
        "status",
        "exchange_type",
        "target_group",
        "supports_fewer_opportunities",
        country_filter("organisation__country", parameter_name="organisation__country"),
    ]
    search_fields = ["title", "description", "organisation__name", "city"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["themes", "fields_of_education", "languages"]
    readonly_fields = ["published_at", "created_by", "created_at", "updated_at"]
    date_hierarchy = "available_from"
    list_select_related = ["organisation", "exchange_type"]
    inlines = [ApplicationInline, OfferHistoryInline]
    actions = ["rescore", *export_actions("offers", exports.offer_columns)]
    monitoring_lookups = frozenset(
        {
            *organisation_lookups("organisation"),
            *exchange_type_lookups("exchange_type"),
            "applications__isnull",
        }
    )

    @recorded_action(description=_("Re-score the selected offers"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for pk in ids:
            tasks.score_on_commit("offer", pk)
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


class ApplicationHistoryInline(HistoryInline):
    model = ApplicationHistory
    verbose_name_plural = _("status history")


@admin.register(Application)
class ApplicationAdmin(MonitoredAdmin):
    list_display = [
        "offer",
        "organisation",
        "participants",
        "fewer_opportunity_participants",
        "status",
        "score",
        "created_at",
    ]
    list_filter = [
        "status",
        "offer__exchange_type",
        country_filter("organisation__country", parameter_name="organisation__country"),
    ]
    search_fields = ["offer__title", "organisation__name", "motivation"]
    list_select_related = ["offer", "organisation"]
    date_hierarchy = "created_at"
    inlines = [ApplicationHistoryInline]
    readonly_fields = [f.name for f in Application._meta.fields] + ["languages"]
    actions = export_actions("applications", exports.application_columns)
    monitoring_lookups = frozenset(
        {*organisation_lookups("organisation"), *exchange_type_lookups("offer__exchange_type")}
    )

    def has_add_permission(self, request):
        return False


@admin.register(ApplicationHistory)
class ApplicationHistoryAdmin(admin.ModelAdmin):
    list_display = ["application", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    search_fields = ["application__offer__title", "application__organisation__name", "note"]
    list_select_related = ["application__offer", "application__organisation", "actor"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InterestProfile)
class InterestProfileAdmin(ToldOrganisationsMixin, admin.ModelAdmin):
    """Registered here, not in matchmaking, because re-scoring is the exchanges app's task."""

    list_display = ["name", "organisation", "alert", "participants", "updated_at"]
    list_filter = [
        "alert",
        "exchange_types",
        country_filter("organisation__country", parameter_name="organisation__country"),
    ]
    search_fields = ["name", "description", "organisation__name"]
    autocomplete_fields = ["organisation"]
    filter_horizontal = ["exchange_types", "themes", "fields_of_education", "languages"]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["organisation"]
    actions = ["rescore"]

    @recorded_action(description=_("Re-score the selected profiles"), permissions=["change"])
    def rescore(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        for pk in ids:
            tasks.score_on_commit("profile", pk)
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


# The exchange after acceptance, follow-ups and case studies


class FewerOpportunityCountInline(admin.TabularInline):
    """Counts per category, recorded by the coordinators through the exchange's page."""

    model = FewerOpportunityCount
    extra = 0
    fields = ["category", "count"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ExchangeHistoryInline(HistoryInline):
    model = ExchangeHistory


@admin.register(Exchange)
class ExchangeAdmin(MonitoredAdmin):
    """Shown to the secretariat; the two organisations change an exchange on its own page,
    through the services, so that every change is in its history."""

    list_display = ["offer", "host", "sender", "start_date", "end_date", "status", "participants"]
    list_filter = [
        "status",
        country_filter("host__country", title=_("host's country"), parameter_name="host__country"),
        country_filter(
            "sender__country",
            title=_("sending organisation's country"),
            parameter_name="sender__country",
        ),
    ]
    search_fields = ["application__offer__title", "host__name", "sender__name"]
    list_select_related = ["application__offer", "host", "sender"]
    date_hierarchy = "start_date"
    readonly_fields = [f.name for f in Exchange._meta.fields] + ["fields_of_education"]
    inlines = [FewerOpportunityCountInline, ExchangeHistoryInline]
    actions = export_actions("exchanges", exports.exchange_columns)
    monitoring_lookups = frozenset(
        {
            *organisation_lookups("sender"),
            *exchange_type_lookups("application__offer__exchange_type"),
            "fewer_opportunity_counts__category__id__exact",
        }
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("offer"), ordering="application__offer__title")
    def offer(self, exchange):
        return exchange.application.offer


class MessageInline(ReadOnly, admin.StackedInline):
    model = Message
    extra = 0
    fields = ["created_at", "organisation", "author", "body"]
    readonly_fields = fields

    def get_queryset(self, request):
        # The organisation and author of each message shown: one query, not two per message.
        return super().get_queryset(request).select_related("organisation", "author")


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    """The secretariat may read the messages between two sides (e.g. after a complaint); only
    the two organisations write them, on their pages."""

    list_display = ["application", "host", "sender", "message_count", "last_message_at"]
    list_filter = ["application__offer__organisation__country", "application__status"]
    search_fields = [
        "application__offer__title",
        "application__offer__organisation__name",
        "application__organisation__name",
        "messages__body",
    ]
    list_select_related = ["application__offer__organisation", "application__organisation"]
    fields = ["application", "created_at"]
    readonly_fields = fields
    inlines = [MessageInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(message_count=Count("messages"), last_message_at=Max("messages__created_at"))
        )

    @admin.display(description=_("host organisation"))
    def host(self, thread):
        return thread.application.offer.organisation

    @admin.display(description=_("sending organisation"))
    def sender(self, thread):
        return thread.application.organisation

    @admin.display(description=_("messages"), ordering="message_count")
    def message_count(self, thread):
        return thread.message_count

    @admin.display(description=_("last message"), ordering="last_message_at")
    def last_message_at(self, thread):
        return thread.last_message_at


class QuoteInline(admin.StackedInline):
    """Quotes; the model refuses one marked public without the person's consent."""

    model = Quote
    extra = 0
    fields = ["person_name", "role", "organisation_name", "text", "consent", "public"]


@admin.register(FollowUp)
class FollowUpAdmin(ToldOrganisationsMixin, admin.ModelAdmin):
    list_display = ["exchange", "side", "organisation", "wants_reciprocal_visit", "submitted_at"]
    list_filter = ["side", "wants_reciprocal_visit"]
    search_fields = ["organisation__name", "exchange__application__offer__title", "account"]
    list_select_related = [
        "exchange__application__offer",
        "exchange__host",
        "exchange__sender",
        "organisation",
    ]
    fields = [
        "exchange",
        "organisation",
        "side",
        "account",
        "lessons",
        "next_steps",
        "wants_reciprocal_visit",
        "submitted_by",
        "submitted_at",
    ]
    readonly_fields = ["exchange", "organisation", "side", "submitted_by", "submitted_at"]
    inlines = [QuoteInline]

    def has_add_permission(self, request):
        return False  # each side writes its own, on the exchange's follow-up page


@admin.register(CaseStudy)
class CaseStudyAdmin(ObjectActionsMixin, ToldOrganisationsMixin, admin.ModelAdmin):
    """The secretariat reviews and edits the drafts prepared from the two follow-ups, with the
    quotes and whether each person consented, then publishes them with the action or the
    button on the page (which tell both sides)."""

    list_display = ["title", "exchange", "theme", "status", "published_at"]
    list_filter = ["status", "theme"]
    search_fields = ["title", "summary", "exchange__host__name", "exchange__sender__name"]
    list_select_related = [
        "exchange__application__offer",
        "exchange__host",
        "exchange__sender",
        "theme",
    ]
    fields = [
        "exchange",
        "status",
        "published_at",
        "published_by",
        "title",
        "slug",
        "theme",
        "summary",
        "host_lessons",
        "participant_lessons",
        "next_steps",
        "quotes",
    ]
    readonly_fields = ["exchange", "status", "published_at", "published_by", "quotes"]
    actions = ["publish"]
    object_actions = (ObjectAction("publish", _("Publish")),)
    object_actions_title = _("Publication")
    object_actions_help = _(
        "Save your changes first: publishing shows the case study as it is saved, and both "
        "organisations are told."
    )
    owner_field = None

    def object_action_applies(self, case_study, action):
        return not case_study.is_published

    @admin.display(description=_("quotes and consent"))
    def quotes(self, case_study):
        quotes = Quote.objects.filter(follow_up__exchange=case_study.exchange_id).select_related(
            "follow_up"
        )
        if not quotes:
            return _("Neither follow-up has a quote.")
        yes, no = _("yes"), _("no")
        rows = format_html_join(
            "",
            "<tr><td>{}<br><span class='quiet'>{}, {}</span></td><td>{}</td><td>{}</td>"
            "<td>{}</td><td><a href='{}'>{}</a></td></tr>",
            (
                (
                    quote.person_name,
                    quote.role,
                    quote.organisation_name,
                    quote.text,
                    yes if quote.consent else no,
                    yes if quote.public else no,
                    reverse("admin:exchanges_followup_change", args=[quote.follow_up_id]),
                    quote.follow_up.get_side_display(),
                )
                for quote in quotes
            ),
        )
        return format_html(
            "<table class='quotes'><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th><th scope='col'>{}</th><th scope='col'>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("person"),
            _("quote"),
            _("consented to publication with their name"),
            _("shown in the case study"),
            _("follow-up (edit the quote there)"),
            rows,
        )

    def organisations_told(self, case_study):
        # A draft is the secretariat's own text, shown to the two sides when it is published;
        # a change to a published one is theirs to know.
        if not case_study.is_published:
            return []
        return [case_study.exchange.host, case_study.exchange.sender]

    def has_add_permission(self, request):
        return False  # prepared by the service when both follow-ups are in

    def has_publish_permission(self, request):
        return permissions.can_publish_case_studies(request.user)

    @recorded_action(description=_("Publish the selected case studies"), permissions=["publish"])
    def publish(self, request, queryset):
        published = 0
        for case_study in queryset:
            try:
                services.case_study_publish(case_study=case_study, acting_user=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = (
                    " ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else _("You may not publish case studies.")
                )
                self.message_user(
                    request,
                    _("“%(title)s” was not published: %(reason)s")
                    % {"title": case_study.title, "reason": reason},
                    messages.ERROR,
                )
            else:
                published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "%(count)d case study published; both organisations have been told.",
                    "%(count)d case studies published; both organisations have been told.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )


# What fit_weights measures, by the key it stores the figure under.
WEIGHT_FIGURES = {
    "source": _("fitted to"),
    "decisions": _("decisions used"),
    "groups": _("offers (or profiles) with a decision to learn from"),
    "pairs": _("ordered pairs (a better item above a worse one)"),
    "folds": _("cross-validation folds"),
    "ndcg_before": _("held-out nDCG with the weights in use"),
    "ndcg_after": _("held-out nDCG with these weights"),
    "left_out": _("left out"),
}


@admin.register(MatchingWeights)
class MatchingWeightsAdmin(admin.ModelAdmin):
    """Versions written by ``manage.py fit_weights``: compared with the weights in use and
    activated here (which re-scores everything on the worker)."""

    list_display = ["version", "status", "created_at", "ndcg_before", "ndcg_after", "activated_by"]
    list_filter = ["status"]
    fields = [
        "version",
        "status",
        "comparison",
        "measured",
        "note",
        "created_at",
        "activated_at",
        "activated_by",
        "retired_at",
    ]
    readonly_fields = [
        "version",
        "status",
        "comparison",
        "measured",
        "created_at",
        "activated_at",
        "activated_by",
        "retired_at",
    ]
    list_select_related = ["activated_by"]
    actions = ["activate"]

    def has_add_permission(self, request):
        return False  # written by manage.py fit_weights

    def has_delete_permission(self, request, obj=None):
        # A version that was in use stays, as the record of what scored the matches.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == MatchingWeights.Status.DRAFT)

    def has_activate_permission(self, request):
        return permissions.can_activate_matching_weights(request.user)

    @admin.display(description=_("held-out nDCG before"))
    def ndcg_before(self, version):
        return _figure(version.figures.get("ndcg_before"))

    @admin.display(description=_("held-out nDCG after"))
    def ndcg_after(self, version):
        return _figure(version.figures.get("ndcg_after"))

    @admin.display(description=_("weights: in use and this version"))
    def comparison(self, version):
        active = active_version()
        in_use = default_weights() if active is None else as_weights(active.weights)
        mine = as_weights(version.weights)
        used, new = in_use.normalised(), mine.normalised()
        caption = (
            _("in use: version %(version)d") % {"version": active.version}
            if active is not None
            else _("in use: the defaults in the settings")
        )
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (name, f"{a:.1%}", f"{b:.1%}", f"{b - a:+.1%}")
                for name, a, b in zip(COMPONENTS, used.tolist(), new.tolist())
            ),
        )
        return format_html(
            "<table><caption>{}</caption><thead><tr><th scope='col'>{}</th><th scope='col'>{}"
            "</th><th scope='col'>{}</th><th scope='col'>{}</th></tr></thead><tbody>{}</tbody>"
            "</table>",
            caption,
            _("component"),
            _("in use"),
            _("this version"),
            _("change"),
            rows,
        )

    @admin.display(description=_("figures"))
    def measured(self, version):
        figures = version.figures or {}
        return format_html(
            "<dl>{}</dl>",
            format_html_join(
                "",
                "<dt>{}</dt><dd>{}</dd>",
                ((WEIGHT_FIGURES.get(key, key), _figure(value)) for key, value in figures.items()),
            ),
        )

    @recorded_action(description=_("Activate the selected weights"), permissions=["activate"])
    def activate(self, request, queryset):
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, _("Choose exactly one version to activate."), messages.ERROR)
            return
        try:
            version = services.matching_weights_activate(
                version=chosen[0], acting_user=request.user
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        except PermissionDenied:
            self.message_user(request, _("You may not activate weights."), messages.ERROR)
        else:
            self.message_user(
                request,
                _("Version %(version)d is in use; every match is being scored again.")
                % {"version": version.version},
                messages.SUCCESS,
            )


def _figure(value):
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, dict):
        return ", ".join(f"{key}: {_figure(item)}" for key, item in value.items())
    return "" if value is None else str(value)


# Call rounds: the secretariat opens its own here; allocating and confirming are actions
# (and buttons on the round's proposal page, exchanges:round_proposal).


class RoundHistoryInline(HistoryInline):
    model = RoundHistory


class RoundEntryInline(ReadOnly, admin.TabularInline):
    model = RoundEntry
    extra = 0
    fields = ["organisation", "application", "sender_rank", "host_rank", "acceptable"]
    readonly_fields = fields


@admin.register(CallRound)
class CallRoundAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "organiser",
        "status",
        "rule",
        "application_deadline",
        "allocation_date",
        "proposal_link",
    ]
    list_filter = ["status", "rule"]
    search_fields = ["name", "organiser__name"]
    autocomplete_fields = ["offers"]
    list_select_related = ["organiser"]
    readonly_fields = ["status", "created_by", "created_at"]
    fields = [
        "name",
        "description",
        "organiser",
        "offers",
        "application_deadline",
        "allocation_date",
        "reserve_percent",
        "rule",
        "max_choices",
        *readonly_fields,
    ]
    inlines = [RoundEntryInline, RoundHistoryInline]
    actions = ["allocate", "confirm"]

    @admin.display(description=_("allocation"))
    def proposal_link(self, call_round):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("exchanges:round_proposal", args=[call_round.pk]),
            _("proposal"),
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.round_record_created(call_round=form.instance, acting_user=request.user)

    def _run(self, request, queryset, service, done):
        count = 0
        for call_round in queryset:
            try:
                service(call_round=call_round, acting_user=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{call_round}: {' '.join(error.messages)}", messages.ERROR
                )
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @recorded_action(description=_("Propose the allocation now"), permissions=["change"])
    def allocate(self, request, queryset):
        self._run(
            request,
            queryset,
            services.round_allocate,
            _("Allocations proposed: %(count)s. Review them on their proposal pages."),
        )

    @recorded_action(description=_("Confirm the proposed allocation"), permissions=["change"])
    def confirm(self, request, queryset):
        self._run(
            request,
            queryset,
            services.round_confirm,
            _("Allocations confirmed: %(count)s. Senders and hosts are emailed."),
        )


@admin.register(RescoreRun)
class RescoreRunAdmin(admin.ModelAdmin):
    """Full re-scores (``manage.py rescore_matches``, activating weights, the action here),
    with their progress: written by the workers, never edited."""

    list_display = [
        "started_at",
        "progress",
        "offers",
        "matches",
        "applications",
        "finished_at",
        "superseded",
    ]
    list_filter = ["superseded"]
    fields = list_display
    readonly_fields = list_display
    actions = ["rescore_everything"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_rescore_permission(self, request):
        # Who may change the weights every score depends on may score everything again.
        return permissions.can_activate_matching_weights(request.user)

    @admin.display(description=_("progress"))
    def progress(self, run):
        return run.progress

    @recorded_action(
        description=_("Re-score every match again (a new run)"), permissions=["rescore"]
    )
    def rescore_everything(self, request, queryset):
        run = tasks.start_rescore()
        self.message_user(
            request,
            ngettext(
                "A full re-score has started in %(count)d chunk.",
                "A full re-score has started in %(count)d chunks.",
                run.chunks_total,
            )
            % {"count": run.chunks_total},
            messages.SUCCESS,
        )
