"""A corpus of malformed inputs, fed to the Python API and to the command line (a printed table).

    python benchmarks/malformed.py                 # 5,000+ inputs (a few minutes)
    python benchmarks/malformed.py --size 600      # quick look
    python benchmarks/malformed.py --subprocess 40 # also run 40 of them through a real process

Every input is made from a good file by one named kind of damage, drawn with a fixed
seed: the seed claims file and claims files of ledgers from ``generate.py``, and JSON
Lines and SQLite ledgers written from them. The kinds are the ones issue 14 lists (invalid
UTF-8, lone surrogates, non-string names, lists and objects where a string belongs,
integers over 4,300 digits, deep nesting, out-of-range and impossible dates, NaN,
Infinity and booleans where numbers belong, windows ending before they start, misspelt
and unknown fields, a string as ``aliases``, values outside their set, unknown
references, missing fields, broken JSON and headers) plus random damage: bytes flipped,
cut, inserted or deleted anywhere in a claims file or a ledger.

For each input the table counts:

* typed (API): ``read_claims_file`` / ``open_ledger`` + ``verify`` + ``snapshot`` raised a
  ``LedgerError``, or (random damage only) read a file the damage left valid;
* typed (CLI): the command (in process, ``conflict_ledger.cli.main``) exited 1 or 3 with
  one ``conflict-ledger: error:`` line, or 0 where the API accepted the file;
* tracebacks: "Traceback" on the command's stderr, or an exception escaping ``main``;
* invalid accepted: a targeted (invalid by construction) input that was read anyway;
* line named: the error names the damaged line (so every good line before it was read).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from conflict_ledger.asof import snapshot  # noqa: E402
from conflict_ledger.cli import main as cli_main  # noqa: E402
from conflict_ledger.codec import open_ledger  # noqa: E402
from conflict_ledger.errors import InvalidBatchError, LedgerError  # noqa: E402
from conflict_ledger.ledger import fixed_clock  # noqa: E402
from conflict_ledger.saving import save_claims_file, save_ledger  # noqa: E402

SEED_FILE = ROOT / "seeds" / "dawn-2024-12-07.claims.jsonl"
AT = "2024-12-07T00:00Z"
RANDOM_KINDS = ("random byte flips", "random cut", "random insertion", "store damage")


@attrs.frozen
class Input:
    """One malformed input: its kind, its bytes, the file suffix, the damaged line."""

    kind: str
    data: bytes
    suffix: str = ".claims.jsonl"
    line: int | None = None  # 1-based; None when damage is not one line's


@attrs.frozen
class Base:
    """A good claims file, split into lines, with where its claims and values are."""

    name: str
    lines: tuple[bytes, ...]
    claims: tuple[int, ...]
    values: tuple[int, ...]

    @classmethod
    def of(cls, name: str, data: bytes) -> Base:
        lines = tuple(data.rstrip(b"\n").split(b"\n"))
        claims = tuple(i for i, line in enumerate(lines) if b'"record":"claim"' in line)
        values = tuple(
            i
            for i, line in enumerate(lines)
            if i and b'"record":"claim"' not in line and b'"record":"document"' not in line
        )
        return cls(name=name, lines=lines, claims=claims, values=values)

    def with_line(self, index: int, line: bytes) -> bytes:
        lines = list(self.lines)
        lines[index] = line
        return b"\n".join(lines) + b"\n"


# -- targeted damage: each function returns (line index, new line bytes) -------------------

Record = dict[str, Any]
Mutation = Callable[[random.Random, Record], bytes]

NAME_FIELDS = (("id",), ("event", "actor"), ("event", "type"), ("source", 0, "source"))
STRING_FIELDS = (*NAME_FIELDS, ("note",), ("modality",), ("valid", "precision"))
INSTANTS = (("valid", "start"), ("valid", "end"), ("reported_at",))
BAD_INSTANTS = (
    "10000-01-01T00:00:00+00:00",
    "0000-12-31T00:00:00+00:00",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:00:00-05:00",
    "2024-02-30T00:00:00+00:00",
    "2024-13-01T00:00:00+00:00",
    "2024-12-07T25:00:00+00:00",
    "2024-12-07T00:00:00",
    "yesterday",
    "",
)
TYPOS = {
    "supersedes": "supercedes",
    "modality": "modallity",
    "credibility": "credability",
    "reported_at": "reportedAt",
    "evidence": "evidance",
    "note": "notes",
}


def _dumps(record: Record) -> bytes:
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


def _set(record: Record, path: tuple[Any, ...], value: Any) -> None:
    target: Any = record
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _raw(record: Record, path: tuple[Any, ...], text: str) -> bytes:
    """The record with the value at ``path`` replaced by raw JSON text."""
    marker = "@@RAW@@"
    _set(record, path, marker)
    return _dumps(record).replace(f'"{marker}"'.encode(), text.encode())


def _invalid_utf8(rng: random.Random, record: Record) -> bytes:
    line = _dumps(record)
    where = line.index(b'"id":"') + 6
    bad = rng.choice([b"\xff", b"\xc3\x28", b"\xe2\x82", b"\xed\xa0\x80", b"\xf8\x88\x80\x80"])
    return line[:where] + bad + line[where:]


def _lone_surrogate(rng: random.Random, record: Record) -> bytes:
    path = rng.choice([("note",), ("id",), ("event", "actor"), ("source", 0, "source")])
    _set(record, path, "x" + chr(rng.randrange(0xD800, 0xE000)))
    return json.dumps(record).encode()  # ASCII, the surrogate as a \\u escape


def _non_string_name(rng: random.Random, record: Record) -> bytes:
    _set(record, rng.choice(NAME_FIELDS), rng.choice([7, 2.5, True, None, -1]))
    return _dumps(record)


def _container_for_string(rng: random.Random, record: Record) -> bytes:
    value = rng.choice([["homs"], {"name": "homs"}, [], {}, [["a"]]])
    _set(record, rng.choice(STRING_FIELDS), value)
    return _dumps(record)


def _huge_integer(rng: random.Random, record: Record) -> bytes:
    digits = "9" * rng.randrange(4_301, 20_000)
    return _raw(record, rng.choice([("credibility",), ("event", "place"), ("id",)]), digits)


def _deep_nesting(rng: random.Random, record: Record) -> bytes:
    depth = rng.randrange(1_000, 200_000)
    opener, closer = rng.choice([("[", "]"), ('{"a":', "}")])
    return _raw(
        record,
        rng.choice([("note",), ("event",), ("valid",)]),
        opener * depth + "1" + closer * depth,
    )


def _bad_date(rng: random.Random, record: Record) -> bytes:
    if rng.random() < 0.2:
        record["source"][0]["said_on"] = rng.choice(
            ["2024-13-01", "2024-02-30", "0000-01-01", 20241207]
        )
        return _dumps(record)
    _set(record, rng.choice(INSTANTS), rng.choice(BAD_INSTANTS))
    return _dumps(record)


def _not_a_number(rng: random.Random, record: Record) -> bytes:
    text = rng.choice(["NaN", "Infinity", "-Infinity", "true", "false", "2.5", "1e3", '"3"'])
    if rng.random() < 0.5 or record.get("evidence") is None:
        return _raw(record, ("credibility",), text)
    record["evidence"]["spans"] = [["@@S@@", 5]]
    return _dumps(record).replace(b'"@@S@@"', text.encode())


def _end_before_start(rng: random.Random, record: Record) -> bytes:
    valid = record["valid"]
    start = valid["start"]
    year = int(start[:4])
    valid["end"] = f"{year - rng.randrange(1, 5)}{start[4:]}"
    return _dumps(record)


def _misspelt_field(rng: random.Random, record: Record) -> bytes:
    key = rng.choice([k for k in TYPOS if k in record])
    return _dumps({(TYPOS[key] if k == key else k): v for k, v in record.items()})


def _unknown_field(rng: random.Random, record: Record) -> bytes:
    target = rng.choice([record, record["event"], record["valid"], record["source"][0]])
    target[rng.choice(["extra", "comment", "confidence", "tags", "_id"])] = rng.choice(
        [1, "x", None]
    )
    return _dumps(record)


def _bad_enum(rng: random.Random, record: Record) -> bytes:
    path = rng.choice(
        [("modality",), ("valid", "precision"), ("source", 0, "role"), ("event", "type")]
    )
    _set(record, path, rng.choice(["maybe", "Asserted", "fortnight", "witness", "teleported", ""]))
    return _dumps(record)


def _unknown_reference(rng: random.Random, record: Record) -> bytes:
    choice = rng.randrange(3)
    if choice == 0:
        record["source"][0]["source"] = f"no-such-source-{rng.randrange(1000)}"
    elif choice == 1:
        record["supersedes"] = f"no-such-claim-{rng.randrange(1000)}"
    else:
        event = record["event"]
        field = next((f for f in ("place", "destination", "actor", "by") if f in event), "place")
        event[field] = f"atlantis-{rng.randrange(1000)}"
    return _dumps(record)


def _missing_field(rng: random.Random, record: Record) -> bytes:
    path = rng.choice(
        [
            ("id",),
            ("event",),
            ("valid",),
            ("reported_at",),
            ("source",),
            ("valid", "start"),
            ("event", "type"),
        ]
    )
    target: Any = record
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return _dumps(record)


def _broken_json(rng: random.Random, record: Record) -> bytes:
    line = _dumps(record)
    return rng.choice(
        [
            line[: rng.randrange(1, len(line) - 1)],
            line + b",",
            b"",
            b"[" + line + b"]",
            b'"' + line.replace(b'"', b"'") + b'"',
            line.replace(b'"modality"', b'"modality":"x","modality"', 1),
            b'{"record":"claims"}',
            b"null",
        ]
    )


TARGETED: dict[str, Mutation] = {
    "invalid UTF-8": _invalid_utf8,
    "lone surrogate": _lone_surrogate,
    "non-string name": _non_string_name,
    "list or object for a string": _container_for_string,
    "integer over 4,300 digits": _huge_integer,
    "deep nesting": _deep_nesting,
    "out-of-range or impossible date": _bad_date,
    "NaN, Infinity, boolean for a number": _not_a_number,
    "end before start": _end_before_start,
    "misspelt field": _misspelt_field,
    "unknown field": _unknown_field,
    "value outside its set": _bad_enum,
    "unknown reference": _unknown_reference,
    "missing field": _missing_field,
    "broken JSON": _broken_json,
}


def _aliases_string(rng: random.Random, base: Base) -> Input:
    index = rng.choice(base.values)
    record = json.loads(base.lines[index])
    record["aliases"] = rng.choice(["Thomson Reuters", "a, b", "x"])
    return Input("string as aliases", base.with_line(index, _dumps(record)), line=index + 1)


def _bad_header(rng: random.Random, base: Base) -> Input:
    header = json.loads(base.lines[0])
    change = rng.randrange(5)
    if change == 0:
        header["version"] = rng.choice([2, 0, True, "1", 1.0, None])
    elif change == 1:
        header["format"] = rng.choice(["conflict-ledger/ledger", "claims", None])
    elif change == 2:
        header["gazetteer"] = rng.choice(["mars", 7, ["syria"]])
    elif change == 3:
        header["record"] = "claim"
    else:
        return Input("bad header", b"", line=1)
    return Input("bad header", base.with_line(0, _dumps(header)), line=1)


# -- random damage ---------------------------------------------------------------------------


def _random_damage(rng: random.Random, data: bytes) -> tuple[str, bytes]:
    data = bytearray(data)
    kind = rng.choice(RANDOM_KINDS[:3])
    if kind == "random byte flips":
        for _ in range(rng.randrange(1, 4)):
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    elif kind == "random cut":
        start = rng.randrange(len(data))
        del data[start : start + rng.randrange(1, 200)]
    else:
        at = rng.randrange(len(data))
        data[at:at] = rng.randbytes(rng.randrange(1, 16))
    return kind, bytes(data)


# -- the corpus ------------------------------------------------------------------------------


def bases(generated: int = 3, claims: int = 40) -> list[tuple[Base, Any]]:
    """The seed claims file and ``generated`` claims files of generated ledgers, with their ledgers."""
    from generate import generate

    from conflict_ledger.seed import load_seed

    found = [(Base.of("seed", SEED_FILE.read_bytes()), load_seed())]
    folder = Path(tempfile.mkdtemp(prefix="malformed-"))
    for number in range(generated):
        ledger = generate(claims=claims, places=12, seed=number).ledger
        path = folder / f"g{number}.claims.jsonl"
        save_claims_file(ledger, path)
        found.append((Base.of(f"generated {number}", path.read_bytes()), ledger))
    return found


def corpus(size: int, *, seed: int = 14, generated: int = 3) -> Iterator[Input]:
    """``size`` malformed inputs, about 3/4 targeted and 1/4 random damage."""
    rng = random.Random(seed)
    made = bases(generated)
    stores = _store_files(made)
    kinds = [*TARGETED, "string as aliases", "bad header"]
    for number in range(size):
        base, _ = rng.choice(made)
        if number % 4 == 3:
            if rng.random() < 0.3:
                suffix, data = rng.choice(stores)
                yield Input("store damage", _damage_store(rng, data), suffix=suffix)
            else:
                kind, data = _random_damage(rng, b"\n".join(base.lines) + b"\n")
                yield Input(kind, data)
            continue
        kind = kinds[number % len(kinds)]
        if kind == "string as aliases":
            yield _aliases_string(rng, base)
        elif kind == "bad header":
            yield _bad_header(rng, base)
        else:
            index = rng.choice(base.claims)
            record = json.loads(base.lines[index])
            yield Input(kind, base.with_line(index, TARGETED[kind](rng, record)), line=index + 1)


def _store_files(made: list[tuple[Base, Any]]) -> list[tuple[str, bytes]]:
    folder = Path(tempfile.mkdtemp(prefix="malformed-stores-"))
    files = []
    for number, (_, ledger) in enumerate(made[:2]):
        for suffix in (".jsonl", ".sqlite"):
            path = folder / f"s{number}{suffix}"
            save_ledger(ledger, path)
            files.append((suffix, path.read_bytes()))
    return files


def _damage_store(rng: random.Random, data: bytes) -> bytes:
    damaged = bytearray(data)
    if rng.random() < 0.2:
        return bytes(damaged[: rng.randrange(len(damaged))])
    for _ in range(rng.randrange(1, 6)):
        damaged[rng.randrange(len(damaged))] ^= 1 << rng.randrange(8)
    return bytes(damaged)


# -- running ---------------------------------------------------------------------------------


@attrs.frozen
class Outcome:
    """What the API and the command line did with one input."""

    kind: str
    api: str  # "typed", "accepted" or "untyped: <type>"
    cli: str  # "typed", "ok", "internal", "traceback"
    named_line: bool | None


def _api(path: Path) -> tuple[str, BaseException | None]:
    try:
        with open_ledger(path, clock=fixed_clock(AT)) as ledger:
            ledger.verify()
            snapshot(ledger, at=AT)
    except LedgerError as error:
        return "typed", error
    except Exception as error:  # what the corpus is here to find
        return f"untyped: {type(error).__name__}: {str(error)[:80]}", error
    return "accepted", None


def _first_line(error: BaseException | None) -> int | None:
    if isinstance(error, InvalidBatchError):
        return _first_line(error.exceptions[0])
    line = getattr(error, "line", None)
    return line if isinstance(line, int) else None


COMMANDS = (
    ("snapshot", "{}", "--at", "2024-12-07"),
    ("timeline", "{}", "homs"),
    ("explain", "{}", "homs", "--at", "2024-12-07"),
    ("export", "{}", "--as", "acled"),
    ("verify", "{}"),
    ("diff", "{}", "--at", "2024-12-06"),
)


def _cli(path: Path, number: int) -> str:
    argv = [part.replace("{}", str(path)) for part in COMMANDS[number % len(COMMANDS)]]
    if argv[0] == "verify" and path.name.endswith(".claims.jsonl"):
        argv = ["snapshot", str(path), "--at", "2024-12-07"]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(argv)
    except BaseException:  # escaping main is what a user would see as a traceback
        return "traceback"
    text = err.getvalue()
    if "Traceback" in text:
        return "traceback"
    if code == 0:
        return "ok"
    if (
        code in (1, 3)
        and text.startswith("conflict-ledger: error: ")
        and "internal error" not in text
    ):
        return "typed"
    return "internal"


def run(inputs: Iterator[Input], folder: Path) -> list[Outcome]:
    """Feed every input to the API and to the command line; return what each did."""
    outcomes = []
    for number, item in enumerate(inputs):
        path = folder / f"input-{number}{item.suffix}"
        path.write_bytes(item.data)
        api, error = _api(path)
        cli = _cli(path, number)
        named = None if item.line is None or api != "typed" else _first_line(error) == item.line
        outcomes.append(Outcome(kind=item.kind, api=api, cli=cli, named_line=named))
        path.unlink()
        for side in folder.glob(f"input-{number}*"):
            side.unlink()
    return outcomes


@attrs.frozen
class Figures:
    """The corpus's figures, per kind and in total."""

    inputs: int
    typed_api: int
    typed_cli: int
    tracebacks: int
    invalid_accepted: int
    named: int
    lined: int
    untyped: tuple[str, ...]


