#!/usr/bin/env bash
# Installs the browser tests' JavaScript tools (axe-core) into node_modules/ from the lockfile,
# with its integrity hashes, again only when package-lock.json changes.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=node_modules/.installed-package-lock
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    npm ci --no-audit --no-fund --loglevel=error
    echo "$wanted" > "$stamp"
fi
