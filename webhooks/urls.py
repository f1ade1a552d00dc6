from __future__ import annotations

from django.urls import path

from webhooks import api

urlpatterns = [
    path("", api.EndpointListView.as_view(), name="webhook-list"),
    path("<int:pk>/", api.EndpointDetailView.as_view(), name="webhook-detail"),
]
