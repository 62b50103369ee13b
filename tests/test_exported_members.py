"""The public names of ``skinmarkets``: exactly the design's list, sorted, all importable."""

from __future__ import annotations

import importlib
import types

import pytest

import skinmarkets

DESIGN_NAMES = [
    "connect",
    "vendors",
    "Marketplace",
    "Capabilities",
    "PriceSource",
    "PurchaseLookup",
    "Seller",
    "Money",
    "Rates",
    "Listing",
    "Purchase",
    "Balance",
    "Trade",
    "PriceQuote",
    "TradeStatus",
    "Direction",
    "errors",
    "compare",
    "arbitrage",
    "connect_all",
    "sandbox",
]


def test_all_is_sorted() -> None:
    assert skinmarkets.__all__ == sorted(skinmarkets.__all__)


def test_all_is_exactly_the_design_list() -> None:
    assert sorted(skinmarkets.__all__) == sorted(DESIGN_NAMES)


@pytest.mark.parametrize("name", DESIGN_NAMES)
def test_each_public_name_is_importable(name: str) -> None:
    namespace: dict[str, object] = {}

    exec(f"from skinmarkets import {name}", namespace)  # noqa: S102 - a fixed import line

    assert namespace[name] is getattr(skinmarkets, name)


def test_errors_is_the_errors_module() -> None:
    assert isinstance(skinmarkets.errors, types.ModuleType)
    assert skinmarkets.errors is importlib.import_module("skinmarkets.errors")


def test_events_is_the_events_module() -> None:
    assert skinmarkets.events is importlib.import_module("skinmarkets.events")


def test_importing_skinmarkets_loads_no_socket_or_redis_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys, skinmarkets, skinmarkets.events; "
        "print(sorted(m for m in ('socketio', 'websocket', 'redis') if m in sys.modules))"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "module",
    ["errors", "events", "models", "money", "protocol", "registry", "compare", "config", "_fees"],
)
def test_each_public_module_exports_only_names_it_has(module: str) -> None:
    imported = importlib.import_module(f"skinmarkets.{module}")

    assert [n for n in imported.__all__ if not hasattr(imported, n)] == []


def test_sandbox_is_the_module_and_calling_it_starts_a_sandbox() -> None:
    import skinmarkets.sandbox as sb_mod

    assert isinstance(skinmarkets.sandbox, types.ModuleType)
    assert sb_mod is skinmarkets.sandbox is importlib.import_module("skinmarkets.sandbox")
    assert sb_mod.Sandbox.__name__ == "Sandbox"
    assert callable(sb_mod.default_sandbox)
    with skinmarkets.sandbox() as sb:
        assert isinstance(sb, sb_mod.Sandbox)
