"""The exchange after acceptance: its record, editing, completing or cancelling it, its
calendar, each side's follow-up, and a draft offer for a reciprocal visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import (
    SUBMITTED_TWICE,
    SubmitOnceButtonForm,
    apply_validation_error,
    create_once,
)
from matchmaking.permissions import active_organisation

from .. import calendars, permissions, selectors, services
from ..forms import (
    CancelExchangeForm,
    ExchangeForm,
    FollowUpForm,
    MessageForm,
    QuoteFormSet,
    quote_initial,
    quotes_of,
)
from ..models import FollowUpSide
from .messages import post_message, thread_context


def _exchange_page(
    request, exchange, *, status=200, cancel_form=None, thread=None, message_form=None
):
    follow_ups = selectors.follow_ups_of(exchange)
    sending = follow_ups.get(FollowUpSide.SENDING)
    is_sender = permissions.is_sender(request.user, exchange)
    context = {
        "exchange": exchange,
        "offer": exchange.offer,
        "counts": selectors.counts_of(exchange),
        "history": selectors.history_of_exchange(exchange),
        "host_follow_up": follow_ups.get(FollowUpSide.HOST),
        "sending_follow_up": sending,
        "case_study": selectors.case_study_of(exchange),
        "cancel_form": cancel_form or CancelExchangeForm(),
        # The sending side said it would like to host in return: offer it the draft.
        "offers_reciprocal_draft": (
            is_sender and sending is not None and sending.wants_reciprocal_visit
        ),
        "once_form": SubmitOnceButtonForm(),  # the reciprocal draft button's token
        **thread_context(request, exchange.application, thread=thread),
        "message_action": reverse("exchanges:exchange_message", kwargs={"pk": exchange.pk}),
    }
    if message_form is not None:
        context["message_form"] = message_form
    return render(request, "exchanges/exchange_detail.html", context, status=status)


@login_required
@require_GET
def exchange_detail(request, pk):
    exchange = permissions.exchange_for_user(request.user, pk)
    thread = selectors.thread_for(exchange.application, request.user)
    response = _exchange_page(request, exchange, thread=thread)
    # Opened, the thread is read up to the newest message the page showed.
    services.thread_mark_read(user=request.user, up_to=thread[-1] if thread else None)
    return response


@login_required
@require_POST
def exchange_message(request, pk):
    """A message on the exchange: the thread of its application, which goes on here."""
    exchange = permissions.exchange_for_user(request.user, pk)
    form = MessageForm(request.POST)
    return post_message(
        request,
        exchange.application,
        form,
        page=exchange,
        invalid=lambda: _exchange_page(request, exchange, status=400, message_form=form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def exchange_edit(request, pk):
    exchange = permissions.exchange_for_user(request.user, pk)
    if not exchange.can_be_edited:
        # The service refuses it too; this spares the person a form they cannot save.
        messages.info(request, _("Only a planned exchange can be changed."))
        return redirect(exchange)
    form = ExchangeForm(
        request.POST or None,
        instance=exchange,
        categories=selectors.fewer_opportunity_categories_for(exchange),
        counts=selectors.counts_of(exchange),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.exchange_update(
                exchange=exchange,
                acting_user=request.user,
                counts=form.counts(),
                **form.exchange_fields(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("The exchange is saved. Both organisations see the change.")
            )
            return redirect(exchange)
    return render(
        request,
        "exchanges/exchange_form.html",
        {"form": form, "exchange": exchange, "offer": exchange.offer},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def exchange_complete(request, pk):
    exchange = permissions.exchange_for_user(request.user, pk)
    try:
        services.exchange_complete(exchange=exchange, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The exchange is marked as completed. Now write your follow-up.")
        )
    return redirect(exchange)


@login_required
@require_POST
def exchange_cancel(request, pk):
    exchange = permissions.exchange_for_user(request.user, pk)
    form = CancelExchangeForm(request.POST)
    if form.is_valid():
        try:
            services.exchange_cancel(
                exchange=exchange, acting_user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):  # e.g. no longer planned: nothing to fix
                messages.error(request, " ".join(error.messages))
                return redirect(exchange)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The exchange is cancelled. The other side has been told."))
            return redirect(exchange)
    return _exchange_page(request, exchange, status=400, cancel_form=form)


@login_required
@require_GET
def exchange_calendar(request, pk):
    exchange = permissions.exchange_for_user(request.user, pk)
    response = HttpResponse(
        calendars.exchange_calendar(exchange), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="exchange-{exchange.pk}.ics"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    """Each side writes (and may rewrite) its own follow-up, with the quotes it collected."""
    exchange = permissions.exchange_for_user(request.user, pk)
    organisation = permissions.own_side_of(
        request.user, exchange, prefer=active_organisation(request)
    )
    side = exchange.side_of(organisation)
    saved = selectors.follow_up_of(exchange, side)
    form = FollowUpForm(request.POST or None, instance=saved, side=side)
    quotes = QuoteFormSet(request.POST or None, initial=quote_initial(saved), prefix="quotes")
    if request.method == "POST" and all([form.is_valid(), quotes.is_valid()]):
        try:
            services.follow_up_submit(
                exchange=exchange,
                organisation=organisation,
                acting_user=request.user,
                quotes=quotes_of(quotes),
                **form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you: your follow-up is saved. When both sides have written theirs, "
                    "the EARLALL secretariat reviews the case study."
                ),
            )
            return redirect(exchange)
    invalid = bool(form.errors or quotes.total_error_count())
    return render(
        request,
        "exchanges/follow_up_form.html",
        {
            "exchange": exchange,
            "offer": exchange.offer,
            "organisation": organisation,
            "form": form,
            "quotes": quotes,
            "saved": saved,
            # The form opens on the exchange's last day (the service refuses it earlier).
            "opens_on": exchange.end_date if exchange.end_date > timezone.localdate() else None,
        },
        status=400 if invalid else 200,
    )


@login_required
@require_POST
def reciprocal_offer(request, pk):
    """The sending organisation's one-click draft offer for hosting its host in return."""
    exchange = permissions.exchange_for_sender(request.user, pk)
    once = SubmitOnceButtonForm(request.POST)
    once.is_valid()  # only the token, which may be missing
    try:
        offer, created = create_once(
            once,
            user=request.user,
            create=lambda: services.reciprocal_offer_draft(
                exchange=exchange, acting_user=request.user
            ),
            earlier=exchange.sender.offers.all(),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(exchange)
    if created:
        messages.success(
            request, _("A draft offer for a reciprocal visit is ready. Edit it, then publish it.")
        )
    else:
        messages.info(request, SUBMITTED_TWICE)
    return redirect("exchanges:offer_edit", pk=offer.pk)
