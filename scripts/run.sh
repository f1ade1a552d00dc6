#!/usr/bin/env bash
# The run command: venv, install, migrate, demo data, serve on http://127.0.0.1:8000.
# Without DATABASE_URL / REDIS_URL: SQLite beside the code and Celery tasks in-process.
# With them: PostgreSQL and Redis, and a Celery worker started beside the server.
# HOST and PORT choose where it listens (127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/system-deps.sh
source scripts/venv.sh requirements.txt
export DEBUG="${DEBUG:-true}"
python scripts/ensure_database.py
python manage.py migrate --noinput
python manage.py compilemessages --ignore=.venv -v0
python manage.py seed_demo
if [ -n "${REDIS_URL:-}" ]; then
    # Tasks go to Redis: a worker (with the beat scheduler) runs beside the server, in this
    # same environment, and stops with it. A worker started in another terminal would need
    # every variable exported here again.
    celery -A config worker -B -l info &
    worker=$!
    trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null || true' EXIT
    echo "Tasks go to Redis: a Celery worker with the beat scheduler runs beside the server."
    python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
else
    exec python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
fi
