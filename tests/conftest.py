from __future__ import annotations

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.factories import make_user
from tests.workers import celery_worker

__all__ = ["celery_worker"]


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.exit("The tests run against PostgreSQL: set DATABASE_URL (see the Makefile).", 2)


@pytest.fixture
def official(db: None) -> User:
    return make_user(Role.OFFICIAL)


@pytest.fixture
def users_by_role(db: None) -> dict[Role | None, User | None]:
    """One user per role, and None for a visitor who is not signed in."""
    users: dict[Role | None, User | None] = {role: make_user(role) for role in Role}
    users[None] = None
    return users
