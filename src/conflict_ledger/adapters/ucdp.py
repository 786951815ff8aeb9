"""UCDP Georeferenced Event Dataset (GED) CSV files into a ledger.

Each GED event becomes one claim ``ucdp/<id>`` holding a
:class:`~conflict_ledger.adapters.dataset.DatasetEvent` (GED codes deadly violence, not
control, so the territorial projection leaves these claims aside):

* ``date_start`` to the end of ``date_end`` is the valid window, ``date_prec`` its
  precision (1 a day, 2 and 3 a week, 4 a month, 5 a year);
* ``source_original`` (the first teller: "SOHR", "local residents") are the origins,
  ``source_office`` (the outlets: "Reuters; AFP") the carriers, UCDP the publisher;
  the earliest ``source_date`` is when the origin spoke and the report time (the end
  of that day: the hour is not coded);
* ``where_coordinates`` is the place, at ``latitude``/``longitude``, its kind from
  ``where_prec``; ``side_a`` and ``side_b`` are the actors; ``best`` the fatalities.

Re-imports append corrections and never duplicate, rejected rows are reported with
their lines, as for ACLED (:mod:`~conflict_ledger.adapters.rows`).

>>> import io, conflict_ledger as cl
>>> from conflict_ledger.gazetteer import syria
>>> ledger = cl.Ledger(registries=syria(), clock=cl.fixed_clock("2024-12-20T00:00Z"))
>>> text = (
...     "id,type_of_violence,conflict_name,side_a,side_b,source_original,source_office,"
...     "source_date,where_prec,where_coordinates,latitude,longitude,date_prec,date_start,"
...     "date_end,best\\n"
...     "900001,1,Syria: Government,Government of Syria,Syrian insurgents,SOHR,Reuters;AFP,"
...     "2024-12-07;2024-12-08,1,Homs town,34.73,36.72,2,2024-12-04,2024-12-06,11\\n"
... )
>>> report = import_ucdp(ledger, io.StringIO(text), name="ged.csv")
>>> claim = ledger.claim("ucdp/900001")
>>> claim.valid.precision, claim.valid.end, claim.reported_at
(<Precision.DAYS: 'days'>, DateTime(2024, 12, 7, 0, 0, 0, tzinfo=Timezone('UTC')), DateTime(2024, 12, 8, 0, 0, 0, tzinfo=Timezone('UTC')))
>>> claim.source.source_ids(), str(claim.source.links[0].said_on)
(('sohr', 'reuters', 'afp', 'ucdp'), '2024-12-07')
"""

from __future__ import annotations

import datetime as _dt
import os
import re
from collections.abc import Iterator, Mapping
from typing import IO

import attrs
import pendulum

from conflict_ledger.adapters.dataset import DatasetEvent
from conflict_ledger.adapters.placing import Placer
from conflict_ledger.adapters.rows import (
    Candidate,
    ImportReport,
    Registrar,
    RowError,
    RowProblem,
    append_candidates,
    collect_rows,
    source_name,
)
from conflict_ledger.adapters.tables import Table, read_table
from conflict_ledger.claims import Claim, SourceChain, SourceLink, SourceRole
from conflict_ledger.errors import DatasetFileError, LedgerError
from conflict_ledger.ledger import Ledger
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Place,
    PlaceKind,
    Registries,
    Source,
    SourceKind,
)
from conflict_ledger.time import Precision, ValidTime

__all__ = ["DATE_PRECISIONS", "UCDP_SOURCE", "VIOLENCE_TYPES", "import_ucdp", "read_ucdp"]

UCDP_SOURCE = Source(
    id="ucdp",
    name="UCDP",
    kind=SourceKind.DATASET,
    aliases=("Uppsala Conflict Data Program",),
    description="Uppsala Conflict Data Program, Georeferenced Event Dataset.",
)
"""The source registered as the publisher of every imported GED claim."""

DATE_PRECISIONS: Mapping[str, Precision] = {
    "1": Precision.DAY,
    "2": Precision.WEEK,
    "3": Precision.WEEK,
    "4": Precision.MONTH,
    "5": Precision.YEAR,
}
"""GED ``date_prec`` codes and the precision each gives a window it fits; a window the
code's unit does not fit (code 2, "a 2-6 day period", over 4 days) takes the precision
its width fits (:meth:`~conflict_ledger.time.Precision.fitting`)."""

