from django.urls import path

from . import views

app_name = "exchanges"

urlpatterns = [
    path("offers/", views.offer_list, name="offer_list"),
    path("offers/new/", views.offer_create, name="offer_create"),
    path("offers/<int:pk>/", views.offer_detail, name="offer_detail"),
    path("offers/<int:pk>/edit/", views.offer_edit, name="offer_edit"),
    *(
        path(f"offers/<int:pk>/{action}/", views.offer_action, {"action": action}, name=f"offer_{action}")
        for action in ("publish", "close", "archive", "duplicate")
    ),
    path("offers/<int:pk>/apply/", views.application_create, name="application_create"),
    path("offers/<int:pk>/applications/", views.offer_applications, name="offer_applications"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"
    ),
]
