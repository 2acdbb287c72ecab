"""``/events/``: the partnership's matchmaking events (included by the root URLconf)."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/withdraw/", views.event_withdraw, name="withdraw"),
    path("<slug:slug>/meetings/", views.event_meetings, name="meetings"),
    path(
        "<slug:slug>/meetings/request/<slug:organisation>/",
        views.meeting_request,
        name="meeting_request",
    ),
    path("<slug:slug>/meetings/<int:pk>/accept/", views.meeting_accept, name="meeting_accept"),
    path("<slug:slug>/meetings/<int:pk>/decline/", views.meeting_decline, name="meeting_decline"),
    path("<slug:slug>/meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("<slug:slug>/schedule/", views.event_schedule, name="schedule"),
    path("<slug:slug>/schedule.ics", views.event_schedule_ics, name="schedule_ics"),
    path("<slug:slug>/grid/", views.event_grid, name="grid"),
    path("<slug:slug>/grid.csv", views.event_grid_csv, name="grid_csv"),
]
