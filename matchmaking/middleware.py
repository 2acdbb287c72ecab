from django.conf import settings
from django.utils import translation


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
