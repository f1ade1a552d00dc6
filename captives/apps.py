from __future__ import annotations

from django.apps import AppConfig


class CaptivesConfig(AppConfig):
    name = "captives"
    verbose_name = "Registry"
