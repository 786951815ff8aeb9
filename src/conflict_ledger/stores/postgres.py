"""The PostgreSQL store: a team's shared ledger on a server (psycopg 3, the ``postgres`` extra).

Several ledgers live in one database: every table is keyed by the ledger's name, in a
schema of its own (``conflict_ledger`` unless the URL says ``schema=``)::

    postgresql://alice@db.newsroom.example/desk?ledger=syria

Writers on many machines append at once. Each batch is one transaction that first takes
a transaction-scoped advisory lock for its ledger, so every claim gets one position in one
total order, and the :class:`~conflict_ledger.ledger.Ledger` re-reads what others
committed before it numbers, hashes and Merkle-chains its own records (which is what keeps
``expected_size`` meaning what it means on a file). Batches go in with binary ``COPY``; a
killed writer or a restarted server leaves a batch wholly committed or not at all.

The database itself keeps the ledger append-only: triggers refuse UPDATE, DELETE and
TRUNCATE on every table, and a statement trigger refuses positions that do not follow on
from the ledger's last one. :func:`role_statements` gives the SQL of a writer role (SELECT
and INSERT only) and a reader role (SELECT only); docs/howto-team-postgres.md shows their
use.

Every committed batch announces the ledger's new size with ``NOTIFY``: a notebook calls
:meth:`PostgresStore.wait_for_appends` and then ``ledger.refresh()`` or
``index.refresh()``, which read only the records that are new.

No password appears in :attr:`PostgresStore.path` (used in every error message): keep
secrets in ``PGPASSWORD``, ``~/.pgpass`` or a ``PGSERVICE`` file, which libpq reads.

>>> redacted("postgresql://alice:s3cret@db/desk?ledger=syria&password=x")
'postgresql://alice:***@db/desk?ledger=syria&password=***'
"""

from __future__ import annotations

import hashlib
import re
import select
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from conflict_ledger.errors import InvalidClaimError, LedgerNotFoundError
from conflict_ledger.stores.base import (
    AppendOnlyError,
    ClaimIdTakenError,
    IntegrityError,
    ServerError,
    StorageError,
    StoredRecord,
    check_follows_on,
)

__all__ = [
    "CHANNEL",
    "DEFAULT_SCHEMA",
    "PostgresStore",
    "is_postgres_url",
    "redacted",
    "role_statements",
]

FORMAT = "conflict-ledger/postgres"
VERSION = "1"
DEFAULT_SCHEMA = "conflict_ledger"
CHANNEL = "conflict_ledger"
"""The ``LISTEN``/``NOTIFY`` channel; a payload is ``schema/ledger size``."""

CHUNK = 100_000
"""Claim records read by one COPY when opening."""

_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}")
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_SECRET_KEYS = frozenset({"password", "sslpassword"})
_OUR_KEYS = ("ledger", "schema")
_APPLICATION: dict[str, Any] = {"application_name": "conflict-ledger"}  # unless the URL names one

