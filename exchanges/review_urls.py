from __future__ import annotations

from django.urls import path

from exchanges import views

app_name = "review"
urlpatterns = [
    path("", views.review_queue, name="queue"),
    path("rows/<int:pk>/", views.review_row, name="row"),
    path("rows/<int:pk>/new-captive/", views.review_new_captive, name="new-captive"),
]
