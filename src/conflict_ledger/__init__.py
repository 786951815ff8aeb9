"""conflict_ledger: who controls what, when, according to whom.

A bitemporal, append-only ledger of sourced claims, folded by pure reducers into a
territorial snapshot at any time, as known at any time.

>>> import conflict_ledger as cl
>>> ledger = cl.load_seed()
>>> cl.snapshot(ledger, at="2024-12-07T00:00Z")["deir-ez-zor"].holder
'sdf'
"""

from conflict_ledger.asof import (
    Excluded,
    Explanation,
    PlaceChange,
    Snapshot,
    SnapshotDiff,
    Timeline,
    TimelineEntry,
    effective_claims,
    fold_as_of,
    order_key,
)
from conflict_ledger.audit import MeaningError
from conflict_ledger.blocs import outside_control, to_blocs
from conflict_ledger.claims import (
    Claim,
    Credibility,
    Document,
    Evidence,
    Modality,
    SourceChain,
    SourceLink,
    SourceRole,
    Span,
    sha256_text,
)
from conflict_ledger.codec import open_ledger, read_claims_file, verify_ledger, write_claims_file

# Importing html registers IPython display formatters for claims and ledgers when this
# runs inside IPython or Jupyter (lower layers carry no _repr_html_ of their own).
from conflict_ledger.display.html import register_ipython
from conflict_ledger.engine import AsOfIndex
from conflict_ledger.errors import (
    AliasTakenError,
    DuplicateClaimError,
    EvidenceError,
    FormatError,
    InvalidBatchError,
    InvalidClaimError,
    InvalidWindowError,
    LedgerError,
    LedgerNotFoundError,
    NaiveDatetimeError,
    NotALedgerError,
    ReportedBeforeEventError,
    SavedIndexWarning,
    UnknownActorError,
    UnknownClaimError,
    UnknownPlaceError,
    UnknownReferenceError,
    UnknownSourceError,
)
from conflict_ledger.events import (
    Advanced,
    Attacked,
    Captured,
    ControlLost,
    ControlVerb,
    CrossingClosed,
    CrossingOpened,
    DatasetEvent,
    Event,
    Extent,
    ForcesSent,
    HandedOver,
    Holds,
    Meeting,
    Retraction,
    SourceGraded,
)
from conflict_ledger.forecasts import ForecastResult, Outcome, forecast_scores, resolve_forecasts
from conflict_ledger.grades import Reliability
from conflict_ledger.hierarchy import RegionSummary, summarize
from conflict_ledger.ledger import ConcurrencyError, Ledger, Recorded, fixed_clock, system_clock
from conflict_ledger.membership import Blocs, Membership
from conflict_ledger.merkle import Checkpoint, ProofError
from conflict_ledger.queries import diff, explain, snapshot, timeline
from conflict_ledger.registry import (
    Actor,
    ActorKind,
    Coordinates,
    Place,
    PlaceKind,
    Registries,
    Registry,
    Source,
    SourceKind,
)
from conflict_ledger.rules.baselines import baseline, is_baseline
from conflict_ledger.rules.fold import Combined, Keyed, Projection, fold, scan
from conflict_ledger.rules.policies import (
    PlaceClaims,
    PolicyError,
    contest_disagreement,
    corroboration_required,
    credible_only,
    latest_report_wins,
    most_reliable_wins,
)
from conflict_ledger.rules.territory import (
    TERRITORY,
    Access,
    PlaceFold,
    PlaceState,
    Side,
    Status,
    territory,
)
from conflict_ledger.saving import LedgerExistsError, convert, save_ledger
from conflict_ledger.seed import load_seed
from conflict_ledger.signing import SignatureError
from conflict_ledger.stores import AppendOnlyError, IntegrityError, StorageError, TornWriteError
from conflict_ledger.time import Precision, ValidTime, parse_when, resolve_phrase, to_instant

__version__ = "0.1.0.dev0"

__all__ = [
    "TERRITORY",
    "Access",
    "Actor",
    "ActorKind",
    "Advanced",
    "AliasTakenError",
    "AppendOnlyError",
    "AsOfIndex",
    "Attacked",
    "Blocs",
    "Captured",
    "Checkpoint",
    "Claim",
    "Combined",
    "ConcurrencyError",
    "ControlLost",
    "ControlVerb",
    "Coordinates",
    "Credibility",
    "CrossingClosed",
    "CrossingOpened",
    "DatasetEvent",
    "Document",
    "DuplicateClaimError",
    "Event",
    "Evidence",
    "EvidenceError",
    "Excluded",
    "Explanation",
    "Extent",
    "ForcesSent",
    "ForecastResult",
    "FormatError",
    "HandedOver",
    "Holds",
    "IntegrityError",
    "InvalidBatchError",
    "InvalidClaimError",
    "InvalidWindowError",
    "Keyed",
    "Ledger",
    "LedgerError",
    "LedgerExistsError",
    "LedgerNotFoundError",
    "MeaningError",
    "Meeting",
    "Membership",
    "Modality",
    "NaiveDatetimeError",
    "NotALedgerError",
    "Outcome",
    "Place",
    "PlaceChange",
    "PlaceClaims",
    "PlaceFold",
    "PlaceKind",
    "PlaceState",
    "PolicyError",
    "Precision",
    "Projection",
    "ProofError",
    "Recorded",
    "RegionSummary",
    "Registries",
    "Registry",
    "Reliability",
    "ReportedBeforeEventError",
    "Retraction",
    "SavedIndexWarning",
    "Side",
    "SignatureError",
    "Snapshot",
    "SnapshotDiff",
    "Source",
    "SourceChain",
    "SourceGraded",
    "SourceKind",
    "SourceLink",
    "SourceRole",
    "Span",
    "Status",
    "StorageError",
    "Timeline",
    "TimelineEntry",
    "TornWriteError",
    "UnknownActorError",
    "UnknownClaimError",
    "UnknownPlaceError",
    "UnknownReferenceError",
    "UnknownSourceError",
    "ValidTime",
    "baseline",
    "contest_disagreement",
    "convert",
    "corroboration_required",
    "credible_only",
    "diff",
    "effective_claims",
    "explain",
    "fixed_clock",
    "fold",
    "fold_as_of",
    "forecast_scores",
    "is_baseline",
    "latest_report_wins",
    "load_seed",
    "most_reliable_wins",
    "open_ledger",
    "order_key",
    "outside_control",
    "parse_when",
    "read_claims_file",
    "register_ipython",
    "resolve_forecasts",
    "resolve_phrase",
    "save_ledger",
    "scan",
    "sha256_text",
    "snapshot",
    "summarize",
    "system_clock",
    "territory",
    "timeline",
    "to_blocs",
    "to_instant",
    "verify_ledger",
    "write_claims_file",
]
