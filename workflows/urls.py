from __future__ import annotations

from django.urls import path

from workflows import views

app_name = "workflows"
urlpatterns = [
    path(
        "exchanges/phases/<int:pk>/confirmation/<str:step>/",
        views.phase_confirmation,
        name="phase-confirmation",
    ),
    path("registry/<uuid:public_id>/merge/", views.captive_merge, name="merge"),
    path("registry/merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
]
