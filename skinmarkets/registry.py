"""Finding vendors and connecting to them.

Vendors are found through the entry-point group ``skinmarkets.vendors``: a third-party package
adds one by declaring, in its ``pyproject.toml``::

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

import importlib
import inspect
from collections.abc import Callable
from importlib import metadata
from typing import TYPE_CHECKING, Any, Literal, overload

from skinmarkets.errors import ConfigurationError
from skinmarkets.protocol import Marketplace

if TYPE_CHECKING:  # the types only: importing an adapter here would load every vendor
    from skinmarkets.vendors.mannco import Mannco
    from skinmarkets.vendors.market_tm import MarketTM
    from skinmarkets.vendors.skinsback import Skinsback
    from skinmarkets.vendors.swapgg import SwapGG

__all__ = ["ENTRY_POINT_GROUP", "connect", "vendors"]

ENTRY_POINT_GROUP = "skinmarkets.vendors"

_BUILT_IN: dict[str, str] = {
    "market_tm": "skinmarkets.vendors.market_tm:MarketTM",
    "mannco": "skinmarkets.vendors.mannco:Mannco",
    "swapgg": "skinmarkets.vendors.swapgg:SwapGG",
    "skinsback": "skinmarkets.vendors.skinsback:Skinsback",
}

VendorFactory = Callable[..., Marketplace]


def _targets() -> dict[str, str]:
    """Vendor id -> "module:attribute", built-ins first, installed plugins after."""
    found = dict(_BUILT_IN)
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        # connect() looks ids up in lower case, so a plugin's "MyMarket" is "mymarket".
        found.setdefault(entry_point.name.strip().lower(), entry_point.value)
    return found


def vendors() -> list[str]:
    """The ids of every vendor that ``connect`` knows, sorted."""
    return sorted(_targets())


def _load(vendor: str, target: str) -> VendorFactory:
    module_name, _, attribute = target.partition(":")
    try:
        module = importlib.import_module(module_name)
        factory: VendorFactory = getattr(module, attribute)
    except Exception as exc:  # a broken plugin may fail on import with anything
        # Chained (not ``from None``): no credential is involved yet, and the plugin's own
        # traceback is what its author needs.
        raise ConfigurationError(
            f"vendor {vendor!r} is registered as {target!r} but could not be loaded "
            f"({type(exc).__name__}: {exc}); reinstall the package that provides it",
            vendor=vendor,
        ) from exc
    return factory


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
    targets = _targets()
    target = targets.get(vendor.strip().lower())
    if target is None:
        raise ConfigurationError(
            f"unknown vendor {vendor!r}: choose one of {', '.join(sorted(targets))}"
        )
    vendor = vendor.strip().lower()
    if sandbox:
        from skinmarkets.sandbox import default_sandbox  # only when asked: starts a server

        return default_sandbox().connect(vendor, **options)
    factory = _load(vendor, target)
    _check_options(vendor, factory, options)
    return factory(**options)


def _check_options(vendor: str, factory: VendorFactory, options: dict[str, Any]) -> None:
    """Reject misspelt or missing options by name instead of letting a ``TypeError`` escape."""
    try:
        signature = inspect.signature(factory)
    except (TypeError, ValueError):
        return
    try:
        signature.bind(**options)
    except TypeError:
        accepted = [
            name
            for name, p in signature.parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        unknown = sorted(set(options) - set(accepted))
        missing = [
            name
            for name, p in signature.parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is p.empty
            and name not in options
        ]
        if unknown:
            problem = f"unknown option(s) {', '.join(map(repr, unknown))}"
        elif missing:
            problem = f"missing option(s) {', '.join(map(repr, missing))}"
        else:
            problem = "options it cannot take by keyword"
        raise ConfigurationError(
            f"{vendor}: {problem}; it accepts {', '.join(accepted)}", vendor=vendor
        ) from None
