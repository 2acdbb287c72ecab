from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matchmaking.forms import SUBMITTED_TWICE, apply_validation_error, create_once
from matchmaking.permissions import (
    active_organisation,
    organisation_for_user,
    organisations_for,
)

from . import permissions, ratelimit, selectors, services
from .forms import JoinForm, LeaveForm, MemberFilterForm, NominationForm, PromoterContactForm

# A visitor may write to promoters this many times an hour (per address; see ratelimit.py).
PROMOTER_CONTACT_LIMIT = 5
PROMOTER_CONTACT_PERIOD = 60 * 60


@require_GET
def about(request):
    """The Regional Skills Partnership for Lifelong Learning Mobility, its targets and members."""
    return render(
        request,
        "partnership/about.html",
        {"member_count": selectors.members().count(), "logos": selectors.member_logos()},
    )


# Joining and leaving ------------------------------------------------------------------------


def _admins_only(request):
    """A coordinator's refusal (403) that says who can do it instead."""
    return render(
        request,
        "partnership/admins_only.html",
        {"organisations": organisations_for(request.user).order_by("name")},
        status=403,
    )


def _can_apply(organisation):
    return not (
        organisation.is_rsp_member or organisation.is_suspended or organisation.pending_application
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request):
    """An organisation's admin applies for it to join; the page shows where each one stands."""
    if not organisations_for(request.user).exists():
        messages.info(
            request, _("Create your organisation first: organisations join the partnership.")
        )
        return redirect("matchmaking:organisation_create")
    administered = permissions.organisations_administered_by(request.user)
    if not administered.exists():
        return _admins_only(request)
    statuses = selectors.partnership_status_of(administered)
    can_apply = [organisation for organisation in statuses if _can_apply(organisation)]
    active = active_organisation(request)
    if can_apply and active not in can_apply:
        active = can_apply[0]
    form = JoinForm(
        request.POST or None,
        organisations=administered,
        user=request.user,
        active_organisation=active,
    )
    if request.method == "POST" and form.is_valid():
        try:
            application, created = create_once(
                form,
                user=request.user,
                create=lambda: services.membership_application_submit(
                    acting_user=request.user, **form.cleaned_data
                ),
                earlier=selectors.membership_applications_of(administered),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "The application of %(name)s is sent. The EARLALL secretariat will tell "
                        "your organisation's admins its decision by email."
                    )
                    % {"name": application.organisation.name},
                )
            else:
                messages.info(request, SUBMITTED_TWICE)
            return redirect("partnership:join")
    return render(
        request,
        "partnership/join.html",
        {"form": form, "organisations": statuses, "show_form": bool(can_apply) or form.is_bound},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def application_withdraw(request, slug):
    organisation = organisation_for_user(request.user, slug, admin=True)
    application = get_object_or_404(organisation.partnership_applications.pending())
    services.membership_application_withdraw(application=application, acting_user=request.user)
    messages.success(
        request, _("The application of %(name)s is withdrawn.") % {"name": organisation.name}
    )
    return redirect("partnership:join")


@login_required
@require_http_methods(["GET", "POST"])
def leave(request):
    """An admin takes a member organisation out of the partnership, after confirming."""
    administered = permissions.organisations_administered_by(request.user)
    if organisations_for(request.user).exists() and not administered.exists():
        return _admins_only(request)
    member_organisations = administered.filter(rsp_member_since__isnull=False)
    if not member_organisations.exists():
        messages.info(request, _("None of the organisations you administer is a member."))
        return redirect("partnership:about")
    form = LeaveForm(
        request.POST or None,
        initial={"organisation": request.GET.get("organisation")},
        organisations=member_organisations,
        active_organisation=active_organisation(request),
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            services.partnership_leave(organisation=organisation, acting_user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has left the partnership.") % {"name": organisation.name},
            )
            return redirect("partnership:about")
    return render(
        request, "partnership/leave.html", {"form": form}, status=400 if form.errors else 200
    )


# Members and promoters ----------------------------------------------------------------------


@require_GET
def members(request):
    """The members of the partnership; logos only where the organisation consented."""
    form = MemberFilterForm(request.GET, codes=list(selectors.member_countries()))
    country = form.cleaned_data["country"] if form.is_valid() else None
    return render(
        request,
        "partnership/members.html",
        {"form": form, "members": selectors.members(country=country)},
    )


@require_GET
def promoters(request):
    return render(
        request, "partnership/promoters.html", {"promoters": selectors.public_promoters()}
    )


@login_required
@require_http_methods(["GET", "POST"])
def promoter_nominate(request):
    """A member organisation's admin or coordinator nominates a promoter."""
    organisations = permissions.member_organisations_for(request.user)
    if not organisations.exists():
        messages.info(
            request,
            _(
                "Only organisations in the partnership nominate promoters; "
                "yours is not a member yet."
            ),
        )
        return redirect("partnership:about")
    form = NominationForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        active_organisation=active_organisation(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            promoter, created = create_once(
                form,
                user=request.user,
                create=lambda: services.promoter_nominate(
                    acting_user=request.user, **form.cleaned_data
                ),
                earlier=selectors.promoters_nominated_by(organisations),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "Thank you. The secretariat will review the nomination of %(name)s and "
                        "tell your organisation's admins."
                    )
                    % {"name": promoter.name},
                )
            else:
                messages.info(
                    request,
                    _("You sent the nomination of %(name)s twice; it was saved once.")
                    % {"name": promoter.name},
                )
            return redirect("partnership:promoters")
    return render(
        request,
        "partnership/promoter_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def promoter_contact(request, pk):
    """Write to a promoter; their address stays hidden, they answer by replying."""
    promoter = get_object_or_404(selectors.public_promoters(), pk=pk)
    form = PromoterContactForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if ratelimit.is_limited("promoter_contact", request, limit=PROMOTER_CONTACT_LIMIT):
            form.add_error(
                None,
                _("You have sent several messages in a short time; please try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            services.promoter_contact(promoter=promoter, **form.cleaned_data)
            ratelimit.count_use("promoter_contact", request, period=PROMOTER_CONTACT_PERIOD)
            messages.success(
                request,
                _("Your message is on its way to %(name)s, who will answer you by email.")
                % {"name": promoter.name},
            )
            return redirect("partnership:promoters")
        else:
            status = 400
    return render(
        request,
        "partnership/promoter_contact.html",
        {"form": form, "promoter": promoter},
        status=status,
    )
