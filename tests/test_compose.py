"""No Docker engine runs here, so the compose file is checked for the shape the README promises."""

from __future__ import annotations

from pathlib import Path

import yaml

COMPOSE = Path(__file__).resolve().parent.parent / "docker-compose.yml"


def test_compose_starts_the_whole_stack_with_health_checks_and_volumes() -> None:
    services = yaml.safe_load(COMPOSE.read_text())["services"]

    assert set(services) == {"proxy", "web", "public", "worker", "beat", "db", "redis"}
    assert all("healthcheck" in service for service in services.values())
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]
    assert services["web"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert "celery -A config worker" in services["worker"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
