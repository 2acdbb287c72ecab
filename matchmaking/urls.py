"""The site's URL map (DESIGN.md, "Pages"). Site-wide pages have names without a namespace."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from exchanges import views as exchanges_views
from partnership import views as partnership_views

urlpatterns = [
    path("", partnership_views.home, name="home"),
    path("my/", exchanges_views.desk, name="desk"),
    path("admin/", admin.site.urls),
    path("", include("matchmaking.site_urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("exchanges.urls")),
    path("partnership/", include("partnership.urls")),
    path("events/", include("partnership.event_urls")),
    path(
        "organisations/<slug:slug>/",
        partnership_views.organisation_detail,
        name="organisation_detail",
    ),
] + static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
