"""Write flows at their edges: a failed re-login, an answer or record that cannot be read, an
out-of-range date, an interrupt after the claims. Each test failed before its fix."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets._batch import BatchItemResult, buy_many_once
from skinmarkets._purchases import Order
from skinmarkets._writes import MemoryJournal, write_once
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.skinsback import BatchOrder, Skinsback
from tests.support import load_fixture
from tests.vendors.mannco.conftest import (  # noqa: F401  (fixtures)
    BASE_URL,
    Register,
    calls_to,
    clock,
    logged_in,
    market,
    mock,
    register,
)
from tests.vendors.skinsback.conftest import URL as SB_URL
from tests.vendors.skinsback.conftest import method_is, sent_forms

PAY = "/payment/mannco"
NAME = "Souvenir M4A1-S | Imminent Danger (Field-Tested)"


@pytest.fixture
def listing(
    market: Mannco,  # noqa: F811
    logged_in: None,  # noqa: F811
    register: Register,  # noqa: F811
    mock: responses.RequestsMock,  # noqa: F811
) -> sm.Listing:
    """The cheapest listing, asset 30000000001 at 650.00 USD (as tests/vendors/mannco)."""
    register("item_details.ok")
    mock.get(
        f"{BASE_URL}/item/listing/101869",
        json=load_fixture("mannco", "item_listing.ok")["response"]["json"],
    )
    return market.list_for_sale(NAME, limit=10)[0]


@pytest.mark.parametrize(
    "login_failure",
    [
        {"body": requests.ConnectionError("connection reset by peer")},  # -> NetworkError
        {"status": 503, "body": "<html>down</html>"},  # -> ServiceUnavailable
        {"status": 401, "json": {"err": True, "success": False, "content": "Invalid API key"}},
    ],
    ids=["network", "5xx", "key-refused"],
)
def test_mannco_payment_with_a_refused_token_and_a_failing_relogin_is_never_sent_again(
    market: Mannco,  # noqa: F811
    listing: sm.Listing,
    mock: responses.RequestsMock,  # noqa: F811
    login_failure: dict[str, object],
) -> None:
    # The payment's token is refused (it may have expired after the payment went through);
    # logging in again then fails. The payment may have happened: the buy is OutcomeUnknown
    # naming the custom_id, and the id stays claimed, so buying again never pays twice.
    mock.post(
        f"{BASE_URL}{PAY}",
        status=401,
        json={"err": True, "success": False, "content": "Invalid or expired token"},
    )
    mock.replace(responses.POST, f"{BASE_URL}/user/login", **login_failure)  # type: ignore[arg-type]

    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id="order-relogin")
    assert caught.value.custom_id == "order-relogin"
    assert calls_to(mock, PAY) == 1

    with pytest.raises(errors.SkinMarketsError):
        market.buy(listing, custom_id="order-relogin")
    assert calls_to(mock, PAY) == 1  # never sent a second time


def test_mannco_withdraw_done_is_not_reported_failed_when_reading_its_trades_fails(
    market: Mannco,  # noqa: F811
    logged_in: None,  # noqa: F811
    register: Register,  # noqa: F811
    mock: responses.RequestsMock,  # noqa: F811
) -> None:
    # The withdrawal went through (updated 1); only the read of the bot trades after it fails.
    # That read must not turn a done write into "ServiceUnavailable: try again later".
    register("inventory_oninventory.ok")  # asset 30000000001
    mock.post(
        f"{BASE_URL}/inventory/withdraw",
        json={"err": False, "success": True, "content": {"updated": 1, "locked": 0}},
    )
    mock.get(f"{BASE_URL}/trades/active", status=503, body="<html>down</html>")

    (trade,) = market.withdraw()

    assert trade.id == "withdraw:30000000001"
    assert trade.items == ("30000000001",)
    assert calls_to(mock, "/inventory/withdraw") == 1


# ---------------------------------------------------------------------- skinsback dates


def _sb_market() -> Skinsback:
    shop = sm.connect(
        "skinsback",
        client_id="test-sb-client-4711",
        client_secret="test-sb-secret-9f3e2a",
        trade_url="https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh",
        base_url="https://skinsback.test",
        store="memory",
        max_retries=0,
    )
    assert isinstance(shop, Skinsback)
    return shop


def _sb_listing(shop: Skinsback, id: str = "2516") -> sm.Listing:
    return sm.Listing(
        market=shop.name,
        id=id,
        market_hash_name="AK-47 | Safari Mesh (Minimal Wear)",
        price=sm.Money("0.45", "USD"),
        app_id=730,
    )


def test_skinsback_buy_many_with_a_millisecond_date_returns_the_purchase_not_a_value_error(
    mock: responses.RequestsMock,  # noqa: F811
) -> None:
    # A purchase record whose "date" is in milliseconds (or any out-of-range number) made
    # buy_many raise ValueError after paying: the purchase lost and its custom_id left in flight.
    shop = _sb_market()
    batch = copy.deepcopy(load_fixture("skinsback", "market_batch_buy.partial")["response"]["json"])
    batch["purchased"][0]["date"] = "1700000000000"
    batch["unavailable"] = []
    mock.add("POST", SB_URL, json=batch, match=[method_is("market_batch_buy")])

    (result,) = shop.buy_many([BatchOrder(_sb_listing(shop), custom_id="wd-43")])

    assert result.purchase is not None and result.purchase.id == "67"
    assert result.purchase.created_at is not None
    assert result.purchase.created_at.year == 2023
    # done: asking again returns it without sending anything
    (again,) = shop.buy_many([BatchOrder(_sb_listing(shop), custom_id="wd-43")])
    assert again.purchase is not None and again.purchase.id == "67"
    assert len(sent_forms(mock, "market_batch_buy")) == 1


def test_skinsback_get_purchase_with_an_out_of_range_date_is_no_value_error(
    mock: responses.RequestsMock,  # noqa: F811
) -> None:
    shop = _sb_market()
    found = copy.deepcopy(
        load_fixture("skinsback", "market_getinfo.ok_custom_ids")["response"]["json"]
    )
    found["items"] = found["items"][:1]
    found["items"][0]["date"] = "999999999999999999"
    mock.add("POST", SB_URL, json=found, match=[method_is("market_getinfo")])

    purchase = shop.get_purchase("wd-42")

    assert purchase.id == "65"


# ---------------------------------------------------------------------- _batch


class _FakeMarket:
    """What buy_many_once uses of a market: its vendor, journal and ambiguous codes."""

    vendor = "fake"
    name = "fake"
    ambiguous_codes: frozenset[object] = frozenset()

    def __init__(self) -> None:
        self._journal = MemoryJournal("fake")


def _orders() -> list[Order]:
    return [
        Order(
            sm.Listing(
                market="fake",
                id=item,
                market_hash_name="AK-47 | Redline (Field-Tested)",
                price=sm.Money("1.00", "USD"),
                app_id=730,
            ),
            sm.Money("1.00", "USD"),
            f"cid-{item}",
        )
        for item in ("1", "2")
    ]


def _purchase(record: str, order: Order) -> sm.Purchase:
    raise ValueError(f"a record nobody can read: {record}")


def _buy_many(shop: _FakeMarket, send: Any, read: Any, lookup: Any) -> list[BatchItemResult]:
    """``buy_many_once`` of the two orders, each record read by ``_purchase`` (which fails)."""
    return buy_many_once(
        shop,  # type: ignore[arg-type]  # only vendor, _journal, ambiguous_codes
        _orders(),
        send=send,
        read=read,
        lookup=lookup,
        purchase=_purchase,
        advice="look {custom_id!r} up",
    )


def test_batch_answer_that_cannot_be_read_looks_every_item_up_and_leaves_none_in_flight() -> None:
    # The batch was sent and answered, but turning the answer into purchases fails. That answer
    # is not understood: every item is looked up (OutcomeUnknown naming its custom_id), none is
    # left "in flight" (which would make every later call neither send nor look up).
    shop = _FakeMarket()
    sent: list[int] = []
    looked: list[list[str]] = []

    def send(orders: object) -> str:
        sent.append(1)
        return "answer"

    def read(answer: str, orders: object) -> list[tuple[str | None, str]]:
        return [("cid-1", "record-1"), ("cid-2", "record-2")]

    def lookup(custom_ids: list[str]) -> dict[str, str]:
        looked.append(list(custom_ids))
        return {}

    def run() -> list[BatchItemResult]:
        return _buy_many(shop, send, read, lookup)

    results = run()
    assert [type(r.error) for r in results] == [errors.OutcomeUnknown, errors.OutcomeUnknown]
    assert [getattr(r.error, "custom_id", None) for r in results] == ["cid-1", "cid-2"]
    assert looked == [["cid-1", "cid-2"]]
    for custom_id in ("cid-1", "cid-2"):
        entry = shop._journal.entry(custom_id)
        assert entry is not None and entry.state == "ambiguous"

    again = run()  # looked up again, never sent again, never "under way in another call"
    assert sent == [1]
    assert looked == [["cid-1", "cid-2"], ["cid-1", "cid-2"]]
    assert all(r.error is not None and r.error.code != "in_flight" for r in again)


def test_batch_lookup_record_that_cannot_be_read_is_outcome_unknown() -> None:
    shop = _FakeMarket()

    def send(orders: object) -> str:
        raise errors.OutcomeUnknown("no answer", vendor="fake", operation="buy_many")

    results = _buy_many(
        shop, send, lambda answer, orders: [], lambda ids: {cid: "record" for cid in ids}
    )

    assert [type(r.error) for r in results] == [errors.OutcomeUnknown, errors.OutcomeUnknown]
    assert [getattr(r.error, "custom_id", None) for r in results] == ["cid-1", "cid-2"]
    assert shop._journal.entry("cid-1").state == "ambiguous"  # type: ignore[union-attr]


@pytest.mark.parametrize("where", ["read", "lookup"])
def test_an_interrupt_after_the_batch_claims_leaves_its_ids_ambiguous(where: str) -> None:
    # Ctrl-C while the answer is read, or while the items are looked up: every id not settled
    # may have been sent, so it is looked up next time, never "under way in another call".
    shop = _FakeMarket()
    sent: list[int] = []

    def send(orders: object) -> str:
        sent.append(1)
        return "answer"

    def read(answer: str, orders: object) -> list[tuple[str | None, str]]:
        if where == "read":
            raise KeyboardInterrupt
        raise ValueError("an answer nobody can read")

    def lookup(custom_ids: list[str]) -> dict[str, str]:
        if where == "lookup":
            raise KeyboardInterrupt
        return {}

    with pytest.raises(KeyboardInterrupt):
        _buy_many(shop, send, read, lookup)
    for custom_id in ("cid-1", "cid-2"):
        entry = shop._journal.entry(custom_id)
        assert entry is not None and entry.state == "ambiguous"
    assert sent == [1]


# ---------------------------------------------------------------------- write_once


def test_an_interrupt_while_looking_up_leaves_the_id_ambiguous_not_in_flight_forever() -> None:
    # An interrupt (Ctrl-C in a notebook) during the lookup after an unclear answer left the
    # memory journal's claim "in flight" for good: every later call with the id was "under way
    # in another call" and never looked the purchase up again.
    journal = MemoryJournal("fake")
    sends: list[int] = []

    def send() -> str:
        sends.append(1)
        raise errors.OutcomeUnknown("no answer", vendor="fake", operation="buy")

    def interrupted() -> str | None:
        raise KeyboardInterrupt

    def write(lookup: Callable[[], str | None]) -> str:
        return write_once(
            vendor="fake",
            operation="buy",
            send=send,
            lookup=lookup,
            custom_id="cid-1",
            journal=journal,
            target="listing 1",
        )

    with pytest.raises(KeyboardInterrupt):
        write(interrupted)
    entry = journal.entry("cid-1")
    assert entry is not None and entry.state == "ambiguous"

    assert write(lambda: "the purchase") == "the purchase"  # looked up, not sent again
    assert sends == [1]
