from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    *(
        path(
            f"offers/<int:pk>/{action}/",
            views.offer_action,
            {"action": action},
            name=f"offer_{action}",
        )
        for action in ("publish", "close", "archive", "duplicate")
    ),
    path("offers/<int:pk>/apply/", views.application_create, name="application_create"),
    path("offers/<int:pk>/applications/", views.offer_applications, name="offer_applications"),
    path("offers/<int:pk>/invite/", views.offer_invite, name="offer_invite"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
    path("applications/<int:pk>/messages/", views.application_message, name="application_message"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("profiles/", views.profile_list, name="profile_list"),
    path("profiles/new/", views.profile_create, name="profile_create"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="profile_edit"),
    path("profiles/<int:pk>/delete/", views.profile_delete, name="profile_delete"),
    path("profiles/<int:pk>/alert/", views.profile_alert, name="profile_alert"),
    path(
        "profiles/unsubscribe/<str:token>/", views.profile_unsubscribe, name="profile_unsubscribe"
    ),
    path("exchanges/<int:pk>/", views.exchange_detail, name="exchange_detail"),
    path("exchanges/<int:pk>/edit/", views.exchange_edit, name="exchange_edit"),
    path("exchanges/<int:pk>/complete/", views.exchange_complete, name="exchange_complete"),
    path("exchanges/<int:pk>/cancel/", views.exchange_cancel, name="exchange_cancel"),
    path("exchanges/<int:pk>/messages/", views.exchange_message, name="exchange_message"),
    path("exchanges/<int:pk>/calendar.ics", views.exchange_calendar, name="exchange_calendar"),
    path("exchanges/<int:pk>/follow-up/", views.follow_up, name="follow_up"),
    path("exchanges/<int:pk>/reciprocal-offer/", views.reciprocal_offer, name="reciprocal_offer"),
    path("rounds/", views.round_list, name="round_list"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/choices/", views.round_sender_ranking, name="round_sender_ranking"),
    path("rounds/<int:pk>/applicants/", views.round_host_ranking, name="round_host_ranking"),
    path("rounds/<int:pk>/proposal/", views.round_proposal, name="round_proposal"),
    path("rounds/<int:pk>/allocate/", views.round_allocate, name="round_allocate"),
    path("rounds/<int:pk>/confirm/", views.round_confirm, name="round_confirm"),
    path("case-studies/", views.case_study_list, name="case_study_list"),
    path("case-studies/<slug:slug>/", views.case_study_detail, name="case_study_detail"),
]
