from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from accounts.tokens import SCOPES, issue_token


class Command(BaseCommand):
    help = "Issue an API token for a partner system; the token is printed once, never stored."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("partner")
        parser.add_argument(
            "--scopes", required=True, help=f"Comma-separated: {', '.join(sorted(SCOPES))}"
        )
        parser.add_argument("--days", type=int, default=365)

    def handle(self, *args: Any, **options: Any) -> None:
        scopes = [s.strip() for s in options["scopes"].split(",") if s.strip()]
        try:
            token, raw = issue_token(
                partner_name=options["partner"],
                scopes=scopes,
                now=timezone.now(),
                days=options["days"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{raw}\n(expires {token.expires_at:%Y-%m-%d}; scopes {', '.join(token.scopes)})"
        )
