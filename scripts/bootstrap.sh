#!/usr/bin/env bash
# Set up coopsim on a fresh machine and run the main job.
#   bash scripts/bootstrap.sh          # create .venv from Python >= 3.12, install, run the main job (village, experiment, briefing)
#   bash scripts/bootstrap.sh --setup  # create .venv and install only (what CI does)
# Set PYTHON=/path/to/python3.12 to choose the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."

ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }

find_python() {
    local c
    if [ -n "${PYTHON:-}" ]; then
        ok "$PYTHON" && { echo "$PYTHON"; return 0; }
        echo "PYTHON=$PYTHON is not a working Python 3.12 or newer" >&2
        return 1
    fi
    for c in python3.14 python3.13 python3.12 python3 python; do
        if command -v "$c" >/dev/null 2>&1 && ok "$c"; then command -v "$c"; return 0; fi
    done
    # interpreters installed but not on PATH (pyenv, /usr/local, deadsnakes)
    for c in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] \
             /usr/bin/python3.1[2-9] /opt/python*/bin/python3; do
        if [ -x "$c" ] && ok "$c"; then echo "$c"; return 0; fi
    done
    return 1
}

if ! PY=$(find_python); then
    cat >&2 <<'MSG'
coopsim needs Python 3.12 or newer (Mesa 3.5 requires it), and none was found.
Install one, e.g. `sudo apt-get install python3.12 python3.12-venv` or `pyenv install 3.12`,
then run this again (or point to it: PYTHON=/path/to/python3.12 bash scripts/bootstrap.sh).
MSG
    exit 1
fi
echo "using $PY ($("$PY" --version 2>&1))"

if [ ! -x .venv/bin/python ] || ! ok .venv/bin/python; then
    rm -rf .venv
    "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

if [ "${1:-}" = "--setup" ]; then
    echo "environment ready: .venv (run the tests with: .venv/bin/python -m pytest)"
    exit 0
fi

# the main job: the default experiment (6 policy variants x 30 shared-seed replicates; --resume makes a
# re-run finish or re-check the folder instead of refusing it), its comparison table, and its briefing in
# English and Chinese: results/policy_variants/report/{en,zh}/briefing.pdf, briefing.html and charts/
.venv/bin/coopsim experiment experiments/policy_variants.yaml --out results/policy_variants --resume
.venv/bin/coopsim compare results/policy_variants
.venv/bin/coopsim report results/policy_variants