def figures(outcomes: list[Outcome]) -> dict[str, Figures]:
    """Figures per kind, and under "all"."""
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        groups[outcome.kind].append(outcome)
        groups["all"].append(outcome)
    table = {}
    for kind, items in groups.items():
        random_kind = lambda o: o.kind in RANDOM_KINDS  # noqa: E731
        table[kind] = Figures(
            inputs=len(items),
            typed_api=sum(
                o.api == "typed" or (o.api == "accepted" and random_kind(o)) for o in items
            ),
            typed_cli=sum(
                o.cli == "typed" or (o.cli == "ok" and o.api == "accepted") for o in items
            ),
            tracebacks=sum(o.cli == "traceback" for o in items),
            invalid_accepted=sum(o.api == "accepted" and not random_kind(o) for o in items),
            named=sum(o.named_line is True for o in items),
            lined=sum(o.named_line is not None for o in items),
            untyped=tuple(sorted({o.api for o in items if o.api.startswith("untyped")})),
        )
    return table


def _percent(part: int, whole: int) -> str:
    return "-" if not whole else f"{100 * part / whole:.1f}%"


def render(table: dict[str, Figures], outcomes: list[Outcome]) -> str:
    header = f"{'kind of damage':38} {'inputs':>6} {'typed API':>9} {'typed CLI':>9} {'tracebacks':>10} {'invalid accepted':>16} {'bad line named':>14}"
    lines = [header, "-" * len(header)]
    for kind in [*sorted(k for k in table if k != "all"), "all"]:
        f = table[kind]
        lines.append(
            f"{kind:38} {f.inputs:6d} {_percent(f.typed_api, f.inputs):>9} "
            f"{_percent(f.typed_cli, f.inputs):>9} {f.tracebacks:10d} {f.invalid_accepted:16d} "
            f"{_percent(f.named, f.lined):>14}"
        )
    accepted = Counter(o.kind for o in outcomes if o.api == "accepted")
    if accepted:
        lines.append(
            "read without error, random damage that left a valid file (a letter changed in a "
            "note, a line no claim needs cut out, a byte of SQLite free space, a JSON Lines "
            "ledger cut short: its whole batches kept, the torn tail reported by verify_ledger "
            "and the CLI's verify): " + ", ".join(f"{k} {n}" for k, n in sorted(accepted.items()))
        )
    untyped = table["all"].untyped
    lines.append("untyped errors: " + ("; ".join(untyped) if untyped else "none"))
    return "\n".join(lines)


