# The two commands of the README, and a few more for development.
.PHONY: run test test-quick stateful worker lint lock upgrade bench bench-deps bench-traps bench-holdout bench-load bench-endtoend bench-system bench-review bench-coldstart

run:  ## set up and serve the demo on http://127.0.0.1:8000
	scripts/run.sh

test:  ## lint, types, migrations check and the whole suite against PostgreSQL and Redis
	scripts/test.sh

# Two pytest-xdist workers (TEST_WORKERS=N for more, 0 for none), each on a test database of its
# own (test_homecoming_gw0, _gw1, kept between runs: --reuse-db) and a Redis database of its own:
# worker gwN takes the one N below REDIS_URL's, 15 and 14 here (tests/conftest.py).
test-quick:  ## the developer's loop: pytest on two workers without browser or slow tests, MD5 passwords; ARGS go to pytest
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/homecoming} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-never-used-in-production} \
	DEBUG=false SECURE_SSL_REDIRECT=false \
	HOMECOMING_STATEFUL_EXAMPLES=$${HOMECOMING_STATEFUL_EXAMPLES:-3} \
	sh -c '.venv/bin/python manage.py collectstatic --noinput -v0 \
		&& .venv/bin/python manage.py compilemessages --ignore=.venv -v0 \
		&& .venv/bin/pytest -q -n $${TEST_WORKERS:-2} -m "not slow and not browser" --ignore=tests/browser \
			--md5-passwords --durations=10 $(ARGS)'

stateful:  ## the exchange day's state machine, long: 500 sequences, each failure shrunk to its shortest
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/homecoming} \
	REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/15} \
	SECRET_KEY=$${SECRET_KEY:-test-only-secret-key-never-used-in-production} DEBUG=false \
	HOMECOMING_STATEFUL_EXAMPLES=$${HOMECOMING_STATEFUL_EXAMPLES:-500} \
	.venv/bin/pytest tests/workflows/test_exchange_day.py -p no:randomly

# Every queue of config/settings.py; production runs a worker per queue (README, "Web, workers
# and beat"): `make worker QUEUES=lists NAME=lists BEAT=` starts one for one queue, without beat.
QUEUES ?= celery,lists,notifications,webhooks
NAME ?= worker
BEAT ?= -B

worker:  ## a Celery worker of QUEUES (all) with the beat scheduler, alone (make run starts its own when REDIS_URL is set)
	@test -n "$${REDIS_URL:-}" || { echo "make worker: set REDIS_URL (and DATABASE_URL) as for make run" >&2; exit 2; }
	DEBUG=$${DEBUG:-true} .venv/bin/celery -A config worker $(BEAT) -Q $(QUEUES) -n "$(NAME)@%h" -l info

# The lock files: requirements*.in (direct dependencies) compiled with every package they pull
# in, pinned with hashes, for Python 3.11 on Linux. The test command fails while one is stale.
UV_COMPILE = .venv/bin/uv pip compile --quiet --generate-hashes --python-version 3.11 \
	--python-platform linux --custom-compile-command "make lock"

lock:  ## compile requirements*.in into the hashed lock files, keeping the versions locked now
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) requirements-bench.in -o requirements-bench.txt

upgrade:  ## the same, taking the newest release of every package; then run `make test`
	$(UV_COMPILE) --upgrade requirements.in -o requirements.txt
	$(UV_COMPILE) --upgrade requirements-dev.in -o requirements-dev.txt
	$(UV_COMPILE) --upgrade requirements-bench.in -o requirements-bench.txt

lint:
	.venv/bin/ruff check . && .venv/bin/ruff format --check . && .venv/bin/mypy . && .venv/bin/lint-imports --no-cache

bench: bench-deps  ## the matching benchmark: 100,000 people, 1,000 rows, engine beside two naive baselines and Splink, both data profiles
	.venv/bin/python -m bench

# What only the benchmarks use (Splink, with DuckDB and pandas) is locked apart, in
# requirements-bench.txt (the dev lock and more, at the dev lock's versions), and installed into
# .venv with --require-hashes the first time and after each change of a lock: the test command
# never needs it.
bench-deps:
	bash -ec '. scripts/venv.sh requirements-bench.txt'

bench-holdout:  ## the independent hold-out generator, end to end through files; DATABASE_URL: a scratch database
	.venv/bin/python -m bench.holdout --seeds 7 8 9

bench-traps: bench-deps  ## strangers who share all but one name part with a registry person (twins, another surname, another father): false matches of the engine, cdist and Splink
	.venv/bin/python -m bench.traps

bench-load:  ## the web app under load (gunicorn, 20 and 100 clients); DATABASE_URL: a scratch database
	.venv/bin/python -m bench.load

bench-endtoend:  ## a list through a real Celery worker, and the registry import, at 100k and 200k
	.venv/bin/python -m bench.endtoend

bench-coldstart:  ## reconcile cold (index from stored keys) beside cdist; a fresh web worker's first search and memory; DATABASE_URL: a scratch database
	.venv/bin/python -m bench.coldstart

bench-review:  ## a 60-row list reviewed by keyboard in Chromium, htmx beside no script; DATABASE_URL: a scratch database
	.venv/bin/python -m bench.review

bench-system: bench-load bench-endtoend  ## both of the above, one after the other (DATABASE_URL: a scratch database)
