from __future__ import annotations

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from config.collation import register_on_sqlite
from config.warmup import at_start


class CaptivesConfig(AppConfig):
    name = "captives"
    verbose_name = _("Registry")

    def ready(self) -> None:
        # People are listed by name (``config.collation.by_name``): SQLite needs the collation.
        connection_created.connect(register_on_sqlite, dispatch_uid="ukrainian-collation")
        from captives.registry import registry_index  # models are ready only now

        # Built once in gunicorn's master, the index is every worker's from its first search.
        at_start(registry_index)