VIOLENCE_TYPES: Mapping[str, str] = {"1": "state-based", "2": "non-state", "3": "one-sided"}
"""GED ``type_of_violence`` codes, kept as the event type."""

_WHERE_KINDS = {
    "1": PlaceKind.TOWN,
    "2": PlaceKind.TOWN,
    "3": PlaceKind.REGION,
    "4": PlaceKind.GOVERNORATE,
    "5": PlaceKind.REGION,
    "6": PlaceKind.COUNTRY,
    "7": PlaceKind.REGION,
}


def _date(row: Mapping[str, str], field: str) -> _dt.date:
    text = row.get(field, "").strip()
    try:
        return _dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RowProblem(field, text, "not a date written YYYY-MM-DD") from None


def _actor_kind(name: str) -> ActorKind:
    lowered = name.casefold()
    if lowered.startswith("government of"):
        return ActorKind.GOVERNMENT
    if lowered in ("civilians", "unknown"):
        return ActorKind.UNIDENTIFIED
    return ActorKind.ARMED_GROUP


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


_SUFFIX = re.compile(r"\s+(town|city|village)$", re.IGNORECASE)


def _row_claim(
    row: Mapping[str, str], registrar: Registrar, placer: Placer
) -> tuple[Claim, tuple[Place | Actor | Source, ...]]:
    def need(name: str) -> str:
        value = row.get(name, "").strip()
        if not value:
            raise RowProblem(name, row.get(name), "required and empty")
        return value

    event_id = need("id")
    if not event_id.isdigit():
        raise RowProblem("id", event_id, "a GED id is a whole number")
    start, end = _date(row, "date_start"), _date(row, "date_end")
    if end < start:
        raise RowProblem("date_end", row.get("date_end"), "ends before date_start")
    precision_code = row.get("date_prec", "").strip() or "1"
    if precision_code not in DATE_PRECISIONS:
        raise RowProblem("date_prec", precision_code, "date_prec is 1 to 5")
    first = pendulum.datetime(start.year, start.month, start.day, tz="UTC")
    after = pendulum.datetime(end.year, end.month, end.day, tz="UTC").add(days=1)
    named = DATE_PRECISIONS[precision_code]
    valid = ValidTime.between(first, after, precision=named if named.fits(after - first) else None)
    where = row.get("where_coordinates", "").strip() or need("where_description")
    where_prec = row.get("where_prec", "").strip() or "1"
    try:
        place, place_values = placer.place(
            location=_SUFFIX.sub("", where) or where,
            country=row.get("country", ""),
            admin1=row.get("adm_1", "").removesuffix(" governorate"),
            lat=row.get("latitude", ""),
            lon=row.get("longitude", ""),
            geo=where_prec if where_prec in ("1", "2") else "3",
        )
    except (ValueError, LedgerError) as error:
        raise RowProblem("where_coordinates", where, str(error)) from None
    side_a = need("side_a")
    actor, actor_value = registrar.actor(side_a, _actor_kind(side_a))
    side_b = row.get("side_b", "").strip()
    other, other_value = registrar.actor(side_b, _actor_kind(side_b)) if side_b else (None, None)
    deaths = row.get("best", "").strip() or "0"
    if not deaths.isdigit():
        raise RowProblem("best", deaths, "best is a whole number of deaths")
    said: list[_dt.date] = []
    for text in _split(row.get("source_date", "")):
        try:
            said.append(_dt.date.fromisoformat(text[:10]))
        except ValueError:
            raise RowProblem("source_date", text, "not a date written YYYY-MM-DD") from None
    first_said = min(said) if said else None
    values: list[Place | Actor | Source] = [UCDP_SOURCE]
    links: list[SourceLink] = []
    for role, names in (
        (SourceRole.ORIGIN, _split(row.get("source_original", ""))),
        (SourceRole.CARRIER, _split(row.get("source_office", ""))),
    ):
        for name in names:
            source, source_value = registrar.source(name)
            if source_value is not None:
                values.append(source_value)
            if source not in (link.source for link in links):
                links.append(
                    SourceLink(
                        source=source,
                        role=SourceRole.ORIGIN if not links else role,
                        said_on=first_said if not links else None,
                    )
                )
    links.append(
        SourceLink(source=UCDP_SOURCE.id, role=SourceRole.PUBLISHER if links else SourceRole.ORIGIN)
    )
    flag = ""
    if first_said is None:
        reported = valid.end
    else:
        reported = pendulum.datetime(first_said.year, first_said.month, first_said.day).add(days=1)
        if first_said < start:
            # Kept, not dropped: GED codes some events from a source that spoke before the
            # coded start (a wider window revised later). Known from the first source's
            # day, which is before the window begins, so it is reported at the window's
            # start, and flagged.
            flag = f"source_date {first_said.isoformat()} precedes date_start {start.isoformat()}"
            reported = max(reported, valid.start)
    values.extend(place_values)
    values.extend(v for v in (actor_value, other_value) if v is not None)
    note = "; ".join(
        f"{name}={row[name].strip()}"
        for name in ("conflict_name", "dyad_name", "country", "adm_1", "source_headline")
        if row.get(name, "").strip()
    )
    if flag:
        note = f"{note}; flag={flag}" if note else f"flag={flag}"
    claim = Claim(
        id=f"ucdp/{event_id}",
        event=DatasetEvent(
            dataset="ucdp",
            event_type=VIOLENCE_TYPES.get(row.get("type_of_violence", "").strip(), "unknown"),
            sub_event_type=row.get("conflict_name", "").strip(),
            place=place,
            actor=actor,
            other_actor=other,
            fatalities=int(deaths),
        ),
        valid=valid,
        reported_at=reported,
        source=SourceChain(links=links),
        note=f"UCDP GED {note}".strip(),
    )
    return claim, tuple(values)


