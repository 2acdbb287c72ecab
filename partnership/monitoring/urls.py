"""The monitoring's pages, under the partnership's namespace (``partnership:figures``, …)."""

from django.urls import path

from . import views

urlpatterns = [
    path("figures/", views.figures, name="figures"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/baseline/", views.baseline, name="baseline"),
    path("dashboard/export/<slug:kind>.<slug:fmt>", views.export, name="export"),
]