def in_subprocesses(inputs: list[Input], folder: Path) -> int:
    """Run inputs through a real ``python -m conflict_ledger.cli``; return the tracebacks."""
    tracebacks = 0
    for number, item in enumerate(inputs):
        path = folder / f"proc-{number}{item.suffix}"
        path.write_bytes(item.data)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "conflict_ledger.cli",
                "snapshot",
                str(path),
                "--at",
                "2024-12-07",
            ],
            capture_output=True,
            text=True,
            errors="replace",
            check=False,
        )
        tracebacks += "Traceback" in done.stderr
    return tracebacks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5_200, help="how many inputs (default 5,200)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--subprocess", type=int, default=0, help="also run N in real processes")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    folder = Path(tempfile.mkdtemp(prefix="malformed-run-"))
    inputs = list(corpus(args.size, seed=args.seed))
    outcomes = run(iter(inputs), folder)
    print(
        f"{len(outcomes):,} malformed inputs (seed {args.seed}), from the seed claims file "
        "and 3 generated ledgers; API = open_ledger + verify + snapshot, CLI = main() in process"
    )
    table = figures(outcomes)
    print(render(table, outcomes))
    failed = 0
    if args.subprocess:
        picked = random.Random(args.seed).sample(inputs, min(args.subprocess, len(inputs)))
        failed = in_subprocesses(picked, folder)
        print(f"real processes: {len(picked)} inputs, {failed} tracebacks")
    print(f"({time.perf_counter() - began:.0f} s)")
    every = table["all"]
    perfect = (
        every.typed_api == every.typed_cli == every.inputs
        and every.tracebacks == every.invalid_accepted == failed == 0
        and every.named == every.lined
    )
    if not perfect:  # CI runs this script: anything short of 100% typed fails it
        print("FAILED: not every input gave a typed error naming its line; see the table")
    return 0 if perfect else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
