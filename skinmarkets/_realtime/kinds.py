"""Checks of ``events(kinds=…)`` and of the ``ws_url=`` connect option, before connecting."""

from __future__ import annotations

import re
from collections.abc import Collection

from skinmarkets import errors
from skinmarkets.events import KINDS

__all__ = ["check_kinds", "check_ws_url", "missing_extra", "require"]

_WS_URL = re.compile(r"(wss?|https?)://[^/\s?#@]+(/[^\s?#]*)?", re.IGNORECASE)


def check_kinds(vendor: str, kinds: object, pushed: Collection[str]) -> frozenset[str]:
    """The kinds asked for (``None``: all the market pushes); anything else is refused.

    A kind that does not exist is ``InvalidRequest``; one this market does not push is
    ``NotSupported`` — both before anything connects.
    """
    if kinds is None:
        return frozenset(pushed)
    if isinstance(kinds, str):
        kinds = {kinds}
    if not isinstance(kinds, Collection) or not all(isinstance(k, str) for k in kinds):
        raise errors.InvalidRequest(
            f"{vendor}: events: kinds must be a set of {sorted(KINDS)}, got {kinds!r:.60}",
            vendor=vendor,
            operation="events",
        )
    wanted = frozenset(k.strip().lower() for k in kinds)
    unknown = sorted(wanted - KINDS)
    if unknown or not wanted:
        raise errors.InvalidRequest(
            f"{vendor}: events: unknown kind(s) {unknown or '(none given)'}; choose from "
            f"{sorted(KINDS)}",
            vendor=vendor,
            operation="events",
        )
    unsupported = sorted(wanted - frozenset(pushed))
    if unsupported:
        raise errors.NotSupported(
            f"{vendor}: events: this market does not push {', '.join(unsupported)} events; it "
            f"pushes {sorted(pushed) or 'none'} (see Capabilities.events)",
            vendor=vendor,
            operation="events",
        )
    return wanted


def check_ws_url(vendor: str, ws_url: object) -> str | None:
    """``ws_url=``: a ws(s):// or http(s):// origin replacing the vendor's realtime origin."""
    if ws_url is None:
        return None
    if not isinstance(ws_url, str) or not _WS_URL.fullmatch(ws_url.strip()):
        raise errors.ConfigurationError(
            f"{vendor}: ws_url must be an origin like 'wss://host:port' (the documented paths "
            f"are appended), got {ws_url!r:.80}",
            vendor=vendor,
        )
    return ws_url.strip().rstrip("/")


def missing_extra(vendor: str, module: str) -> errors.ConfigurationError:
    """The error for using ``events()`` without the realtime extra."""
    return errors.ConfigurationError(
        f"{vendor}: realtime events need the optional dependencies ({module} is not "
        "installed): pip install 'skinmarkets[realtime]'",
        vendor=vendor,
        operation="events",
    )


def require(vendor: str, module: str) -> None:
    """Import ``module`` now (``websocket``, ``socketio``): its absence is the extra missing."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError:
        raise missing_extra(vendor, module) from None
