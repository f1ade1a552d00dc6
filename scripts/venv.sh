# Sourced by run.sh and test.sh: makes sure .venv exists with the pinned requirements of "$1"
# installed, reinstalling only when that file changed, and puts the venv first on PATH.
requirements=${1:?requirements file}
VENV=${VENV:-.venv}
if [ ! -x "$VENV/bin/python" ]; then
    python=$(command -v python3.11 || command -v python3)
    "$python" -c 'import sys; assert sys.version_info[:2] == (3, 11), "Homecoming needs Python 3.11"'
    "$python" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(basename "$requirements")"
wanted=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    # A lock file with a hash for every package: nothing unpinned or altered installs.
    "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$requirements"
    echo "$wanted" > "$stamp"
fi
export PATH="$PWD/$VENV/bin:$PATH"
