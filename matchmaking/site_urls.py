from django.urls import path

from . import views

app_name = "matchmaking"

urlpatterns = [
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path(
        "organisations/<slug:slug>/people/", views.organisation_people, name="organisation_people"
    ),
    path(
        "organisations/<slug:slug>/people/<int:pk>/remove/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:pk>/cancel/",
        views.invitation_cancel,
        name="invitation_cancel",
    ),
    path("my/organisation/", views.organisation_switch, name="organisation_switch"),
    path("accounts/profile/", views.profile, name="profile"),
]
