"""Claims, snapshots, timelines and explanations as tidy pandas DataFrames (the ``pandas`` extra).

One row per claim, place or period; times are timezone-aware (``datetime64[..., UTC]``),
statuses, holders, modalities and precisions are categoricals, credibility a nullable
integer. :func:`claims_from_frame` reads a claims frame (yours or one made here) back
into claims to append to a ledger.

>>> import conflict_ledger as cl
>>> ledger = cl.load_seed()
>>> frame = snapshot_frame(cl.snapshot(ledger, at="2024-12-07T00:00Z"))
>>> frame.loc[frame.place == "deir-ez-zor", ["status", "holder"]].to_numpy().tolist()
[['held', 'sdf']]
>>> str(frame["since_start"].dtype).endswith(", UTC]"), frame["holder"].dtype.name
(True, 'category')
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from conflict_ledger.adapters.dataset import DATASET_EVENTS
from conflict_ledger.adapters.rows import RejectedRowsError, RowError
from conflict_ledger.asof import Explanation, Snapshot, Timeline
from conflict_ledger.claims import Claim, Evidence, Modality, SourceChain, SourceLink, Span
from conflict_ledger.codec import decode_event, encode_event
from conflict_ledger.errors import LedgerError
from conflict_ledger.events import Event
from conflict_ledger.ledger import Ledger, Recorded
from conflict_ledger.rules.territory import PlaceState, Status
from conflict_ledger.time import Precision, ValidTime

DataFrame = Any
"""A ``pandas.DataFrame`` (typed loosely so that type-checking needs no pandas stubs)."""

__all__ = [
    "CLAIM_COLUMNS",
    "claims_frame",
    "claims_from_frame",
    "explanation_frame",
    "snapshot_frame",
    "timeline_frame",
]

CLAIM_COLUMNS = (
    "id",
    "position",
    "recorded_at",
    "kind",
    "place",
    "actor",
    "valid_start",
    "valid_end",
    "precision",
    "reported_at",
    "modality",
    "credibility",
    "origin",
    "sources",
    "roles",
    "said_on",
    "supersedes",
    "document",
    "spans",
    "paraphrase",
    "note",
    "event",
)
"""The columns of :func:`claims_frame`, in order; ``event`` holds the event as JSON."""


def _pd() -> Any:
    # Imported here, and by name so that type-checking needs no pandas stubs.
    try:
        return importlib.import_module("pandas")
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "conflict_ledger.adapters.pandas needs pandas: pip install 'conflict-ledger[pandas]'"
        ) from None


def _times(values: Sequence[Any]) -> Any:
    pd = _pd()
    return pd.to_datetime(pd.Series(list(values), dtype=object), utc=True)


def _category(values: Sequence[str | None], categories: Iterable[str] | None = None) -> Any:
    pd = _pd()
    known = sorted({v for v in values if v is not None}) if categories is None else list(categories)
    return pd.Categorical(list(values), categories=known)


def _first(values: tuple[str, ...]) -> str | None:
    return values[0] if values else None


def claims_frame(source: Ledger | Iterable[Recorded | Claim]) -> DataFrame:
    """Every claim as a row (columns :data:`CLAIM_COLUMNS`), in ledger order.

    ``place`` and ``actor`` are the event's first place and actor (all of them are in
    ``event``); ``sources`` is the chain, origin first, joined with ``" > "``, and
    ``roles`` the part each played.

    >>> import conflict_ledger as cl
    >>> frame = claims_frame(cl.load_seed())
    >>> frame.shape[0], frame.loc[3, "kind"], frame.loc[3, "sources"]
    (16, 'captured', 'syrian-sources > reuters > dawn')
    >>> frame["credibility"].dtype.name, frame["modality"].dtype.name
    ('Int8', 'category')
    """
    pd = _pd()
    items = source.records() if isinstance(source, Ledger) else tuple(source)
    rows: list[dict[str, Any]] = []
    for item in items:
        record = item if isinstance(item, Recorded) else None
        claim = item.claim if isinstance(item, Recorded) else item
        evidence = claim.evidence
        event = encode_event(claim.event)
        rows.append(
            {
                "id": claim.id,
                "position": None if record is None else record.position,
                "recorded_at": None if record is None else record.recorded_at,
                "kind": claim.event.kind,
                "place": _first(claim.event.place_ids()),
                "actor": _first(claim.event.actor_ids()),
                "valid_start": claim.valid.start,
                "valid_end": claim.valid.end,
                "precision": claim.valid.precision.value,
                "reported_at": claim.reported_at,
                "modality": claim.modality.value,
                "credibility": None if claim.credibility is None else int(claim.credibility),
                "origin": claim.source.origin,
                "sources": " > ".join(claim.source.source_ids()),
                "roles": " > ".join(link.role.value for link in claim.source.links),
                "said_on": None
                if claim.source.links[0].said_on is None
                else claim.source.links[0].said_on.isoformat(),
                "supersedes": claim.supersedes,
                "document": None if evidence is None else evidence.document,
                "spans": None
                if evidence is None
                else "; ".join(f"{s.start}-{s.end}" for s in evidence.spans),
                "paraphrase": None if evidence is None else evidence.paraphrase,
                "note": claim.note,
                "event": json.dumps(event, ensure_ascii=False, sort_keys=True),
            }
        )
    frame = pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))
    for column in ("recorded_at", "valid_start", "valid_end", "reported_at"):
        frame[column] = _times(frame[column].tolist())
    frame["position"] = frame["position"].astype("Int64")
    frame["credibility"] = frame["credibility"].astype("Int8")
    frame["kind"] = _category(frame["kind"].tolist())
    frame["precision"] = _category(frame["precision"].tolist(), (p.value for p in Precision))
    frame["modality"] = _category(frame["modality"].tolist(), (m.value for m in Modality))
    return frame


def _state_row(state: PlaceState) -> dict[str, Any]:
    return {
        "place": state.place,
        "status": state.status.value,
        "holder": state.holder,
        "previous": state.previous,
        "contenders": ", ".join(state.contenders) or None,
        "since_start": None if state.since is None else state.since.start,
        "since_end": None if state.since is None else state.since.end,
        "since_precision": None if state.since is None else state.since.precision.value,
        "settled": state.settled,
        "attackers": ", ".join(state.attackers) or None,
        "advancing": ", ".join(state.advancing) or None,
        "presence": ", ".join(state.presence) or None,
        "access": None if state.access is None else state.access.value,
        "claims": ", ".join(state.claims) or None,
        "disputes": ", ".join(state.disputes) or None,
        "confirmed_at": state.confirmed_at,
    }


def _typed_states(rows: Sequence[dict[str, Any]], time_columns: Sequence[str]) -> DataFrame:
    pd = _pd()
    empty = _state_row(PlaceState(place="", status=Status.UNKNOWN))
    columns = [*time_columns[:2], *empty] if time_columns[0] == "start" else [*empty, *time_columns]
    data: dict[str, Any] = {name: [row[name] for row in rows] for name in columns}
    for column in ("since_start", "since_end", "confirmed_at", *time_columns):
        data[column] = _times(data[column])
    actors = sorted({h for h in data["holder"] + data["previous"] if h is not None})
    data["holder"] = _category(data["holder"], actors)
    data["previous"] = _category(data["previous"], actors)
    data["status"] = _category(data["status"], (s.value for s in Status))
    data["since_precision"] = _category(data["since_precision"], (p.value for p in Precision))
    for column in (
        "place",
        "contenders",
        "attackers",
        "advancing",
        "presence",
        "access",
        "claims",
        "disputes",
    ):
        data[column] = pd.Series(data[column], dtype=object)
    return pd.DataFrame({name: data[name] for name in columns})


def snapshot_frame(snap: Snapshot) -> DataFrame:
    """One row per place: its state at ``snap.at`` as known at ``snap.known_at``.

    ``status`` is a categorical over every :class:`~conflict_ledger.rules.territory.Status`
    (in declaration order), ``holder`` and ``previous`` categoricals over the actors
    present; ``at`` and ``known_at`` repeat the snapshot's clocks on every row.

    >>> import conflict_ledger as cl
    >>> frame = snapshot_frame(cl.snapshot(cl.load_seed(), at="2024-12-07T00:00Z"))
    >>> frame["status"].value_counts()["held"]
    np.int64(3)
    """
    rows = [{**_state_row(state), "at": snap.at, "known_at": snap.known_at} for state in snap]
    return _typed_states(rows, ("at", "known_at"))


def timeline_frame(line: Timeline) -> DataFrame:
    """One row per period of a place's timeline: ``start``, ``end`` (NaT: still so), state.

    >>> import conflict_ledger as cl
    >>> frame = timeline_frame(cl.timeline(cl.load_seed(), "deir-ez-zor"))
    >>> frame[["status", "holder"]].astype(str).to_numpy().tolist()
    [['changing', 'sdf'], ['held', 'sdf']]
    """
    rows = [{"start": e.start, "end": e.end, **_state_row(e.state)} for e in line]
    return _typed_states(rows, ("start", "end"))


def explanation_frame(why: Explanation) -> DataFrame:
    """The claims of an explanation, one a row, with their ``role`` and, if left out, ``reason``.

    Roles: supporting, disputing, context, excluded (a categorical in that order).

    >>> import conflict_ledger as cl
    >>> frame = explanation_frame(cl.explain(cl.load_seed(), "albukamal", at="2024-12-07T00:00Z"))
    >>> frame[["id", "role"]].astype(str).to_numpy().tolist()
    [['dawn-2024-12-07/c07', 'supporting'], ['dawn-2024-12-07/c08', 'context']]
    """
    groups: list[tuple[str, tuple[Claim, ...], Mapping[str, str]]] = [
        ("supporting", why.supporting, {}),
        ("disputing", why.disputing, {}),
        ("context", why.context, {}),
        (
            "excluded",
            tuple(e.claim for e in why.excluded),
            {e.claim.id: e.reason for e in why.excluded},
        ),
    ]
    claims = [claim for _, group, _ in groups for claim in group]
    frame = claims_frame(claims)
    roles = [role for role, group, _ in groups for _ in group]
    reasons = [reasons.get(c.id) for _, group, reasons in groups for c in group]
    frame.insert(1, "role", _category(roles, [g[0] for g in groups]))
    frame.insert(2, "reason", _pd().Series(reasons, dtype=object))
    return frame.drop(columns=["position", "recorded_at"])


def _text(value: Any) -> str | None:
    pd = _pd()
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value)


def _claim_from_row(
    row: Mapping[str, Any], event_types: Mapping[str, type[Event]], default_precision: str
) -> Claim:
    event_text = _text(row.get("event"))
    if event_text is not None:
        event = decode_event(json.loads(event_text), event_types)
    else:
        kind = _text(row.get("kind"))
        if kind is None:
            raise ValueError("a row needs an 'event' (JSON) or a 'kind' with 'place' and 'actor'")
        fields = {"type": kind, "place": _text(row.get("place")), "actor": _text(row.get("actor"))}
        event = decode_event({k: v for k, v in fields.items() if v is not None}, event_types)
    sources = [s.strip() for s in (_text(row.get("sources")) or "").split(">") if s.strip()]
    if not sources:
        raise ValueError("'sources' names at least one source, e.g. 'reuters' or 'sana > reuters'")
    roles = [r.strip() for r in (_text(row.get("roles")) or "").split(">") if r.strip()]
    if not roles:
        roles = [link.role.value for link in SourceChain.of(sources[0], *sources[1:]).links]
    if len(roles) != len(sources):
        raise ValueError(f"'roles' names {len(roles)} roles for {len(sources)} sources")
    said_on = _text(row.get("said_on"))
    chain = SourceChain(
        links=[
            SourceLink(source=source, role=role, said_on=said_on if index == 0 else None)
            for index, (source, role) in enumerate(zip(sources, roles, strict=True))
        ]
    )
    document = _text(row.get("document"))
    evidence = None
    if document is not None:
        spans = []
        for part in (_text(row.get("spans")) or "").split(";"):
            start, _, end = part.strip().partition("-")
            spans.append(Span(start=int(start), end=int(end)))
        evidence = Evidence(
            document=document, spans=spans, paraphrase=_text(row.get("paraphrase")) or ""
        )
    credibility = row.get("credibility")
    return Claim(
        id=str(row["id"]),
        event=event,
        valid=ValidTime(
            start=_instant(row["valid_start"]),
            end=_instant(row.get("valid_end", row["valid_start"])),
            precision=_text(row.get("precision")) or default_precision,
        ),
        reported_at=_instant(row["reported_at"]),
        source=chain,
        modality=_text(row.get("modality")) or "asserted",
        credibility=None if credibility is None or _text(credibility) is None else int(credibility),
        evidence=evidence,
        supersedes=_text(row.get("supersedes")),
        note=_text(row.get("note")) or "",
    )


def _instant(value: Any) -> Any:
    # A naive Timestamp stays naive: the Claim refuses it, naming the field.
    return value.to_pydatetime() if isinstance(value, _pd().Timestamp) else value


def claims_from_frame(
    frame: DataFrame,
    *,
    event_types: Mapping[str, type[Event]] = DATASET_EVENTS,
    default_precision: str = "exact",
    name: str = "<DataFrame>",
) -> tuple[Claim, ...]:
    """The claims a frame describes, to pass to ``ledger.extend``.

    Needed columns: ``id``, ``valid_start``, ``reported_at``, ``sources`` (``"a > b"``),
    and either ``event`` (JSON, as :func:`claims_frame` writes it) or ``kind`` with
    ``place`` and ``actor`` for the two-field events (captured, holds, advanced,
    attacked, control_lost). The other columns of :data:`CLAIM_COLUMNS` are optional.
    Times must be timezone-aware. Every bad row is reported at once in a
    :class:`~conflict_ledger.adapters.rows.RejectedRowsError` (line = row label).

    >>> import conflict_ledger as cl
    >>> ledger = cl.load_seed()
    >>> claims_from_frame(claims_frame(ledger)) == ledger.claims()
    True
    """
    claims: list[Claim] = []
    problems: list[RowError] = []
    for label, row in zip(frame.index, frame.to_dict(orient="records"), strict=True):
        line = int(label) if isinstance(label, int) else -1
        try:
            claims.append(_claim_from_row(row, event_types, default_precision))
        except LedgerError as error:
            problems.append(RowError(path=name, line=line, reason=str(error)))
        except (KeyError, ValueError, TypeError) as error:
            problems.append(
                RowError(path=name, line=line, reason=f"{type(error).__name__}: {error}")
            )
    if problems:
        raise RejectedRowsError(f"{name}: {len(problems)} rows rejected", problems)
    return tuple(claims)
