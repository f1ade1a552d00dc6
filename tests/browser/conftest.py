from __future__ import annotations

import os
from typing import Any

import pytest

# Playwright's sync API keeps an event loop in the test's thread; Django's ORM then refuses to
# run there unless told that this is deliberate. The ORM calls stay synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium: browsers cannot be downloaded here."""
    return browser_type_launch_args | {
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def plain_static_names(settings: Any) -> None:
    """The live server finds static files by their source names, not the hashed names that
    collectstatic's manifest gives them (whitenoise serves those in production)."""
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
