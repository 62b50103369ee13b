"""The sandbox object: starting, connecting, driving trades, faults, connect(sandbox=True)."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
import requests

import skinmarkets as sm
from skinmarkets.sandbox import Sandbox, default_sandbox
from skinmarkets.sandbox._catalog import CATALOGUE


def test_sandbox_serves_on_loopback_and_stops_on_exit() -> None:
    with sm.sandbox() as sb:
        assert sb.url.startswith("http://127.0.0.1:")
        assert requests.get(f"{sb.url}/nowhere/x", timeout=5).status_code == 404
        url = sb.url
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/market_tm/api/v2/get-money", timeout=2)


def test_catalogue_is_about_ten_plausible_items() -> None:
    names = [item.market_hash_name for item in CATALOGUE]
    assert 8 <= len(names) <= 15
    assert "AK-47 | Redline (Field-Tested)" in names
    assert "Mann Co. Supply Crate Key" in names


def test_each_market_lists_each_item_at_its_own_price(sb: Sandbox) -> None:
    tm = sb.connect("market_tm").list_for_sale("AWP | Asiimov (Field-Tested)")
    swap = sb.connect("swapgg").list_for_sale("AWP | Asiimov (Field-Tested)")
    assert tm and swap
    assert tm[0].price.amount != swap[0].price.amount


def test_connect_all_gives_every_sandbox_vendor(sb: Sandbox) -> None:
    markets = sb.connect_all()
    assert set(markets) == set(sb.vendors)
    assert all(isinstance(m, sm.Marketplace) for m in markets.values())


def test_credentials_are_connect_kwargs(sb: Sandbox) -> None:
    assert sb.credentials("market_tm") == {"api_key": "sandbox-market-tm-key"}
    with pytest.raises(ValueError, match="no vendor"):
        sb.credentials("nosuchmarket")


def test_fail_next_refuses_unknown_faults(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match="unknown fault"):
        sb.fail_next("market_tm", "buy", "meteor")


def test_fail_next_refuses_operations_the_vendor_does_not_have(sb: Sandbox) -> None:
    with pytest.raises(ValueError, match=r"no operation 'buyy'.*market_buy"):
        sb.fail_next("skinsback", "buyy", "timeout")
    with pytest.raises(ValueError, match="no operation 'withdraw'"):
        sb.fail_next("skinsback", "withdraw", "timeout")  # SkinsBack delivers by itself


@pytest.mark.parametrize("vendor", ["market_tm", "swapgg", "skinsback", "mannco"])
def test_every_vendor_takes_the_neutral_names_of_the_main_operations(
    sb: Sandbox, vendor: str
) -> None:
    for operation in ("buy", "listings", "prices", "balance", "trades"):
        sb.fail_next(vendor, operation, "http_502")
    assert len(sb.state.faults) == 5


def test_balance_of_and_set_balance(sb: Sandbox) -> None:
    sb.set_balance("swapgg", "1.50")
    assert sb.balance_of("swapgg") == sm.Money("1.50", "EUR")
    assert sb.connect("swapgg").balance().available == sm.Money("1.50", "EUR")


def test_advance_times_out_unaccepted_offers_and_items_can_be_withdrawn_again(
    sb: Sandbox,
) -> None:
    market = sb.connect("market_tm")
    market.buy(market.list_for_sale("Spectrum 2 Case")[0])
    (first,) = market.withdraw()
    sb.advance(16 * 60)
    assert market.active_trades() == []
    (second,) = market.withdraw()
    assert second.id != first.id
    with pytest.raises(ValueError, match="expired"):
        sb.accept(first)
    sb.expire(second)
    assert market.active_trades() == []


def test_latency_is_injected_per_request() -> None:
    with sm.sandbox(latency=0.2) as sb:
        market = sb.connect("swapgg")
        started = time.monotonic()
        market.balance()
        assert time.monotonic() - started >= 0.2


def test_connect_sandbox_true_uses_the_process_wide_sandbox() -> None:
    market = sm.connect("market_tm", sandbox=True, api_key="ignored-real-key")
    assert market.balance().available.currency == "USD"
    assert default_sandbox() is default_sandbox()
    assert default_sandbox().balance_of("market_tm").amount <= Decimal("500")


@pytest.mark.parametrize("drive", ["accept", "expire"])
def test_driving_an_unknown_trade_says_what_to_pass(sb: Sandbox, drive: str) -> None:
    with pytest.raises(ValueError, match="no trade 'nope'; pass a Trade from withdraw"):
        getattr(sb, drive)("nope")
