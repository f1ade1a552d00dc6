"""Staff passwords are kept as Argon2id with the parameters accounts/hashers.py states; hashes
from before (PBKDF2) and Argon2 hashes with other parameters are rewritten at the next sign-in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher, make_password
from django.test import Client

from accounts.hashers import StaffArgon2PasswordHasher
from accounts.models import User
from accounts.roles import Role
from tests.factories import make_user

PASSWORD = "a-long-test-password"
ARGON2ID = "argon2$argon2id$v=19$m=32768,t=3,p=1$"
pytestmark = [pytest.mark.django_db, pytest.mark.hashing]


class CheaperArgon2(StaffArgon2PasswordHasher):
    """Parameters other than ours, as an older setting would have left them."""

    time_cost = 1
    memory_cost = 8 * 1024


def staff_with(encoded: str) -> User:
    user = make_user(Role.OFFICIAL, username="olena")
    user.password = encoded
    user.save(update_fields=["password"])
    return user


def sign_in(password: str) -> int:
    response = Client().post("/accounts/login/", {"username": "olena", "password": password})
    return response.status_code


def stored(user: User) -> str:
    user.refresh_from_db(fields=["password"])
    return user.password


def test_new_passwords_are_hashed_with_argon2id_and_the_stated_parameters() -> None:
    encoded = make_password(PASSWORD)

    assert encoded.startswith(ARGON2ID)
    assert isinstance(identify_hasher(encoded), StaffArgon2PasswordHasher)
    assert check_password(PASSWORD, encoded)
    assert not check_password("wrong-password", encoded)


@pytest.mark.parametrize(
    "before",
    [
        lambda: make_password(PASSWORD, hasher="pbkdf2_sha256"),  # Django's former default
        lambda: CheaperArgon2().encode(PASSWORD, CheaperArgon2().salt()),
    ],
    ids=["pbkdf2", "other-argon2-parameters"],
)
@pytest.mark.slow  # three real hashes a case, Argon2's among them
def test_a_hash_from_before_is_rewritten_at_the_next_sign_in_only(
    before: Callable[[], str],
) -> None:
    encoded = before()
    user = staff_with(encoded)

    assert sign_in("wrong-password") == 200
    assert stored(user) == encoded  # a wrong password rewrites nothing

    assert sign_in(PASSWORD) == 302
    assert stored(user).startswith(ARGON2ID)
    assert sign_in(PASSWORD) == 302  # and the new hash opens
