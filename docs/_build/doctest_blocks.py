"""A Griffe extension for the docs build: show docstring examples (``>>>``) as code.

Docstrings hold doctests, which the test suite runs; rendered as Markdown they would be
block quotes with link-like brackets. This wraps each run of ``>>>`` lines and their
output in a ``pycon`` code fence. It is used only by mkdocs.yml.
"""

from __future__ import annotations

from typing import Any

import griffe


def fence(text: str) -> str:
    """Wrap each doctest example block of ``text`` in a fenced code block."""
    out: list[str] = []
    inside = False
    for line in text.splitlines():
        starts = line.lstrip().startswith(">>>")
        if starts and not inside:
            out.append("```pycon")
            inside = True
        elif inside and not line.strip():
            out.append("```")
            inside = False
        out.append(line)
    if inside:
        out.append("```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    """Fence the doctest examples of every docstring."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence(obj.docstring.value)
