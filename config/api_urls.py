from __future__ import annotations

from django.urls import include, path, re_path

from captives.api import CaptiveDetailView, CaptiveListView
from captives.places_api import CaptiveDetentionsView, PlaceDetailView, PlaceListView
from config.api import NotFoundView
from exchanges import api, export_api, lists_api
from inquiries import api as inquiries_api

app_name = "api"
urlpatterns = [
    path("", api.ApiRootView.as_view(), name="root"),
    path("captives/", CaptiveListView.as_view(), name="captive-list"),
    path("captives/<uuid:public_id>/", CaptiveDetailView.as_view(), name="captive-detail"),
    path(
        "captives/<uuid:public_id>/detentions/",
        CaptiveDetentionsView.as_view(),
        name="captive-detentions",
    ),
    path("places/", PlaceListView.as_view(), name="place-list"),
    path("places/<int:pk>/", PlaceDetailView.as_view(), name="place-detail"),
    path("exchanges/", api.ExchangeListView.as_view(), name="exchange-list"),
    path("exchanges/<int:pk>/", api.ExchangeDetailView.as_view(), name="exchange-detail"),
    path("phases/", api.PhaseListView.as_view(), name="phase-list"),
    path("phases/<int:pk>/", api.PhaseDetailView.as_view(), name="phase-detail"),
    path(
        "phases/<int:pk>/release-lists/",
        lists_api.ReleaseListSubmitView.as_view(),
        name="release-list-submit",
    ),
    path("transfers/", api.TransferListView.as_view(), name="transfer-list"),
    path("transfers/<int:pk>/", api.TransferDetailView.as_view(), name="transfer-detail"),
    path("release-lists/", lists_api.ReleaseListListView.as_view(), name="release-list-list"),
    path(
        "release-lists/<int:pk>/",
        lists_api.ReleaseListDetailView.as_view(),
        name="release-list-detail",
    ),
    path(
        "release-lists/<int:pk>/rows/",
        lists_api.ReleaseListRowsView.as_view(),
        name="release-list-rows",
    ),
    path("inquiries/", inquiries_api.InquiryListView.as_view(), name="inquiry-list"),
    path(
        "inquiries/<str:reference>/",
        inquiries_api.InquiryDetailView.as_view(),
        name="inquiry-detail",
    ),
    path("sightings/", inquiries_api.SightingListView.as_view(), name="sighting-list"),
    path("sightings/<int:pk>/", inquiries_api.SightingDetailView.as_view(), name="sighting-detail"),
    path("webhooks/", include("webhooks.urls")),
    re_path(
        r"^phases/(?P<pk>[0-9]+)/transfers\.(?P<fmt>csv|xlsx)$",
        export_api.PhaseTransfersExportView.as_view(),
        name="phase-transfers-export",
    ),
    re_path(
        r"^release-lists/(?P<pk>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$",
        export_api.ReleaseListExportView.as_view(),
        name="release-list-export",
    ),
    # Last: any other address under /api/v1/ is a problem-details 404.
    re_path(r"^.*$", NotFoundView.as_view(), name="not-found"),
]
