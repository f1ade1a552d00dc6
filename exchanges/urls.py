from __future__ import annotations

from django.urls import path

from exchanges import views

app_name = "exchanges"
urlpatterns = [
    path("", views.exchange_list, name="list"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("phases/<int:pk>/", views.phase_detail, name="phase"),
]
