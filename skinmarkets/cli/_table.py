"""Plain-text tables for the terminal: aligned columns, numbers on the right, no dependency.

A table wider than the terminal is made to fit in steps, each only when the one before was not
enough: the name column (``shrink``) is cut down to 16 characters with "…", the gaps between
columns go from two spaces to one, and the name column is cut down to 8. A table that still
does not fit is printed as it is (the terminal wraps it) rather than losing a price or an id.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["ELLIPSIS", "render_table", "truncated"]

ELLIPSIS = "…"
_SOFT_MIN = 16  # the name column keeps this much while the gaps can still narrow
_HARD_MIN = 8


def truncated(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, its end replaced by "…" when cut."""
    if len(text) <= width:
        return text
    return text[: max(width - 1, 0)] + ELLIPSIS


def _layout(natural: list[int], width: int | None, shrink: int | None) -> tuple[list[int], int]:
    """Column widths and the gap that fit ``width`` (see the module docstring)."""
    if width is None:
        return list(natural), 2
    widths = list(natural)
    for gap, floor in ((2, _SOFT_MIN), (1, _SOFT_MIN), (1, _HARD_MIN)):
        widths = list(natural)
        excess = sum(widths) + gap * (len(widths) - 1) - width
        if excess > 0 and shrink is not None:
            widths[shrink] = max(min(floor, natural[shrink]), natural[shrink] - excess)
        if sum(widths) + gap * (len(widths) - 1) <= width:
            return widths, gap
    return widths, 1


def render_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: frozenset[int] = frozenset(),
    width: int | None = None,
    shrink: int | None = None,
) -> str:
    """The rows under their headers, columns padded to line up; ``right`` columns are numbers.

    ``width``: the most characters a line may take (None: no limit); ``shrink``: the column
    that gives way first, its cells cut with "…". Every line ends without trailing spaces, so
    the output diffs and pastes cleanly.
    """
    natural = [len(header) for header in headers]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], len(cell))
    widths, gap = _layout(natural, width, shrink)
    space = " " * gap

    def line(cells: Sequence[str]) -> str:
        padded = []
        for index, cell in enumerate(cells):
            text = truncated(cell, widths[index])
            padded.append(
                text.rjust(widths[index]) if index in right else text.ljust(widths[index])
            )
        return space.join(padded).rstrip()

    rule = space.join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(row) for row in rows)])
