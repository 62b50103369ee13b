"""Injected faults on every vendor, through the real adapters, with each vendor's rule.

A fault that strikes after the vendor acted (``timeout``, ``garbled``) leaves the operation done;
one that strikes before (``http_502``, ``html``, ``rate_limit``) changes nothing. What the user
sees follows from the transport (skinmarkets/_http/) and the adapter: a lost read is
``Timeout`` / ``ServiceUnavailable`` / ``UnexpectedResponse`` (raw body kept) / ``RateLimited``;
a lost write is ``OutcomeUnknown``, which ``buy`` settles by looking the purchase up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import skinmarkets as sm
from skinmarkets import errors
from skinmarkets.protocol import Marketplace
from skinmarkets.sandbox import Sandbox
from tests.sandbox.conftest import SHORT_TIMEOUT

VENDORS = ("market_tm", "swapgg", "skinsback", "mannco")
#: Vendors that withdraw bought items with a write (SkinsBack delivers at purchase time).
WITHDRAWING = ("market_tm", "swapgg", "mannco")
#: Vendors whose withdraw, when its answer is lost, is looked up (trades and inventory).
WITHDRAW_LOOKUP = ("swapgg", "mannco")
NAMES = {
    "market_tm": "AK-47 | Redline (Field-Tested)",
    "swapgg": "AWP | Asiimov (Field-Tested)",
    "skinsback": "AK-47 | Redline (Field-Tested)",
    "mannco": "Mann Co. Supply Crate Key",
}
#: Where each vendor finds a purchase after a lost answer (the fault name of that read).
LOOKUP = {
    "market_tm": "lookup",
    "skinsback": "lookup",
    "swapgg": "inventory",
    "mannco": "inventory",
}


def connect(sb: Sandbox, vendor: str, fault: str | None = None) -> Any:
    """The vendor's adapter, reads never retried, a short read timeout for ``timeout`` faults."""
    options: dict[str, Any] = {"max_retries": 0}
    if fault == "timeout":
        options["timeout"] = SHORT_TIMEOUT
    return sb.connect(vendor, **options)


def purchases(sb: Sandbox, vendor: str) -> int:
    return len([p for p in sb.state.purchases[vendor] if p.bought])


READS: dict[str, Callable[[Any, str], object]] = {
    "balance": lambda market, vendor: market.balance(),
    "listings": lambda market, vendor: market.list_for_sale(NAMES[vendor]),
    # Mannco prices the names it knows: give it one.
    "prices": lambda market, vendor: (
        market.prices(names=[NAMES[vendor]]) if vendor == "mannco" else market.prices()
    ),
    "trades": lambda market, vendor: market.active_trades(),
}

# ---------------------------------------------------------------------------- reads


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize(
    ("operation", "fault", "status"),
    [*((op, "http_502", 502) for op in sorted(READS)), ("balance", "html", 200)],
)
def test_read_hit_by_an_error_page_is_service_unavailable_and_the_next_read_works(
    sb: Sandbox, vendor: str, operation: str, fault: str, status: int
) -> None:
    market = connect(sb, vendor)
    sb.fail_next(vendor, operation, fault)

    with pytest.raises(errors.ServiceUnavailable) as caught:
        READS[operation](market, vendor)

    assert caught.value.vendor == vendor
    assert caught.value.http_status == status
    assert isinstance(caught.value.raw, str) and "<html" in caught.value.raw.lower()
    READS[operation](market, vendor)  # one fault, one failure


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("operation", sorted(READS))
def test_garbled_read_is_unexpected_response_keeping_the_raw_body(
    sb: Sandbox, vendor: str, operation: str
) -> None:
    market = connect(sb, vendor)
    sb.fail_next(vendor, operation, "garbled")

    with pytest.raises(errors.UnexpectedResponse) as caught:
        READS[operation](market, vendor)

    raw = caught.value.raw
    assert caught.value.vendor == vendor and caught.value.http_status == 200
    assert isinstance(raw, str) and raw.startswith(("{", "["))  # half a JSON document
    READS[operation](market, vendor)


@pytest.mark.parametrize("vendor", VENDORS)
def test_timed_out_read_is_timeout(sb: Sandbox, vendor: str) -> None:
    market = connect(sb, vendor, "timeout")
    market.balance()  # Mannco logs in first: the fault must strike the balance itself
    sb.fail_next(vendor, "balance", "timeout")
    with pytest.raises(errors.Timeout) as caught:
        market.balance()
    assert caught.value.vendor == vendor


# Rate-limited reads: test_<vendor>.py::test_rate_limit* (the limiter then waits 1 s per vendor).


def test_a_read_is_retried_past_one_error_page(sb: Sandbox) -> None:
    market = sb.connect("swapgg", max_retries=1)
    sb.fail_next("swapgg", "balance", "http_502")
    assert market.balance().available == sb.balance_of("swapgg")


def test_endpoint_names_work_as_well_as_the_neutral_names(sb: Sandbox) -> None:
    market = connect(sb, "skinsback")
    sb.fail_next("skinsback", "market_search", "http_502")
    with pytest.raises(errors.ServiceUnavailable):
        market.list_for_sale(NAMES["skinsback"])


