from __future__ import annotations

from django.apps import AppConfig


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = "Tracing inquiries and sightings"

    def ready(self) -> None:
        from inquiries import checks  # noqa: F401 - registers the deployment checks
