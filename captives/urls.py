from __future__ import annotations

from django.urls import path

from captives import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("<uuid:public_id>/", views.captive_detail, name="captive"),
]
