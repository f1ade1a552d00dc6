"""Repeated wrong passwords lock one username from one address out (django-axes)."""

from __future__ import annotations

import pytest
from axes.utils import reset
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from tests.factories import make_user

PASSWORD = "a-long-test-password"
pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    return make_user(Role.OFFICIAL, username="olena", password=PASSWORD)


def attempt(password: str, *, ip: str = "203.0.113.7", username: str = "olena") -> int:
    response = Client(REMOTE_ADDR=ip).post(
        "/accounts/login/", {"username": username, "password": password}
    )
    return response.status_code


def fail(times: int, **where: str) -> None:
    for _ in range(times):
        assert attempt("wrong-password", **where) == 200  # the form again, with its error


def lock_out(**where: str) -> None:
    fail(4, **where)
    assert attempt("wrong-password", **where) == 429  # the fifth locks


def test_four_wrong_passwords_still_let_the_right_one_in(user: User) -> None:
    fail(4)

    assert attempt(PASSWORD) == 302


def test_the_fifth_wrong_password_locks_even_the_right_one_out_with_a_clear_page(
    user: User,
) -> None:
    lock_out()

    response = Client(REMOTE_ADDR="203.0.113.7").post(
        "/accounts/login/", {"username": "olena", "password": PASSWORD}
    )

    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode() or "Вхід" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_the_lock_holds_one_username_at_one_address_only(user: User) -> None:
    lock_out()

    assert attempt(PASSWORD, ip="198.51.100.1") == 302  # the same person from elsewhere
    assert attempt("x", username="someone-else") == 200  # another account from this address


def test_a_successful_sign_in_clears_the_count(user: User) -> None:
    fail(4)
    assert attempt(PASSWORD) == 302

    fail(4)

    assert attempt(PASSWORD) == 302


@pytest.mark.parametrize("lift", ["function", "command"])
def test_an_administrator_lifts_a_lock(user: User, lift: str) -> None:
    lock_out()
    assert attempt(PASSWORD) == 429

    if lift == "function":
        reset(username="olena")
    else:
        call_command("axes_reset_username", "olena")

    assert attempt(PASSWORD) == 302
