"""ManncoClient against every fixture: the request it sends and what it makes of the answer.

``CALLS`` says how the client makes each operation's request from the fixture's own query/body.
Typed routes are compared with the fixture's ``expected`` through ``FACTS``; routes the client
hands back as decoded (``Any``) must return the envelope's ``content`` unchanged; refusals must
raise the ``expected["error"]`` class with the body kept in ``raw``.
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
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.mannco.adapter import trade_of
from skinmarkets.vendors.mannco.client import ManncoClient
from tests.support import fixture_names, load_fixture
from tests.vendors.mannco.conftest import JWT, Register

Fixture = Mapping[str, Any]
NAMES = [n for n in fixture_names("mannco") if not n.startswith("ws.")]  # ws.*: realtime


def _body(f: Fixture) -> dict[str, Any]:
    body: dict[str, Any] = f["request"].get("json") or {}
    return body


def _query(f: Fixture) -> dict[str, Any]:
    query: dict[str, Any] = f["request"].get("query") or {}
    return query


def _tail(f: Fixture) -> str:
    return str(f["request"]["path"]).rsplit("/", 1)[1]


def _login(c: ManncoClient, f: Fixture) -> Any:
    if "apiKey" in _body(f):
        return c.user_login()
    # user_login.missing_api_key: the client always sends the key; send the fixture's body.
    return c.login_transport.request(
        "POST", "/user/login", operation="user_login", json_body=_body(f)
    )


def _payment(c: ManncoClient, f: Fixture) -> Any:
    body = _body(f)
    if "items" in body and "tos_timestamp" in body:
        return c.payment_mannco_items(body["items"].split(","), tos_timestamp=body["tos_timestamp"])
    return c.payment("mannco", body)  # the malformed-request fixtures


def _cart_add(c: ManncoClient, f: Fixture) -> Any:
    if "assetId" in _body(f):
        return c.cart_add(_body(f)["assetId"])
    return c.call("POST", "/cart/add", operation="cart_add", json_body={}, write=True)


def _listing(c: ManncoClient, f: Fixture) -> Any:
    parts = str(f["request"]["path"]).split("/")  # /item/listing/{item}[/{userid}]
    user = parts[4] if len(parts) > 4 else None
    if user is not None:
        return c.item_listing(parts[3], user_id=user, count=10)
    return c.item_listing(parts[3], page=int(_query(f)["page"]), count=int(_query(f)["count"]))


CALLS: dict[str, Callable[[ManncoClient, Fixture], Any]] = {
    "cart_add": _cart_add,
    "cart_bulk": lambda c, f: c.cart_bulk(item_id=str(_body(f)["itemId"]), count=_body(f)["count"]),
    "cart_get": lambda c, f: c.cart_get(),
    "cart_remove": lambda c, f: c.cart_remove(_body(f)["cartId"]),
    "cart_update": lambda c, f: c.cart_update(),
    "deposit": lambda c, f: c.deposit(int(_tail(f))),
    "deposit_trade": lambda c, f: c.deposit_trade(
        prices=_body(f)["prices"], deposit_keys=_body(f)["depositKeys"], game=_body(f)["game"]
    ),
    "deposit_tradestatus": lambda c, f: c.deposit_trade_status(_tail(f)),
    "inventory_oninventory": lambda c, f: c.inventory_on_inventory(),
    "inventory_onsale": lambda c, f: c.inventory_on_sale(),
    "inventory_price": lambda c, f: c.inventory_price(
        _body(f)["ids"].split(","), _body(f)["price"]
    ),
    "inventory_withdraw": lambda c, f: c.inventory_withdraw(_body(f)["ids"].split(",")),
    "item_buyorder": lambda c, f: c.item_buyorder_create(
        item_id=str(_body(f)["itemid"]), value=_body(f)["value"], amount=_body(f)["amount"]
    ),
    "item_buyorder_remove": lambda c, f: c.item_buyorder_remove(str(_body(f)["itemid"])),
    "item_buyorder_update": lambda c, f: c.item_buyorder_update(
        item_id=str(_body(f)["itemid"]), value=_body(f)["value"], amount=_body(f)["amount"]
    ),
    "item_buyorderlist": lambda c, f: c.item_buyorder_list(_tail(f)),
    "item_details": lambda c, f: c.item_details(_tail(f)),
    "item_details_fromid": lambda c, f: c.item_details_fromid(_tail(f)),
    "item_listing": _listing,
    "item_listing_count": lambda c, f: c.item_listing_count(_tail(f)),
    "item_prices": lambda c, f: c.item_prices(game=int(_query(f)["game"])),
    "item_pricing": lambda c, f: c.item_pricing(_tail(f)),
    "item_pricing_bulk": lambda c, f: c.item_pricing_bulk(_query(f)["items"].split(",")),
    "item_salesgraph": lambda c, f: c.item_sales_graph(_tail(f), period=_query(f)["period"]),
    "offers_my": lambda c, f: c.offers_my(),
    "offers_received": lambda c, f: c.offers_received(),
    "payment_mannco": _payment,
    "trade_resend": lambda c, f: c.trade_resend(_query(f).get("resend", "123456")),
    "trades_active": lambda c, f: c.trades_active(),
    "trades_all": lambda c, f: c.trades_all(),
    "user_balance": lambda c, f: c.user_balance(),
    "user_buyorder": lambda c, f: c.user_buyorder(_tail(f)),
    "user_disconnect": lambda c, f: c.user_disconnect(),
    "user_getbuyorder": lambda c, f: c.user_get_buyorder(
        page=int(_query(f)["page"]), count=int(_query(f)["count"])
    ),
    "user_infos": lambda c, f: c.user_infos(),
    "user_login": _login,
    "user_store": lambda c, f: c.user_store(_tail(f)),
}


def _usd(cents: Any) -> Decimal:
    return Decimal(cents) / 100


def _trades(r: Any) -> dict[str, Any]:
    out = []
    for row in r.trades:
        trade = trade_of(row, "mannco")
        out.append(
            {
                "id": trade.id,
                "status": trade.status.value,
                "raw_status": int(row.status),
                "direction": trade.direction.value,
                "offer_id": trade.offer_id,
                "bot_id": trade.bot_id,
                "items": list(trade.items),
                "created_at": trade.created_at.isoformat() if trade.created_at else None,
                "secret": trade.secret,
                "app_id": row.game,
            }
        )
    return {"trades": out}


def _groups(r: Any) -> dict[str, Any]:
    return {
        "items": [
            {
                "item_id": g.item_id,
                "asset_ids": list(g.asset_ids),
                "count": g.count,
                "price": _usd(g.price) if g.price is not None else None,
                "currency": "USD",
                "app_id": g.game,
            }
            for g in r.items
        ]
    }


def _pricing(row: Any) -> dict[str, Any]:
    return {
        "item_id": row.item_id,
        "lowest_ask": _usd(row.pricing.lowest_sale_price),
        "highest_bid": _usd(row.pricing.lowest_buy_order),
        "steam_price": _usd(row.pricing.steam_price),
        "currency": "USD",
    }


#: Typed routes: the result in the vocabulary of the fixtures' ``expected``.
FACTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "user_login": lambda r: {"jwt": r.reveal()},
    "user_balance": lambda r: {"balance": _usd(r.balance), "currency": "USD"},
    "trades_active": _trades,
    "trades_all": _trades,
    "trade_resend": lambda r: {"trade_id": r.trade_id, "code": r.code, "message": r.message},
    "item_details": lambda r: {
        "item_id": r.informations.id,
        "name": r.informations.name,
        "app_id": r.informations.game,
        "slug": r.informations.url,
        "steam_price": _usd(r.informations.deal),
        "currency": "USD",
    },
    "item_listing": lambda r: {
        "listings": [
            {
                "listing_id": row.assetId,
                "asset_id": row.assetId,
                "price": _usd(row.price),
                "currency": "USD",
                "app_id": row.game,
            }
            for row in r.values
        ]
    },
    "item_pricing": _pricing,
    "item_pricing_bulk": lambda r: {"items": [_pricing(row) for row in r.items]},
    "inventory_oninventory": _groups,
    "inventory_onsale": _groups,
    "inventory_withdraw": lambda r: {"updated": r.updated, "locked": r.locked},
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


def _cut(expected: Any, actual: Any) -> Any:
    """``expected`` without the keys ``actual`` lacks (facts this test does not derive)."""
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return {k: _cut(v, actual[k]) for k, v in expected.items() if k in actual}
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        return [_cut(e, a) for e, a in zip(expected, actual, strict=True)]
    return expected


def _operation(name: str) -> str:
    return name.split(".")[0]


@pytest.fixture
def client(market: Mannco) -> ManncoClient:
    for transport in (market.client.transport, market.client.login_transport):
        # A refusal the transport would retry (5xx, 429) must surface at once.
        transport.options = attrs.evolve(transport.options, max_retries=0)
    return market.client


def test_every_fixture_operation_has_a_client_call() -> None:
    assert {_operation(name) for name in NAMES} - set(CALLS) == set()


@pytest.mark.parametrize("name", NAMES)
def test_client_answers_the_fixture_as_expected(
    name: str, client: ManncoClient, register: Register, mock: responses.RequestsMock
) -> None:
    fixture = load_fixture("mannco", name)
    operation = _operation(name)
    if operation != "user_login":
        register("user_login.ok")
    register(fixture=fixture)
    expected = fixture.get("expected") or {}
    body = fixture["response"].get("json", fixture["response"].get("text"))

    if "error" in expected:
        with pytest.raises(getattr(sm.errors, expected["error"])) as raised:
            CALLS[operation](client, fixture)
        error = raised.value
        assert type(error).__name__ == expected["error"]
        assert error.vendor == "mannco"
        if expected["error"] != "UnexpectedResponse":
            assert error.raw == body
        if "retry_after" in expected:
            assert isinstance(error, sm.errors.RateLimited)
            assert error.retry_after == expected["retry_after"]
    else:
        result = CALLS[operation](client, fixture)
        if operation in FACTS:
            facts = _only(FACTS[operation](result), expected)
            assert facts, f"no fact of {sorted(expected)} was compared"
            assert facts == _like(facts, _cut(expected, facts))
        else:
            assert result == body["content"]  # handed back as decoded

    sent = mock.calls[-1].request
    assert sent.path_url.split("?")[0] == fixture["request"]["path"]
    if operation == "user_login":
        assert "Authorization" not in sent.headers
    else:
        assert sent.headers["Authorization"] == f"Bearer {JWT}"
    sent_body = json.loads(sent.body) if sent.body else None
    assert sent_body == fixture["request"].get("json")


def test_trade_resend_sends_both_query_parameter_spellings(
    client: ManncoClient, register: Register, mock: responses.RequestsMock
) -> None:
    # trades-bot-api.txt: "GET /trade/resend?resend={tradeId}"; mannco-api.md §12 [docs]:
    # "GET /trade/resend?id={tradeId}". Both carry the same value.
    register("user_login.ok")
    register("trade_resend.ok")

    client.trade_resend("123456")

    assert mock.calls[-1].request.params == {"resend": "123456", "id": "123456"}
