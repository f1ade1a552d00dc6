#!/usr/bin/env bash
# The run command: venv, install, migrate, demo data, serve on http://127.0.0.1:8000.
# Without DATABASE_URL / REDIS_URL: SQLite beside the code and Celery tasks in-process.
# With them: PostgreSQL and Redis; start a worker too (the README says how).
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
    echo "Tasks go to Redis: start a worker with  .venv/bin/celery -A config worker -B -l info"
fi
exec python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
