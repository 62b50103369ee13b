"""connect() and vendors(): built-in vendors, third-party plugins, and option checking."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import _plugins as plugins
from skinmarkets import errors, registry
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities


class FakeMarket:
    """A third-party vendor, loaded through the fake entry point below."""

    vendor = "fake"
    capabilities = Capabilities(
        price_list=False,
        purchase_lookup=False,
        server_side_max_price=False,
        idempotent_buy=False,
        delivery="bot_withdraw",
        currencies=frozenset({"USD"}),
        requests_per_second=1.0,
    )

    def __init__(self, *, api_key: str, base_url: str | None = None) -> None:
        self.name = "fake"
        self.api_key = api_key
        self.base_url = base_url

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Any]:
        return []

    def buy(
        self, listing: Any, *, max_price: Money | None = None, custom_id: str | None = None
    ) -> Any:
        raise NotImplementedError

    def balance(self) -> Any:
        raise NotImplementedError

    def active_trades(self) -> list[Any]:
        return []

    def withdraw(self, purchases: Sequence[Any] | None = None) -> list[Any]:
        return []


def _plugins(monkeypatch: pytest.MonkeyPatch, **targets: str) -> None:
    """Make ``targets`` (id -> "module:attribute") the installed entry points."""
    installed = [
        metadata.EntryPoint(name=name, value=value, group=registry.ENTRY_POINT_GROUP)
        for name, value in targets.items()
    ]

    def entry_points(*, group: str) -> list[metadata.EntryPoint]:
        return [e for e in installed if e.group == group]

    monkeypatch.setattr(plugins.metadata, "entry_points", entry_points)


# --------------------------------------------------------------------------- vendors()


def test_vendors_knows_market_tm() -> None:
    assert "market_tm" in sm.vendors()


def test_vendors_is_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, zeta="z:Z", alpha="a:A")

    ids = sm.vendors()

    assert ids == sorted(ids)
    assert {"alpha", "zeta"} <= set(ids)


def test_built_in_vendors_are_known_without_their_entry_points(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _plugins(monkeypatch)

    assert "market_tm" in sm.vendors()


def test_vendors_still_works_after_a_vendor_package_is_imported() -> None:
    importlib.import_module("skinmarkets.vendors.market_tm")

    assert "market_tm" in sm.vendors()


def test_vendor_packages_stay_reachable_through_the_vendors_attribute() -> None:
    adapter = importlib.import_module("skinmarkets.vendors.market_tm.adapter")

    assert sm.vendors.market_tm.MarketTM is adapter.MarketTM


def test_vendors_lists_an_installed_plugin(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    assert "fake" in sm.vendors()


# --------------------------------------------------------------------------- connect()


def test_connect_returns_the_plugin_market_built_from_the_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    market = sm.connect("fake", api_key="k-123", base_url="http://127.0.0.1:9")

    assert isinstance(market, FakeMarket)
    assert (market.api_key, market.base_url) == ("k-123", "http://127.0.0.1:9")
    assert isinstance(market, sm.Marketplace)


@pytest.mark.parametrize("vendor_id", ["FAKE", "  fake ", "Fake\n"])
def test_connect_ignores_case_and_surrounding_space_in_the_vendor_id(
    monkeypatch: pytest.MonkeyPatch, vendor_id: str
) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    assert isinstance(sm.connect(vendor_id, api_key="k-123"), FakeMarket)


def test_a_plugin_id_in_capitals_is_found_in_lower_case(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, FakeMarket="tests.test_registry:FakeMarket")

    assert "fakemarket" in sm.vendors()
    assert isinstance(sm.connect("FakeMarket", api_key="k-123"), FakeMarket)


def test_connect_to_an_unknown_vendor_lists_the_known_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    with pytest.raises(errors.ConfigurationError) as caught:
        sm.connect("nope", api_key="k-123")

    message = str(caught.value)
    assert message.startswith("unknown vendor 'nope': choose one of ")
    assert "fake" in message and "market_tm" in message


def test_connect_with_a_vendor_id_that_is_not_a_str_is_refused() -> None:
    with pytest.raises(errors.ConfigurationError, match="vendor id must be a str"):
        sm.connect(42)


def test_an_unknown_option_is_named_with_the_accepted_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    with pytest.raises(errors.ConfigurationError) as caught:
        sm.connect("fake", api_key="k-123", apikey="typo")

    assert str(caught.value) == "fake: unknown option(s) 'apikey'; it accepts api_key, base_url"


def test_a_missing_required_option_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    _plugins(monkeypatch, fake="tests.test_registry:FakeMarket")

    with pytest.raises(errors.ConfigurationError, match=r"fake: missing option.*'api_key'"):
        sm.connect("fake")


def test_an_unknown_option_of_a_built_in_vendor_is_named() -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        sm.connect("market_tm", api_key="k-12345678", gmae="rust")

    message = str(caught.value)
    assert "'gmae'" in message
    assert all(name in message for name in ("api_key", "game", "base_url", "timeout"))


@pytest.mark.parametrize(
    "target",
    [
        "tests.no_such_module:FakeMarket",
        "tests.test_registry:NoSuchClass",
    ],
    ids=["missing module", "missing attribute"],
)
def test_a_plugin_that_cannot_be_loaded_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    _plugins(monkeypatch, broken=target)

    with pytest.raises(errors.ConfigurationError, match="vendor 'broken' is registered as"):
        sm.connect("broken")


def test_a_plugin_that_raises_while_importing_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    (tmp_path / "exploding_plugin.py").write_text("raise RuntimeError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    _plugins(monkeypatch, exploding="exploding_plugin:Market")

    with pytest.raises(errors.ConfigurationError, match=r"RuntimeError: boom"):
        sm.connect("exploding")


# --------------------------------------------------------------------------- lazy imports


def test_importing_skinmarkets_imports_no_vendor_and_no_socketio() -> None:
    code = (
        "import json, sys, skinmarkets; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.startswith(('skinmarkets.vendors', 'socketio', 'engineio')))))"
    )

    output = subprocess.run(  # noqa: S603 - runs this interpreter on a fixed snippet
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert json.loads(output) == []


@pytest.mark.parametrize("vendor", ["swapgg", "market_tm", "mannco", "skinsback"])
def test_an_unknown_option_of_a_built_in_vendor_is_named_with_what_it_accepts(vendor: str) -> None:
    with pytest.raises(errors.ConfigurationError) as caught:
        sm.connect(vendor, store="memory", colour="red")
    message = str(caught.value)
    first = "client_id" if vendor == "skinsback" else "api_key"
    assert message.startswith(f"{vendor}: unknown option(s) 'colour'; it accepts {first}, ")
    assert "base_url" in message and "proxy" in message


def test_an_adapter_made_directly_refuses_an_unknown_option_too() -> None:
    from skinmarkets.vendors.swapgg import SwapGG

    with pytest.raises(errors.ConfigurationError, match=r"swapgg: unknown option.*'colour'"):
        SwapGG(api_key="k" * 16, store="memory", colour="red")  # type: ignore[call-arg]
