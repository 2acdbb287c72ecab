import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.static import serve

from . import permissions, personal_data, selectors, services
from .filters import OrganisationFilter
from .forms import (
    SUBMITTED_TWICE,
    AccountDeleteForm,
    MembershipAddForm,
    OrganisationForm,
    OrganisationSwitchForm,
    ProfileForm,
    apply_validation_error,
    create_once,
)
from .models import Membership


def _organisation_fields(form):
    data = dict(form.cleaned_data)
    return data.pop("languages"), data


ORGANISATIONS_PER_PAGE = 24


@require_GET
def organisation_directory(request):
    """Every organisation's public card: search by name, country, region, type, membership."""
    directory = OrganisationFilter(request.GET, queryset=selectors.directory_organisations())
    paginator = Paginator(directory.qs, ORGANISATIONS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "matchmaking/organisation_directory.html",
        {"filter": directory, "page": page, "query": query.urlencode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        languages, fields = _organisation_fields(form)
        confirmed = fields.pop("confirm_different", False)
        try:
            organisation, created = create_once(
                form,
                user=request.user,
                create=lambda: services.organisation_create(
                    acting_user=request.user,
                    languages=languages,
                    name_shared_confirmed=confirmed,
                    **fields,
                ),
                earlier=permissions.organisations_for(request.user),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            permissions.set_active_organisation(request, organisation)
            if created:
                messages.success(request, _("Your organisation is created; you are its admin."))
            else:
                messages.info(request, SUBMITTED_TWICE)
            return redirect("desk")
    return render(request, "matchmaking/organisation_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug):
    organisation = permissions.organisation_for_user(request.user, slug, admin=True)
    saved_name = organisation.name  # the form changes the instance; the heading shows the saved one
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        languages, fields = _organisation_fields(form)
        try:
            services.organisation_update(organisation=organisation, languages=languages, **fields)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The organisation's profile is saved."))
            return redirect(organisation)
    return render(
        request,
        "matchmaking/organisation_form.html",
        {"form": form, "organisation": organisation, "saved_name": saved_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_people(request, slug):
    organisation = permissions.organisation_for_user(request.user, slug, admin=True)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            added = services.membership_add(
                organisation=organisation, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if isinstance(added, Membership):
                messages.success(request, _("%(email)s is added.") % form.cleaned_data)
            else:
                messages.success(
                    request,
                    _("%(email)s has no account yet; we sent an invitation.") % form.cleaned_data,
                )
            return redirect("matchmaking:organisation_people", slug=organisation.slug)
    return render(
        request,
        "matchmaking/organisation_people.html",
        {
            "organisation": organisation,
            "form": form,
            "memberships": organisation.memberships.select_related("user").order_by("user__email"),
            "invitations": organisation.invitations.all(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def membership_remove(request, slug, pk):
    organisation = permissions.organisation_for_user(request.user, slug, admin=True)
    membership = get_object_or_404(organisation.memberships.select_related("user"), pk=pk)
    try:
        services.membership_remove(membership=membership, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("matchmaking:organisation_people", slug=organisation.slug)
    messages.success(request, _("%(email)s is removed.") % {"email": membership.user.email})
    if membership.user_id == request.user.pk:
        return redirect("desk")  # they no longer see the people page
    return redirect("matchmaking:organisation_people", slug=organisation.slug)


@login_required
@require_POST
def invitation_cancel(request, slug, pk):
    organisation = permissions.organisation_for_user(request.user, slug, admin=True)
    invitation = get_object_or_404(organisation.invitations, pk=pk)
    services.invitation_cancel(invitation=invitation)
    messages.success(
        request, _("The invitation to %(email)s is cancelled.") % {"email": invitation.email}
    )
    return redirect("matchmaking:organisation_people", slug=organisation.slug)


@login_required
@require_POST
def organisation_switch(request):
    form = OrganisationSwitchForm(
        request.POST, organisations=permissions.organisations_for(request.user)
    )
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        permissions.set_active_organisation(request, organisation)
        messages.success(request, _("You now act for %(name)s.") % {"name": organisation.name})
    else:
        messages.error(request, _("Choose one of your organisations."))
    next_url = request.POST.get("next", "")
    # Only a path of this site: redirect() would read any other word as a view's name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}
    ):
        next_url = "desk"
    return redirect(next_url)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile is saved."))
        response = redirect("matchmaking:profile")
        # The preferred language wins over an earlier pick in the switcher.
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.preferred_language)
        return response
    return render(request, "matchmaking/profile.html", {"form": form})


@login_required
@require_GET
def personal_data_download(request):
    """Everything the site keeps about the signed-in person, as a JSON file; only their own."""
    data = personal_data.personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"mobility-matchmaking-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_delete(request):
    """The warning, then the deletion once the person confirms with their password."""
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(user=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is deleted. What you did for your organisations is kept as "
                    "a former user's."
                ),
            )
            return redirect("home")
    return render(
        request,
        "matchmaking/account_delete.html",
        {
            "form": form,
            "sole_admin_of": selectors.organisations_only_administered_by(request.user),
            "memberships": request.user.memberships.select_related("organisation"),
        },
    )


@require_GET
def privacy(request):
    """The privacy notice: what is stored, why, for how long, who sees it, one's rights."""
    return render(
        request,
        "matchmaking/privacy.html",
        {
            "contact_email": settings.PRIVACY_CONTACT_EMAIL,
            "notice_version": personal_data.NOTICE_VERSION,
        },
    )


@require_GET
def help_page(request):
    """The steps of an exchange, from the organisation's profile to the case study."""
    return render(request, "matchmaking/help.html")


@require_GET
def media_file(request, path):
    """An uploaded logo or photo, when the site serves ``/media/`` itself (SERVE_MEDIA).

    Uploads are checked PNG or JPEG images with generated names; the headers still make sure a
    browser never runs or sniffs one as anything else.
    """
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "public, max-age=86400"
    return response
