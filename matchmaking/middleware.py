import time
from urllib.parse import urlencode

# allauth keeps the methods a session was authenticated with; it offers no public reader.
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """Show pages in the signed-in user's preferred language unless they chose another.

    Runs before LocaleMiddleware and only fills the language cookie's role when the visitor
    has not picked a language with the switcher.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()


# The idle clock is wound at most once a minute, so a staff page costs no session write.
STAFF_SEEN_KEY = "staff_seen_at"


def keep_staff_session_alive(request):
    """Give a staff session an idle timeout, counted from its latest use (to the minute)."""
    now = int(time.time())
    if now - request.session.get(STAFF_SEEN_KEY, 0) >= 60:
        request.session.set_expiry(settings.STAFF_SESSION_IDLE_SECONDS)
        request.session[STAFF_SEEN_KEY] = now


def _proved_second_factor(request):
    """Whether this session's sign-in (or a re-authentication in it) used a second factor."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class StaffSessionMiddleware:
    """Staff: an idle hour ends the session, and the admin needs a second factor.

    A staff member without one is sent to set it up (TOTP, a security key, recovery codes);
    one who has it but signed in with the password alone is asked for the code first. Anyone
    else reaches the admin's own refusal (the sign-in page).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.is_staff:
            keep_staff_session_alive(request)
            if request.path.startswith(reverse("admin:index")):
                refusal = self._second_factor_refusal(request)
                if refusal is not None:
                    return refusal
        return self.get_response(request)

    def _second_factor_refusal(self, request):
        back = urlencode({"next": request.get_full_path()})
        if not is_mfa_enabled(request.user):
            messages.warning(
                request,
                _(
                    "Staff need a second factor to open the administration: set up an "
                    "authenticator app or a security key first."
                ),
            )
            return redirect(f"{reverse('mfa_index')}?{back}")
        if not _proved_second_factor(request):
            return redirect(f"{reverse('mfa_reauthenticate')}?{back}")
        return None
