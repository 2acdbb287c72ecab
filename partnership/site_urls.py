"""Site-wide pages of the partnership app, named without a namespace (see matchmaking/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
]
