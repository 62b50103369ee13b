"""Vendor adapters, one package per vendor id; loaded only by ``skinmarkets.connect``.

``skinmarkets.vendors`` is also the name of the function :func:`skinmarkets.vendors` (the
design's public API). Importing any adapter makes Python bind the attribute
``skinmarkets.vendors`` to this package, so the package itself is made callable with the same
result: ``sm.vendors()`` keeps working whichever of the two the name points to.
"""

from __future__ import annotations

import sys
import types


class _VendorsPackage(types.ModuleType):
    """This package, callable as :func:`skinmarkets.registry.vendors`."""

    def __call__(self) -> list[str]:
        from skinmarkets.registry import vendors

        return vendors()


sys.modules[__name__].__class__ = _VendorsPackage
