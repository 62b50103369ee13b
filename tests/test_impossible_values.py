"""Vendor values that cannot be true are ``UnexpectedResponse`` with the raw answer kept.

A negative price, balance or amount, and an id written as a JSON number with a fraction or an
exponent (``1.5``, ``123.0``, ``1E+400``: decoded as ``Decimal``), are refused by every vendor's
wire classes -- never accepted, never a ``KeyError``/``TypeError`` later. Zero stays allowed.
The property runs over the money and id fields of all four vendors' wire classes; the tests
after it go through each adapter's ``balance`` and ``list_for_sale`` with ``responses``.
"""

from __future__ import annotations

import copy
import json
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import attrs
import pytest
import responses
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.vendors.mannco import wire as mannco_wire
from skinmarkets.vendors.market_tm import wire as market_tm_wire
from skinmarkets.vendors.skinsback import wire as skinsback_wire
from skinmarkets.vendors.swapgg import wire as swapgg_wire
from tests.support import exact_json, load_fixture

PROPERTY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Structure = Callable[..., Any]


@attrs.frozen
class Field:
    """One field of a wire class: a good answer for the class and the path to the field."""

    structure: Structure
    cls: Any
    good: dict[str, Any]
    path: tuple[str | int, ...]

    def with_value(self, value: object) -> dict[str, Any]:
        data = copy.deepcopy(self.good)
        parent: Any = data
        for key in self.path[:-1]:
            parent = parent[key]
        parent[self.path[-1]] = value
        return data

    def __str__(self) -> str:
        return f"{self.cls.__name__}.{'.'.join(map(str, self.path))}"


TM, SG, SB, MC = (
    market_tm_wire.structure,
    swapgg_wire.structure,
    skinsback_wire.structure,
    mannco_wire.structure,
)
TM_OFFER = {"id": "1", "price": 3573}
TM_BUY_INFO = {"item_id": "1", "stage": 1, "paid": "0.5", "currency": "USD"}
TM_MY_ITEM = {"item_id": "1", "market_hash_name": "x", "status": 1, "price": 4}
SG_SALE = {"saleId": "s1", "price": 3122}
SG_PURCHASE = {"saleIds": ["a"], "purchaseAmount": 3}
SB_BALANCE = {"balance_in_currencies": {"usd": "1"}}
SB_BUY_INFO = {"buy_id": "65", "balance_debited_sum": "0.4", "item": {"id": "2", "price": "0.4"}}
MC_ROW = {"assetId": "3", "price": 65000}

#: Every field that holds money, in the wire class that reads it.
MONEY_FIELDS = [
    Field(TM, market_tm_wire.MoneyAnswer, {"money": 1, "currency": "USD"}, ("money",)),
    Field(TM, market_tm_wire.Offer, TM_OFFER, ("price",)),
    Field(TM, market_tm_wire.GroupedOffer, {"market_hash_name": "x", "price": 1}, ("price",)),
    Field(TM, market_tm_wire.BuyInfo, TM_BUY_INFO, ("paid",)),
    Field(TM, market_tm_wire.MyItem, TM_MY_ITEM, ("price",)),
    Field(
        TM,
        market_tm_wire.InventoryItem,
        {"id": "1", "market_hash_name": "x", "market_price": "10.34"},
        ("market_price",),
    ),
    Field(
        TM,
        market_tm_wire.ClassInstancePrice,
        {"market_hash_name": "x", "price": "0.50", "buy_order": "0.40"},
        ("buy_order",),
    ),
    Field(TM, market_tm_wire.HistoryEntry, {"event": "checkout", "amount": "1001"}, ("amount",)),
    Field(TM, market_tm_wire.HistoryEntry, {"event": "buy", "paid": "72"}, ("paid",)),
    Field(SG, swapgg_wire.UserBalance, {"balance": 2338}, ("balance",)),
    Field(
        SG,
        swapgg_wire.UserBalance,
        {"balance": 2338, "withdrawableBalance": 2338},
        ("withdrawableBalance",),
    ),
    Field(SG, swapgg_wire.Sale, SG_SALE, ("price",)),
    Field(SG, swapgg_wire.PurchaseResult, SG_PURCHASE, ("purchaseAmount",)),
    Field(SG, swapgg_wire.LowestPrice, {"price": 2200}, ("price",)),
    Field(SB, skinsback_wire.Balance, SB_BALANCE, ("balance_in_currencies", "usd")),
    Field(SB, skinsback_wire.Item, {"name": "x", "price": "0.4"}, ("price",)),
    Field(SB, skinsback_wire.BuyInfo, SB_BUY_INFO, ("balance_debited_sum",)),
    Field(SB, skinsback_wire.BuyInfo, SB_BUY_INFO, ("item", "price")),
    Field(MC, mannco_wire.UserBalance, {"balance": 12345}, ("balance",)),
    Field(MC, mannco_wire.ListingRow, MC_ROW, ("price",)),
    Field(MC, mannco_wire.Pricing, {"lowest_sale_price": 100}, ("lowest_sale_price",)),
    Field(MC, mannco_wire.InventoryGroup, {"ids": "3", "price": 100}, ("price",)),
]

