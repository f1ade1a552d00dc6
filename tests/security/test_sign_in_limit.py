"""Wrong passwords are counted per address whatever the username, before any password is hashed
(accounts/limits.py), at every door that takes a password."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from pytest_django.fixtures import Settings

from accounts.limits import SIGN_IN_PER_ADDRESS
from accounts.models import User
from accounts.roles import Role
from tests.factories import make_user

PASSWORD = "a-long-test-password"
WRONG = "wrong-password"
ATTACKER = "203.0.113.66"
DOORS = ["/accounts/login/", "/admin/login/"]
LIMIT = SIGN_IN_PER_ADDRESS.limit
pytestmark = [pytest.mark.django_db, pytest.mark.hashing]


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords it hashes: the tests count hashes, never time them."""

    algorithm = "counting"
    hashes = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).hashes += 1
        return super().encode(password, salt)


@pytest.fixture(autouse=True)
def counting_hasher(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    CountingHasher.hashes = 0


@pytest.fixture
def administrator() -> User:
    """Staff who may use either door (the admin's asks for ``is_staff``)."""
    return make_user(Role.ADMINISTRATOR, username="olena", password=PASSWORD)


def attempt(client: Client, door: str, username: str, password: str = WRONG) -> int:
    response = client.post(door, {"username": username, "password": password})
    if response.status_code == 429:
        assert response["Retry-After"] == str(SIGN_IN_PER_ADDRESS.window)
    return response.status_code


def flood(client: Client, door: str, times: int) -> list[int]:
    """One address trying a new username each time, as the attack did."""
    return [attempt(client, door, f"guess-{n}") for n in range(times)]


@pytest.mark.parametrize("door", DOORS)
def test_a_flood_of_new_usernames_from_one_address_is_refused_without_a_hash(
    door: str, administrator: User
) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    before = CountingHasher.hashes
    assert flood(client, door, LIMIT) == [200] * LIMIT  # each a form with its error
    hashed = CountingHasher.hashes
    assert hashed - before == LIMIT  # unknown usernames are hashed too, so timing does not tell

    refused = flood(client, door, 30)

    assert refused == [429] * 30
    assert CountingHasher.hashes == hashed  # not one more hash
    assert AccessAttempt.objects.count() == LIMIT  # nor a django-axes row per username
    assert attempt(client, door, "olena", PASSWORD) == 429  # the right password too, from here
    assert attempt(Client(REMOTE_ADDR="198.51.100.1"), door, "olena", PASSWORD) == 302


@pytest.mark.parametrize(("flooded", "other"), [DOORS, DOORS[::-1]])
def test_both_doors_count_against_one_limit(flooded: str, other: str) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    flood(client, flooded, LIMIT)

    assert attempt(client, other, "guess-at-the-other-door") == 429


def test_the_refusal_says_how_long_to_wait() -> None:
    client = Client(REMOTE_ADDR=ATTACKER, HTTP_ACCEPT_LANGUAGE="en")
    flood(client, DOORS[0], LIMIT)

    response = client.post(DOORS[0], {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 429
    assert "Please try again in 15 minutes at the latest." in response.content.decode()


def test_right_passwords_do_not_use_the_limit_up(administrator: User) -> None:
    """An office behind one address: its staff signing in all day never meet the limit."""
    office = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(LIMIT + 5):
        assert attempt(office, DOORS[0], "olena", PASSWORD) == 302
        office.logout()

    assert flood(office, DOORS[0], LIMIT + 1) == [200] * LIMIT + [429]


def test_a_signed_in_user_posting_wrong_passwords_is_still_counted(administrator: User) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    client.force_login(administrator)

    assert flood(client, DOORS[0], LIMIT + 1) == [200] * LIMIT + [429]


def test_behind_a_proxy_one_client_is_limited_not_the_others_behind_it(
    settings: Settings, administrator: User
) -> None:
    settings.TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=ATTACKER)
    colleague = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    spoofing = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.9, {ATTACKER}")

    flood(attacker, DOORS[0], LIMIT)

    assert attempt(spoofing, DOORS[0], "another-guess") == 429  # a header it wrote is not read
    assert attempt(colleague, DOORS[0], "olena", PASSWORD) == 302


def test_sign_in_is_refused_without_a_hash_when_the_limit_store_is_down(
    settings: Settings, administrator: User
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:9/0"  # nothing listens on the discard port

    assert attempt(Client(), DOORS[0], "olena", PASSWORD) == 503
    assert CountingHasher.hashes == 1  # setting the fixture's password, nothing since
