"""Finding vendors: the built-in ones and those installed through the entry-point group.

Used by :func:`skinmarkets.connect` (``registry``) and by the sandbox, which connects the real
adapters to its server: both load vendors here, so neither imports the other to do it.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from importlib import metadata
from typing import Any

from skinmarkets.errors import ConfigurationError
from skinmarkets.protocol import Marketplace

__all__ = ["BUILT_IN", "ENTRY_POINT_GROUP", "VendorFactory", "build", "load", "targets", "vendors"]

ENTRY_POINT_GROUP = "skinmarkets.vendors"

BUILT_IN: dict[str, str] = {
    "market_tm": "skinmarkets.vendors.market_tm:MarketTM",
    "mannco": "skinmarkets.vendors.mannco:Mannco",
    "swapgg": "skinmarkets.vendors.swapgg:SwapGG",
    "skinsback": "skinmarkets.vendors.skinsback:Skinsback",
}

VendorFactory = Callable[..., Marketplace]


def targets() -> dict[str, str]:
    """Vendor id -> "module:attribute", built-ins first, installed plugins after."""
    found = dict(BUILT_IN)
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        # connect() looks ids up in lower case, so a plugin's "MyMarket" is "mymarket".
        found.setdefault(entry_point.name.strip().lower(), entry_point.value)
    return found


def vendors() -> list[str]:
    """The ids of every vendor that ``connect`` knows, sorted."""
    return sorted(targets())


def load(vendor: str, target: str) -> VendorFactory:
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


def accepted_options(factory: Callable[..., object]) -> tuple[str, ...] | None:
    """The keyword options ``factory`` takes, or None when it takes any.

    Its named parameters, and for an adapter taking the shared options as ``**connect``
    (``_adapter.Adapter``), the names its ``connect_options`` lists.
    """
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):
        return None
    named = tuple(p.name for p in parameters if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD))
    if not any(p.kind is p.VAR_KEYWORD for p in parameters):
        return named
    extra = getattr(factory, "connect_options", None)
    if not isinstance(extra, tuple):
        return None
    return named + tuple(name for name in extra if name not in named)


def check_options(vendor: str, factory: VendorFactory, options: dict[str, Any]) -> None:
    """Reject misspelt or missing options by name instead of letting a ``TypeError`` escape."""
    accepted = accepted_options(factory)
    if accepted is None:
        return
    signature = inspect.signature(factory)
    unknown = sorted(set(options) - set(accepted))
    if unknown:
        problem = f"unknown option(s) {', '.join(map(repr, unknown))}"
    else:
        try:
            signature.bind(**options)
            return
        except TypeError:
            pass
        missing = [
            name
            for name, p in signature.parameters.items()
            if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
            and p.default is p.empty
            and name not in options
        ]
        problem = (
            f"missing option(s) {', '.join(map(repr, missing))}"
            if missing
            else "options it cannot take by keyword"
        )
    raise ConfigurationError(
        f"{vendor}: {problem}; it accepts {', '.join(accepted)}", vendor=vendor
    ) from None


def build(vendor: str, options: Mapping[str, Any]) -> Marketplace:
    """``vendor``'s adapter made with ``options`` (checked by name first); ``vendor`` must be a
    known id in lower case (see :func:`targets`)."""
    factory = load(vendor, targets()[vendor])
    check_options(vendor, factory, dict(options))
    return factory(**options)
