from __future__ import annotations

from django.urls import path

from inquiries import erasure_views, gallery_views, views

app_name = "inquiries"
urlpatterns = [
    path("", views.inquiry_list, name="list"),
    path("new/", views.new_inquiry, name="new"),
    path("filed/", views.inquiry_filed, name="filed"),
    path("status/", views.inquiry_status, name="status"),
    path("status/photo/", views.withdraw_photo, name="withdraw-photo"),
    path("status/photo/show/", views.show_photo, name="show-photo"),
    path("status/copy/", views.inquiry_copy, name="own-copy"),
    path("status/erasure/", views.inquiry_erasure_ask, name="erasure-ask"),
    path("erasure-requests/", erasure_views.erasure_requests, name="erasure-requests"),
    path("sightings/new/", views.sighting_new, name="sighting-new"),
    path("suggestions/", views.suggestion_queue, name="suggestions"),
    path("sightings/<int:pk>/", views.sighting_detail, name="sighting"),
    path("gallery/", gallery_views.gallery_start, name="gallery-start"),
    path("gallery/<uuid:public_id>/", gallery_views.gallery, name="gallery"),
    path("gallery/<uuid:public_id>/<str:token>/", gallery_views.gallery_tile, name="gallery-tile"),
    path(
        "gallery/<uuid:public_id>/<str:token>/photo/",
        gallery_views.gallery_photo,
        name="gallery-photo",
    ),
    path("<str:reference>/", views.inquiry_detail, name="detail"),
    path("<str:reference>/photo/", views.inquiry_photo, name="photo"),
    path("<str:reference>/erasure/", erasure_views.erasure_decision, name="erasure"),
]
