"""``python manage.py reseal_webhook_secrets``: after a change of SECRET_KEY, seal every webhook
secret under the new key, so that the old one can leave SECRET_KEY_FALLBACKS."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from webhooks.models import Endpoint


class Command(BaseCommand):
    help = "Seal every webhook secret under the current SECRET_KEY (run after rotating it)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            endpoints = list(Endpoint.objects.select_for_update())  # opened with any key
            for endpoint in endpoints:
                endpoint.save(update_fields=["secret"])  # sealed with the current one
        self.stdout.write(f"{len(endpoints)} webhook secret(s) sealed under the current key.")
