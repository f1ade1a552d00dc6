"""A captive's page on a phone: the history's rows stack, each cell under its column's name."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import User
from tests.factories import make_captive, sign_in

pytestmark = pytest.mark.django_db


def test_on_a_phone_every_history_cell_can_stack_under_its_columns_name(official: User) -> None:
    captive = make_captive()
    client = Client()
    sign_in(client, official)

    page = client.get(f"/registry/{captive.public_id}/").content.decode()

    table = page[page.index('<table class="stacked">') : page.index("</table>")]
    headers = re.findall(r'<th scope="col">([^<]+)</th>', table)
    row = table[table.index("<tbody>") :]
    assert re.findall(r'<td data-label="([^"]+)"', row) == headers
