"""No Docker engine runs here, so the compose file is checked for the shape the README promises."""

from __future__ import annotations

from pathlib import Path

import yaml
from django.conf import settings

from bench.servers import ALL_QUEUES

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


WORKERS = {
    "worker-lists": "lists",
    "worker-notifications": "notifications",
    "worker-webhooks": "webhooks",
    "worker": "celery",
}


def test_compose_starts_the_whole_stack_with_health_checks_and_volumes() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert set(services) == {"proxy", "web", "public", "beat", "db", "redis", *WORKERS}
    assert all("healthcheck" in service for service in services.values())
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "celery -A config beat" in services["beat"]["command"]


def test_every_queue_has_a_worker_of_its_own_that_is_restarted_when_it_dies() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    routed = {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}

    assert set(WORKERS.values()) == routed | {settings.CELERY_TASK_DEFAULT_QUEUE}
    assert set(WORKERS.values()) == set(ALL_QUEUES)  # the tests' workers take them all
    for name, queue in WORKERS.items():
        command = services[name]["command"]
        assert command.startswith("celery -A config worker")
        assert f"-Q {queue} " in command
        node = command.split(" -n ")[1].split("@")[0]
        assert f"-d {node}@" in services[name]["healthcheck"]["test"][1]  # itself, by name
    for name in [*WORKERS, "beat"]:
        assert services[name]["restart"] in ("always", "unless-stopped")


def test_every_process_of_the_app_shares_the_folder_of_the_registrys_index() -> None:
    """Whichever process builds the index leaves it there; the others load it instead of
    building their own (``captives/index_file.py``)."""
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    image = (COMPOSE.parent / "Dockerfile").read_text()

    assert "REGISTRY_INDEX_DIR=/data/index" in image
    for name in ["web", "public", *WORKERS]:
        assert "index:/data/index" in services[name]["volumes"], name
