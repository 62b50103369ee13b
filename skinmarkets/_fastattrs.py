"""Build instances of frozen attrs classes without their ``__init__``, for values already checked.

Catalogue-scale code (price lists, ``compare``, ``arbitrage``) builds hundreds of thousands of
small frozen objects whose every value was just checked or computed exactly; the generated
``__init__`` (converters, validators, ``object.__setattr__`` per field) costs several times the
work itself. :func:`maker` returns a function that sets the slots directly, positionally, in
field order. It must only be given what the public constructor would accept and keep unchanged;
``tests/test_fastattrs.py`` pins that its results equal the public constructor's. If the class
gains, loses or reorders a field, :func:`maker` raises at import time instead of leaving a slot
unset.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import attrs

__all__ = ["maker"]

T = TypeVar("T")

_new = object.__new__


def maker(cls: type[T], names: tuple[str, ...]) -> Callable[..., T]:
    """``make(*values)`` -> a ``cls`` whose fields ``names`` (all of them, in order) are set."""
    fields = tuple(field.name for field in attrs.fields(cls))  # type: ignore[arg-type]
    if fields != names:
        raise RuntimeError(
            f"skinmarkets._fastattrs: {cls.__name__} has fields {fields}, the caller sets {names}"
        )
    setters = tuple(vars(cls)[name].__set__ for name in names)
    count = len(setters)
    # one straight-line function per class: no loop per object
    args = ", ".join(f"v{i}" for i in range(count))
    body = "\n".join(f"    s{i}(o, v{i})" for i in range(count))
    scope: dict[str, Any] = {f"s{i}": setter for i, setter in enumerate(setters)}
    scope.update(new=_new, cls=cls)
    exec(f"def make({args}):\n    o = new(cls)\n{body}\n    return o\n", scope)  # noqa: S102
    make: Callable[..., T] = scope["make"]
    make.__doc__ = f"A {cls.__name__} from already-checked values ({', '.join(names)})."
    return make