#: Every kind of id field: a single one, an optional one, one in a list.
ID_FIELDS = [
    Field(TM, market_tm_wire.Offer, TM_OFFER, ("id",)),
    Field(TM, market_tm_wire.BuyAnswer, {"id": "1"}, ("id",)),
    Field(TM, market_tm_wire.BuyInfo, TM_BUY_INFO, ("item_id",)),
    Field(TM, market_tm_wire.TradeOffer, {"dir": "out", "trade_id": "7"}, ("trade_id",)),
    Field(TM, market_tm_wire.TradeRequest, {"trade": "7", "items": ["1", "2"]}, ("items", 1)),
    Field(TM, market_tm_wire.MyItem, {**TM_MY_ITEM, "assetid": "9"}, ("assetid",)),
    Field(SG, swapgg_wire.Sale, SG_SALE, ("saleId",)),
    Field(SG, swapgg_wire.PurchaseResult, SG_PURCHASE, ("saleIds", 0)),
    Field(SG, swapgg_wire.WithdrawResult, {"tradeIds": ["1"]}, ("tradeIds", 0)),
    Field(SB, skinsback_wire.BuyInfo, SB_BUY_INFO, ("buy_id",)),
    Field(SB, skinsback_wire.BuyInfo, SB_BUY_INFO, ("item", "id")),
    Field(MC, mannco_wire.ListingRow, MC_ROW, ("assetId",)),
    Field(MC, mannco_wire.TradeRow, {"id": "5", "status": "0"}, ("id",)),
    Field(MC, mannco_wire.ItemInformations, {"id": 101869, "name": "x"}, ("id",)),
]

#: Negative amounts in every spelling vendors use: JSON integers and numbers, decimal strings.
NEGATIVE = st.one_of(
    st.integers(min_value=-(10**15), max_value=-1),
    st.decimals(min_value=Decimal("-1E12"), max_value=Decimal("-0.001"), places=3),
    st.decimals(min_value=Decimal("-1E12"), max_value=Decimal("-0.001"), places=3).map(str),
)
#: What a JSON number with a fraction or an exponent decodes to (parse_float=Decimal).
NOT_WHOLE = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=2),
    st.integers(min_value=-(10**6), max_value=10**6).map(lambda n: Decimal(n).scaleb(1)),
    st.sampled_from([Decimal("1E+400"), Decimal("1.5"), Decimal("123.0"), Decimal("1e5")]),
)


def refused(field: Field, value: object) -> errors.UnexpectedResponse:
    data = field.with_value(value)
    with pytest.raises(errors.UnexpectedResponse) as raised:
        field.structure(data, field.cls, operation="op")
    assert raised.value.raw == data
    return raised.value


@pytest.mark.parametrize("field", MONEY_FIELDS, ids=str)
@PROPERTY
@given(value=NEGATIVE)
def test_a_negative_amount_is_unexpected_response_with_raw_kept(
    field: Field, value: object
) -> None:
    refused(field, value)


@pytest.mark.parametrize("field", MONEY_FIELDS, ids=str)
@pytest.mark.parametrize("zero", [0, "0", Decimal("0.000")])
def test_a_zero_amount_is_read(field: Field, zero: object) -> None:
    field.structure(field.with_value(zero), field.cls, operation="op")


@pytest.mark.parametrize("field", ID_FIELDS, ids=str)
@PROPERTY
@given(value=NOT_WHOLE)
def test_an_id_with_a_fraction_or_an_exponent_is_unexpected_response(
    field: Field, value: Decimal
) -> None:
    refused(field, value)


@pytest.mark.parametrize("field", ID_FIELDS, ids=str)
@PROPERTY
@given(value=st.one_of(st.integers(min_value=0, max_value=10**30), st.text(max_size=20)))
def test_an_id_as_a_string_or_a_json_integer_is_read_as_a_string(
    field: Field, value: int | str
) -> None:
    result = field.structure(field.with_value(value), field.cls, operation="op")
    got: Any = result
    for key in field.path:
        got = got[key] if isinstance(key, int) else getattr(got, key)
    assert got == str(value)


# --------------------------------------------------------------------------- through the adapters

TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh"


@attrs.frozen
class Vendor:
    """How to connect one vendor to a mocked origin and which answers a call needs."""

    vendor: str
    options: dict[str, str]
    base_url: str

    def connect(self) -> Any:
        options = {
            key: f"{value}-{uuid.uuid4().hex[:8]}" if key in ("api_key", "client_id") else value
            for key, value in self.options.items()
        }
        return sm.connect(self.vendor, base_url=self.base_url, max_retries=0, **options)


VENDORS = {
    "market_tm": Vendor("market_tm", {"api_key": "k"}, "https://tm.test"),
    "swapgg": Vendor("swapgg", {"api_key": "k"}, "https://swapgg.test"),
    "skinsback": Vendor(
        "skinsback",
        {"client_id": "1", "client_secret": "s", "trade_url": TRADE_URL},
        "https://skinsback.test",
    ),
    "mannco": Vendor("mannco", {"api_key": "k"}, "https://mannco.test"),
}


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


