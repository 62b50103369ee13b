"""The writes under test, per vendor: route, success envelope, fields to mangle, how to run one.

Everything vendor-specific in the fault suite lives here, read off the sandbox emulations
(``skinmarkets/sandbox/<vendor>.py``) and the adapters. SkinsBack has no withdraw write (it
delivers at purchase time) and sells nothing, but buys several listings in one request
(``buy_many``, ``market_batch_buy``); Mannco and swap.gg take no custom id, Market TM and
SkinsBack do. Mannco has no ``delist``; Market TM's ``reprice`` and ``delist`` are the same
request (set-price, 0 takes the listing off sale).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs

from skinmarkets.money import Money
from skinmarkets.protocol import Marketplace
from skinmarkets.sandbox import Sandbox
from skinmarkets.vendors.skinsback import BatchOrder
from tests.faults.http1 import Answer, Request

__all__ = [
    "NAMES",
    "SPECS",
    "Operation",
    "WriteSpec",
    "custom_id_for",
    "custom_ids_sent",
    "spec_for",
]

#: What each vendor's cells buy, withdraw and sell (cheap enough for the sandbox balance).
NAMES = {
    "market_tm": "AK-47 | Redline (Field-Tested)",
    "swapgg": "AK-47 | Redline (Field-Tested)",
    "skinsback": "AK-47 | Redline (Field-Tested)",
    "mannco": "Mann Co. Supply Crate Key",
}
#: Listing price for ``sell`` cells (and of the listing a ``reprice`` or ``delist`` cell
#: starts from), in each sandbox account's currency.
SELL_PRICES = {
    "market_tm": Money("5.00", "USD"),
    "swapgg": Money("5.00", "EUR"),
    "mannco": Money("5.00", "USD"),
}
#: The new price of ``reprice`` cells: any other price, so "done" shows in the sandbox.
REPRICES = {
    "market_tm": Money("6.00", "USD"),
    "swapgg": Money("6.00", "EUR"),
    "mannco": Money("6.00", "USD"),
}

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Operation:
    """One prepared write: ``call`` runs it on a market; ``probe`` reads the state it changes."""

    call: Callable[[Marketplace], object]
    probe: Callable[[], Decimal]
    #: True when the probe moved the way the write moves it (the cheap cross-check of "done").
    moved: Callable[[Decimal, Decimal], bool]
    #: ``buy_many`` only: custom_id -> the sandbox's purchase id for that order, None while the
    #: sandbox has not bought it (the per-item truth), in the order of the batch.
    bought: Callable[[], dict[str, str | None]] | None = None
    #: ``buy_many`` only: the orders set up so that the sandbox refuses them whatever happens.
    refused: frozenset[str] = frozenset()


@dataclass(frozen=True)
class WriteSpec:
    """One vendor's write: where it goes, what "done" looks like, which fields to mangle."""

    vendor: str
    operation: str  # buy | withdraw | sell | reprice | delist | buy_many
    is_write: Callable[[Request], bool]
    success_keys: tuple[str, ...]  # the success flag(s) of the envelope
    key_path: Path | None  # the field the result cannot do without (None: the flag is all)
    amount_path: Path | None  # a money or count field that cannot be negative
    prepare: Callable[[Sandbox, Marketplace, str], Operation]

    @property
    def label(self) -> str:
        return f"{self.vendor}-{self.operation}"

    def is_success(self, answer: Answer) -> bool:
        """The vendor's own success envelope with HTTP 200: the sandbox did it."""
        data = answer.json()
        if answer.status != 200 or not isinstance(data, dict):
            return False
        return SUCCESS[self.vendor](data)


#: The success envelope of each vendor (what its sandbox answers when the write happened).
SUCCESS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "market_tm": lambda d: d.get("success") is True,  # {"success": true, ...}
    "swapgg": lambda d: d.get("status") == "OK",  # {"status": "OK", "result": ...}
    "skinsback": lambda d: d.get("status") == "success",  # {"status": "success", ...}
    "mannco": lambda d: d.get("success") is True and d.get("err") is False,
}
FLAGS = {
    "market_tm": ("success",),
    "swapgg": ("status",),
    "skinsback": ("status",),
    "mannco": ("success", "err"),
}


