from django.urls import include, path

from . import views
from .monitoring import urls as monitoring_urls

app_name = "partnership"

urlpatterns = [
    path("", views.about, name="about"),
    path("join/", views.join, name="join"),
    path("join/<slug:slug>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("leave/", views.leave, name="leave"),
    path("members/", views.members, name="members"),
    path("promoters/", views.promoters, name="promoters"),
    path("promoters/nominate/", views.promoter_nominate, name="promoter_nominate"),
    path("promoters/<int:pk>/contact/", views.promoter_contact, name="promoter_contact"),
    path("", include(monitoring_urls)),
]
