"""The as-of index: the answers of :mod:`conflict_ledger.asof`, fast, over a growing ledger.

:func:`conflict_ledger.asof.snapshot` folds the whole ledger on every call; that is the
reference, and it is slow on purpose. An :class:`AsOfIndex` gives the same answers
(the property tests in ``tests/test_index.py`` hold it to them) by keeping, per place:

* the place's claims compiled once and kept in fold order
  (:func:`~conflict_ledger.asof.order_key`); a claim that arrives late, about any earlier
  valid time, is inserted where it belongs, and what follows it is refolded only until
  the fold meets the one it had before (the later checkpoints are kept, moved along);
* checkpoints of the fold *as known now*, at most ``checkpoint_every`` claims apart;
* for each claim the instant from which knowledge agrees with what is known now (its
  report time, or the report time of its retraction or correction), as a running
  maximum. A question asked ``known_at`` an earlier time starts from the last checkpoint
  that time already agrees with, folds the claims after it that were known then, and
  jumps back onto the checkpoints known now wherever the two folds meet again;
* the holder known now after every claim.

Across places (:mod:`conflict_ledger.engine._columns`) it keeps every place's holder as known
now in columns of small integers at checkpoint instants. An answer about every place
copies the last column before its instant, recomputes the places with a claim begun
since, and, at an earlier ``known_at``, the places with a claim reported or undone after
it. :meth:`AsOfIndex.holders` is that column; :meth:`AsOfIndex.snapshot` knows from it
which places count and computes each :class:`~conflict_ledger.rules.territory.PlaceState`
when it is first read.

Every query takes a place by id, name or alias, read through the ledger's registries
(an unknown name raises :class:`~conflict_ledger.errors.UnknownPlaceError`); the
snapshots it returns carry the registries too.

The index reads new records from the ledger (``ledger.since(position)``) before each
answer, or when :meth:`AsOfIndex.refresh` is called; it is never rebuilt from scratch.
It answers on valid time and knowledge time; for a ledger *position* cut use
:mod:`conflict_ledger.asof`.

This module keeps the index's public methods. Its state and options are an
:class:`~conflict_ledger.engine._state.IndexState` (set in one place, ``_begin``), which
the modules doing the work take, so that they never import this one:
:mod:`~conflict_ledger.engine._intake` reads new records in and settles them,
:mod:`~conflict_ledger.engine._maps` answers about every place at once,
:mod:`~conflict_ledger.engine._one_place` about one place,
:mod:`~conflict_ledger.engine._answers` holds the lazy answers they hand out, and
:mod:`~conflict_ledger.engine._saved` saves and loads the index. They read the index's
options (``_prompt``, ``_scan_limit``, ``_bulk``, ``_recode_share``) from the index, so a
subclass that sets them is obeyed.

>>> from conflict_ledger.seed import load_seed
>>> from conflict_ledger import snapshot
>>> ledger = load_seed()
>>> index = AsOfIndex(ledger)
>>> index.place_state("deir-ez-zor", at="2024-12-07T00:00Z").holder
'sdf'
>>> index.snapshot(at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z") == snapshot(
...     ledger, at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from conflict_ledger.asof import Explanation, Snapshot, Timeline
from conflict_ledger.claims import Claim
from conflict_ledger.engine import _intake, _maps, _one_place, _saved
from conflict_ledger.engine._state import IndexState
from conflict_ledger.errors import InvalidClaimError
from conflict_ledger.ledger import Ledger
from conflict_ledger.rules.policies import PlaceClaims, Policy
from conflict_ledger.rules.territory import PlaceFold, PlaceState

if TYPE_CHECKING:  # imported with the first table (engine._maps._sweep): they need numpy
    from conflict_ledger.table import SnapshotTable

__all__ = ["AsOfIndex"]


def _check_options(checkpoint_every: int, column_every: int | None) -> None:
    for field, value in (("checkpoint_every", checkpoint_every), ("column_every", column_every)):
        if value is not None and value < 1:
            raise InvalidClaimError(
                field=field,
                value=value,
                problem="the checkpoint interval is at least 1 claim",
                hint=f"Pass {field}=None for the default, or a positive integer.",
            )


class AsOfIndex(IndexState):
    """Snapshots, place states, timelines and series over a ledger, equal to the as-of engine's.

    Built once over ``ledger`` and kept up to date from its new records (never rebuilt).
    ``checkpoint_every`` trades memory for speed: a place's fold is kept at most that many
    claims apart, so an answer folds fewer than that many claims plus those known late.
    ``column_every`` does the same for the holder columns, every place's holder in one
    array of small integers: one every that many claims in valid-time order (default
    None: a sixteenth of the number of places, about 32 bytes a claim), so an answer
    about every place recomputes at most that many places plus those known late.
    ``progress`` (optional) is called with (records done, records to do) while a large
    batch of new records is indexed, for a progress bar.

    >>> from conflict_ledger.seed import load_seed
    >>> index = AsOfIndex(load_seed())
    >>> index.snapshot(at="2024-12-07T00:00Z")["deir-ez-zor"].holder
    'sdf'
    """

    def __init__(
        self,
        ledger: Ledger,
        *,
        checkpoint_every: int = 8,
        column_every: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        _check_options(checkpoint_every, column_every)
        self._begin(ledger, checkpoint_every, column_every, progress)
        self.refresh()

    @classmethod
    def load(
        cls,
        ledger: Ledger,
        *,
        checkpoint_every: int = 8,
        column_every: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> AsOfIndex:
        """The index saved with ``ledger`` (:meth:`save`), brought up to date with the
        records appended since; built from the records, as ``AsOfIndex(ledger, ...)``
        builds it, when the ledger keeps none. A saved index that does not fit (another
        ledger's, another version's, other options, damaged) is set aside with a
        :class:`~conflict_ledger.errors.SavedIndexWarning`. The door
        (:func:`conflict_ledger.queries.index_of`) opens indexes this way.

        Reading a saved index reads no record: its places are read when a question
        first needs them (see ``engine/_saved.py``).

        >>> from conflict_ledger import Ledger
        >>> from conflict_ledger.seed import load_seed
        >>> from conflict_ledger.stores import MemoryStore
        >>> seed = load_seed()
        >>> ledger = Ledger(store=MemoryStore(), registries=seed.registries)
        >>> ledger.extend(seed.claims())  # doctest: +ELLIPSIS
        (...)
        >>> AsOfIndex(ledger).save() > 0
        True
        >>> AsOfIndex.load(ledger).place_state("deir-ez-zor", at="2024-12-07T00:00Z").holder
        'sdf'
        """
        _check_options(checkpoint_every, column_every)
        data = ledger.derived(_saved.NAME)
        if data is not None:
            found = _saved.read(
                cls,
                ledger,
                data,
                every=checkpoint_every,
                column_every=column_every,
                progress=progress,
            )
            if found is not None:
                found.refresh()
                return found
        return cls(
            ledger, checkpoint_every=checkpoint_every, column_every=column_every, progress=progress
        )

    def save(self) -> int:
        """Save this index with its ledger, for :meth:`load` (and the one door) to read
        instead of building it again; returns the bytes saved (0 when the ledger's store
        keeps no derived data: a JSON Lines file, a ledger without a store of its own).

        The ledger's store keeps it beside the records (a SQLite ledger in its own file),
        replacing the one saved before; it covers the records read now, and a later
        :meth:`load` reads the ones appended after it. Save again after large appends.
        """
        if not self._ledger.keeps_derived:
            return 0
        data = _saved.dump(self)
        self._ledger.keep_derived(_saved.NAME, data)
        return len(data)

    @property
    def saved_size(self) -> int | None:
        """How many records the saved index this one was read from covered (:meth:`load`);
        None when it was built from the records."""
        return self._saved_size

    def __len__(self) -> int:
        """The number of ledger records the index has read.

        >>> from conflict_ledger.seed import load_seed
        >>> len(AsOfIndex(load_seed())) == len(load_seed())
        True
        """
        return self._seen

    def places(self) -> tuple[str, ...]:
        """Ids of the places any territorial claim names, sorted.

        >>> from conflict_ledger.seed import load_seed
        >>> "homs" in AsOfIndex(load_seed()).places()
        True
        """
        self.refresh()
        return tuple(sorted(self._places))

    def refresh(self) -> int:
        """Read the records appended since the last read; returns how many were read.

        >>> from conflict_ledger.seed import load_seed
        >>> ledger = load_seed()
        >>> index = AsOfIndex(ledger)
        >>> index.refresh()
        0
        """
        return _intake.refresh(self)

    def snapshot(self, *, at: Any, known_at: Any = None, policy: Policy | None = None) -> Snapshot:
        """Every place's state at ``at`` as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.snapshot` of the ledger, with the same ``policy``
        (default: :func:`~conflict_ledger.rules.policies.contest_disagreement`, the fast path).

        >>> from conflict_ledger.seed import load_seed
        >>> snap = AsOfIndex(load_seed()).snapshot(at="2024-12-06T17:00Z", known_at="2024-12-07T09:00Z")
        >>> snap["homs"].status.value
        'under_advance'
        """
        return _maps.snapshot(self, at=at, known_at=known_at, policy=policy)

    def table(self, *, at: Any, known_at: Any = None) -> SnapshotTable:
        """:meth:`snapshot` with every state read, as columns (numpy arrays, a row a
        place that counts, in place order): what a map or a DataFrame reads, without
        building a :class:`~conflict_ledger.rules.territory.PlaceState` a place. The states are
        the default policy's (:meth:`snapshot` without ``policy``).

        >>> from conflict_ledger.seed import load_seed
        >>> table = AsOfIndex(load_seed()).table(at="2024-12-07T00:00Z")
        >>> dict(zip(table.place, table.holder))["deir-ez-zor"], len(table)
        ('sdf', 10)
        """
        return _maps.table(self, at=at, known_at=known_at)

    def tables(self, ats: Iterable[Any], *, known_at: Any = None) -> tuple[SnapshotTable, ...]:
        """:meth:`table` at each of ``ats`` (in the order given), as known at ``known_at``.

        Between two instants only the places with a claim starting in between change
        their row, so each table after the first rereads those places only, like
        :meth:`holders_series`.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [t.row("deir-ez-zor")["status"] for t in AsOfIndex(load_seed()).tables(days)]
        ['changing', 'held']
        """
        return _maps.tables(self, ats, known_at=known_at)

    def holders(self, *, at: Any, known_at: Any = None) -> Mapping[str, str | None]:
        """Just the holder of every place in :meth:`snapshot` (None: nobody), sorted by place:
        the light answer for a chart or a table, without building any state.

        The answer is a read-only mapping over one column of small integers, made from
        the last checkpoint column before ``at`` and the places whose claims began since.

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).holders(at="2024-12-07T00:00Z")["deir-ez-zor"]
        'sdf'
        """
        return _maps.holders(self, at=at, known_at=known_at)

    def holders_series(
        self, ats: Iterable[Any], *, known_at: Any = None
    ) -> tuple[Mapping[str, str | None], ...]:
        """:meth:`holders` at each of ``ats`` (in the order given), as known at ``known_at``.

        Between two instants only the places with a claim starting in between can
        change, so each step recomputes those places only: a slider over a year of a war
        costs little more than the claims it passes.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [h["deir-ez-zor"] for h in AsOfIndex(load_seed()).holders_series(days)]
        ['sdf', 'sdf']
        """
        return _maps.holders_series(self, ats, known_at=known_at)

    def series(self, ats: Iterable[Any], *, known_at: Any = None) -> tuple[Snapshot, ...]:
        """Snapshots at each of ``ats`` (in the order given), as known at ``known_at``.

        Each step starts from the one before, like :meth:`holders_series`; every state
        is computed when first read.

        >>> from conflict_ledger.seed import load_seed
        >>> days = ["2024-12-06T00:00Z", "2024-12-08T00:00Z"]
        >>> [s["deir-ez-zor"].status.value for s in AsOfIndex(load_seed()).series(days)]
        ['changing', 'held']
        """
        return _maps.series(self, ats, known_at=known_at)

    def place_state(self, place: str, *, at: Any, known_at: Any = None) -> PlaceState:
        """One place's state at ``at`` as known at ``known_at`` (UNKNOWN when no claim counts).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_state("homs", at="2024-12-01T00:00Z").status.value
        'unknown'
        """
        return _one_place.place_state(self, place, at=at, known_at=known_at)

    def place_fold(self, place: str, *, at: Any, known_at: Any = None) -> PlaceFold:
        """The territorial reducer's state for one place (what :func:`~conflict_ledger.rules.territory.view` reads).

        >>> from conflict_ledger.seed import load_seed
        >>> AsOfIndex(load_seed()).place_fold("deir-ez-zor", at="2024-12-08T00:00Z").holder
        'sdf'
        """
        return _one_place.place_fold(self, place, at=at, known_at=known_at)

    def claims(self, place: str, *, at: Any = None, known_at: Any = None) -> tuple[Claim, ...]:
        """The claims that count for one place (valid from ``at`` or before, as known at
        ``known_at``), in fold order: what a resolution policy reads.

        >>> from conflict_ledger.seed import load_seed
        >>> [c.id for c in AsOfIndex(load_seed()).claims("deir-ez-zor")]
        ['dawn-2024-12-07/c04']
        """
        return _one_place.claims(self, place, at=at, known_at=known_at)

    def place_claims(self, place: str, *, at: Any, known_at: Any = None) -> PlaceClaims:
        """What a resolution policy sees for one place: equal to
        :func:`conflict_ledger.asof.place_claims` of the ledger.

        >>> from conflict_ledger.seed import load_seed
        >>> [c.id for c in AsOfIndex(load_seed()).place_claims("homs", at="2024-12-07T00:00Z").claims]
        ['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03']
        """
        return _one_place.place_claims(self, place, at=at, known_at=known_at)

    def explain(
        self, place: str, *, at: Any, known_at: Any = None, policy: Policy | None = None
    ) -> Explanation:
        """Why one place has its state: equal to :func:`conflict_ledger.asof.explain` of
        the ledger with the same ``policy``, reading only the records about the place
        (:mod:`conflict_ledger.engine._explain`).

        >>> from conflict_ledger.seed import load_seed
        >>> why = AsOfIndex(load_seed()).explain("homs", at="2024-12-07T00:00Z")
        >>> [c.id for c in why.supporting]
        ['dawn-2024-12-07/c02', 'dawn-2024-12-07/c03']
        """
        return _one_place.explain(self, place, at=at, known_at=known_at, policy=policy)

    def timeline(self, place: str, *, known_at: Any = None) -> Timeline:
        """One place's changes over valid time as known at ``known_at``: equal to
        :func:`conflict_ledger.asof.timeline`.

        >>> from conflict_ledger.seed import load_seed
        >>> [e.state.status.value for e in AsOfIndex(load_seed()).timeline("deir-ez-zor")]
        ['changing', 'held']
        """
        return _one_place.timeline(self, place, known_at=known_at)

    def __iter__(self) -> Iterator[str]:
        return iter(self.places())

    def __repr__(self) -> str:
        claims = sum(len(p.ops) for p in self._places.values())
        return f"<AsOfIndex of {claims} territorial claims about {len(self._places)} places>"
