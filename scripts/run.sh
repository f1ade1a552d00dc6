#!/usr/bin/env bash
# The run command: venv, install, migrate, demo data, serve on http://127.0.0.1:8000.
# Without DATABASE_URL / REDIS_URL: SQLite beside the code and Celery tasks in-process.
# With them: PostgreSQL and Redis, and Celery workers started beside the server.
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
    # Tasks go to Redis: two workers run beside the server, in this same environment, and stop
    # with it: one for release lists, one (with the beat scheduler) for the rest, so that a
    # partner's webhook receiver or a mail server that hangs never holds up a list. Production
    # runs one per queue (README, "Web, workers and beat"). A worker started in another
    # terminal would need every variable exported here again.
    celery -A config worker -Q lists -n lists@%h -l info &
    lists=$!
    celery -A config worker -B -Q celery,notifications,webhooks -n default@%h -l info &
    rest=$!
    trap 'kill "$lists" "$rest" 2>/dev/null; wait "$lists" "$rest" 2>/dev/null || true' EXIT
    echo "Tasks go to Redis: Celery workers (lists; the rest, with beat) run beside the server."
    python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
else
    exec python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
fi
