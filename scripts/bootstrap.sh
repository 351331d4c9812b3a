#!/usr/bin/env bash
# Creates the virtual environment with Python 3.13 and installs the project with its test tools,
# from the hashed lock file (`make lock` writes it from pyproject.toml's ranges).
set -euo pipefail
venv="${1:-.venv}"

find_python() {
    for candidate in "${PYTHON:-}" python3.13; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; assert sys.version_info >= (3, 13)' 2>/dev/null; then
            echo "$candidate"; return
        fi
    done
    # pyenv keeps 3.13 installed but not selected on some machines.
    if command -v pyenv >/dev/null 2>&1; then
        version=$(pyenv versions --bare | grep -E '^3\.13' | tail -n 1 || true)
        if [ -n "$version" ]; then
            echo "$(pyenv root)/versions/$version/bin/python3.13"; return
        fi
    fi
    echo "Python 3.13 is required; set PYTHON=/path/to/python3.13" >&2
    exit 1
}

if [ ! -x "$venv/bin/python" ]; then
    "$(find_python)" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# The pinned set (requirements/test.txt, every file's hash checked), then the project itself.
"$venv/bin/python" -m pip install --quiet --require-hashes -r requirements/test.txt
"$venv/bin/python" -m pip install --quiet --no-deps -e .
# The desktop app (desktop/, its own package: PySide6 and keyring come from the lock above).
"$venv/bin/python" -m pip install --quiet --no-deps -e ./desktop
