from __future__ import annotations

from django.urls import path

from workflows import views

app_name = "workflows"
urlpatterns = [
    path(
        "exchanges/phases/<int:pk>/confirmation/propose/",
        views.phase_proposal,
        name="phase-proposal",
    ),
    path(
        "exchanges/phases/<int:pk>/confirmation/approve/",
        views.phase_approval,
        name="phase-approval",
    ),
    path(
        "exchanges/phases/<int:pk>/listed-news/",
        views.listed_news_release,
        name="listed-news-release",
    ),
    path("registry/<uuid:public_id>/merge/", views.captive_merge, name="merge"),
    path("registry/merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
]
