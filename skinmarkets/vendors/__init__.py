"""Vendor adapters, one package per vendor id; loaded only by ``skinmarkets.connect``.

``skinmarkets.vendors`` is also the name of the function :func:`skinmarkets.vendors` (the
design's public API). Importing any adapter makes Python bind the attribute
``skinmarkets.vendors`` to this package, so the package itself is made callable with the same
result: ``sm.vendors()`` keeps working whichever of the two the name points to.
"""

from __future__ import annotations

import sys
import types

from skinmarkets import _plugins


class _VendorsPackage(types.ModuleType):
    """This package, callable as :func:`skinmarkets.vendors` (``_plugins.vendors``, below the
    adapters: the package never reaches up to the registry that loads it)."""

    def __call__(self) -> list[str]:
        return _plugins.vendors()


sys.modules[__name__].__class__ = _VendorsPackage
