"""Site-wide pages of the exchanges app, named without a namespace (see matchmaking/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("my/", views.desk, name="desk"),
]
