"""A second independent check of conflict_ledger's signed checkpoints: the PyPI package
aics-tlog (0.2.1, a C2SP signed-note / tlog-checkpoint verifier; needs Python >= 3.12, so
it runs in its own environment, not the project's).

    python3.12 -m venv /tmp/tlog && /tmp/tlog/bin/pip install aics-tlog==0.2.1
    conflict-ledger keygen example.org/ledger --out k && conflict-ledger checkpoint L --sign k -o c
    /tmp/tlog/bin/python tests/data/note-interop/verify_with_aics_tlog.py k.pub c

Prints the checkpoint it read and exits 0 if the signature verifies, 1 if not. Run on
4 December 2026: a checkpoint signed by this library verified (log_ok True, the registry
line read as an extension line), and the same note with its size altered did not.
"""

import sys


def main(vkey_path: str, note_path: str) -> int:
    from aics_tlog.checkpoint import checkpoint_from_note, verify_checkpoint
    from aics_tlog.note import parse_note, parse_vkey

    with open(vkey_path, encoding="utf-8") as handle:
        key = parse_vkey(handle.read().strip())
    with open(note_path, encoding="utf-8") as handle:
        note = parse_note(handle.read())
    result = verify_checkpoint(note, key)
    print(checkpoint_from_note(note)[0])
    return 0 if result.log_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
