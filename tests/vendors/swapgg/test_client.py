"""SwapGGClient against every fixture: the request it sends and what it makes of the answer.

``CALLS`` says how the client makes each operation's request from the fixture's own query/body
(refusal fixtures ``errors.*``/``http.*`` are routed by their method and path); ``FACTS`` turns
the client's result into the vocabulary of the fixture's ``expected``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import pytest
import responses

import skinmarkets as sm
from skinmarkets.vendors.swapgg import SwapGG
from skinmarkets.vendors.swapgg.client import SwapGGClient
from tests.support import fixture_names, load_fixture
from tests.vendors.swapgg.conftest import API_KEY, BASE_URL, Register

Fixture = Mapping[str, Any]
NAMES = [n for n in fixture_names("swapgg") if not n.startswith("ws.")]  # ws.*: realtime


def _body(f: Fixture) -> dict[str, Any]:
    body: dict[str, Any] = f["request"].get("json") or {}
    return body


def _page(f: Fixture) -> dict[str, Any]:
    page: dict[str, Any] = _body(f).get("pagination") or {}
    return page


CALLS: dict[str, Callable[[SwapGGClient, Fixture], Any]] = {
    "buyorders_create": lambda c, f: c.buyorders_create(_body(f)["items"]),
    "buyorders_delete": lambda c, f: c.buyorders_delete(_body(f)["orderIds"]),
    "buyorders_delete_all": lambda c, f: c.buyorders_delete_all(),
    "buyorders_list": lambda c, f: c.buyorders_list(),
    "buyorders_summary": lambda c, f: c.buyorders_summary(f["request"]["query"]["appId"]),
    "cart_add": lambda c, f: c.cart_add(
        app_id=_body(f)["appId"], market_name=_body(f)["marketName"], quantity=_body(f)["quantity"]
    ),
    "cart_items": lambda c, f: c.cart_items(),
    "cart_remove": lambda c, f: c.cart_remove(_body(f)["saleIds"]),
    "inventory_browse": lambda c, f: c.inventory_browse(_body(f).get("filters"), **_page(f)),
    "inventory_withdraw": lambda c, f: c.inventory_withdraw(_body(f)["items"]),
    "payout": lambda c, f: c.payout(method=_body(f)["method"], amount=_body(f)["amount"]),
    "pricing_lowest": lambda c, f: c.pricing_lowest(f["request"]["query"]["appId"]),
    "sales_browse": lambda c, f: c.sales_browse(_body(f).get("filters"), **_page(f)),
    "sales_delist": lambda c, f: c.sales_delist(_body(f)["items"]),
    "sales_list": lambda c, f: c.sales_list(_body(f)["items"]),
    "sales_purchase": lambda c, f: c.sales_purchase(_body(f)["saleIds"]),
    "sales_update": lambda c, f: c.sales_update(_body(f)["items"]),
    "screenshot_create": lambda c, f: c.screenshot_create(_body(f)["inspectLink"]),
    "screenshot_get": lambda c, f: c.screenshot_get(),
    "sell_create": lambda c, f: c.sell_create(app_id=_body(f)["appId"], items=_body(f)["items"]),
    "user_balance": lambda c, f: c.user_balance(),
    "user_me": lambda c, f: c.user_me(),
    "user_summary": lambda c, f: c.user_summary(),
    "user_tradelink": lambda c, f: c.user_tradelink(_body(f)["tradeLink"]),
    "user_tradeoffers": lambda c, f: c.user_tradeoffers(),
    "user_websocket": lambda c, f: c.user_websocket(),
    "vouchers_codes": lambda c, f: c.vouchers_codes(_body(f) or None),
    "vouchers_purchase": lambda c, f: c.vouchers_purchase(**_body(f)),
}

#: Where the refusal fixtures (errors.*, http.*) were sent: (method, path) -> operation.
ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/v1/user/balance"): "user_balance",
    ("GET", "/v1/user/me"): "user_me",
    ("GET", "/v1/user/summary"): "user_summary",
    ("POST", "/v1/sales/purchase"): "sales_purchase",
    ("POST", "/v1/sales/browse"): "sales_browse",
    ("POST", "/v1/sales/list"): "sales_list",
    ("POST", "/v1/sales/delist"): "sales_delist",
    ("POST", "/v1/inventory/withdraw"): "inventory_withdraw",
    ("POST", "/v1/vouchers/codes"): "vouchers_codes",
    ("POST", "/v1/payout"): "payout",
    ("POST", "/v1/cart/add"): "cart_add",
}


def _eur(cents: int) -> Decimal:
    return Decimal(cents) / 100


def _ok(_: Any) -> dict[str, Any]:
    return {"ok": True}


def _sale(i: Any) -> dict[str, Any]:
    return {
        "sale_id": i.sale.saleId,
        "item_id": i.itemId,
        "market_name": i.marketName,
        "price": _eur(i.sale.price),
    }


def _groups(r: Any) -> list[dict[str, Any]]:
    return [
        {"group_id": g.groupId, "quantity": g.quantity, "price": _eur(g.price)} for g in r.items
    ]


def _inventory_groups(r: Any) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for i in r.items:
        group = groups.setdefault(
            i.groupId,
            {
                "group_id": i.groupId,
                "market_name": i.marketName,
                "app_id": str(i.appId),
                "quantity": 0,
                "item_ids": [],
                "suggested_price": _eur(i.suggestedPrice),
            },
        )
        group["quantity"] += 1
        group["item_ids"].append(i.itemId)
    return list(groups.values())


def _count(c: Any) -> dict[str, Any]:
    return {"count": c.count, "total_value": _eur(c.totalValue)}


def _screenshot(s: Any) -> dict[str, Any]:
    return {"market_name": s.marketName, "state": s.state, "image_link": s.imageLink}


FACTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "buyorders_create": lambda r: {"order_ids": r.orderIds},
    "buyorders_delete": _ok,
    "buyorders_delete_all": _ok,
    "buyorders_list": lambda r: {
        "orders": [
            {
                "order_id": o.orderId,
                "app_id": str(o.appId),
                "market_name": o.marketName,
                "price": _eur(o.price),
                "total_cost": _eur(o.totalCost),
                "remaining": o.quantity.remaining,
                "max": o.quantity.max,
            }
            for o in r
        ]
    },
    "buyorders_summary": lambda r: {
        "summary": {
            name: {
                "max_price": _eur(s.maxPrice),
                "min_price": _eur(s.minPrice),
                "quantity": s.quantity,
            }
            for name, s in r.items()
        }
    },
    "cart_add": lambda r: {"sale_ids": r.saleIds},
    "cart_items": lambda r: {
        "items": [_sale(i) for i in r.items],
        "removed_items": r.removedItems,
    },
    "cart_remove": _ok,
    "inventory_browse": lambda r: {
        "groups": _inventory_groups(r),
        "more": r.pagination.more,
        "total": r.pagination.total,
    },
    "inventory_withdraw": lambda r: {"trade_ids": r.tradeIds, "item_ids": r.itemIds},
    "payout": _ok,
    "pricing_lowest": lambda r: {
        "lowest": {n: {"price": _eur(p.price), "quantity": p.quantity} for n, p in r.items()}
    },
    "sales_browse": lambda r: {
        "sales_cheapest_first": [_sale(i) for i in r.items],
        "more": r.pagination.more,
        "total": r.pagination.total,
    },
    "sales_delist": lambda r: {
        "delisted": [{"group_id": g.groupId, "item_ids": g.itemIds} for g in r.items]
    },
    "sales_list": lambda r: {"listed": _groups(r)},
    "sales_purchase": lambda r: {
        "purchased_sale_ids": r.saleIds,
        "amount": _eur(r.purchaseAmount),
        "currency": "EUR",
    },
    "sales_update": lambda r: {"updated": _groups(r)},
    "screenshot_create": _screenshot,
    "screenshot_get": lambda r: {"screenshots": [_screenshot(s) for s in r]},
    "sell_create": _ok,
    "user_balance": lambda r: {
        "balance": _eur(r.balance),
        "withdrawable_balance": _eur(r.withdrawableBalance),
        "currency": "EUR",
    },
    "user_me": lambda r: {
        "user_id": r.userId,
        "username": r.username,
        "commission_percent": r.commission,
        "currency": r.localization.currency,
        "verified": r.verified,
        "locked": r.locked,
        "trade_link": r.tradeLink,
    },
    "user_summary": lambda r: {
        "items_sold": _count(r.itemsSold),
        "purchases": _count(r.purchases),
        "listed_items": _count(r.listedItems),
    },
    "user_tradelink": _ok,
    "user_tradeoffers": lambda r: {
        "trade_offers": [
            {"trade_id": t.tradeId, "steam_trade_offer_id": t.tradeOfferId, "bot": t.username}
            for t in r.items
        ]
    },
    "user_websocket": lambda r: {"token": r.token},
    "vouchers_codes": lambda r: {
        "total": r.total,
        "codes": [v.code for v in r.items],
        "value_each": _eur(r.items[0].value),
    },
    "vouchers_purchase": lambda r: {"codes": r.codes},
}


def _like(actual: Any, expected: Any) -> Any:
    """``expected`` with its decimal strings turned into Decimal wherever ``actual`` has one."""
    if isinstance(actual, Decimal) and isinstance(expected, str | int):
        return Decimal(expected)
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return {k: _like(actual.get(k), v) for k, v in expected.items()}
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        return [_like(a, e) for a, e in zip(actual, expected, strict=True)]
    return expected


def _only(actual: Any, expected: Any) -> Any:
    """``actual`` cut down to the keys ``expected`` names."""
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return {k: _only(actual[k], v) for k, v in expected.items() if k in actual}
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        return [_only(a, e) for a, e in zip(actual, expected, strict=True)]
    return actual


def _operation(name: str) -> str:
    operation = name.split(".")[0]
    if operation in ("errors", "http"):
        request = load_fixture("swapgg", name)["request"]
        return ROUTES[(request["method"], request["path"])]
    return operation


@pytest.fixture
def client(market: SwapGG) -> SwapGGClient:
    transport = market.client.transport
    # A refusal the transport would retry (5xx, 429, RATE_LIMIT) must surface at once.
    transport.options = attrs.evolve(transport.options, max_retries=0)
    return market.client


def test_every_fixture_operation_has_a_client_call() -> None:
    assert {_operation(name) for name in NAMES} - set(CALLS) == set()


def test_every_client_call_has_facts_to_compare() -> None:
    assert set(CALLS) - set(FACTS) == set()


@pytest.mark.parametrize("name", NAMES)
def test_client_answers_the_fixture_as_expected(
    name: str, client: SwapGGClient, register: Register, mock: responses.RequestsMock
) -> None:
    fixture = load_fixture("swapgg", name)
    register(fixture=fixture)
    call = CALLS[_operation(name)]
    expected = fixture.get("expected", {})
    body = fixture["response"].get("json", fixture["response"].get("text"))

    if "error" in expected:
        with pytest.raises(getattr(sm.errors, expected["error"])) as raised:
            call(client, fixture)
        error = raised.value
        assert type(error).__name__ == expected["error"]
        assert error.vendor == "swapgg"
        assert error.raw == body
        if "status" in expected:
            assert error.code == expected["status"]
        if "retry_after" in expected:
            assert isinstance(error, sm.errors.RateLimited)
            assert error.retry_after == expected["retry_after"]
    else:
        facts = _only(FACTS[_operation(name)](call(client, fixture)), expected)
        assert facts, f"no fact of {sorted(expected)} was compared"
        # Keys of ``expected`` about the request (payout's "method", "amount") are checked as
        # the sent body below.
        assert facts == {k: v for k, v in _like(facts, expected).items() if k in facts}

    assert len(mock.calls) == 1
    sent = mock.calls[0].request
    assert sent.headers["Authorization"] == API_KEY
    sent_body = json.loads(sent.body) if sent.body else None
    assert sent_body == fixture["request"].get("json")


def test_a_204_no_content_answer_is_a_success_with_no_result(
    market: SwapGG, mock: responses.RequestsMock
) -> None:
    # swapgg-v1.txt, Response Codes: "204 No Content - Request was successful and there was
    # no data to be returned."
    mock.delete(f"{BASE_URL}/v1/buyorders/all", body="", status=204)

    assert market.client.buyorders_delete_all() is None
    assert len(mock.calls) == 1
