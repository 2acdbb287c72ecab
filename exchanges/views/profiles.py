"""Interest profiles: what an organisation looks for, how it hears of new offers, unsubscribing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from exchanges.tokens import TokenExpired
from matchmaking.forms import SUBMITTED_TWICE, apply_validation_error, create_once
from matchmaking.permissions import active_organisation

from .. import permissions, selectors, services
from ..forms import AlertForm, InterestProfileForm


def _profile_fields(form):
    data = dict(form.cleaned_data)
    relations = {
        name: data.pop(name)
        for name in ("exchange_types", "themes", "languages", "fields_of_education")
    }
    return relations, data


def _organisation_or_redirect(request):
    organisation = active_organisation(request)
    if organisation is None:
        messages.info(request, _("Create your organisation first; profiles belong to one."))
    return organisation


@login_required
@require_GET
def profile_list(request):
    organisation = _organisation_or_redirect(request)
    if organisation is None:
        return redirect("matchmaking:organisation_create")
    return render(
        request,
        "exchanges/profile_list.html",
        {
            "organisation": organisation,
            "profiles": selectors.profiles_of(organisation),
            "alert_choices": AlertForm.base_fields["alert"].choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request):
    organisation = _organisation_or_redirect(request)
    if organisation is None:
        return redirect("matchmaking:organisation_create")
    form = InterestProfileForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        relations, fields = _profile_fields(form)
        try:
            _profile, created = create_once(
                form,
                user=request.user,
                create=lambda: services.interest_profile_create(
                    organisation=organisation, acting_user=request.user, **relations, **fields
                ),
                earlier=organisation.interest_profiles.all(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if created:
                messages.success(
                    request,
                    _("The profile is saved; the offers that fit it are being looked for."),
                )
            else:
                messages.info(request, SUBMITTED_TWICE)
            return redirect("exchanges:profile_list")
    return render(
        request, "exchanges/profile_form.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request, pk):
    profile = permissions.profile_for_user(request.user, pk)
    saved_name = profile.name  # the form changes the instance; the heading shows what is saved
    form = InterestProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        relations, fields = _profile_fields(form)
        try:
            services.interest_profile_update(
                profile=profile, acting_user=request.user, **relations, **fields
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("exchanges:profile_list")
    return render(
        request,
        "exchanges/profile_form.html",
        {
            "form": form,
            "profile": profile,
            "saved_name": saved_name,
            "organisation": profile.organisation,
        },
    )


@login_required
@require_POST
def profile_delete(request, pk):
    profile = permissions.profile_for_user(request.user, pk)
    services.interest_profile_delete(profile=profile, acting_user=request.user)
    messages.success(request, _("The profile “%(name)s” is deleted.") % {"name": profile.name})
    return redirect("exchanges:profile_list")


@login_required
@require_POST
def profile_alert(request, pk):
    profile = permissions.profile_for_user(request.user, pk)
    form = AlertForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how you want to hear of new offers."))
        return redirect("exchanges:profile_list")
    profile = services.interest_profile_set_alert(profile=profile, alert=form.cleaned_data["alert"])
    messages.success(
        request,
        _("Alerts for “%(name)s”: %(alert)s.")
        % {"name": profile.name, "alert": profile.get_alert_display()},
    )
    return redirect("exchanges:profile_list")


# Mail clients POST here without a CSRF token (RFC 8058 one-click unsubscribe); the signed
# token is the protection, and it can only switch off the alerts of its own profile.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def profile_unsubscribe(request, token):
    """GET asks for a click (link scanners follow links); POST unsubscribes. No login."""
    try:
        profile = selectors.profile_for_unsubscribe_token(token)
    except TokenExpired:
        return render(request, "exchanges/unsubscribe_expired.html", status=410)
    if profile is None:
        return render(request, "exchanges/unsubscribe_invalid.html", status=404)
    unsubscribed = False
    if request.method == "POST":
        profile = services.interest_profile_unsubscribe(profile=profile)
        unsubscribed = True
    return render(
        request,
        "exchanges/unsubscribe.html",
        {"profile": profile, "token": token, "unsubscribed": unsubscribed},
    )