def answer(
    mock: responses.RequestsMock,
    vendor: Vendor,
    name: str,
    change: Callable[[Any], None] | None = None,
) -> None:
    """Answer the fixture's method and path (any query) with its JSON, ``change``d first."""
    fixture = load_fixture(vendor.vendor, name)
    body = json.loads(json.dumps(fixture["response"]["json"]), parse_float=Decimal)
    if change is not None:
        change(body)
    mock.add(
        fixture["request"]["method"],
        vendor.base_url + fixture["request"]["path"],
        body=exact_json(body),
        status=fixture["response"]["status"],
        content_type="application/json",
    )


def set_at(*path: str | int, value: object) -> Callable[[Any], None]:
    def change(body: Any) -> None:
        for key in path[:-1]:
            body = body[key]
        body[path[-1]] = value

    return change


#: vendor -> (answers that lead to the balance, where the balance sits in the last one)
BALANCES: dict[str, tuple[list[str], tuple[str | int, ...]]] = {
    "market_tm": (["get_money.usd"], ("money",)),
    "swapgg": (["user_balance.ok"], ("result", "balance")),
    "skinsback": (["balance.ok"], ("balance_in_currencies", "usd")),
    "mannco": (["user_login.ok", "user_balance.ok"], ("content", "balance")),
}

#: vendor -> (answers that lead to the listings, where the first price sits, the name asked)
LISTINGS: dict[str, tuple[list[str], tuple[str | int, ...], str]] = {
    "market_tm": (
        ["search_item_by_hash_name_specific.ok"],
        ("data", 0, "price"),
        "AWP | Worm God (Factory New)",
    ),
    "swapgg": (
        ["sales_browse.ok"],
        ("result", 0, "sale", "price"),
        "AK-47 | Aquamarine Revenge (Factory New)",
    ),
    "skinsback": (
        ["market_search.ok"],
        ("items", 0, "price"),
        "SSG 08 | Fever Dream (Field-Tested)",
    ),
    "mannco": (
        ["user_login.ok", "item_details.ok", "item_listing.ok"],
        ("content", "values", 0, "price"),
        "Souvenir M4A1-S | Imminent Danger (Field-Tested)",
    ),
}

#: The issue's values: a balance of -501 and a listing at -12.031, in each vendor's units.
NEGATIVE_BALANCE = {
    "market_tm": -501,  # get-money: major units
    "swapgg": -50100,  # cents
    "skinsback": "-501.00",  # major units, a decimal string
    "mannco": -50100,  # cents
}
NEGATIVE_PRICE = {
    "market_tm": -12031,  # thousandths of USD
    "swapgg": -1203,
    "skinsback": "-12.031",
    "mannco": -1203,
}


@pytest.mark.parametrize("vendor_id", sorted(VENDORS))
def test_a_negative_balance_is_unexpected_response_with_raw_kept(
    mock: responses.RequestsMock, vendor_id: str
) -> None:
    vendor = VENDORS[vendor_id]
    names, path = BALANCES[vendor_id]
    for name in names[:-1]:
        answer(mock, vendor, name)
    answer(mock, vendor, names[-1], set_at(*path, value=NEGATIVE_BALANCE[vendor_id]))
    with pytest.raises(errors.UnexpectedResponse) as raised:
        vendor.connect().balance()
    assert raised.value.raw is not None
    assert str(NEGATIVE_BALANCE[vendor_id]) in exact_json(raised.value.raw)


@pytest.mark.parametrize("vendor_id", sorted(VENDORS))
def test_a_negative_listing_price_is_unexpected_response_with_raw_kept(
    mock: responses.RequestsMock, vendor_id: str
) -> None:
    vendor = VENDORS[vendor_id]
    names, path, item_name = LISTINGS[vendor_id]
    for name in names[:-1]:
        answer(mock, vendor, name)
    answer(mock, vendor, names[-1], set_at(*path, value=NEGATIVE_PRICE[vendor_id]))
    market = vendor.connect()
    with pytest.raises(errors.UnexpectedResponse) as raised:
        if vendor_id == "mannco":
            market.list_for_sale(item_name, app_id=730)
        else:
            market.list_for_sale(item_name)
    assert raised.value.raw is not None
    assert str(NEGATIVE_PRICE[vendor_id]) in exact_json(raised.value.raw)


@pytest.mark.parametrize("vendor_id", sorted(VENDORS))
def test_the_documented_balance_and_listings_are_still_read(
    mock: responses.RequestsMock, vendor_id: str
) -> None:
    vendor = VENDORS[vendor_id]
    for name in dict.fromkeys([*BALANCES[vendor_id][0], *LISTINGS[vendor_id][0]]):
        answer(mock, vendor, name)
    market = vendor.connect()
    assert market.balance().available.amount > 0
    item_name = LISTINGS[vendor_id][2]
    options = {"app_id": 730} if vendor_id == "mannco" else {}
    assert all(listing.price.amount > 0 for listing in market.list_for_sale(item_name, **options))
