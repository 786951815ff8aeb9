#!/bin/sh
# The main job: set up the library alone, replay the seed ledger, show the territorial snapshot.
# Answers print in Damascus time (--tz reads the times given and prints the times shown).
# It installs only conflict_ledger and its runtime dependencies (attrs, pendulum, rapidfuzz)
# into .venv-run/, and runs pip again only when pyproject.toml changed (the stamp holds its
# checksum; the install is editable, so a change to the code needs no reinstall).
# The development toolchain (pytest, mypy, pandas, matplotlib, mkdocs...) is test.sh's.
set -eu
cd "$(dirname "$0")"
VENV=.venv-run
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
WANT="$(cksum < pyproject.toml)"
if [ "$(cat "$VENV/.installed" 2>/dev/null || true)" != "$WANT" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e .
    printf '%s\n' "$WANT" > "$VENV/.installed"
fi
SEED=seeds/dawn-2024-12-07.claims.jsonl
"$VENV/bin/conflict-ledger" snapshot "$SEED" --at 2024-12-07 --tz Asia/Damascus
echo
"$VENV/bin/conflict-ledger" timeline "$SEED" deir-ez-zor --tz Asia/Damascus
echo
"$VENV/bin/conflict-ledger" explain "$SEED" homs --at "2024-12-06 20:00" --tz Asia/Damascus --known-at "2024-12-07 12:00"
