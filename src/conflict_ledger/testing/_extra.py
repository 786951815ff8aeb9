"""The check that the ``testing`` extra is installed, made before the kit imports hypothesis."""

from conflict_ledger.errors import LedgerError

__all__ = ["MissingExtraError"]


class MissingExtraError(LedgerError, ModuleNotFoundError):
    """The testing kit was imported without hypothesis installed.

    >>> issubclass(MissingExtraError, ImportError)
    True
    """


try:
    import hypothesis  # noqa: F401
except ModuleNotFoundError as missing:
    raise MissingExtraError(
        "conflict_ledger.testing needs hypothesis, which is not installed. Install the "
        "'testing' extra: pip install 'conflict-ledger[testing]'",
        name="hypothesis",
    ) from missing
