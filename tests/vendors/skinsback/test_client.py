"""SkinsbackClient against every request fixture: the signed form it sends, what it makes of the
answer, and the error each refusal maps to.

``CALLS`` makes each method's request from the fixture's own form; the matcher checks the sent
form (read as PHP reads it) equals the fixture's and carries a valid ``shopid``/``sign``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import pytest

from skinmarkets import errors
from skinmarkets.vendors.skinsback import Skinsback, units
from skinmarkets.vendors.skinsback.client import SkinsbackClient
from tests.support import fixture_names, load_fixture
from tests.vendors.skinsback.conftest import Register

Fixture = Mapping[str, Any]
Form = Mapping[str, Any]
NAMES = [
    n for n in fixture_names("skinsback") if not n.startswith(("events.", "signature.", "ws."))
]


def _opt(form: Form, key: str) -> Any:
    return form.get(key)


def _getinfo(c: SkinsbackClient, f: Form) -> Any:
    if "buy_id" in f:
        return c.market_getinfo(buy_id=f["buy_id"])
    return c.market_getinfo_many(custom_ids=f.get("custom_ids", ()), buy_ids=f.get("buy_ids", ()))


def _history(c: SkinsbackClient, f: Form) -> Any:
    if "ending" not in f:  # the refusal fixture leaves it out: the generic call sends that
        return c._method("market_history", {"starting": f["starting"]})
    start = f.get("start_from")
    return c.market_history(
        starting=int(f["starting"]),
        ending=int(f["ending"]),
        start_from=int(start) if start is not None else None,
    )


def _rest(f: Form, *drop: str) -> dict[str, Any]:
    return {k: v for k, v in f.items() if k not in ("method", *drop)}


CALLS: dict[str, Callable[[SkinsbackClient, Form], Any]] = {
    "balance": lambda c, f: c.balance(),
    "currencies": lambda c, f: c.currencies(),
    "status": lambda c, f: c.server_status(),
    "market_pricelist": lambda c, f: c.market_pricelist(game=f["game"], full=f.get("full") == "1"),
    "market_search": lambda c, f: c.market_search(
        game=f["game"], name=f.get("name"), names=f.get("names", ())
    ),
    "market_buy": lambda c, f: c.market_buy(**_rest(f)),
    "market_batch_buy": lambda c, f: c.market_batch_buy(
        partner=_opt(f, "partner"), token=_opt(f, "token"), items=f["items"]
    ),
    "market_getinfo": _getinfo,
    "market_history": _history,
    "create": lambda c, f: c.create(_rest(f)),
    "orderstatus": lambda c, f: c.orderstatus(**_rest(f)),
    "orders": lambda c, f: c.orders(starting=int(f["starting"]), ending=int(f["ending"])),
    "offer_approve": lambda c, f: c.offer_approve(**_rest(f)),
    "user_inventory": lambda c, f: c.user_inventory(_rest(f)),
    "create_from_user_inventory": lambda c, f: c.create_from_user_inventory(
        _rest(f, "item_asset_ids"), item_asset_ids=f["item_asset_ids"]
    ),
    "callback_error_list": lambda c, f: c.callback_error_list(start_from=int(f["start_from"])),
}

#: Where our mapping differs from a fixture's ``expected.error``, and why.
ERROR_OVERRIDES: dict[str, type[errors.SkinMarketsError]] = {
    # "offer_not_found — Skin purchase not found": a purchase that does not exist is "not found"
    # (ItemUnavailable), which is also what PurchaseLookup.get_purchase raises for it.
    "market_getinfo.offer_not_found": errors.ItemUnavailable,
}


def _expected_error(name: str, fixture: Fixture) -> type[errors.SkinMarketsError] | None:
    expected = fixture.get("expected") or {}
    if "error" not in expected:
        return None
    if name in ERROR_OVERRIDES:
        return ERROR_OVERRIDES[name]
    error_class: type[errors.SkinMarketsError] = getattr(errors, expected["error"])
    return error_class


def test_every_request_fixture_has_a_call() -> None:
    methods = {load_fixture("skinsback", n)["request"]["form"]["method"] for n in NAMES}
    assert methods <= set(CALLS)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_request_is_sent_signed_and_its_answer_read(
    name: str, market: Skinsback, register: Register
) -> None:
    fixture = load_fixture("skinsback", name)
    form = fixture["request"]["form"]
    register(fixture=fixture)
    call = CALLS[form["method"]]
    error_class = _expected_error(name, fixture)
    if error_class is not None:
        with pytest.raises(error_class) as caught:
            call(market.client, form)
        expected = fixture["expected"]
        if "error_code" in expected:
            assert caught.value.code == expected["error_code"]
        assert caught.value.vendor == "skinsback"
        assert caught.value.raw == fixture["response"]["json"]
    else:
        assert call(market.client, form) is not None


def test_market_buy_answer_keeps_the_debited_sum_as_a_decimal(
    market: Skinsback, register: Register
) -> None:
    fixture = load_fixture("skinsback", "market_buy.ok")
    register(fixture=fixture)
    info = CALLS["market_buy"](market.client, fixture["request"]["form"])
    expected = fixture["expected"]
    assert info.buy_id == expected["purchase_id"]
    assert info.item.id == expected["item_id"]
    assert info.offer_status == expected["offer_status"]
    assert info.balance_debited_sum == Decimal(expected["amount_usd"])


def test_market_getinfo_with_custom_ids_reads_every_item(
    market: Skinsback, register: Register
) -> None:
    fixture = load_fixture("skinsback", "market_getinfo.ok_custom_ids")
    register(fixture=fixture)
    found = CALLS["market_getinfo"](market.client, fixture["request"]["form"])
    got = [(i.buy_id, i.custom_id, units.offer_status(i.offer_status)) for i in found.items]
    assert [(p["purchase_id"], p["custom_id"]) for p in fixture["expected"]["purchases"]] == [
        (b, c) for b, c, _ in got
    ]


def test_market_history_reads_the_cursor_and_has_more(
    market: Skinsback, register: Register
) -> None:
    fixture = load_fixture("skinsback", "market_history.ok")
    register(fixture=fixture)
    page = CALLS["market_history"](market.client, fixture["request"]["form"])
    assert page.has_more is True
    assert str(page.start_from) == fixture["expected"]["next_start_from"]
    assert page.total_count == fixture["expected"]["total_count"]


def test_pricelist_reads_count_and_price(market: Skinsback, register: Register) -> None:
    fixture = load_fixture("skinsback", "market_pricelist.ok")
    register(fixture=fixture)
    answer = CALLS["market_pricelist"](market.client, fixture["request"]["form"])
    by_name = {i.name: i for i in answer.items}
    for name, want in fixture["expected"]["prices"].items():
        assert by_name[name].price == Decimal(want["price_usd"])
        assert by_name[name].count == want["count"]


def test_orderstatus_pending_is_a_deposit_state_not_an_error(
    market: Skinsback, register: Register
) -> None:
    fixture = load_fixture("skinsback", "orderstatus.pending")
    register(fixture=fixture)
    answer = CALLS["orderstatus"](market.client, fixture["request"]["form"])
    assert answer["status"] == "pending"


@pytest.mark.parametrize("value", [True, None, 1.5, 3])
def test_a_value_that_is_not_a_string_is_refused_before_sending(
    market: Skinsback, value: object
) -> None:
    with pytest.raises(TypeError):
        market.client._method("market_search", {"game": "cs2", "name": value})