# {s} is the quoted schema. The append-only guard runs for everyone but a superuser who
# disables triggers (which `verify` against a published checkpoint then catches).
_SCHEMA_SQL = """
CREATE SCHEMA IF NOT EXISTS {s};
CREATE TABLE IF NOT EXISTS {s}.meta (
    ledger text NOT NULL, key text NOT NULL, value text NOT NULL,
    PRIMARY KEY (ledger, key));
CREATE TABLE IF NOT EXISTS {s}.claims (
    ledger text NOT NULL, position bigint NOT NULL CHECK (position >= 0),
    data bytea NOT NULL, hash bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (ledger, position));
CREATE TABLE IF NOT EXISTS {s}.vals (
    ledger text NOT NULL, seq bigint NOT NULL CHECK (seq >= 0),
    data bytea NOT NULL, hash bytea NOT NULL CHECK (length(hash) = 32),
    PRIMARY KEY (ledger, seq));
CREATE TABLE IF NOT EXISTS {s}.claim_ids (
    ledger text NOT NULL, claim_id text NOT NULL, position bigint NOT NULL,
    PRIMARY KEY (ledger, claim_id));
CREATE UNIQUE INDEX IF NOT EXISTS claim_ids_position ON {s}.claim_ids (ledger, position);
CREATE TABLE IF NOT EXISTS {s}.derived (
    ledger text NOT NULL, name text NOT NULL, data bytea NOT NULL,
    PRIMARY KEY (ledger, name));
CREATE OR REPLACE FUNCTION {s}.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE OR REPLACE FUNCTION {s}.claims_follow_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT ledger, min(position) AS lo, max(position) AS hi, count(*) AS n
                       FROM new_rows GROUP BY ledger) AS b
        WHERE b.n <> b.hi - b.lo + 1
           OR (b.lo > 0 AND NOT EXISTS (SELECT 1 FROM {s}.claims AS c
                                        WHERE c.ledger = b.ledger AND c.position = b.lo - 1))
           OR EXISTS (SELECT 1 FROM {s}.claims AS c
                      WHERE c.ledger = b.ledger AND c.position > b.hi)) THEN
        RAISE EXCEPTION 'append-only: a claim position out of sequence refused'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE FUNCTION {s}.vals_follow_on() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM (SELECT ledger, min(seq) AS lo, max(seq) AS hi, count(*) AS n
                       FROM new_rows GROUP BY ledger) AS b
        WHERE b.n <> b.hi - b.lo + 1
           OR (b.lo > 0 AND NOT EXISTS (SELECT 1 FROM {s}.vals AS v
                                        WHERE v.ledger = b.ledger AND v.seq = b.lo - 1))
           OR EXISTS (SELECT 1 FROM {s}.vals AS v WHERE v.ledger = b.ledger AND v.seq > b.hi))
    THEN
        RAISE EXCEPTION 'append-only: a value record out of sequence refused'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER claims_follow_on AFTER INSERT ON {s}.claims
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.claims_follow_on();
CREATE OR REPLACE TRIGGER vals_follow_on AFTER INSERT ON {s}.vals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.vals_follow_on();
"""
_GUARD_SQL = """
CREATE OR REPLACE TRIGGER {t}_no_change BEFORE UPDATE OR DELETE ON {s}.{t}
    FOR EACH ROW EXECUTE FUNCTION {s}.refuse_change();
CREATE OR REPLACE TRIGGER {t}_no_truncate BEFORE TRUNCATE ON {s}.{t}
    FOR EACH STATEMENT EXECUTE FUNCTION {s}.refuse_change();
"""
# The claim ids by position, for writers to refuse a duplicate without reading each other's
# records (see PostgresStore.guards_claim_ids); a schema made before it gets it this way.
_IDS_SQL = """
CREATE TABLE IF NOT EXISTS {s}.claim_ids (
    ledger text NOT NULL, claim_id text NOT NULL, position bigint NOT NULL,
    PRIMARY KEY (ledger, claim_id));
CREATE UNIQUE INDEX IF NOT EXISTS claim_ids_position ON {s}.claim_ids (ledger, position);
"""
# The ids of the records from where the index stops to ``stop`` (each read from the
# record's JSON by the server): records written by a copy or by an earlier version.
_FILL_IDS_SQL = """
INSERT INTO {s}.claim_ids (ledger, claim_id, position)
SELECT ledger, convert_from(data, 'UTF8')::jsonb #>> '{claim,id}', position
FROM {s}.claims
WHERE ledger = %s AND position < %s AND position >= (
    SELECT coalesce(max(position) + 1, 0) FROM {s}.claim_ids WHERE ledger = %s)
"""
_TABLES = ("meta", "claims", "vals", "claim_ids")
_FIRST_READ = 64  # records the first round trip of a read brings (then twice as many)


def is_postgres_url(name: str) -> bool:
    """Whether ``name`` is a PostgreSQL connection URL rather than a file path.

    >>> is_postgres_url("postgresql://db/desk?ledger=syria"), is_postgres_url("l.sqlite")
    (True, False)
    """
    return name.startswith(("postgresql://", "postgres://"))


