"""How answers find their displays without importing them: a registry of renderers.

The answer types of :mod:`conflict_ledger.asof` (snapshots, timelines, diffs,
explanations) sit below the display layer and never import it. They inherit
:class:`Displayed`, whose ``to_text``/``to_html`` (and ``print``, Jupyter's rich display)
look up the renderer registered for their type here. The display modules
(:mod:`conflict_ledger.display.render` for text, :mod:`conflict_ledger.display.html` for HTML) register
theirs when imported, which ``import conflict_ledger`` does.

A renderer takes the answer and the IANA zone to print times in (``tz``) and returns
text. Registering another one for a type replaces the first:

>>> class Answer(Displayed):
...     __slots__ = ()
>>> register(Answer, "text", lambda answer, *, tz: f"an answer, times in {tz}")
>>> print(Answer())
an answer, times in UTC
>>> Answer().to_text(tz="Asia/Damascus")
'an answer, times in Asia/Damascus'
>>> Answer().to_html()
Traceback (most recent call last):
...
LookupError: no html display is registered for Answer; import conflict_ledger (its display modules register them)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, Protocol

from conflict_ledger.time import zone as _iana_zone

__all__ = ["Displayed", "Form", "Renderer", "register", "render", "zone"]

Form = Literal["text", "html"]


class Renderer(Protocol):
    """A display: the answer and the zone its times print in, to text or HTML."""

    def __call__(self, answer: Any, /, *, tz: str) -> str: ...


_RENDERERS: dict[tuple[type, Form], Renderer] = {}


def register(kind: type, form: Form, renderer: Renderer | Callable[..., str]) -> None:
    """Make ``renderer`` the ``form`` display of ``kind`` (and of its subclasses)."""
    _RENDERERS[(kind, form)] = renderer


def zone(tz: str | None) -> str:
    """The IANA zone name ``tz`` (None: UTC), refused with a typed error when unknown.

    >>> zone(None), zone("Europe/Kyiv")
    ('UTC', 'Europe/Kyiv')
    >>> zone("Mars/Olympus")
    Traceback (most recent call last):
    ...
    conflict_ledger.errors.InvalidClaimError: tz='Mars/Olympus': not an IANA timezone name. ...
    """
    if tz is None:
        return "UTC"
    _iana_zone(tz)  # a typed error for an unknown name
    return tz


def render(answer: object, form: Form, *, tz: str | None = None) -> str:
    """``answer`` displayed as ``form``, its times in zone ``tz`` (None: UTC)."""
    for kind in type(answer).__mro__:
        renderer = _RENDERERS.get((kind, form))
        if renderer is not None:
            return renderer(answer, tz=zone(tz))
    raise LookupError(
        f"no {form} display is registered for {type(answer).__name__}; import "
        "conflict_ledger (its display modules register them)"
    )


class Displayed:
    """What every answer type shows: text and HTML in any zone, ``print`` and Jupyter."""

    __slots__ = ()

    def to_text(self, tz: str | None = None) -> str:
        """This answer as plain text, every time in zone ``tz`` (an IANA name; None: UTC)
        with its offset."""
        return render(self, "text", tz=tz)

    def to_html(self, tz: str | None = None) -> str:
        """This answer as self-contained HTML, every time in zone ``tz`` (None: UTC)."""
        return render(self, "html", tz=tz)

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        """Jupyter's rich display (in UTC; call ``to_html(tz=...)`` for a local zone)."""
        return self.to_html()

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain-text display: the same text as ``print``."""
        printer.text(str(self))
