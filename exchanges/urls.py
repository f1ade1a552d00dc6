from __future__ import annotations

from django.urls import path, re_path

from exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("new/", views.exchange_new, name="new"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/edit/", views.exchange_edit, name="edit"),
    path("<int:pk>/phases/new/", views.phase_new, name="phase-new"),
    path("phases/<int:pk>/", views.phase_detail, name="phase"),
    path("phases/<int:pk>/protocol/", views.phase_protocol_page, name="phase-protocol"),
    path("phases/<int:pk>/edit/", views.phase_edit, name="phase-edit"),
    path("phases/<int:pk>/lists/new/", views.release_list_upload, name="release-list-upload"),
    path("lists/<int:pk>/", views.release_list_detail, name="release-list"),
    path("lists/<int:pk>/progress/", views.release_list_progress, name="release-list-progress"),
    re_path(
        r"^phases/(?P<pk>[0-9]+)/transfers\.(?P<fmt>csv|xlsx)$",
        views.phase_transfers_export,
        name="phase-transfers-export",
    ),
    re_path(
        r"^lists/(?P<pk>[0-9]+)/rows\.(?P<fmt>csv|xlsx)$",
        views.release_list_export,
        name="release-list-export",
    ),
]