def redacted(url: str) -> str:
    """``url`` with any password replaced by ``***``: safe to log and to show in errors."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        user, host = netloc.rsplit("@", 1)
        if ":" in user:
            user = user.split(":", 1)[0] + ":***"
        netloc = f"{user}@{host}"
    query = [(k, "***" if k in _SECRET_KEYS else v) for k, v in parse_qsl(parts.query, True)]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*")))


def _split_url(url: str) -> tuple[str, str, str]:
    """The libpq URL (without our parameters), the ledger's name and the schema."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    ours = {k: v for k, v in query if k in _OUR_KEYS}
    libpq = [(k, v) for k, v in query if k not in _OUR_KEYS]
    if "ledger" not in ours:
        raise InvalidClaimError(
            field="path",
            value=redacted(url),
            problem="a PostgreSQL URL names its ledger",
            hint="Add ?ledger=NAME, e.g. postgresql://user@host/db?ledger=syria.",
        )
    conninfo = urlunsplit(parts._replace(query=urlencode(libpq)))
    return conninfo, ours["ledger"], ours.get("schema", DEFAULT_SCHEMA)


def role_statements(
    *, schema: str = DEFAULT_SCHEMA, writer: str, reader: str, grants_only: bool = False
) -> list[str]:
    """The SQL that makes ``writer`` a role that may read and append (SELECT, INSERT) and
    ``reader`` one that may only read, on the ledgers in ``schema``. Run it as the owner,
    after the owner has opened a ledger there (which makes the tables).

    Give people login roles that are members of these (``CREATE ROLE alice LOGIN IN ROLE
    ledger_writer``). Neither role may UPDATE, DELETE or TRUNCATE; the triggers refuse
    those to the owner too. With ``grants_only``, only the GRANTs, for roles that exist:
    run them again after a newer version made a table (``claim_ids``, ``derived``).

    >>> role_statements(writer="ledger_writer", reader="ledger_reader")[2]
    'GRANT SELECT, INSERT ON conflict_ledger.meta, conflict_ledger.claims, conflict_ledger.vals, conflict_ledger.claim_ids TO ledger_writer'
    >>> role_statements(writer="w", reader="r", grants_only=True)[0]
    'GRANT USAGE ON SCHEMA conflict_ledger TO w'
    """
    for name in (schema, writer, reader):
        if not _SCHEMA_NAME.fullmatch(name):
            raise InvalidClaimError(
                field="role",
                value=name,
                problem="not a plain lower-case SQL name",
                hint="Use letters, digits and underscores.",
            )
    tables = ", ".join(f"{schema}.{t}" for t in _TABLES)
    statements = [
        f"CREATE ROLE {writer} NOLOGIN",
        f"GRANT USAGE ON SCHEMA {schema} TO {writer}",
        f"GRANT SELECT, INSERT ON {tables} TO {writer}",
        f"CREATE ROLE {reader} NOLOGIN",
        f"GRANT USAGE ON SCHEMA {schema} TO {reader}",
        f"GRANT SELECT ON {tables} TO {reader}",
        # data derived from the records (a saved index): replaced, never part of the ledger
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {schema}.derived TO {writer}",
        f"GRANT SELECT ON {schema}.derived TO {reader}",
    ]
    if grants_only:
        return [s for s in statements if not s.startswith("CREATE ROLE")]
    return statements


def _grants_hint(detail: str, writing: bool) -> str:
    """What to do about a permission the server refused (``detail``)."""
    again = "the owner runs the GRANTs of role_statements(..., grants_only=True) again"
    if "claim_ids" in detail:
        return f"This role's grants predate that table (made by a newer version): {again}."
    if "derived" in detail:
        return (
            "Saving an index needs the writer role's grants on the derived table (for "
            f"roles made before it, {again}; docs/howto-team-postgres.md)."
        )
    if writing:
        return "This role may not do that: appending needs the writer role (docs/howto-team-postgres.md)."
    return "This role may not read this ledger: reading needs the reader role (docs/howto-team-postgres.md)."


