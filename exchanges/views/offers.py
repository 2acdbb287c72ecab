"""Offers and applications: the catalogue, an offer, posting, applying and deciding."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking import caching
from matchmaking.forms import (
    SUBMITTED_TWICE,
    SubmitOnceButtonForm,
    apply_validation_error,
    create_once,
)
from matchmaking.permissions import active_organisation, membership_for, organisations_for

from .. import catalogue, permissions, selectors, services
from ..filters import OfferFilter
from ..forms import ApplicationForm, DecisionForm, MessageForm, OfferForm, WithdrawForm
from .messages import post_message, thread_context


@require_GET
def offer_list(request):
    # The catalogue is the same for every visitor: kept as rendered, for this generation of
    # the catalogue (matchmaking.caching), by language, page size and query. Only its own
    # parameters count, in one order: a made-up one neither renders nor stores another copy.
    params = QueryDict(mutable=True)
    for name, values in sorted(request.GET.lists()):
        if name in OfferFilter.base_filters or name == "page":
            params.setlist(name, values)
    key = f"offer-list:{get_language()}:{settings.OFFERS_PER_PAGE}:{params.urlencode()}"
    body = caching.cached(caching.CATALOGUE, key, lambda: _catalogue_body(params))
    return render(request, "exchanges/offer_list.html", {"body": mark_safe(body)})  # noqa: S308


def _catalogue_body(params):
    """The catalogue's body for ``params``, shared by every visitor: rendered without the
    request, so that nothing of one visitor (user, CSRF token) can be kept in it."""
    offer_filter = OfferFilter(params, queryset=catalogue.catalogue_base())
    counts = offer_filter.counts()
    offer_filter.show_counts(counts)
    paginator = catalogue.CataloguePaginator(
        selectors.cards(offer_filter.qs), settings.OFFERS_PER_PAGE, count=counts["total"]
    )
    page = paginator.get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render_to_string(
        "exchanges/includes/catalogue_body.html",
        {
            "filter": offer_filter,
            "page": page,
            "query": query.urlencode(),
            "active_filters": len({name for name, value in query.items() if value}),
            "gone": offer_filter.gone_messages(),
        },
    )


@require_GET
def offer_detail(request, pk):
    offer = permissions.offer_for_viewer(request.user, pk)
    is_host = permissions.is_host(request.user, offer)
    own_application = None
    if request.user.is_authenticated and not is_host:
        own_application = permissions.own_application_to(request.user, offer)
    return render(
        request,
        "exchanges/offer_detail.html",
        {
            "offer": offer,
            "is_host": is_host,
            "own_application": own_application,
            "places_left": offer.places_left,
            # Only the host sees who may be interested in its offer.
            "interested": selectors.interested_organisations(offer) if is_host else None,
            "history": selectors.history_of_offer(offer) if is_host else None,
            "once_form": SubmitOnceButtonForm(),  # the duplicate button's token
        },
    )


def _offer_fields(form):
    data = dict(form.cleaned_data)
    data["fields_of_education"] = list(data["fields_of_education"])
    return data.pop("themes"), data.pop("languages"), data


@login_required
@require_http_methods(["GET", "POST"])
def offer_create(request):
    organisation = active_organisation(request)
    if organisation is None:
        messages.info(request, _("Create your organisation first; offers are posted by one."))
        return redirect("matchmaking:organisation_create")
    if organisation.is_suspended:
        messages.error(request, _("Your organisation is suspended and cannot post offers."))
        return redirect("desk")
    form = OfferForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        themes, languages, fields = _offer_fields(form)
        try:
            offer, created = create_once(
                form,
                user=request.user,
                create=lambda: services.offer_create(
                    organisation=organisation,
                    acting_user=request.user,
                    themes=themes,
                    languages=languages,
                    **fields,
                ),
                earlier=organisation.offers.all(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request, _("The offer is saved as a draft. Publish it when ready.")
                )
            else:
                messages.info(request, SUBMITTED_TWICE)
            return redirect(offer)
    return render(
        request, "exchanges/offer_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk):
    offer = permissions.offer_for_host(request.user, pk)
    saved_title = offer.title  # the form changes the instance; the heading shows what is saved
    form = OfferForm(request.POST or None, instance=offer)
    if request.method == "POST" and form.is_valid():
        themes, languages, fields = _offer_fields(form)
        try:
            services.offer_update(
                offer=offer, acting_user=request.user, themes=themes, languages=languages, **fields
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(offer)
    return render(
        request,
        "exchanges/offer_form.html",
        {
            "form": form,
            "offer": offer,
            "saved_title": saved_title,
            "organisation": offer.organisation,
        },
    )


_OFFER_ACTIONS = {
    "publish": (services.offer_publish, gettext_lazy("The offer is published.")),
    "close": (
        services.offer_close,
        gettext_lazy("The offer is closed; it no longer takes applications."),
    ),
    "archive": (services.offer_archive, gettext_lazy("The offer is archived.")),
    "duplicate": (
        services.offer_duplicate,
        gettext_lazy("This is a copy of the offer; edit and publish it."),
    ),
}


@login_required
@require_POST
def offer_action(request, pk, action):
    offer = permissions.offer_for_host(request.user, pk)
    service, success = _OFFER_ACTIONS[action]
    once = SubmitOnceButtonForm(request.POST)
    once.is_valid()  # only the token, which may be missing
    try:
        if action == "duplicate":  # the one action that creates: a double click copies once
            result, created = create_once(
                once,
                user=request.user,
                create=lambda: service(offer=offer, acting_user=request.user),
                earlier=offer.organisation.offers.all(),
            )
        else:
            result, created = service(offer=offer, acting_user=request.user), True
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(offer)
    if created:
        messages.success(request, success)
    else:
        messages.info(request, SUBMITTED_TWICE)
    return redirect(result)


def _already_applied(request, offer, organisation, refusal):
    """A double click or a second tab: the application already sent, and why no other is."""
    messages.info(request, " ".join(refusal))
    return redirect(offer.applications.get(organisation=organisation))


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, pk):
    offer = permissions.offer_for_viewer(request.user, pk)
    if permissions.is_host(request.user, offer):
        messages.error(request, _("You cannot apply to your own organisation's offer."))
        return redirect(offer)
    if not offer.is_open_for_applications:
        messages.error(request, _("This offer does not accept applications."))
        return redirect(offer)
    if offer.is_fully_booked:
        messages.error(request, _("This offer is fully booked: all its places are taken."))
        return redirect(offer)
    form = ApplicationForm(
        request.POST or None,
        offer=offer,
        user=request.user,
        active_organisation=active_organisation(request),
    )
    if not form.fields["organisation"].queryset.exists():
        if organisations_for(request.user).filter(is_suspended=True).exists():
            messages.error(request, _("Your organisation is suspended and cannot apply."))
            return redirect(offer)
        messages.info(request, _("To apply, create your organisation or ask its admin to add you."))
        return redirect("matchmaking:organisation_create")
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            application = services.application_submit(
                offer=offer, organisation=organisation, acting_user=request.user, **data
            )
        except ValidationError as error:
            if getattr(error, "code", None) == "duplicate":  # a dict of field errors has none
                return _already_applied(request, offer, organisation, error.messages)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Your application is sent. The host has been told."))
            return redirect(application)
    elif form.has_error("organisation", code="duplicate"):
        return _already_applied(
            request, offer, form.instance.organisation, form.errors["organisation"]
        )
    return render(request, "exchanges/application_form.html", {"form": form, "offer": offer})


@login_required
@require_GET
def offer_applications(request, pk):
    offer = permissions.offer_for_host(request.user, pk)
    return render(
        request,
        "exchanges/offer_applications.html",
        {
            "offer": offer,
            "applications": selectors.applications_ranked_for(offer),
            "places_left": services.capacity_left(offer),
        },
    )


def _application_page(request, application, *, status=200, thread=None, **forms):
    is_host = permissions.is_host(request.user, application.offer)
    context = {
        "application": application,
        "offer": application.offer,
        "is_host": is_host,
        "is_applicant": permissions.is_applicant(request.user, application),
        "history": selectors.history_of(application),
        "decision_form": DecisionForm(),
        "withdraw_form": WithdrawForm(),
        "places_left": services.capacity_left(application.offer) if is_host else None,
        "exchange": selectors.exchange_of(application),
        **thread_context(request, application, thread=thread),
        "message_action": reverse("exchanges:application_message", kwargs={"pk": application.pk}),
        **forms,
    }
    return render(request, "exchanges/application_detail.html", context, status=status)


@login_required
@require_GET
def application_detail(request, pk):
    application = permissions.application_for_user(request.user, pk)
    thread = selectors.thread_for(application, request.user)
    response = _application_page(request, application, thread=thread)
    # Opened, the thread is read up to the newest message the page showed.
    services.thread_mark_read(user=request.user, up_to=thread[-1] if thread else None)
    return response


@login_required
@require_POST
def application_message(request, pk):
    application = permissions.application_for_user(request.user, pk)
    form = MessageForm(request.POST)
    return post_message(
        request,
        application,
        form,
        page=application,
        invalid=lambda: _application_page(request, application, status=400, message_form=form),
    )


_DECISIONS = {
    "shortlist": (services.application_shortlist, gettext_lazy("The application is shortlisted.")),
    "accept": (services.application_accept, gettext_lazy("The application is accepted.")),
    "decline": (services.application_decline, gettext_lazy("The application is declined.")),
}


@login_required
@require_POST
def application_decide(request, pk):
    application = permissions.application_for_host(request.user, pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, status=400, decision_form=form)
    service, success = _DECISIONS[form.cleaned_data["decision"]]
    try:
        decided = service(
            application=application,
            acting_user=request.user,
            message=form.cleaned_data["message"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(application)
    exchange = selectors.exchange_of(decided)
    if exchange is not None:  # accepted: the exchange is planned, a click away
        success = format_html(
            '{} <a href="{}">{}</a>',
            success,
            exchange.get_absolute_url(),
            _("The exchange is planned: open it"),
        )
    messages.success(request, success)
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request, pk):
    application = permissions.application_for_applicant(request.user, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, status=400, withdraw_form=form)
    try:
        services.application_withdraw(
            application=application, acting_user=request.user, message=form.cleaned_data["message"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application is withdrawn. The host has been told."))
    return redirect(application)


@login_required
@require_GET
def desk(request):
    """The active organisation's desk: its offers, the applications it sent, its exchanges,
    a switcher."""
    organisation = active_organisation(request)
    context = {"organisation": organisation}
    if organisation is not None:
        context.update(
            offers=selectors.offers_of(organisation),
            applications=selectors.applications_of(organisation),
            exchanges=selectors.exchanges_of(organisation),
            membership=membership_for(request.user, organisation),
            unread=selectors.unread_messages(request.user, organisation),
        )
        context["onboarding"] = selectors.onboarding_steps(
            organisation, is_admin=bool(context["membership"] and context["membership"].is_admin)
        )
    return render(request, "exchanges/desk.html", context)
