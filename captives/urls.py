from __future__ import annotations

from django.urls import path

from captives import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:public_id>/", views.captive_detail, name="captive"),
    path("<uuid:public_id>/merge/", views.captive_merge, name="merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge-undo"),
]
