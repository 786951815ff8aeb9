#!/bin/sh
# The test command: set up the full development toolchain from nothing, then run the whole suite.
# pip runs again only when pyproject.toml changed (the stamp in .venv/ holds its checksum).
set -eu
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
WANT="$(cksum < pyproject.toml)"
if [ "$(cat .venv/.installed 2>/dev/null || true)" != "$WANT" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
    printf '%s\n' "$WANT" > .venv/.installed
fi
.venv/bin/python -m pytest "$@"
