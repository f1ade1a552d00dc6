from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from config.metrics import count_at_scrape


class ExchangesConfig(AppConfig):
    name = "exchanges"
    verbose_name = _("Exchanges")

    def ready(self) -> None:
        from exchanges.metrics import ReleaseListFigures

        count_at_scrape("release-lists", ReleaseListFigures())
