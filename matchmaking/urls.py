"""The site's URL map (DESIGN.md, "Pages").

Apps are included by module name, so the core package imports none of them. Site-wide pages
(home, desk, organisation profiles) come from each app's ``site_urls`` and have names without
a namespace; ``organisations/new/`` is listed before the profiles' ``organisations/<slug>/``.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("matchmaking.site_urls")),
    path("", include("exchanges.site_urls")),
    path("", include("partnership.site_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("exchanges.urls")),
    path("partnership/", include("partnership.urls")),
    path("events/", include("partnership.event_urls")),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
