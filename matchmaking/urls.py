"""The site's URL map (DESIGN.md, "Pages"): the composition root, the one module that names
every app.

Site-wide pages (home, desk, organisation profiles) have names without a namespace; each app's
own pages come from its ``urls`` module under its namespace. ``organisations/new/`` is listed
before the public profiles' ``organisations/<slug>/``.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from exchanges import api as exchanges_api
from exchanges import urls as exchanges_urls
from exchanges import views as exchanges_views
from matchmaking import api as organisations_api
from matchmaking import views as organisation_views
from partnership import site
from partnership import urls as partnership_urls
from partnership.events import api as events_api
from partnership.events import urls as events_urls

# The open read-only API, each app's records under their prefix (matchmaking.api).
api = organisations_api.build_api(
    [
        ("/offers", exchanges_api.router),
        ("/case-studies", exchanges_api.case_study_router),
        ("/organisations", organisations_api.router),
        ("/events", events_api.router),
    ]
)

# The core app's pages: the directory, organisations, their people, the signed-in person's
# profile, their data and the deletion of their account, the privacy and help pages.
organisation_patterns = (
    [
        path(
            "organisations/",
            organisation_views.organisation_directory,
            name="organisation_directory",
        ),
        path(
            "organisations/new/", organisation_views.organisation_create, name="organisation_create"
        ),
        path(
            "organisations/<slug:slug>/edit/",
            organisation_views.organisation_edit,
            name="organisation_edit",
        ),
        path(
            "organisations/<slug:slug>/people/",
            organisation_views.organisation_people,
            name="organisation_people",
        ),
        path(
            "organisations/<slug:slug>/people/<int:pk>/remove/",
            organisation_views.membership_remove,
            name="membership_remove",
        ),
        path(
            "organisations/<slug:slug>/invitations/<int:pk>/cancel/",
            organisation_views.invitation_cancel,
            name="invitation_cancel",
        ),
        path(
            "my/organisation/", organisation_views.organisation_switch, name="organisation_switch"
        ),
        path("accounts/profile/", organisation_views.profile, name="profile"),
        path(
            "accounts/profile/my-data.json",
            organisation_views.personal_data_download,
            name="personal_data_download",
        ),
        path("accounts/profile/delete/", organisation_views.account_delete, name="account_delete"),
        path("privacy/", organisation_views.privacy, name="privacy"),
        path("help/", organisation_views.help_page, name="help"),
    ],
    "matchmaking",
)

urlpatterns = [
    # The admin signs in through the site's own form: the same throttling and lockout, then
    # the second factor that staff need (matchmaking.middleware.StaffSessionMiddleware).
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
        name="admin_login",
    ),
    path("admin/", admin.site.urls),
    path("", site.home, name="home"),
    path("my/", exchanges_views.desk, name="desk"),
    path("", include(organisation_patterns)),
    path("organisations/<slug:slug>/", site.organisation_detail, name="organisation_detail"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include(exchanges_urls)),
    path("partnership/", include(partnership_urls)),
    path("events/", include(events_urls)),
    path("api/v1/", organisations_api.read_only_urls(api)),
    # Any other address under the API answers in JSON too.
    # (A regular expression that takes any character, a line break too: <path:…> stops at one.)
    re_path(r"^api/(?P<rest>[\s\S]*)\Z", organisations_api.not_found, name="api_not_found"),
    # Uploaded logos and photos: served here unless the web server in front does it
    # (SERVE_MEDIA=off; see the README's "Running it for real").
    *(
        [
            path(
                f"{settings.MEDIA_URL.lstrip('/')}<path:path>",
                organisation_views.media_file,
                name="media",
            )
        ]
        if settings.SERVE_MEDIA
        else []
    ),
]
