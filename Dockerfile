FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libicu-dev pkg-config gcc g++ gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --require-hashes -r requirements.txt
COPY . .
RUN DEBUG=false SECRET_KEY=build-only python manage.py collectstatic --noinput -v0 \
    && DEBUG=false SECRET_KEY=build-only python manage.py compilemessages -v0 \
    && python -m compileall -q -x '/(tests|bench|node_modules)/' . \
    && useradd --system --home /app homecoming \
    && mkdir -p /data/media /data/index && chown homecoming /data/media /data/index
USER homecoming
# The app's bytecode is compiled above, once: with PYTHONDONTWRITEBYTECODE every process start
# would compile it again. The registry's index is left in /data/index by the process that
# built it, for the next to load (captives/index_file.py).
ENV MEDIA_ROOT=/data/media REGISTRY_INDEX_DIR=/data/index
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