_ACLED_COLUMNS = {"event_id_cnty", "event_date", "actor1", "sub_event_type", "inter1"}


def _rows(table: Table) -> Iterator[tuple[int, dict[str, str]]]:
    header = list(table.header)
    if len(set(header) & _ACLED_COLUMNS) >= 2:
        raise DatasetFileError(
            path=table.path,
            problem="this looks like an ACLED export, not a UCDP GED file",
            hint="Pass --kind acled (or use import_acled); nothing was written",
        )
    if not {"id", "side_a"} <= set(header):
        missing = ", ".join(sorted({"id", "side_a"} - set(header)))
        raise DatasetFileError(
            path=table.path,
            problem=f"this does not look like a UCDP GED file: no column {missing}",
            hint="Give a GED CSV (GEDEvent_v*.csv); nothing was written",
        )
    for line, values in table.rows:
        yield line, dict(zip(header, values, strict=False))


def read_ucdp(
    source: str | os.PathLike[str] | IO[str],
    registries: Registries,
    *,
    name: str | None = None,
    encoding: str | None = None,
) -> tuple[tuple[Candidate, ...], tuple[RowError, ...]]:
    """Read a GED CSV into candidate claims and rejected rows, without touching a ledger.

    The file is read as :func:`~conflict_ledger.adapters.tables.read_table` reads it (any
    common encoding, separator, gzip, ``NA`` markers).

    >>> import io
    >>> from conflict_ledger.gazetteer import syria
    >>> text = "id,side_a,where_coordinates,date_start,date_end\\n5,Government of Syria,Homs,2024-12-06,2024-12-05\\n"
    >>> print(read_ucdp(io.StringIO(text), syria(), name="ged.csv")[1][0])
    ged.csv:2: date_end='2024-12-05': ends before date_start
    """
    table = read_table(source, what="a GED CSV", encoding=encoding, name=name)
    registrar = Registrar(registries)
    placer = Placer(registries, label="UCDP GED (where_prec {})")
    return collect_rows(
        _rows(table), path=table.path, read=lambda row: _row_claim(row, registrar, placer)
    )


def import_ucdp(
    ledger: Ledger,
    source: str | os.PathLike[str] | IO[str],
    *,
    name: str | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Import a GED CSV into ``ledger``; return what was appended, skipped and rejected.

    Valid rows are appended even when others are rejected; call
    ``report.raise_if_rejected()`` to raise every rejection at once.

    >>> import conflict_ledger as cl
    >>> from conflict_ledger.gazetteer import syria
    >>> ledger = cl.Ledger(registries=syria())
    >>> import_ucdp(ledger, "tests/data/ucdp/ged_sample.csv").appended[:2]
    ('ucdp/900001', 'ucdp/900002')
    """
    path = name or source_name(source)
    candidates, rejected = read_ucdp(source, ledger.registries, name=path, encoding=encoding)
    report = append_candidates(ledger, candidates, path=path, rejected=rejected)
    flagged = tuple(c.claim.id for c in candidates if "flag=" in c.claim.note)
    return attrs.evolve(report, flagged=tuple(i for i in flagged if i in report.appended))
