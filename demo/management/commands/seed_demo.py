from __future__ import annotations

import random
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from demo.scenario import DEMO_EXCHANGE, load_demo
from demo.seeding import ACCOUNTS, PASSWORD
from exchanges.models import Exchange


class Command(BaseCommand):
    help = "Load the deterministic demo data (DEBUG only): accounts, exchanges, a registry."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--captives", type=int, default=3000, help="Our people in the registry")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "The demo data loads only with DEBUG on: never into a real registry."
            )
        if Exchange.objects.filter(name=DEMO_EXCHANGE).exists():
            self.stdout.write("The demo data is already loaded.")
        else:
            with transaction.atomic():
                summary = load_demo(random.Random(options["seed"]), options["captives"])
            self.stdout.write(summary)
        logins = ", ".join(ACCOUNTS)
        self.stdout.write(f"Demo logins: {logins} — password {PASSWORD}")
