"""The :class:`Sandbox` object: a running server, its state, and the handles to drive it."""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, overload

from skinmarkets import _plugins
from skinmarkets._seconds import Seconds
from skinmarkets.money import Money
from skinmarkets.protocol import Marketplace
from skinmarkets.sandbox import _statefile, mannco, skinsback
from skinmarkets.sandbox._profile import VendorProfile
from skinmarkets.sandbox._server import Server, VendorEmulation
from skinmarkets.sandbox._sockets import Sockets
from skinmarkets.sandbox._state import State
from skinmarkets.sandbox.market_tm import MarketTMEmulation
from skinmarkets.sandbox.swapgg import SwapGGEmulation

if TYPE_CHECKING:  # the types of connect's overloads only (adapters load on connect)
    from skinmarkets.vendors.mannco import Mannco
    from skinmarkets.vendors.market_tm import MarketTM
    from skinmarkets.vendors.skinsback import Skinsback
    from skinmarkets.vendors.swapgg import SwapGG

__all__ = ["VENDORS", "Sandbox"]

VENDORS = ("market_tm", "swapgg", "skinsback", "mannco")


class _Emulation(Protocol):
    """An emulation class: the profile its vendor's account has, and one built on the state."""

    @property
    def profile(self) -> VendorProfile: ...

    def __call__(self, state: State) -> VendorEmulation: ...


#: The emulation of each sandbox vendor; their accounts are stocked in this order.
EMULATIONS: Mapping[str, _Emulation] = {
    "market_tm": MarketTMEmulation,
    "swapgg": SwapGGEmulation,
    "skinsback": skinsback.SkinsbackEmulation,
    "mannco": mannco.ManncoEmulation,
}