def custom_id_for(cell_id: str) -> str:
    """A custom_id fixed by the cell's id: the same run after run, unique per cell."""
    return hashlib.sha1(cell_id.encode()).hexdigest()[:32]  # noqa: S324 - an id, not security


def custom_ids_sent(body: bytes) -> set[str]:
    """The custom_ids a SkinsBack purchase request carried (``custom_id`` of market_buy,
    ``items[N][custom_id]`` of market_batch_buy); the adapter sends form bodies."""
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {
        value
        for key, values in fields.items()
        if key == "custom_id" or (key.startswith("items[") and key.endswith("][custom_id]"))
        for value in values
    }


def _route(path: str, method: str | None = None) -> Callable[[Request], bool]:
    def matches(request: Request) -> bool:
        return request.path == path and (method is None or request.method == method)

    return matches


def _skinsback_buy(request: Request) -> bool:
    method = (request.form().get("method") or [""])[0]
    return request.path == "/skinsback/api.php" and method in ("market_buy", "market_batch_buy")


# ---------------------------------------------------------------------- preparing each write


def _buy(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        listing = market.list_for_sale(NAMES[vendor], limit=5)[0]
        return Operation(
            call=lambda on: on.buy(listing, custom_id=custom_id),
            probe=lambda: sb.balance_of(vendor).amount,
            moved=lambda before, after: after < before,
        )

    return prepare


def _withdraw(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        # A purchase held by the market, put there without HTTP: only the withdraw goes
        # through the proxy.
        sb.state.buy(vendor, sb.state.listings(vendor, NAMES[vendor])[0], None)
        return Operation(
            call=lambda on: on.withdraw(),
            probe=lambda: Decimal(len(sb.state.trades[vendor])),
            moved=lambda before, after: after > before,
        )

    return prepare


def _sell(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        asset = sb.give_item(vendor, NAMES[vendor])
        return Operation(
            call=lambda on: on.sell(asset, SELL_PRICES[vendor]),  # type: ignore[attr-defined]
            probe=lambda: Decimal(len(sb.state.own_listings(vendor))),
            moved=lambda before, after: after > before,
        )

    return prepare


def _own_price(sb: Sandbox, vendor: str, asset: str) -> Decimal:
    """The sandbox's price of the account's listing of ``asset`` (-1: not listed)."""
    found = sb.state.own_listing(vendor, asset)
    return found[1].price if found is not None else Decimal(-1)


def _reprice(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        # Listed through the adapter, as a user would have it, before the fault is armed (on
        # Mannco selling and repricing are the same request).
        asset = sb.give_item(vendor, NAMES[vendor])
        listing = market.sell(asset, SELL_PRICES[vendor])  # type: ignore[attr-defined]
        return Operation(
            call=lambda on: on.reprice(listing.id, REPRICES[vendor]),  # type: ignore[attr-defined]
            probe=lambda: _own_price(sb, vendor, asset),
            moved=lambda before, after: after == REPRICES[vendor].amount != before,
        )

    return prepare


def _delist(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        asset = sb.give_item(vendor, NAMES[vendor])
        listing = market.sell(asset, SELL_PRICES[vendor])  # type: ignore[attr-defined]
        return Operation(
            call=lambda on: on.delist(listing.id),  # type: ignore[attr-defined]
            probe=lambda: Decimal(len(sb.state.own_listings(vendor))),
            moved=lambda before, after: after < before,
        )

    return prepare


def _buy_many(vendor: str) -> Callable[[Sandbox, Marketplace, str], Operation]:
    def prepare(sb: Sandbox, market: Marketplace, custom_id: str) -> Operation:
        first, second, dear = market.list_for_sale(NAMES[vendor], limit=5)[:3]
        # Repriced by its seller after it was read: the batch's cap (its old price) is below the
        # sandbox's price, so the sandbox refuses this order alone (code 6) and buys the others.
        sb.state.offers[vendor][dear.id].price += 1
        ids = tuple(f"{custom_id}-{n}" for n in range(3))
        orders = [
            BatchOrder(li, custom_id=c) for li, c in zip((first, second, dear), ids, strict=True)
        ]

        def bought() -> dict[str, str | None]:
            found = {c: sb.state.purchase_by_custom_id(vendor, c) for c in ids}
            return {c: p.id if p is not None else None for c, p in found.items()}

        return Operation(
            call=lambda on: on.buy_many(orders),  # type: ignore[attr-defined]
            probe=lambda: sb.balance_of(vendor).amount,
            moved=lambda before, after: after < before,
            bought=bought,
            refused=frozenset({ids[2]}),
        )

    return prepare


PREPARE = {
    "buy": _buy,
    "withdraw": _withdraw,
    "sell": _sell,
    "reprice": _reprice,
    "delist": _delist,
    "buy_many": _buy_many,
}


def _spec(
    vendor: str,
    operation: str,
    is_write: Callable[[Request], bool],
    key_path: Path | None,
    amount_path: Path | None,
) -> WriteSpec:
    prepare = PREPARE[operation](vendor)
    return WriteSpec(vendor, operation, is_write, FLAGS[vendor], key_path, amount_path, prepare)


#: Every (vendor, write) of the matrix. Key and amount fields are those of the sandbox's
#: success answer: TM buy {"success", "id"} (set-price: {"success"} alone), swap.gg
#: {"status", "result": {...}}, SkinsBack the purchase record (a batch: {"status",
#: "purchased": [records], "unavailable"}), Mannco {"err", "success", "content"}.
SPECS: tuple[WriteSpec, ...] = (
    _spec("market_tm", "buy", _route("/market_tm/api/v2/buy"), ("id",), None),
    _spec(
        "market_tm", "withdraw", _route("/market_tm/api/v2/trade-request-take"), ("trade",), None
    ),
    _spec("market_tm", "sell", _route("/market_tm/api/v2/add-to-sale"), ("item_id",), None),
    _spec(
        "swapgg",
        "buy",
        _route("/swapgg/v1/sales/purchase", "POST"),
        ("result", "saleIds"),
        ("result", "purchaseAmount"),
    ),
    _spec(
        "swapgg",
        "withdraw",
        _route("/swapgg/v1/inventory/withdraw", "POST"),
        ("result", "tradeIds"),
        None,
    ),
    _spec(
        "swapgg",
        "sell",
        _route("/swapgg/v1/sales/list", "POST"),
        ("result", "items"),
        ("result", "items", 0, "price"),
    ),
    _spec("skinsback", "buy", _skinsback_buy, ("buy_id",), ("balance_debited_sum",)),
    _spec("mannco", "buy", _route("/mannco/payment/mannco", "POST"), ("content",), None),
    _spec(
        "mannco",
        "withdraw",
        _route("/mannco/inventory/withdraw", "POST"),
        ("content", "updated"),
        ("content", "updated"),  # a count of items sent: negative cannot be true either
    ),
    _spec("mannco", "sell", _route("/mannco/inventory/price", "POST"), ("content",), None),
    # The writes added second (run on a sample of the faults: see test_write_faults.py).
    _spec("market_tm", "reprice", _route("/market_tm/api/v2/set-price"), None, None),
    _spec("market_tm", "delist", _route("/market_tm/api/v2/set-price"), None, None),
    _spec(
        "swapgg",
        "reprice",
        _route("/swapgg/v1/sales/list", "PUT"),
        ("result", "items"),
        ("result", "items", 0, "price"),
    ),
    _spec("swapgg", "delist", _route("/swapgg/v1/sales/delist", "POST"), ("result", "items"), None),
    _spec("mannco", "reprice", _route("/mannco/inventory/price", "POST"), ("content",), None),
    # Any SkinsBack purchase request counts as the batch's write: one per call, whichever.
    _spec(
        "skinsback",
        "buy_many",
        _skinsback_buy,
        ("purchased",),
        ("purchased", 0, "balance_debited_sum"),
    ),
)


def spec_for(vendor: str, operation: str) -> WriteSpec:
    return next(s for s in SPECS if (s.vendor, s.operation) == (vendor, operation))
