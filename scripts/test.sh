#!/usr/bin/env bash
# The test command: system packages, venv, lint, types, migrations check, the whole suite
# against the real PostgreSQL and Redis (override with DATABASE_URL / REDIS_URL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh --with-browser
# The bench lock: the dev lock and Splink, so that the test of the benchmark's peer runs too.
source scripts/venv.sh requirements-bench.txt
scripts/node-modules.sh
echo "== locks";       python scripts/check_locks.py
export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/homecoming}"
# Database 15 of the local Redis: the tests flush it, and no other worker reads it.
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/15}"
export SECRET_KEY="${SECRET_KEY:-test-only-secret-key-never-used-in-production}"
export DEBUG=false SECURE_SSL_REDIRECT=false

echo "== ruff";        ruff check . && ruff format --check .
echo "== mypy";        mypy .
echo "== layers";      lint-imports --no-cache
python scripts/ensure_database.py
echo "== migrations";  python manage.py makemigrations --check --dry-run
python manage.py check --fail-level WARNING
python manage.py collectstatic --noinput -v0
python manage.py compilemessages --ignore=.venv -v0
echo "== pytest";      pytest --create-db --durations=25 "$@"