class Sandbox:
    """One running sandbox server and its state; a context manager (stops on exit)."""

    def __init__(
        self,
        *,
        latency: Seconds = 0.0,
        timeout_delay: Seconds = 3.0,
        state_path: str | os.PathLike[str] | None = None,
    ) -> None:
        """``latency``: seconds slept before answering each request (for benchmarks).

        ``timeout_delay``: how long a ``fail_next(..., "timeout")`` request is held before its
        connection is dropped; keep it above the client's read timeout.

        ``state_path``: paper trading across processes — the state saved there by an earlier
        :meth:`save` is loaded now (a fresh state when the file does not exist; a file that is
        not a sandbox state is ``StateFileError``), and :meth:`save` writes it back. Without
        it, the state lives in this process only.
        """
        self.state = State({vendor: emulation.profile for vendor, emulation in EMULATIONS.items()})
        self.state_path = None if state_path is None else Path(state_path)
        if self.state_path is not None:
            _statefile.load(self.state, self.state_path)
        emulations = {vendor: emulation(self.state) for vendor, emulation in EMULATIONS.items()}
        self.server = Server(
            self.state,
            emulations,
            sockets=Sockets(self.state),
            latency=latency,
            timeout_delay=timeout_delay,
        )
        self.url = self.server.url
        self.vendors = tuple(v for v in VENDORS if v in emulations)
        self._running = False

    def __repr__(self) -> str:
        return f"Sandbox(url={self.url!r})"

    def start(self) -> Sandbox:
        if not self._running:
            self.server.start()
            self._running = True
        return self

    def stop(self) -> None:
        if self._running:
            self.server.stop()
            self._running = False

    def save(self) -> None:
        """Write the state to ``state_path`` (atomically; see ``_statefile``)."""
        if self.state_path is None:
            raise ValueError("sandbox: no state_path to save to; give sandbox(state_path=...)")
        _statefile.save(self.state, self.state_path)

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ connecting

    def base_url(self, vendor: str) -> str:
        return f"{self.url}/{self._vendor(vendor)}"

    def ws_url(self, vendor: str) -> str:
        """The ``ws_url=`` origin of ``vendor``'s emulated sockets (documented paths below it)."""
        return f"{self.server.ws_url}/{self._vendor(vendor)}"

    def credentials(self, vendor: str) -> dict[str, str]:
        """The ``connect()`` keyword arguments of the sandbox account on ``vendor``."""
        return dict(self.state.credentials[self._vendor(vendor)])

    @overload
    def connect(self, vendor: Literal["mannco"], **options: Any) -> Mannco: ...
    @overload
    def connect(self, vendor: Literal["market_tm"], **options: Any) -> MarketTM: ...
    @overload
    def connect(self, vendor: Literal["skinsback"], **options: Any) -> Skinsback: ...
    @overload
    def connect(self, vendor: Literal["swapgg"], **options: Any) -> SwapGG: ...
    @overload
    def connect(self, vendor: str, **options: Any) -> Marketplace: ...

    def connect(self, vendor: str, **options: Any) -> Marketplace:
        """The real adapter for ``vendor``, connected to this sandbox.

        Other ``options`` (``timeout``, ``game``, ``store`` — default ``"memory"``, ...) pass
        through; credentials and
        ``base_url`` are always the sandbox's own (its accounts are the only ones it knows). To
        try a wrong key, call ``skinmarkets.connect`` with ``base_url=sb.base_url(vendor)``.
        ``ws_url`` defaults to the sandbox's sockets (:meth:`ws_url`), so ``events()`` streams
        what the sandbox's actions cause; given, it is kept.
        """
        vendor = self._vendor(vendor)
        # Paper trading keeps its journal and limiter in this process unless told otherwise:
        # a sandbox's custom_ids mean nothing to the next run.
        options = {"store": "memory"} | options
        if "ws_url" not in options and _takes_ws_url(vendor):
            options["ws_url"] = self.ws_url(vendor)
        return _plugins.build(
            vendor, options | self.credentials(vendor) | {"base_url": self.base_url(vendor)}
        )

    def connect_all(self, **options: Any) -> dict[str, Marketplace]:
        """Every sandbox vendor, connected: vendor id -> market."""
        return {vendor: self.connect(vendor, **options) for vendor in self.vendors}

    # ------------------------------------------------------------------ driving the state

    def accept(self, trade: object) -> None:
        """The user accepts the Steam offer ``trade`` (a ``Trade`` or its id): items delivered."""
        self.state.settle(trade, "accepted")

    def expire(self, trade: object) -> None:
        """The offer ``trade`` times out unaccepted: the items stay with the market."""
        self.state.settle(trade, "expired")

    def advance(self, seconds: Seconds) -> None:
        """Move the sandbox clock forward; offers older than 15 minutes time out."""
        self.state.advance(seconds)

    def fail_next(self, vendor: str, operation: str, fault: str) -> None:
        """Make the next ``operation`` on ``vendor`` fail with ``fault``.

        ``operation`` is a vendor-neutral name — ``buy``, ``buy_many`` (SkinsBack's
        ``market_batch_buy``), ``listings``, ``prices``, ``balance``, ``trades``, ``withdraw``,
        ``lookup``, ``inventory``, ``sell`` (where the vendor has it) — or the endpoint's own
        name as the sandbox sees it (Market TM ``get_money``, swap.gg ``sales_purchase``,
        SkinsBack ``market_buy``, Mannco ``payment_mannco``; see each
        module's ``ALIASES``). Faults follow the vendors' rule: ``timeout`` (done, then the
        connection is dropped without an answer) and ``garbled`` (done, the answer cut in half)
        leave the operation done; ``http_502`` (an nginx 502 page), ``html`` (an HTML page with
        HTTP 200) and ``rate_limit`` (the vendor's own 429 or rate-limit refusal) change nothing.
        """
        vendor = self._vendor(vendor)
        emulation = self.server.vendors[vendor]
        known = emulation.operations | set(emulation.aliases.values())
        if operation not in known:
            raise ValueError(
                f"sandbox: {vendor} has no operation {operation!r}: choose one of "
                f"{', '.join(sorted(known))}"
            )
        self.state.fail_next(vendor, operation, fault)

    # ------------------------------------------------------------------ the selling side

    def give_item(self, vendor: str, market_hash_name: str) -> str:
        """Put a catalogue item into the account's inventory, ready to sell; its asset id.

        Where a vendor sells from: Market TM from the user's Steam inventory (``my_inventory``),
        swap.gg and Mannco from their on-site inventories. Bought items get there too (TM: once
        the withdrawal offer is accepted; swap.gg, Mannco: at once). SkinsBack sells nothing.
        """
        return self.state.give(self._vendor(vendor), market_hash_name).offer.asset_id

    def sell_to_buyer(self, vendor: str, listing: object) -> Money:
        """A third-party buyer buys one of the account's listings; the amount credited.

        ``listing`` is a ``Listing`` (from ``sell`` or ``my_listings``) or its id or asset id.
        The listing disappears from the market and the seller's balance is credited its price
        minus the vendor's sale fee (``skinmarkets._fees.DEFAULT_FEES``: 5 % on every sandbox
        vendor), the fee rounded to the cent. ``ValueError`` when no such listing is on sale.
        """
        vendor = self._vendor(vendor)
        keys = (
            [str(listing)]
            if isinstance(listing, str | int)
            else [
                str(k)
                for k in (getattr(listing, "id", None), getattr(listing, "asset_id", None))
                if k
            ]
        )
        for key in keys:
            if self.state.own_listing(vendor, key) is not None:
                credit = self.state.sell_to_buyer(vendor, key)
                return Money(credit, self.state.accounts[vendor].currency)
        raise ValueError(
            f"sandbox: no listing {listing!r} of the account on {vendor}; pass a Listing from "
            "sell() or my_listings(), or its id"
        )

    def balance_of(self, vendor: str) -> Money:
        """The sandbox account's balance on ``vendor``."""
        account = self.state.accounts[self._vendor(vendor)]
        return Money(account.balance, account.currency)

    def set_balance(self, vendor: str, amount: Decimal | int | str) -> None:
        """Set the sandbox account's balance on ``vendor`` (major units of its currency)."""
        self.state.set_balance(self._vendor(vendor), Decimal(amount))

    def open_sockets(self) -> int:
        """How many websockets are open on the sandbox now (every vendor)."""
        return self.server.open_websockets()

    def _vendor(self, vendor: str) -> str:
        normal = vendor.strip().lower()
        if normal not in self.vendors:
            raise ValueError(
                f"sandbox: no vendor {vendor!r}: choose one of {', '.join(self.vendors)}"
            )
        return normal


def _takes_ws_url(vendor: str) -> bool:
    """True when ``vendor``'s adapter accepts ``ws_url=`` (its realtime feed exists).

    Asked on every connect rather than assumed: an adapter without realtime keeps connecting.
    """
    from skinmarkets.errors import ConfigurationError

    try:
        return _accepts_ws_url(_plugins.load(vendor, _plugins.BUILT_IN[vendor]))
    except (KeyError, ConfigurationError):
        return False  # connect() itself says what is wrong with a vendor that does not load


def _accepts_ws_url(factory: Callable[..., object]) -> bool:
    """True when ``factory`` takes ``ws_url`` by keyword (named, or through ``**options``)."""
    try:
        parameters = inspect.signature(factory).parameters
    except (TypeError, ValueError):
        return False
    return "ws_url" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )
