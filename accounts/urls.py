from __future__ import annotations

from django.urls import path

from accounts import views

urlpatterns = [
    path("second-factor/", views.second_factor, name="second-factor"),
    path("backup-codes/", views.backup_codes, name="backup-codes"),
    path("access-log/", views.access_log, name="access-log"),
    path("second-factor/enrol/", views.second_factor_enrol, name="second-factor-enrol"),
]
