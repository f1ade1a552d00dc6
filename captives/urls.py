from __future__ import annotations

from django.urls import path

from captives import place_views, views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:public_id>/", views.captive_detail, name="captive"),
    path("<uuid:public_id>/icrc/", place_views.icrc_notification, name="icrc-notification"),
    path("places/", place_views.place_list, name="places"),
    path("places/new/", place_views.place_edit, name="place-new"),
    path("places/<int:pk>/", place_views.place_detail, name="place"),
    path("places/<int:pk>/edit/", place_views.place_edit, name="place-edit"),
]
