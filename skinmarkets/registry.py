"""Finding vendors and connecting to them.

Vendors are found through the entry-point group ``skinmarkets.vendors`` (see
:mod:`skinmarkets._plugins`, which the sandbox uses too). A third-party package adds one by
declaring, in its ``pyproject.toml``::

    [project.entry-points."skinmarkets.vendors"]
    my_market = "my_package:MyMarket"

where ``MyMarket(**options)`` returns a :class:`~skinmarkets.protocol.Marketplace`. The built-in
vendors are also known without their entry points, so a source checkout works uninstalled.

For type checkers, ``connect`` is overloaded on the built-in ids: ``connect("mannco", …)`` is a
``Mannco`` (so ``resend_trade`` or ``sell`` type-check), ``"market_tm"`` a ``MarketTM``,
``"swapgg"`` a ``SwapGG``, ``"skinsback"`` a ``Skinsback``; any other ``str`` (a plugin's id, a
variable) is a ``Marketplace``. Only the types: at run time the adapters still load on
``connect``, and this module imports none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, overload

from skinmarkets import _plugins
from skinmarkets._plugins import ENTRY_POINT_GROUP, vendors
from skinmarkets.errors import ConfigurationError
from skinmarkets.protocol import Marketplace

if TYPE_CHECKING:  # the types only: importing an adapter here would load every vendor
    from skinmarkets.vendors.mannco import Mannco
    from skinmarkets.vendors.market_tm import MarketTM
    from skinmarkets.vendors.skinsback import Skinsback
    from skinmarkets.vendors.swapgg import SwapGG

__all__ = ["ENTRY_POINT_GROUP", "connect", "vendors"]


@overload
def connect(vendor: Literal["mannco"], *, sandbox: bool = False, **options: Any) -> Mannco: ...
@overload
def connect(vendor: Literal["market_tm"], *, sandbox: bool = False, **options: Any) -> MarketTM: ...
@overload
def connect(
    vendor: Literal["skinsback"], *, sandbox: bool = False, **options: Any
) -> Skinsback: ...
@overload
def connect(vendor: Literal["swapgg"], *, sandbox: bool = False, **options: Any) -> SwapGG: ...
@overload
def connect(vendor: str, *, sandbox: bool = False, **options: Any) -> Marketplace: ...


def connect(vendor: str, *, sandbox: bool = False, **options: Any) -> Marketplace:
    """A connected market for ``vendor`` (an id from :func:`vendors`), configured by ``options``.

    Every vendor accepts ``base_url``, ``timeout``, ``deadline``, ``max_retries``,
    ``session``, ``proxy`` (a proxy URL for every request and socket, see
    :mod:`skinmarkets._http.proxy`), ``store`` (where rate limits and the write journal live, see
    :mod:`skinmarkets._store`) and ``lease``; the credentials and other options per vendor are
    listed in the README. A mistake in the options raises ``ConfigurationError`` naming it,
    before anything is sent.

    ``sandbox=True`` connects the same adapter to the process-wide paper-trading sandbox
    (:func:`skinmarkets.sandbox.default_sandbox`, started on first use) with the sandbox
    account's credentials; given credentials and ``base_url`` are ignored.
    """
    if not isinstance(vendor, str):
        raise ConfigurationError(f"the vendor id must be a str, got {vendor!r}")
    targets = _plugins.targets()
    if vendor.strip().lower() not in targets:
        raise ConfigurationError(
            f"unknown vendor {vendor!r}: choose one of {', '.join(sorted(targets))}"
        )
    vendor = vendor.strip().lower()
    if sandbox:
        from skinmarkets.sandbox import default_sandbox  # only when asked: starts a server

        return default_sandbox().connect(vendor, **options)
    return _plugins.build(vendor, options)
