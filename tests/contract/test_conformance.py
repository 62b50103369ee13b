"""Every adapter is a Marketplace: names, capabilities, optional protocols, model shapes."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

import pytest

import skinmarkets as sm
from skinmarkets import registry
from tests.contract.failures import CUSTOM_ID
from tests.contract.harness import VendorHarness

OPTIONAL_PROTOCOLS = [
    ("price_list", sm.PriceSource),
    ("purchase_lookup", sm.PurchaseLookup),
    ("seller", sm.Seller),
]


def _bought(h: VendorHarness, market: sm.Marketplace) -> sm.Purchase:
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ok(mock)
        return market.buy(listing, custom_id=CUSTOM_ID)


def _looked_up(h: VendorHarness, market: sm.Marketplace) -> sm.Purchase:
    listing = h.listing(market)
    with h.mock() as mock:
        h.add_buy_ambiguous(mock, "read_timeout")
        h.add_lookup_found(mock, CUSTOM_ID)
        return market.buy(listing, custom_id=CUSTOM_ID)


def _trades(h: VendorHarness, market: sm.Marketplace) -> list[sm.Trade]:
    with h.mock() as mock:
        h.add_active_trades(mock)
        return market.active_trades()


# ---------------------------------------------------------------------- the protocol


def test_connected_market_is_a_marketplace(h: VendorHarness) -> None:
    assert isinstance(h.connect(), sm.Marketplace)


def test_market_vendor_and_name_identify_the_vendor(h: VendorHarness) -> None:
    market = h.connect()
    assert market.vendor == h.vendor
    assert isinstance(market.name, str)
    assert market.name == h.vendor or market.name.startswith(h.vendor + ":")


def test_vendor_is_listed_by_registry_vendors(h: VendorHarness) -> None:
    assert h.vendor in registry.vendors()


def test_sm_vendors_still_lists_the_vendor_after_connect(h: VendorHarness) -> None:
    h.connect()
    assert h.vendor in sm.vendors()


def test_capabilities_have_the_documented_types(h: VendorHarness) -> None:
    caps = h.connect().capabilities
    assert isinstance(caps, sm.Capabilities)
    for flag in ("price_list", "purchase_lookup", "server_side_max_price", "idempotent_buy"):
        assert type(getattr(caps, flag)) is bool, flag
    assert caps.delivery in {"bot_withdraw", "direct_offer"}
    assert isinstance(caps.currencies, frozenset)
    assert caps.currencies
    assert all(isinstance(c, str) and re.fullmatch("[A-Z]{3}", c) for c in caps.currencies)
    rate = caps.requests_per_second
    assert isinstance(rate, int | float) and not isinstance(rate, bool)
    assert math.isfinite(rate) and rate > 0


@pytest.mark.parametrize(
    ("flag", "protocol"), OPTIONAL_PROTOCOLS, ids=[f for f, _ in OPTIONAL_PROTOCOLS]
)
def test_advertised_optional_protocol_is_implemented(
    h: VendorHarness, flag: str, protocol: type
) -> None:
    market = h.connect()
    if not getattr(market.capabilities, flag, False):
        pytest.skip(f"{h.vendor} does not advertise {flag}")
    assert isinstance(market, protocol)


def test_advertised_price_list_is_in_one_currency(h: VendorHarness) -> None:
    market = h.connect()
    if not market.capabilities.price_list:
        pytest.skip(f"{h.vendor} does not advertise price_list")
    with h.mock() as mock:
        h.add_price_list(mock)
        quotes = market.prices()  # type: ignore[attr-defined]
    assert quotes
    assert all(isinstance(q, sm.PriceQuote) and q.market == market.name for q in quotes)
    currencies = {m.currency for q in quotes for m in (q.lowest_ask, q.highest_bid) if m}
    assert len(currencies) == 1


# ---------------------------------------------------------------------- listings


def test_list_for_sale_returns_listings_cheapest_first(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_listings(mock)
        listings = market.list_for_sale(h.item_name)
    assert len(listings) >= 2
    assert all(isinstance(listing, sm.Listing) for listing in listings)
    prices = [listing.price.amount for listing in listings]
    assert prices == sorted(prices)


@pytest.mark.parametrize("limit", [1, 2])
def test_list_for_sale_returns_at_most_limit_cheapest(h: VendorHarness, limit: int) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_listings(mock)
        h.add_listings(mock)
        everything = market.list_for_sale(h.item_name)
        cheapest = market.list_for_sale(h.item_name, limit=limit)
    assert len(everything) > limit
    assert cheapest == everything[:limit]


def test_listings_belong_to_the_market_and_have_str_ids(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_listings(mock)
        listings = market.list_for_sale(h.item_name)
    for listing in listings:
        assert listing.market == market.name
        assert isinstance(listing.id, str) and listing.id
        assert listing.asset_id is None or isinstance(listing.asset_id, str)
        assert isinstance(listing.market_hash_name, str) and listing.market_hash_name
        assert type(listing.app_id) is int
        assert type(listing.quantity) is int and listing.quantity >= 1


# ---------------------------------------------------------------------- purchases and trades


def test_bought_purchase_has_str_ids_and_belongs_to_the_market(h: VendorHarness) -> None:
    market = h.connect()
    purchase = _bought(h, market)
    assert isinstance(purchase, sm.Purchase)
    assert purchase.market == market.name
    assert isinstance(purchase.id, str) and purchase.id
    assert purchase.custom_id == CUSTOM_ID
    assert purchase.trade_offer_id is None or isinstance(purchase.trade_offer_id, str)
    assert isinstance(purchase.status, sm.TradeStatus)


def test_looked_up_purchase_has_str_ids_and_belongs_to_the_market(h: VendorHarness) -> None:
    market = h.connect()
    if not market.capabilities.purchase_lookup:
        pytest.skip(f"{h.vendor} cannot look purchases up")
    purchase = _looked_up(h, market)
    assert purchase.market == market.name
    assert isinstance(purchase.id, str) and purchase.id
    assert purchase.custom_id == CUSTOM_ID
    assert purchase.trade_offer_id is None or isinstance(purchase.trade_offer_id, str)
    assert isinstance(purchase.status, sm.TradeStatus)


def test_purchase_lookup_finds_the_purchase_by_custom_id(h: VendorHarness) -> None:
    market = h.connect()
    if not isinstance(market, sm.PurchaseLookup) or not market.capabilities.purchase_lookup:
        pytest.skip(f"{h.vendor} cannot look purchases up")
    with h.mock() as mock:
        h.add_lookup_found(mock, CUSTOM_ID)
        purchase = market.get_purchase(CUSTOM_ID)
    assert isinstance(purchase, sm.Purchase)
    assert purchase.custom_id == CUSTOM_ID


def test_purchase_lookup_of_an_unknown_custom_id_raises_item_unavailable(h: VendorHarness) -> None:
    market = h.connect()
    if not isinstance(market, sm.PurchaseLookup) or not market.capabilities.purchase_lookup:
        pytest.skip(f"{h.vendor} cannot look purchases up")
    with h.mock() as mock:
        h.add_lookup_not_found(mock, CUSTOM_ID)
        with pytest.raises(sm.errors.ItemUnavailable):
            market.get_purchase(CUSTOM_ID)


def test_active_trades_have_str_ids_status_and_direction(h: VendorHarness) -> None:
    market = h.connect()
    trades = _trades(h, market)
    assert trades
    for trade in trades:
        assert isinstance(trade, sm.Trade)
        assert trade.market == market.name
        assert isinstance(trade.id, str) and trade.id
        for optional in (trade.offer_id, trade.bot_id, trade.secret):
            assert optional is None or isinstance(optional, str)
        assert isinstance(trade.items, tuple)
        assert all(isinstance(item, str) for item in trade.items)
        assert isinstance(trade.status, sm.TradeStatus)
        assert isinstance(trade.direction, sm.Direction)
        if trade.offer_id is not None:
            assert trade.status is not sm.TradeStatus.PENDING


def test_timestamps_are_timezone_aware_utc(h: VendorHarness) -> None:
    market = h.connect()
    stamps: list[datetime | None] = [_bought(h, market).created_at]
    if market.capabilities.purchase_lookup:
        stamps.append(_looked_up(h, market).created_at)
    stamps.extend(trade.created_at for trade in _trades(h, market))
    present = [s for s in stamps if s is not None]
    assert present, "no model carried a timestamp"
    for stamp in present:
        assert isinstance(stamp, datetime)
        assert stamp.utcoffset() == timedelta(0)


def test_withdraw_with_nothing_waiting_returns_an_empty_list(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_withdraw_nothing(mock)
        assert market.withdraw() == []


def test_balance_is_in_an_advertised_currency(h: VendorHarness) -> None:
    market = h.connect()
    with h.mock() as mock:
        h.add_balance(mock)
        balance = market.balance()
    assert isinstance(balance, sm.Balance)
    assert balance.market == market.name
    assert balance.available.currency in market.capabilities.currencies
