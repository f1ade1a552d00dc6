#!/usr/bin/env bash
# Installs the Debian packages Homecoming needs (PyICU builds against libicu; gettext compiles
# the translations), and only those the machine lacks.
set -euo pipefail
needed=(libicu-dev pkg-config g++ gettext)
# The browser tests drive Debian's Chromium: browsers cannot be downloaded here.
if [ "${1:-}" = "--with-browser" ]; then
    needed+=(chromium)
    # The fault tests start Redis servers of their own and run pg_dump / pg_restore.
    needed+=(redis-server postgresql-client-15)
    # The phase protocol's print test reads the PDF Chromium printed with poppler's pdftotext.
    needed+=(poppler-utils)
    # The accessibility test's axe-core comes from npm (nodejs from another source brings its own).
    command -v npm >/dev/null || needed+=(npm)
fi
missing=()
for package in "${needed[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
        || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "Missing Debian packages: ${missing[*]} (install them as root)" >&2
        exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
fi
