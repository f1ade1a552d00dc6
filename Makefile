# The two commands of the README, and a few more for development.
.PHONY: run test stateful worker lint bench bench-holdout bench-load bench-endtoend bench-system bench-review

run:  ## set up and serve the demo on http://127.0.0.1:8000
	scripts/run.sh

test:  ## lint, types, migrations check and the whole suite against PostgreSQL and Redis
	scripts/test.sh

stateful:  ## the exchange day's state machine, long: 500 sequences, each failure shrunk to its shortest
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/homecoming} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-never-used-in-production} DEBUG=false \
	HOMECOMING_STATEFUL_EXAMPLES=$${HOMECOMING_STATEFUL_EXAMPLES:-500} \
	.venv/bin/pytest tests/workflows/test_exchange_day.py -p no:randomly

worker:  ## a Celery worker with the beat scheduler, for runs with REDIS_URL set
	.venv/bin/celery -A config worker -B -l info

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy . && .venv/bin/lint-imports --no-cache

bench:  ## the matching benchmark: 100,000 people, 1,000 rows, engine beside a naive baseline, both data profiles
	.venv/bin/python -m bench

bench-holdout:  ## the independent hold-out generator, end to end through files; DATABASE_URL: a scratch database
	.venv/bin/python -m bench.holdout --seeds 7 8 9

bench-load:  ## the web app under load (gunicorn, 20 and 100 clients); DATABASE_URL: a scratch database
	.venv/bin/python -m bench.load

bench-endtoend:  ## a list through a real Celery worker, and the registry import, at 100k and 200k
	.venv/bin/python -m bench.endtoend

bench-review:  ## a 60-row list reviewed by keyboard in Chromium, htmx beside no script; DATABASE_URL: a scratch database
	.venv/bin/python -m bench.review

bench-system: bench-load bench-endtoend  ## both of the above, one after the other (DATABASE_URL: a scratch database)
