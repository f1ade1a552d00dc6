from __future__ import annotations

from django.urls import include, path, re_path

from captives.api import CaptiveListView
from exchanges import api, export_api

app_name = "api"
urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("captives/", CaptiveListView.as_view(), name="captive-list"),
    path("exchanges/", api.ExchangeListView.as_view(), name="exchange-list"),
    path("exchanges/<int:pk>/", api.ExchangeDetailView.as_view(), name="exchange-detail"),
    path("webhooks/", include("webhooks.urls")),
    re_path(
        r"^phases/(?P<pk>[0-9]+)/transfers\.(?P<fmt>csv|xlsx)$",
        export_api.PhaseTransfersExportView.as_view(),
        name="phase-transfers-export",
    ),
    re_path(
        r"^lists/(?P<pk>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$",
        export_api.ReleaseListExportView.as_view(),
        name="release-list-export",
    ),
]
