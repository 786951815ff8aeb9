"""Helpers for the tests that need a PostgreSQL server: where it is, and a schema per test.

The server is ``$CONFLICT_LEDGER_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``,
the development and CI machines' server). When none answers, the tests that need one are
skipped with a message saying how to point them at one; with
``CONFLICT_LEDGER_REQUIRE_PG=1`` (as ``.ci/run`` sets) they fail instead.

Every test works in schemas of its own (:func:`schema_url`), dropped by :func:`drop_schemas`.
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

URL_VARIABLE = "CONFLICT_LEDGER_PG_URL"
REQUIRE_VARIABLE = "CONFLICT_LEDGER_REQUIRE_PG"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/test"

_counter = itertools.count()
_created: list[str] = []


@functools.cache
def _probe() -> tuple[str | None, str]:
    """The server's URL if one answers, else None and why not."""
    url = os.environ.get(URL_VARIABLE, DEFAULT_URL)
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed (pip install -e '.[dev]')"
    try:
        with psycopg.connect(url, connect_timeout=3, autocommit=True) as db:
            db.execute("SELECT 1")
    except psycopg.Error as error:
        return None, f"no PostgreSQL server answers at {url} ({' '.join(str(error).split())[:160]})"
    return url, ""


def base_url() -> str:
    """The server's URL, or skip (fail, when it is required) the calling test."""
    url, why = _probe()
    if url is not None:
        return url
    message = (
        f"{why}. Point the PostgreSQL tests at a server with {URL_VARIABLE}="
        f"postgresql://USER@HOST:PORT/DB (a database where USER may create schemas)"
    )
    if os.environ.get(REQUIRE_VARIABLE) == "1":
        pytest.fail(f"{REQUIRE_VARIABLE}=1 but {message}", pytrace=False)
    pytest.skip(message)
    raise AssertionError("unreachable")  # pragma: no cover


def new_schema() -> str:
    """A schema name no other test (or process) uses; remembered for :func:`drop_schemas`."""
    name = f"cl_test_{os.getpid()}_{next(_counter)}"
    _created.append(name)
    return name


def schema_url(ledger: str = "main", *, schema: str | None = None) -> str:
    """A ledger URL in a new schema (or in ``schema``)."""
    base = base_url()
    schema = schema or new_schema()
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}ledger={ledger}&schema={schema}"


def connect(url: str | None = None) -> Any:
    """A plain autocommit psycopg connection to the server (as the test's superuser)."""
    import psycopg

    return psycopg.connect(url or base_url(), autocommit=True)


def drop_schemas() -> None:
    """Drop every schema this process created."""
    if not _created or _probe()[0] is None:
        return
    with connect() as db:
        while _created:
            db.execute(f'DROP SCHEMA IF EXISTS "{_created.pop()}" CASCADE')


@contextmanager
def roles(*names: str) -> Iterator[tuple[str, ...]]:
    """Cluster roles named uniquely for this process, dropped (with what they own) after."""
    unique = tuple(f"{name}_{os.getpid()}" for name in names)
    with connect() as db:
        try:
            yield unique
        finally:
            for role in unique:
                if _exists(db, role):
                    db.execute(f"DROP OWNED BY {role} CASCADE")
                db.execute(f"DROP ROLE IF EXISTS {role}")


def _exists(db: Any, role: str) -> bool:
    return bool(db.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone())


def wait_until_gone(application: str, *, timeout: float = 30.0) -> None:
    """Wait until the server has ended every session named ``application`` (a killed
    client's transaction is then committed or rolled back for good)."""
    deadline = time.monotonic() + timeout
    with connect() as db:
        while time.monotonic() < deadline:
            sql = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s"
            if db.execute(sql, (application,)).fetchone()[0] == 0:
                return
            time.sleep(0.01)
    raise AssertionError(f"the server still runs a session named {application!r}")


def server_binaries() -> dict[str, str] | None:
    """Paths of ``initdb``, ``pg_ctl`` and ``postgres`` when installed, else None."""
    found = {name: shutil.which(name) for name in ("initdb", "pg_ctl", "postgres")}
    if any(path is None for path in found.values()):
        return None
    return {name: str(path) for name, path in found.items()}


def full_trials() -> bool:
    """Whether to run the full crash and concurrency counts (``CONFLICT_LEDGER_FULL_TRIALS=1``,
    as ``.ci/run`` sets); otherwise smaller counts keep a developer's run short."""
    return os.environ.get("CONFLICT_LEDGER_FULL_TRIALS") == "1"
