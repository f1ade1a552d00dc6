from __future__ import annotations

from django.urls import path

from exchanges import review_views

app_name = "review"
urlpatterns = [
    path("", review_views.review_queue, name="queue"),
    path("rows/<int:pk>/", review_views.review_row, name="row"),
    path("rows/<int:pk>/new-captive/", review_views.review_new_captive, name="new-captive"),
]
