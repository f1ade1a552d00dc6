from __future__ import annotations

from django.urls import include, path

from captives.api import CaptiveListView
from exchanges import api

app_name = "api"
urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("captives/", CaptiveListView.as_view(), name="captive-list"),
    path("exchanges/", api.ExchangeListView.as_view(), name="exchange-list"),
    path("exchanges/<int:pk>/", api.ExchangeDetailView.as_view(), name="exchange-detail"),
    path("webhooks/", include("webhooks.urls")),
]
