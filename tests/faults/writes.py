"""The writes under test, per vendor: route, success envelope, fields to mangle, how to run one.

Everything vendor-specific in the fault suite lives here, read off the sandbox emulations
(``skinmarkets/sandbox/<vendor>.py``) and the adapters. SkinsBack has no withdraw write (it
delivers at purchase time) and sells nothing; Mannco and swap.gg take no custom id, Market TM
and SkinsBack do. SkinsBack's ``buy_many`` (``market_batch_buy``) is not covered: the sandbox
does not emulate that method, so there is no real answer to break.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from skinmarkets.money import Money
from skinmarkets.protocol import Marketplace
from skinmarkets.sandbox import Sandbox
from tests.faults.http1 import Answer, Request

__all__ = ["NAMES", "SPECS", "Operation", "WriteSpec", "custom_id_for", "spec_for"]

#: What each vendor's cells buy, withdraw and sell (cheap enough for the sandbox balance).
NAMES = {
    "market_tm": "AK-47 | Redline (Field-Tested)",
    "swapgg": "AK-47 | Redline (Field-Tested)",
    "skinsback": "AK-47 | Redline (Field-Tested)",
    "mannco": "Mann Co. Supply Crate Key",
}
#: Listing price for ``sell`` cells, in each sandbox account's currency.
SELL_PRICES = {
    "market_tm": Money("5.00", "USD"),
    "swapgg": Money("5.00", "EUR"),
    "mannco": Money("5.00", "USD"),
}

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Operation:
    """One prepared write: ``call`` runs it on a market; ``probe`` reads the state it changes."""

    call: Callable[[Marketplace], object]
    probe: Callable[[], Decimal]
    #: True when the probe moved the way the write moves it (the cheap cross-check of "done").
    moved: Callable[[Decimal, Decimal], bool]


@dataclass(frozen=True)
class WriteSpec:
    """One vendor's write: where it goes, what "done" looks like, which fields to mangle."""

    vendor: str
    operation: str  # buy | withdraw | sell
    is_write: Callable[[Request], bool]
    success_keys: tuple[str, ...]  # the success flag(s) of the envelope
    key_path: Path  # the field the result cannot do without
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


def _spec(
    vendor: str,
    operation: str,
    is_write: Callable[[Request], bool],
    key_path: Path,
    amount_path: Path | None,
) -> WriteSpec:
    prepare = {"buy": _buy, "withdraw": _withdraw, "sell": _sell}[operation](vendor)
    return WriteSpec(vendor, operation, is_write, FLAGS[vendor], key_path, amount_path, prepare)


#: Every (vendor, write) of the matrix. Key and amount fields are those of the sandbox's
#: success answer: TM buy {"success", "id"}, swap.gg {"status", "result": {...}}, SkinsBack the
#: purchase record, Mannco {"err", "success", "content"}.
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
)


def spec_for(vendor: str, operation: str) -> WriteSpec:
    return next(s for s in SPECS if (s.vendor, s.operation) == (vendor, operation))
