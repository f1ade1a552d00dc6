from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from tests.factories import make_user, sign_in
from tests.workers import celery_worker

__all__ = ["celery_worker"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--md5-passwords",
        action="store_true",
        help="Hash passwords with MD5, except in tests marked `hashing` (make test-quick).",
    )


def grant_roles() -> None:
    """Create the role groups and their permissions, as the data migration does (idempotent).

    Tests that need a worker commit, and their teardown flushes every table, roles included."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    roles = importlib.import_module("accounts.migrations.0002_roles")
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    roles.grant_roles(Group, Permission)


@pytest.fixture(scope="module")
def module_transaction(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """A transaction open for a whole module and rolled back at its end: rows a module's fixture
    writes in it (``with django_db_blocker.unblock():``) serve every test of the module, and each
    test, in its savepoint, sees them as written. For the matrices of roles and addresses, where
    building the same rows for each of hundreds of cases cost most of their time. Only for
    modules whose tests all run in savepoints (no ``transaction=True``)."""
    from django.db import transaction

    outer = transaction.atomic()
    with django_db_blocker.unblock():
        outer.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: Any) -> None:
    """With --reuse-db a session may start after such a flush: grant the roles again."""
    with django_db_blocker.unblock():
        grant_roles()


def pytest_configure(config: pytest.Config) -> None:
    """Under pytest-xdist (``make test-quick``) each worker takes a Redis database of its own, as
    pytest-django gives it a test database of its own (``test_…_gw1``): the tests flush theirs.
    Worker ``gwN`` takes the database N below REDIS_URL's: 15, 14 for two workers on the
    default. Django is set up by now, but nothing has read these settings yet.

    No test leaves the registry's index in a file for another process (``captives.index_file``);
    a test of that file gives its own folder."""
    worker = getattr(config, "workerinput", {}).get("workerid")
    from django.conf import settings

    settings.REGISTRY_INDEX_DIR = ""
    if not worker or not settings.REDIS_URL:
        return
    url = urlsplit(settings.REDIS_URL)
    database = int(url.path.strip("/") or 0) - int(worker.removeprefix("gw"))
    if database < 0:
        raise pytest.UsageError(f"{worker} has no Redis database below {settings.REDIS_URL}")
    redis_url = url._replace(path=f"/{database}").geturl()
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = redis_url
    from config.celery import app

    app.conf.update(broker_url=redis_url, result_backend=redis_url)


def pytest_sessionstart(session: pytest.Session) -> None:
    from django.conf import settings

    if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
        pytest.exit("The tests run against PostgreSQL: set DATABASE_URL (see the Makefile).", 2)


# What WhiteNoise's middleware takes from the settings into the files it lists.
WHITENOISE_SETTINGS = (
    "max_age",
    "allow_all_origins",
    "charset",
    "add_headers_function",
    "index_file",
)


@pytest.fixture(scope="session", autouse=True)
def static_files_listed_once() -> Iterator[None]:
    """Each test client loads the middleware anew, and WhiteNoise's walks STATIC_ROOT and stats
    its 800 files every time: 50 ms of CPU a client, a third of a typical page test. Walk each
    folder once a run, for the same middleware settings (collectstatic runs before pytest, and
    nothing writes there during the run); what a client serves is what a fresh walk gives."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    walk = WhiteNoiseMiddleware.update_files_dictionary
    walked: dict[tuple[Any, ...], dict[str, Any]] = {}

    def walk_once(self: WhiteNoiseMiddleware, root: str, prefix: str) -> None:
        configured = (getattr(self, name) for name in WHITENOISE_SETTINGS)
        key = (root, prefix, repr(settings.STORAGES), settings.STATIC_URL, *configured)
        if key not in walked:
            fresh = WhiteNoiseMiddleware.__new__(WhiteNoiseMiddleware)
            fresh.__dict__.update(self.__dict__, files={})
            walk(fresh, root, prefix)
            walked[key] = fresh.files
        self.files.update(walked[key])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(WhiteNoiseMiddleware, "update_files_dictionary", walk_once)
        yield


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Services speak the active language; tests read their messages in English. Pages still
    get Ukrainian by default: the locale middleware chooses per request."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Every test starts with no public-page hits counted (the counters live in Redis)."""
    import redis
    from django.conf import settings

    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter("homecoming:limit:*"):
        client.delete(key)
    client.close()


TEST_PIN_KEY = "test:test-only-pin-key-never-used-in-production"


@pytest.fixture(autouse=True)
def pin_key(settings: Any) -> None:
    """The suite runs as production does, with DEBUG off: PINs need a key of their own."""
    settings.PIN_KEYS = [TEST_PIN_KEY]


@pytest.fixture(autouse=True)
def md5_passwords(request: pytest.FixtureRequest, settings: Any) -> None:
    """The quick lane (``--md5-passwords``): a password set or checked takes microseconds, not
    Argon2's 80 ms. Tests marked ``hashing`` keep the real hashers. The others stay listed, so
    a hash they wrote still checks; nothing a test asserts hangs on the algorithm otherwise."""
    if request.config.getoption("--md5-passwords") and not request.node.get_closest_marker(
        "hashing"
    ):
        md5 = "django.contrib.auth.hashers.MD5PasswordHasher"
        settings.PASSWORD_HASHERS = [md5, *settings.PASSWORD_HASHERS]


@pytest.fixture(autouse=True)
def index_frozen_without_collecting(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``settled_in_memory`` collects the garbage before each index it builds and freezes the
    heap after: once a build in a worker, whose heap is frozen already, but in the test process
    (pytest, Django and every test module, never frozen) 0.13 s of CPU each, and the tests build
    hundreds of small indexes. Here it only freezes, which only keeps what a replaced index
    left a little longer; tests marked ``settling`` keep the real one."""
    if request.node.get_closest_marker("settling"):
        return
    import gc
    from contextlib import contextmanager

    from captives import registry

    @contextmanager
    def frozen_after() -> Iterator[None]:
        yield
        gc.freeze()

    monkeypatch.setattr(registry, "settled_in_memory", frozen_after)


@pytest.fixture
def official(db: None) -> User:
    return make_user(Role.OFFICIAL)


@pytest.fixture
def users_by_role(db: None) -> dict[Role | None, User | None]:
    """One user per role, and None for a visitor who is not signed in."""
    users: dict[Role | None, User | None] = {role: make_user(role) for role in Role}
    users[None] = None
    return users


@pytest.fixture
def admin_client() -> Client:
    """A signed-in superuser (second factor passed), in place of pytest-django's own."""
    admin = make_user(Role.ADMINISTRATOR)
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    client = Client()
    sign_in(client, admin)
    return client
