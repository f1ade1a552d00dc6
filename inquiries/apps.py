from __future__ import annotations

from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Tracing inquiries and sightings"