# ---------------------------------------------------------------------------- buy


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("fault", ["timeout", "garbled"])
def test_buy_lost_after_the_vendor_acted_is_found_and_never_bought_twice(
    sb: Sandbox, vendor: str, fault: str
) -> None:
    market = connect(sb, vendor, fault)
    first, second = market.list_for_sale(NAMES[vendor])[:2]
    before = sb.balance_of(vendor)
    sb.fail_next(vendor, "buy", fault)

    purchase = market.buy(first, custom_id=f"after-{fault}")

    assert purchase.custom_id == f"after-{fault}"
    assert purchase.price == first.price
    assert sb.balance_of(vendor) == before - first.price
    again = market.buy(first, custom_id=f"after-{fault}")  # a retry by the user
    assert again.id == purchase.id
    with pytest.raises(errors.DuplicateCustomId):  # one custom_id names one purchase
        market.buy(second, custom_id=f"after-{fault}")
    assert sb.balance_of(vendor) == before - first.price
    assert purchases(sb, vendor) == 1


@pytest.mark.parametrize("vendor", VENDORS)
def test_buy_lost_and_lookup_failing_is_outcome_unknown_then_settled_by_a_retry(
    sb: Sandbox, vendor: str
) -> None:
    market = connect(sb, vendor, "timeout")
    listing = market.list_for_sale(NAMES[vendor])[0]
    before = sb.balance_of(vendor)
    sb.fail_next(vendor, "buy", "timeout")
    sb.fail_next(vendor, LOOKUP[vendor], "http_502")

    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id="unsure")

    assert caught.value.custom_id == "unsure"
    assert sb.balance_of(vendor) == before - listing.price  # it did happen
    assert market.buy(listing, custom_id="unsure").custom_id == "unsure"
    assert sb.balance_of(vendor) == before - listing.price
    assert purchases(sb, vendor) == 1


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("fault", ["http_502", "html"])
def test_buy_lost_before_the_vendor_acted_is_never_resent_with_the_same_custom_id(
    sb: Sandbox, vendor: str, fault: str
) -> None:
    market = connect(sb, vendor)
    listing = market.list_for_sale(NAMES[vendor])[0]
    before = sb.balance_of(vendor)
    sb.fail_next(vendor, "buy", fault)

    with pytest.raises(errors.OutcomeUnknown) as caught:
        market.buy(listing, custom_id=f"before-{fault}")
    assert caught.value.custom_id == f"before-{fault}"
    # A known custom_id is never sent again (even where the vendor would refuse a duplicate):
    # the adapter only looks it up again.
    with pytest.raises(errors.OutcomeUnknown):
        market.buy(listing, custom_id=f"before-{fault}")

    assert sb.balance_of(vendor) == before and purchases(sb, vendor) == 0
    market.buy(listing, custom_id="a-new-decision")
    assert sb.balance_of(vendor) == before - listing.price


@pytest.mark.parametrize("vendor", VENDORS)
def test_rate_limited_buy_changes_nothing_and_the_same_custom_id_buys_later(
    sb: Sandbox, vendor: str
) -> None:
    market = connect(sb, vendor)
    listing = market.list_for_sale(NAMES[vendor])[0]
    before = sb.balance_of(vendor)
    sb.fail_next(vendor, "buy", "rate_limit")

    with pytest.raises(errors.RateLimited):
        market.buy(listing, custom_id="limited")

    assert sb.balance_of(vendor) == before and purchases(sb, vendor) == 0
    assert market.buy(listing, custom_id="limited").custom_id == "limited"
    assert sb.balance_of(vendor) == before - listing.price


# ---------------------------------------------------------------------------- withdraw


def _bought(sb: Sandbox, vendor: str, fault: str | None = None) -> Marketplace:
    market: Marketplace = connect(sb, vendor, fault)
    market.buy(market.list_for_sale(NAMES[vendor])[0])
    return market


@pytest.mark.parametrize("vendor", WITHDRAWING)
@pytest.mark.parametrize("fault", ["timeout", "garbled"])
def test_withdraw_lost_after_the_vendor_acted_is_found_or_outcome_unknown(
    sb: Sandbox, vendor: str, fault: str
) -> None:
    market = _bought(sb, vendor, fault)
    sb.fail_next(vendor, "withdraw", fault)

    if vendor in WITHDRAW_LOOKUP:  # the lookup finds the offer on its way
        (found,) = market.withdraw()
        assert found.direction is sm.Direction.INCOMING
    else:
        with pytest.raises(errors.OutcomeUnknown):
            market.withdraw()

    (trade,) = market.active_trades()
    sb.accept(trade)
    assert market.withdraw() == []


@pytest.mark.parametrize(
    ("vendor", "fault"),
    [*((v, "http_502") for v in WITHDRAWING), ("market_tm", "html"), ("market_tm", "rate_limit")],
)
def test_withdraw_refused_before_the_vendor_acted_sends_nothing(
    sb: Sandbox, vendor: str, fault: str
) -> None:
    market = _bought(sb, vendor)
    sb.fail_next(vendor, "withdraw", fault)

    expected = errors.RateLimited if fault == "rate_limit" else errors.OutcomeUnknown
    with pytest.raises(expected):
        market.withdraw()

    assert market.active_trades() == []
    (trade,) = market.withdraw()
    assert trade.direction is sm.Direction.INCOMING


def test_skinsback_lookup_fault_after_a_purchase_is_the_lookups_error(sb: Sandbox) -> None:
    market = connect(sb, "skinsback")
    purchase = market.buy(market.list_for_sale(NAMES["skinsback"])[0], custom_id="seen")
    sb.fail_next("skinsback", "lookup", "garbled")
    with pytest.raises(errors.UnexpectedResponse):
        market.get_purchase(purchase.custom_id)
    assert market.get_purchase(purchase.custom_id).id == purchase.id