class PostgresStore:
    """One ledger's claim and value records in a PostgreSQL database.

    ``url`` is a libpq connection URL that names the ledger (``?ledger=syria``) and,
    optionally, the schema (``&schema=...``). ``meta`` is recorded when the ledger is
    created (e.g. ``{"gazetteer": "syria"}``); with ``create=False`` a ledger the database
    does not hold is an error. See the module docstring.
    """

    def __init__(
        self,
        url: str,
        *,
        meta: dict[str, str] | None = None,
        create: bool = True,
        connect_timeout: int = 10,
    ) -> None:
        self.path = redacted(url)
        conninfo, self.ledger, self.schema = _split_url(url)
        for field, value, pattern in (
            ("ledger", self.ledger, _NAME),
            ("schema", self.schema, _SCHEMA_NAME),
        ):
            if not pattern.fullmatch(value):
                raise InvalidClaimError(
                    field=field,
                    value=value,
                    problem=f"not a {field} name this store accepts",
                    hint="Use letters, digits, '_', '-' or '.' (schema: lower case, digits, '_').",
                )
        self._conninfo = conninfo
        self._timeout = connect_timeout
        self._writing = False
        self._seen = 0  # the largest size this store wrote or was told about
        self._ids: bool | None = None  # whether the schema has claim_ids (None: not looked)
        self._ids_read = False  # and whether this role may read it
        self._ids_made = False  # claim_ids was made in the open batch (undone with it)
        self._db: Any = None
        self._connect()
        try:
            self._create(meta or {}, create=create)
        except BaseException:
            self.close()
            raise

    # -- connection and errors ------------------------------------------------------------

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError(
                "a PostgreSQL ledger needs psycopg: pip install 'conflict-ledger[postgres]'"
            ) from None
        with self._errors(writing=False):
            named = {} if "application_name=" in self._conninfo else _APPLICATION
            self._db = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=self._timeout, **named
            )
            self._db.execute(f"LISTEN {CHANNEL}")
        return self._db

    def _connection(self) -> Any:
        """The open connection, reconnecting after a restarted server or a lost link
        (never inside a batch: its transaction, and its lock, went with the old link)."""
        if self._db is None or self._db.closed or self._db.broken:
            if self._writing:
                raise StorageError(path=self.path, detail="the connection was lost mid-batch")
            if self._db is not None:
                self._db.close()
            return self._connect()
        return self._db

    @contextmanager
    def _errors(self, *, writing: bool = True) -> Iterator[None]:
        """Turn psycopg's errors into the library's typed errors."""
        import psycopg

        try:
            yield
        except psycopg.errors.RestrictViolation as error:
            detail = str(error.diag.message_primary or error)
            raise AppendOnlyError(
                path=self.path, detail=detail.removeprefix("append-only: ")
            ) from None
        except psycopg.errors.UniqueViolation as error:
            if error.diag.constraint_name == "claim_ids_pkey":
                raise ClaimIdTakenError(path=self.path) from None
            raise AppendOnlyError(
                path=self.path,
                detail=f"a position already taken refused ({error.diag.message_primary})",
            ) from None
        except psycopg.errors.NotNullViolation as error:  # a record without a claim id
            raise IntegrityError(
                path=self.path,
                problem=f"a claim record holds no claim id ({error.diag.message_primary})",
                hint="Run conflict-ledger verify on the ledger: it names the record.",
            ) from None
        except psycopg.errors.InsufficientPrivilege as error:
            detail = str(error.diag.message_primary or error)
            hint = _grants_hint(detail, writing)
            raise ServerError(path=self.path, detail=detail, hint=hint) from None
        except psycopg.errors.DiskFull as error:
            raise StorageError(path=self.path, detail=str(error).strip()) from None
        except psycopg.OperationalError as error:
            detail = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
            if writing:
                raise StorageError(path=self.path, detail=detail) from None
            raise ServerError(
                path=self.path,
                detail=detail,
                hint="Check that the server runs and the URL, PGPASSWORD or ~/.pgpass are right.",
            ) from None
        except psycopg.DatabaseError as error:
            raise ServerError(
                path=self.path,
                detail=str(error).strip(),
                hint="Check the ledger's schema and this role's grants.",
            ) from None

    def _sql(self, text: str) -> str:
        return text.replace("{s}", f'"{self.schema}"')

    def _create(self, meta: dict[str, str], *, create: bool) -> None:
        db = self._connection()
        with self._errors(writing=False):
            exists = db.execute(
                "SELECT to_regclass(%s) IS NOT NULL", (f'"{self.schema}".meta',)
            ).fetchone()[0]
            if not exists and create:
                with db.transaction():
                    db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (CHANNEL,))
                    db.execute(self._sql(_SCHEMA_SQL))
                    for table in _TABLES:
                        db.execute(self._sql(_GUARD_SQL.replace("{t}", table)))
            if not exists and not create:
                self._missing()
            settings = self.meta()
            if not settings:
                if not create:
                    self._missing()
                with db.transaction():
                    self._lock(db)
                    settings = self.meta()
                    if not settings:
                        settings = {"format": FORMAT, "version": VERSION, **meta}
                        with db.cursor() as cursor:
                            cursor.executemany(
                                self._sql(
                                    "INSERT INTO {s}.meta (ledger, key, value) VALUES (%s, %s, %s)"
                                ),
                                [(self.ledger, k, v) for k, v in settings.items()],
                            )
        if settings.get("format") != FORMAT:
            raise IntegrityError(path=self.path, problem=f"not a {FORMAT} ledger")

    def _missing(self) -> None:
        raise LedgerNotFoundError(
            path=self.path,
            problem=f"the database holds no ledger named {self.ledger!r} in schema {self.schema!r}",
        )

    def _lock(self, db: Any) -> None:
        """The ledger's advisory lock, held to the end of the transaction."""
        db.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), hashtext(%s))", (self.schema, self.ledger)
        )

    # -- reading --------------------------------------------------------------------------

    def _scalar(self, sql: str) -> int:
        db = self._connection()
        with self._errors(writing=self._writing):
            row = db.execute(self._sql(sql), (self.ledger,)).fetchone()
        return int(row[0])

    def size(self) -> int:
        """How many claim records are committed."""
        return self._scalar(
            "SELECT coalesce(max(position) + 1, 0) FROM {s}.claims WHERE ledger = %s"
        )

    def value_count(self) -> int:
        """How many value records are committed."""
        return self._scalar("SELECT coalesce(max(seq) + 1, 0) FROM {s}.vals WHERE ledger = %s")

    def _check(
        self, rows: Any, kind: str, start: int | None, *, in_sequence: bool = True
    ) -> Iterator[StoredRecord]:
        """``rows`` as checked records: each matching its SHA-256, and (``in_sequence``)
        each at the position after the one before, from ``start``."""
        sha256 = hashlib.sha256
        expected = start
        for position, data, digest in rows:
            if in_sequence and position != expected:
                raise IntegrityError(
                    path=self.path, position=expected, problem=f"{kind} record is missing"
                )
            expected = position + 1
            if sha256(data).digest() != digest:
                raise IntegrityError(
                    path=self.path,
                    position=position,
                    problem=f"the {kind} record does not match its SHA-256 (edited or corrupted)",
                )
            yield StoredRecord(position=position, data=data, hash=digest)

    def _copy_out(
        self, table: str, key: str, start: int, stop: int | None = None
    ) -> list[tuple[int, bytes, bytes]]:
        """Rows from ``start`` on (to ``stop``), by binary COPY (the fastest way out)."""
        db = self._connection()
        until = "" if stop is None else f"AND {key} < {int(stop)} "
        sql = self._sql(
            f"COPY (SELECT {key}, data, hash FROM {{s}}.{table} WHERE ledger = %s "
            f"AND {key} >= %s {until}ORDER BY {key}) TO STDOUT (FORMAT BINARY)"
        )
        with (
            self._errors(writing=self._writing),
            db.cursor() as cursor,
            cursor.copy(sql, (self.ledger, start)) as copy,
        ):
            copy.set_types(["int8", "bytea", "bytea"])
            return list(copy.rows())

    def records(self, start: int = 0) -> Iterator[StoredRecord]:
        """Claim records from ``start`` on, each checked against its hash: a few first
        (a reader after one record, a claim looked up by id, reads only those), then
        twice as many a round trip up to :data:`CHUNK`, so that a big ledger opens in
        bounded memory and few round trips."""
        size = _FIRST_READ
        while True:
            rows = self._copy_out("claims", "position", start, start + size)
            yield from self._check(rows, "claim", start)
            if len(rows) < size:
                return
            start += size
            size = min(size * 2, CHUNK)

    def records_at(self, positions: Sequence[int]) -> Iterator[StoredRecord]:
        """Claim records at ``positions`` (ascending), each checked against its hash, by
        their key (up to :data:`CHUNK` a round trip), not by reading the records between."""
        for begin in range(0, len(positions), CHUNK):
            chunk = [int(p) for p in positions[begin : begin + CHUNK]]
            db = self._connection()
            sql = self._sql(
                "COPY (SELECT position, data, hash FROM {s}.claims WHERE ledger = %s "
                "AND position = ANY(%s::int8[]) ORDER BY position) TO STDOUT (FORMAT BINARY)"
            )
            with (
                self._errors(writing=self._writing),
                db.cursor() as cursor,
                cursor.copy(sql, (self.ledger, chunk)) as copy,
            ):
                copy.set_types(["int8", "bytea", "bytea"])
                rows = list(copy.rows())
            yield from self._check(rows, "claim", None, in_sequence=False)

    def values(self, start: int = 0) -> Sequence[StoredRecord]:
        """Value records from ``start`` on, each checked against its hash."""
        return tuple(self._check(self._copy_out("vals", "seq", start), "value", start))

    def derived(self, name: str) -> bytes | None:
        """The data kept under ``name`` by :meth:`keep_derived` (None: nothing kept, or
        nothing this role may read)."""
        import psycopg

        db = self._connection()
        with self._errors(writing=self._writing):
            found = db.execute("SELECT to_regclass(%s)", (f'"{self.schema}".derived',)).fetchone()
            if found[0] is None:  # a schema made before derived data was kept
                return None
            try:
                with db.transaction():  # a savepoint inside a batch: a refusal undoes nothing
                    row = db.execute(
                        self._sql("SELECT data FROM {s}.derived WHERE ledger = %s AND name = %s"),
                        (self.ledger, name),
                    ).fetchone()
            except psycopg.errors.InsufficientPrivilege:
                return None  # grants that predate the table: the index is built from the records
        return None if row is None else bytes(row[0])

    def keep_derived(self, name: str, data: bytes) -> None:
        """Keep ``data``, derived from the records (a saved index), under ``name``,
        replacing what was kept there: not part of the ledger, and not append-only."""
        db = self._connection()
        with self._errors(), db.transaction():
            found = db.execute("SELECT to_regclass(%s)", (f'"{self.schema}".derived',)).fetchone()
            if found[0] is None:  # a schema made before derived data was kept: its owner
                db.execute(
                    self._sql(
                        "CREATE TABLE {s}.derived (ledger text NOT NULL, name text NOT NULL, "
                        "data bytea NOT NULL, PRIMARY KEY (ledger, name))"
                    )
                )
            db.execute(
                self._sql(
                    "INSERT INTO {s}.derived (ledger, name, data) VALUES (%s, %s, %s) "
                    "ON CONFLICT (ledger, name) DO UPDATE SET data = EXCLUDED.data"
                ),
                (self.ledger, name, data),
            )

    def meta(self) -> dict[str, str]:
        """The settings recorded when the ledger was created."""
        db = self._connection()
        with self._errors(writing=self._writing):
            rows = db.execute(
                self._sql("SELECT key, value FROM {s}.meta WHERE ledger = %s"), (self.ledger,)
            ).fetchall()
        return {str(k): str(v) for k, v in rows}

    # -- writing --------------------------------------------------------------------------

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One transaction holding the ledger's advisory lock: committed at the end of the
        block, rolled back on any error (nothing of the batch is then kept).

        ``BEGIN`` and the lock go in one round trip, and so do the announcement of the new
        size (``NOTIFY``) and ``COMMIT``: a one-claim append waits on the server as little
        as it can."""
        db = self._connection()
        self._pending = 0
        try:
            with self._errors():
                db.execute(self._begin_locked())
            self._writing = True
            yield
            with self._errors():
                db.execute(self._announce_and_commit())
        except BaseException:
            self._rollback(db)
            if self._ids_made:  # the index made in this batch went with it
                self._ids = None
            raise
        finally:
            self._writing = False
            self._ids_made = False
        self._seen = max(self._seen, self._pending)

    def _begin_locked(self) -> Any:
        from psycopg import sql

        return sql.SQL("BEGIN; SELECT pg_advisory_xact_lock(hashtext({}), hashtext({}))").format(
            sql.Literal(self.schema), sql.Literal(self.ledger)
        )

    def _announce_and_commit(self) -> Any:
        """``COMMIT``, after a ``NOTIFY`` of the new size when claims were written."""
        from psycopg import sql

        if not self._pending:
            return sql.SQL("COMMIT")
        payload = f"{self.schema}/{self.ledger} {self._pending}"
        return sql.SQL("NOTIFY {}, {}; COMMIT").format(
            sql.Identifier(CHANNEL), sql.Literal(payload)
        )

    def _rollback(self, db: Any) -> None:
        """Roll back what is open; a lost connection has already dropped it."""
        if db.closed or db.broken:
            return
        try:
            db.execute("ROLLBACK")
        except Exception:  # the server went away meanwhile: it dropped the transaction
            db.close()

    def write(self, records: Sequence[StoredRecord], values: Sequence[StoredRecord]) -> None:
        """Copy records and values into the open transaction (binary COPY)."""
        if not self._writing:
            raise RuntimeError("write() is only allowed inside writing()")
        db = self._connection()
        with self._errors(), db.cursor() as cursor:
            if values:
                check_follows_on(self.path, values, values[0].position)
                self._copy_in(cursor, "vals", "seq", values)
            if records:
                check_follows_on(self.path, records, records[0].position)
                self._copy_in(cursor, "claims", "position", records)
                self._pending = records[-1].position + 1  # announced at the commit
                if self._ids_table(db):  # a copy: the server reads each record's id
                    self._fill_ids(cursor, self._pending)

    def _copy_in(self, cursor: Any, table: str, key: str, rows: Sequence[StoredRecord]) -> None:
        sql = self._sql(
            f"COPY {{s}}.{table} (ledger, {key}, data, hash) FROM STDIN (FORMAT BINARY)"
        )
        with cursor.copy(sql) as copy:
            copy.set_types(["text", "int8", "bytea", "bytea"])
            ledger = self.ledger
            for row in rows:
                copy.write_row((ledger, row.position, row.data, row.hash))

    # -- claim ids ------------------------------------------------------------------------

    def claim_positions(self, claim_ids: Sequence[str]) -> tuple[dict[str, int], int] | None:
        """The positions of those of ``claim_ids`` in the ledger, by the server's index of
        claim ids (one round trip), and how many records from position 0 the index covers
        (fewer than the ledger holds after a copy or an earlier version's appends, until
        the next batch fills it in); None when the schema has no index of claim ids, or
        this role may not read it (grants that predate it)."""
        db = self._connection()
        with self._errors(writing=self._writing):
            self._ids_table(db)
            if not self._ids_read:  # no index, or grants that predate it: read the records
                return None
            rows = db.execute(
                self._sql(
                    "SELECT claim_id, position FROM {s}.claim_ids "
                    "WHERE ledger = %s AND claim_id = ANY(%s::text[]) "
                    "UNION ALL SELECT NULL, coalesce(max(position) + 1, 0) "
                    "FROM {s}.claim_ids WHERE ledger = %s"
                ),
                (self.ledger, list(claim_ids), self.ledger),
            ).fetchall()
        covered = 0
        found: dict[str, int] = {}
        for claim_id, position in rows:
            if claim_id is None:
                covered = int(position)
            else:
                found[str(claim_id)] = int(position)
        return found, covered

    def guards_claim_ids(self) -> bool:
        """Whether a batch written now is refused when it reuses a claim id
        (:meth:`write_claims`). Inside ``writing()``, a schema made by an earlier version
        gets its index of claim ids here, when this role may create tables (else False:
        the ledger then checks ids by reading the records, as before)."""
        import psycopg

        db = self._connection()
        with self._errors(writing=self._writing):
            if self._ids_table(db) or not self._writing or self._ids is False:
                return bool(self._ids)  # False: this role may not make it (asked once)
            try:
                with db.transaction():  # a savepoint: a refusal leaves the batch as it was
                    db.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (CHANNEL,))
                    db.execute(self._sql(_IDS_SQL))
                    db.execute(self._sql(_GUARD_SQL.replace("{t}", "claim_ids")))
            except psycopg.errors.InsufficientPrivilege:
                self._ids = False
                return False
        self._ids = self._ids_made = self._ids_read = True
        return True

    def _ids_table(self, db: Any) -> bool:
        """Whether the schema has the index of claim ids and this role may add to it (a
        role whose grants predate it appends without it: the next batch of a role that
        may fills it in); :attr:`_ids_read` says whether this role may read it."""
        if self._ids is None:
            table = f'"{self.schema}".claim_ids'
            found = db.execute(
                "SELECT to_regclass(%s) IS NOT NULL AND has_table_privilege(%s, 'SELECT'), "
                "to_regclass(%s) IS NOT NULL AND has_table_privilege(%s, 'INSERT')",
                (table, table, table, table),
            ).fetchone()
            self._ids_read = bool(found[0])
            if found[1]:
                self._ids = True
        return bool(self._ids)

    def write_claims(self, records: Sequence[StoredRecord], claim_ids: Sequence[str]) -> None:
        """Copy claim records and their claim ids (in the same order) into the open
        transaction: a claim id already in the ledger raises
        :class:`~conflict_ledger.stores.base.ClaimIdTakenError` and the batch is rolled
        back. Without an index of claim ids, as :meth:`write`."""
        if not records or not self.guards_claim_ids():
            self.write(records, ())
            return
        if len(claim_ids) != len(records):
            raise ValueError(f"{len(records)} records but {len(claim_ids)} claim ids")
        db = self._connection()
        with self._errors(), db.cursor() as cursor:
            first = records[0].position
            check_follows_on(self.path, records, first)
            self._fill_ids(cursor, first)
            sql = self._sql(
                "COPY {s}.claim_ids (ledger, claim_id, position) FROM STDIN (FORMAT BINARY)"
            )
            with cursor.copy(sql) as copy:
                copy.set_types(["text", "text", "int8"])
                ledger = self.ledger
                for offset, claim_id in enumerate(claim_ids):
                    copy.write_row((ledger, claim_id, first + offset))
            self._copy_in(cursor, "claims", "position", records)
            self._pending = records[-1].position + 1  # announced at the commit

    def _fill_ids(self, cursor: Any, stop: int) -> None:
        """The index of claim ids brought up to ``stop`` from the records themselves."""
        cursor.execute(self._sql(_FILL_IDS_SQL), (self.ledger, stop, self.ledger))

    # -- live -----------------------------------------------------------------------------

    def wait_for_appends(self, *, timeout: float) -> int | None:
        """Wait up to ``timeout`` seconds for another writer to commit to this ledger;
        return the size it announced, or None when nothing new came.

        Announcements that arrived meanwhile count at once. Then call ``refresh()`` on
        the ledger or the as-of index: it reads only the new records.
        """
        db = self._connection()
        prefix = f"{self.schema}/{self.ledger} "
        with self._errors(writing=False):
            for note in db.notifies(timeout=timeout):
                if not note.payload.startswith(prefix):
                    continue
                size = int(note.payload.removeprefix(prefix))
                if size > self._seen:
                    self._seen = size
                    self._drain(db, prefix)
                    return self._seen
        return None

    def _drain(self, db: Any, prefix: str) -> None:
        """Take any announcements already waiting, keeping the largest size."""
        if not select.select([db.fileno()], [], [], 0)[0]:
            return
        for note in db.notifies(timeout=0.0):
            if note.payload.startswith(prefix):
                self._seen = max(self._seen, int(note.payload.removeprefix(prefix)))

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        """Run one SQL statement (inspection and maintenance; ``{s}`` is the schema);
        returns its rows. What the triggers refuse raises
        :class:`~conflict_ledger.stores.base.AppendOnlyError`."""
        db = self._connection()
        with self._errors(), db.cursor() as cursor:
            cursor.execute(self._sql(sql), parameters)
            return list(cursor.fetchall()) if cursor.description else []

    def close(self) -> None:
        """Close the connection."""
        if self._db is not None:
            self._db.close()
