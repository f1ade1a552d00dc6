"""Every page names its icon, and the icon is served: browsers stop asking /favicon.ico."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_pages_name_an_icon_that_is_served() -> None:
    client = Client()
    page = client.get("/").content.decode()

    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)

    assert icon is not None
    served = client.get(icon[1])
    assert served.status_code == 200
    assert served["Content-Type"].startswith("image/svg+xml")


def test_favicon_ico_leads_to_the_icon_for_pages_that_name_none() -> None:
    """The admin's pages name no icon: browsers ask /favicon.ico, and find ours."""
    served = Client().get("/favicon.ico", follow=True)

    assert served.status_code == 200
    assert served["Content-Type"].startswith("image/svg+xml")
