"""MarketTMClient against every fixture: the request it sends and what it makes of the answer.

Each fixture names an operation; ``CALLS`` says how the client makes that request from the
fixture's own query/body, and ``FACTS`` turns the client's result into the vocabulary of the
fixture's ``expected`` so the two can be compared as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import pytest
import responses

import skinmarkets as sm
from skinmarkets.vendors.market_tm import MarketTM, units
from skinmarkets.vendors.market_tm.client import MarketTMClient
from tests.support import fixture_names, load_fixture
from tests.vendors.market_tm.conftest import API_KEY, Register

Fixture = Mapping[str, Any]

#: REST fixtures only: ``ws.*`` are websocket frames (tests/vendors/market_tm/test_realtime.py).
REST_FIXTURES = [n for n in fixture_names("market_tm") if not n.startswith("ws.")]


def _query(f: Fixture) -> dict[str, Any]:
    query: dict[str, Any] = f["request"].get("query", {})
    return query


def _body(f: Fixture) -> dict[str, Any]:
    body: dict[str, Any] = f["request"]["json"]
    return body


def _path_part(f: Fixture, index: int) -> str:
    part: str = f["request"]["path"].split("/")[index]
    return part


def _page(c: MarketTMClient, f: Fixture, method: str) -> Any:
    return getattr(c, method)(page=int(_query(f)["page"]))


def _add_to_sale(c: MarketTMClient, f: Fixture) -> Any:
    q = _query(f)
    if "price" not in q:
        # The typed method always sends a price; "price missing" is only reachable via call().
        return c.call("GET", "/add-to-sale", operation="add_to_sale", params=q, write=True)
    return c.add_to_sale(id=q["id"], price=int(q["price"]), cur=q["cur"])


def _buy(c: MarketTMClient, f: Fixture) -> Any:
    q = _query(f)
    return c.buy(
        price=int(q["price"]),
        custom_id=q.get("custom_id"),
        id=q.get("id"),
        hash_name=q.get("hash_name"),
    )


def _buy_for(c: MarketTMClient, f: Fixture) -> Any:
    q = _query(f)
    return c.buy_for(
        price=int(q["price"]),
        partner=q["partner"],
        token=q["token"],
        custom_id=q["custom_id"],
        id=q["id"],
    )


CALLS: dict[str, Callable[[MarketTMClient, Fixture], Any]] = {
    "add_to_sale": _add_to_sale,
    "buy": _buy,
    "buy_for": _buy_for,
    "change_currency": lambda c, f: c.change_currency(_path_part(f, -1)),
    "checkin_history": lambda c, f: _page(c, f, "checkin_history"),
    "checkout_history": lambda c, f: _page(c, f, "checkout_history"),
    "dictionary_names": lambda c, f: c.dictionary_names(),
    "get_api_key_via_access_token": lambda c, f: c.get_api_key_via_access_token(**_body(f)),
    "get_buy_info_by_custom_id": lambda c, f: c.get_buy_info_by_custom_id(_query(f)["custom_id"]),
    "get_list_buy_info_by_custom_id": lambda c, f: c.get_list_buy_info_by_custom_id(
        _query(f)["custom_id[]"]
    ),
    "get_list_items_info": lambda c, f: c.get_list_items_info(_query(f)["list_hash_name[]"]),
    "get_money": lambda c, f: c.get_money(),
    "get_my_steam_id": lambda c, f: c.get_my_steam_id(),
    "get_ws_auth": lambda c, f: c.get_ws_auth(),
    "get_ws_token": lambda c, f: c.get_ws_token(),
    "get_orders": lambda c, f: _page(c, f, "get_orders"),
    "get_orders_log": lambda c, f: _page(c, f, "get_orders_log"),
    "go_offline": lambda c, f: c.go_offline(),
    "history": lambda c, f: c.history(
        date=int(_query(f)["date"]), date_end=int(_query(f)["date_end"])
    ),
    "items": lambda c, f: c.items(),
    "money_send": lambda c, f: c.money_send(
        amount=int(_path_part(f, -2)), user_api_key=_path_part(f, -1), **_query(f)
    ),
    "money_send_history": lambda c, f: c.money_send_history(page=int(_path_part(f, -1))),
    "my_inventory": lambda c, f: c.my_inventory(),
    "operation_history": lambda c, f: c.operation_history(
        date=int(_query(f)["date"]), date_end=int(_query(f)["date_end"])
    ),
    "ping": lambda c, f: c.ping(),
    "ping_new": lambda c, f: c.ping_new(**_body(f)),
    "prices": lambda c, f: c.prices(_path_part(f, -1).removesuffix(".json")),
    "prices_class_instance": lambda c, f: c.prices_class_instance(
        _path_part(f, -1).removesuffix(".json")
    ),
    "prices_orders": lambda c, f: c.prices_orders(_path_part(f, -1).removesuffix(".json")),
    "remove_all_from_sale": lambda c, f: c.remove_all_from_sale(),
    "search_item_by_hash_name": lambda c, f: c.search_item_by_hash_name(_query(f)["hash_name"]),
    "search_item_by_hash_name_specific": lambda c, f: c.search_item_by_hash_name_specific(
        _query(f)["hash_name"]
    ),
    "search_list_items_by_hash_name_all": lambda c, f: c.search_list_items_by_hash_name_all(
        _query(f)["list_hash_name[]"], extended=_query(f).get("extended") == "1"
    ),
    "set_order": lambda c, f: c.set_order(
        market_hash_name=_query(f)["market_hash_name"],
        count=int(_query(f)["count"]),
        price=int(_query(f)["price"]),
    ),
    "set_pay_password": lambda c, f: c.set_pay_password(**_query(f)),
    "set_price": lambda c, f: c.set_price(
        item_id=_query(f)["item_id"], price=int(_query(f)["price"]), cur=_query(f)["cur"]
    ),
    "set_steam_api_key": lambda c, f: c.set_steam_api_key(_query(f)["steam-api-key"]),
    "set_trade_token": lambda c, f: c.set_trade_token(_query(f)["token"]),
    "test": lambda c, f: c.test(),
    "trade_ready": lambda c, f: c.trade_ready(_query(f)["tradeoffer"]),
    "trade_request_give": lambda c, f: c.trade_request_give(),
    "trade_request_give_p2p": lambda c, f: c.trade_request_give_p2p(),
    "trade_request_give_p2p_all": lambda c, f: c.trade_request_give_p2p_all(),
    "trade_request_take": lambda c, f: c.trade_request_take(bot=_query(f).get("bot")),
    "trades": lambda c, f: c.trades(extended=_query(f).get("extended") == "1"),
    "transfer_discounts": lambda c, f: c.transfer_discounts(**_query(f)),
    "update_inventory": lambda c, f: c.update_inventory(),
}

STAGES = {1: "new", 2: "item_given", 5: "timed_out"}


def _major(minor: int | str, currency: str) -> Decimal:
    return Decimal(int(minor)) / units.MINOR_UNITS[currency]


def _ok(r: Any) -> dict[str, Any]:
    return {"ok": r["success"] is True}


def _purchase_facts(info: Any) -> dict[str, Any]:
    return {"purchase_id": info.item_id, "stage": STAGES[info.stage], "currency": info.currency}


def _p2p_offer(o: Mapping[str, Any]) -> dict[str, Any]:
    facts = {"partner": str(o["partner"]), "token": o["token"]}
    facts |= {"hash": o["hash"]} if "hash" in o else {}
    return facts | {"assetids": [str(i["assetid"]) for i in o["items"]]}


def _listings(offers: Any, currency: str) -> list[dict[str, Any]]:
    return [{"id": o.id, "price": _major(o.price, currency)} for o in offers]


FACTS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "add_to_sale": lambda r: {"item_id": r.item_id},
    "buy": lambda r: {"purchase_id": r.id},
    "buy_for": lambda r: {"purchase_id": r.id},
    "change_currency": _ok,
    "checkin_history": lambda r: {"deposit_ids": [d["id"] for d in r["data"]]},
    "checkout_history": lambda r: {
        "withdrawals": [
            {"id": w["id"], "status": {"30": "executed"}[w["status"]]} for w in r["data"]
        ]
    },
    "dictionary_names": lambda r: {"names": {str(i["id"]): i["hash_name"] for i in r["items"]}},
    "get_api_key_via_access_token": lambda r: {"api_key": r["apikey"], "is_new": r["is_new"]},
    "get_buy_info_by_custom_id": lambda r: _purchase_facts(r) | {"trade_id": r.trade_id},
    "get_list_buy_info_by_custom_id": lambda r: {
        "purchases": {cid: _purchase_facts(info) for cid, info in r.items()}
    },
    "get_list_items_info": lambda r: {
        "currency": r["currency"],
        "names": list(r["data"]),
        "history_points": sum(len(v["history"]) for v in r["data"].values()),
    },
    "get_money": lambda r: {"available": r.money, "currency": r.currency},
    "get_ws_auth": lambda r: {"wsAuth": r["wsAuth"]},
    "get_ws_token": lambda r: {"token": r["token"]},
    "get_my_steam_id": lambda r: {"steamid32": str(r["steamid32"]), "steamid64": r["steamid64"]},
    "get_orders": lambda r: {
        "orders": [
            {"market_hash_name": o["hash_name"], "count": o["count"], "currency": o["currency"]}
            for o in r["orders"]
        ]
    },
    "get_orders_log": lambda r: {"executed_item_ids": [str(o["item_id"]) for o in r["orders"]]},
    "go_offline": _ok,
    "history": lambda r: {
        "events": [
            {
                "item_id": e.item_id,
                "event": e.event,
                "stage": STAGES[e.stage],
                "currency": e.currency,
            }
            for e in r
        ]
    },
    "items": lambda r: {
        "items": [
            {
                "item_id": i.item_id,
                "assetid": i.assetid,
                "market_hash_name": i.market_hash_name,
                "status": {units.ITEM_ON_SALE: "on_sale"}[i.status],
            }
            for i in r
        ]
    },
    "money_send": lambda r: {"from": str(r["from"]), "to": str(r["to"]), "amount_raw": r["amount"]},
    "money_send_history": lambda r: {
        "transfers": [{"id": t["id"], "from": t["from"], "to": t["to"]} for t in r["data"]]
    },
    "my_inventory": lambda r: {
        "items": [
            {
                "assetid": i.id,
                "market_hash_name": i.market_hash_name,
                "recommended_price": i.market_price,
                "tradable": i.tradable == 1,
            }
            for i in r
        ]
    },
    "operation_history": lambda r: {"events": [e.event for e in r]},
    "ping": lambda r: {"online": r["ping"] == "pong"},
    "ping_new": lambda r: {
        "online": r["online"],
        "p2p": r["p2p"],
        "steam_api_key_set": r["steamApiKey"],
    },
    "prices": lambda r: {
        "currency": r["currency"],
        "prices": {i["market_hash_name"]: Decimal(i["price"]) for i in r["items"]},
        "volumes": {i["market_hash_name"]: int(i["volume"]) for i in r["items"]},
    },
    "prices_class_instance": lambda r: {
        "currency": r.currency,
        "items": {
            key: {
                "market_hash_name": e.market_hash_name,
                "classid": key.split("_")[0],
                "instanceid": key.split("_")[1],
                "price": e.price,
                "buy_order": e.buy_order,
            }
            for key, e in r.items.items()
        },
    },
    "prices_orders": lambda r: {
        "currency": r["currency"],
        "best_buy_orders": {i["market_hash_name"]: Decimal(i["price"]) for i in r["items"]},
    },
    "remove_all_from_sale": lambda r: {"removed": r["count"]},
    "search_item_by_hash_name": lambda r: {
        "currency": r["currency"],
        "offers": [
            {
                "market_hash_name": o["market_hash_name"],
                "price": _major(o["price"], r["currency"]),
                "count": o["count"],
            }
            for o in r.get("list", r.get("data"))
        ],
    },
    "search_item_by_hash_name_specific": lambda r: {
        "currency": r.currency,
        "listings": _listings(r.data, r.currency),
    },
    "search_list_items_by_hash_name_all": lambda r: {
        "currency": r.currency,
        "listings": {name: _listings(offers, r.currency) for name, offers in r.data.items()},
    },
    "set_order": lambda r: {
        "order": {
            "market_hash_name": r["order"]["hash_name"],
            "count": r["order"]["count"],
            "currency": r["order"]["currency"],
        }
    },
    "set_pay_password": _ok,
    "set_price": _ok,
    "set_steam_api_key": _ok,
    "set_trade_token": lambda r: {"token": r["token"]},
    "test": lambda r: {
        "can_sell": all(r["status"].values()),
        "failing_checks": [name for name, ok in r["status"].items() if not ok],
    },
    "trade_request_give": lambda r: {
        "trade_offer_id": r.trade,
        "bot_steamid32": r.botid,
        "secret": r.secret,
        "assetids": r.items,
    },
    "trade_request_give_p2p": lambda r: {
        "offers": [_p2p_offer(r["offer"]) | {"message": r["offer"]["tradeoffermessage"]}]
    },
    "trade_request_give_p2p_all": lambda r: {"offers": [_p2p_offer(o) for o in r["offers"]]},
    "trade_request_take": lambda r: {
        "trade_offer_id": r.trade,
        "bot_steamid32": r.botid,
        "bot_steamid64": r.profile.rstrip("/").rsplit("/", 1)[1],
        "secret": r.secret,
        "item_count": len(r.items),
    },
    "trades": lambda r: {"trades": [_trade_facts(t) for t in r.trades]},
    "transfer_discounts": _ok,
    "update_inventory": _ok,
}


def _trade_facts(t: Any) -> dict[str, Any]:
    facts = {"trade_offer_id": t.trade_id, "direction": t.dir}
    if t.secret is None:
        return facts | {"bot_id": t.bot_id}
    return facts | {"secret": t.secret, "item_ids": list(t.list_item_id)}


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
    """``actual`` cut down to the keys ``expected`` names (key facts, not every field)."""
    if isinstance(actual, Mapping) and isinstance(expected, Mapping):
        return {k: _only(actual[k], v) for k, v in expected.items() if k in actual}
    if isinstance(actual, list) and isinstance(expected, list) and len(actual) == len(expected):
        return [_only(a, e) for a, e in zip(actual, expected, strict=True)]
    return actual


def _operation(name: str) -> str:
    return name.split(".")[0]


def _nothing_to_transfer(fixture: Fixture) -> bool:
    return bool(fixture.get("expected", {}).get("nothing_to_transfer"))


@pytest.fixture
def client(market: MarketTM) -> MarketTMClient:
    transport = market.client.transport
    # A refusal the transport would retry (502, 429, "server error") must surface at once.
    transport.options = attrs.evolve(transport.options, max_retries=0)
    return market.client


def test_every_fixture_operation_has_a_client_call() -> None:
    operations = {_operation(name) for name in REST_FIXTURES}
    assert operations - set(CALLS) == set()


def test_every_successful_fixture_has_facts_to_compare() -> None:
    answered = {
        _operation(name)
        for name in REST_FIXTURES
        if "error" not in load_fixture("market_tm", name).get("expected", {})
        and not _nothing_to_transfer(load_fixture("market_tm", name))
    }
    assert answered - set(FACTS) == set()


@pytest.mark.parametrize("name", REST_FIXTURES)
def test_client_answers_the_fixture_as_expected(
    name: str, client: MarketTMClient, register: Register, mock: responses.RequestsMock
) -> None:
    fixture = load_fixture("market_tm", name)
    register(fixture=fixture)
    call = CALLS[_operation(name)]
    expected = fixture.get("expected", {})
    body = fixture["response"].get("json", fixture["response"].get("text"))

    if _nothing_to_transfer(fixture):
        with pytest.raises(sm.errors.APIError) as caught:
            call(client, fixture)
        assert caught.value.code == expected["error_code"] == units.NOTHING_TO_TAKE
        assert caught.value.raw == body
    elif "error" in expected:
        with pytest.raises(getattr(sm.errors, expected["error"])) as raised:
            call(client, fixture)
        assert raised.value.raw == body
        assert raised.value.vendor == "market_tm"
    else:
        facts = _only(FACTS[_operation(name)](call(client, fixture)), expected)
        assert facts == _like(facts, expected)

    assert len(mock.calls) == 1
    sent = mock.calls[0].request
    assert sent.headers["X-API-KEY"] == API_KEY
    assert "key" not in parse_qs(urlsplit(str(sent.url)).query)
