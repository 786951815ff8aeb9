#!/bin/sh
# The main job: set up from nothing, replay the seed ledger, show the territorial snapshot.
# Answers print in Damascus time (--tz reads the times given and prints the times shown).
set -eu
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
SEED=seeds/dawn-2024-12-07.claims.jsonl
.venv/bin/conflict-ledger snapshot "$SEED" --at 2024-12-07 --tz Asia/Damascus
echo
.venv/bin/conflict-ledger timeline "$SEED" deir-ez-zor --tz Asia/Damascus
echo
.venv/bin/conflict-ledger explain "$SEED" homs --at "2024-12-06 20:00" --tz Asia/Damascus --known-at "2024-12-07 12:00"
