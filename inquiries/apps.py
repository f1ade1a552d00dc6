from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from captives.reactions import on_registry_change
from config.metrics import count_at_scrape


class InquiriesConfig(AppConfig):
    name = "inquiries"
    verbose_name = _("Tracing inquiries and sightings")

    def ready(self) -> None:
        from inquiries import checks  # noqa: F401 - registers the deployment checks
        from inquiries.metrics import NotificationFigures
        from inquiries.tasks import rematch_registry_people

        on_registry_change(rematch_registry_people)
        count_at_scrape("notifications", NotificationFigures())
