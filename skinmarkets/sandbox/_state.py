"""The sandbox's state: accounts, listings, purchases and trades, behind one lock.

Vendor-neutral: amounts are ``Decimal`` in the account's major unit (each vendor module turns
them into its wire units). The clock is real time plus whatever :meth:`State.advance` added, so
trade offers can be made to time out without waiting.

Every action a vendor would announce on its socket publishes a record on :attr:`State.bus`
(``_bus.py``): a purchase made, sent, accepted or expired, a listing added, repriced or removed,
a listing sold to a third party, the balance set or moved. The emulated sockets push them.
"""

from __future__ import annotations

import itertools
import secrets
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Literal

import attrs

from skinmarkets._fees import DEFAULT_FEES
from skinmarkets._seconds import Seconds
from skinmarkets.sandbox._bus import BalanceEvent, Bus, ListingEvent, PurchaseEvent, SaleEvent
from skinmarkets.sandbox._catalog import CATALOGUE, OFFSETS
from skinmarkets.sandbox._faults import FAULTS
from skinmarkets.sandbox._profile import BUILT_IN_PROFILES, VendorProfile

__all__ = ["FAULTS", "OWN", "Account", "Offer", "SandboxPurchase", "SandboxTrade", "State"]

CENT = Decimal("0.01")

#: ``Offer.owner`` of the sandbox account's own listings.
OWN = "sandbox-user"

#: Seconds a realtime token is remembered after it was issued (it is "expired" until then,
#: "never issued" after).
TOKEN_MEMORY = 3600

#: SANDBOX DATA: the starting balance of every sandbox account, in its currency.
STARTING_BALANCE = Decimal("500.00")


@attrs.define
class Offer:
    """An item on sale on one sandbox market."""

    id: str
    vendor: str
    market_hash_name: str
    app_id: int
    price: Decimal  # major units of the market's currency
    asset_id: str
    class_id: str
    instance_id: str
    float_value: str | None
    owner: str | None = None  # None: a third-party seller's; OWN: the sandbox account's own


@attrs.define
class SandboxPurchase:
    """An item of the account: bought (or given with ``Sandbox.give_item``), held by the market
    until withdrawn (``held`` -> ``sent`` -> ``delivered``), or put up for sale (``listed``) and
    sold to a third-party buyer (``sold``)."""

    id: str
    custom_id: str | None
    offer: Offer
    paid: Decimal
    time: Seconds  # on the sandbox clock
    state: str = "held"  # held | sent | delivered | listed | sold
    trade_id: str | None = None
    bought: bool = True  # False: given by the test (``give_item``), not in purchase history
    listing_id: str | None = None  # the Offer while ``listed``
    recipient: str | None = None  # Market TM buy-for: the trade-link partner it went to


@attrs.define
class SandboxTrade:
    """A Steam offer from the market's bot to the user."""

    id: str
    vendor: str
    purchases: list[SandboxPurchase]
    created: Seconds  # on the sandbox clock
    secret: str
    bot_id: str
    state: str = "sent"  # sent | accepted | expired


@attrs.define
class Account:
    """One sandbox account: its credentials' owner on one vendor."""

    vendor: str
    currency: str
    balance: Decimal


class State:
    """Everything the sandbox remembers. Every method takes the lock; vendors use :meth:`locked`."""

    def __init__(self, profiles: Mapping[str, VendorProfile] = BUILT_IN_PROFILES) -> None:
        """``profiles``: vendor -> its profile (``_profile.py``), one account each, in this order;
        the four built-in vendors' when not given."""
        #: What the state knows of each vendor: currency, offer timeout, where it sells from.
        self.profiles = MappingProxyType(dict(profiles))
        self._lock = threading.RLock()
        self._ids = itertools.count(700_000_001)
        self.offset = 0.0  # seconds added by advance()
        self.accounts = {
            vendor: Account(vendor, profile.currency, STARTING_BALANCE)
            for vendor, profile in self.profiles.items()
        }
        self.offers: dict[str, dict[str, Offer]] = {vendor: {} for vendor in self.profiles}
        self.purchases: dict[str, list[SandboxPurchase]] = {vendor: [] for vendor in self.profiles}
        self.trades: dict[str, dict[str, SandboxTrade]] = {vendor: {} for vendor in self.profiles}
        self.faults: dict[tuple[str, str], list[str]] = {}
        #: Realtime tokens the REST emulations issued: (vendor, purpose) -> token -> issued at.
        self.tokens: dict[tuple[str, str], dict[str, Seconds]] = {}
        #: What happened, for the emulated sockets (``_bus.py``).
        self.bus = Bus()
        for vendor in self.profiles:
            self._stock(vendor)

    @property
    def credentials(self) -> Mapping[str, Mapping[str, str]]:
        """vendor -> the ``connect()`` credentials of its account (from its profile)."""
        return {vendor: profile.credentials for vendor, profile in self.profiles.items()}

    # ------------------------------------------------------------------ plumbing

    @contextmanager
    def locked(self) -> Iterator[State]:
        """Hold the state lock for a multi-step operation."""
        with self._lock:
            self.expire_due()
            yield self

    def now(self) -> Seconds:
        return time.time() + self.offset

    def new_id(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def _stock(self, vendor: str) -> None:
        for n, item in enumerate(CATALOGUE):
            for k, offset in enumerate(OFFSETS):
                offer = self._new_offer(
                    vendor, n, k, self._price(vendor, item.reference_usd, offset)
                )
                self.offers[vendor][offer.id] = offer

    def _price(self, vendor: str, reference: Decimal, offset: Decimal) -> Decimal:
        """A catalogue price on ``vendor``'s market: its profile's factor, to the cent."""
        factor = self.profiles[vendor].price_factor
        return (reference * factor * offset).quantize(CENT, rounding=ROUND_HALF_UP)

    def _new_offer(self, vendor: str, n: int, k: int, price: Decimal) -> Offer:
        """A new copy of catalogue item ``n`` (its ``k``-th variant) at ``price``."""
        item = CATALOGUE[n]
        offer_id = self.new_id()
        return Offer(
            id=offer_id,
            vendor=vendor,
            market_hash_name=item.market_hash_name,
            app_id=item.app_id,
            price=price,
            asset_id=str(30_000_000_000 + int(offer_id)),
            class_id=str(3_000_000_000 + n),
            instance_id="0",
            float_value=f"0.{(n * 7 + k * 13) % 90 + 10:02d}412" if item.app_id == 730 else None,
        )

    # ------------------------------------------------------------------ queries

    def listings(self, vendor: str, name: str | None = None) -> list[Offer]:
        """Offers on ``vendor`` (for one name when given), cheapest first."""
        with self._lock:
            found = [
                o
                for o in self.offers[vendor].values()
                if name is None or o.market_hash_name == name
            ]
        return sorted(found, key=lambda o: (o.price, o.id))

    def purchase_by_custom_id(self, vendor: str, custom_id: str) -> SandboxPurchase | None:
        with self._lock:
            for purchase in self.purchases[vendor]:
                if purchase.custom_id == custom_id:
                    return purchase
        return None

    def active_trades(self, vendor: str) -> list[SandboxTrade]:
        with self.locked():
            return [t for t in self.trades[vendor].values() if t.state == "sent"]

    # ------------------------------------------------------------------ writes

    def buy(
        self, vendor: str, offer: Offer, custom_id: str | None, *, recipient: str | None = None
    ) -> SandboxPurchase:
        """Take ``offer`` off sale, debit its price, hold the item. Callers check funds first.

        Buying the account's own listing sells it like any buyer would (``sell_to_buyer``).
        ``recipient`` (Market TM buy-for): the item goes straight to that trade-link partner.
        """
        with self._lock:
            del self.offers[vendor][offer.id]
            self._publish_listing(vendor, "removed", offer)
            if offer.owner == OWN:
                self._sold(vendor, offer)
            self.accounts[vendor].balance -= offer.price
            purchase = SandboxPurchase(
                id=self.new_id(),
                custom_id=custom_id,
                offer=offer,
                paid=offer.price,
                time=self.now(),
            )
            if recipient is not None:  # the bot hands it to the recipient, not to the account
                purchase.state, purchase.recipient = "delivered", recipient
            self.purchases[vendor].append(purchase)
            self._publish_purchase(vendor, "bought", purchase)
            self._publish_balance(vendor)
            return purchase

    def withdraw(
        self, vendor: str, purchases: list[SandboxPurchase] | None = None
    ) -> SandboxTrade | None:
        """Send held purchases (all when None) in one offer; None when nothing is held."""
        with self.locked():
            pool = self.purchases[vendor] if purchases is None else purchases
            held = [p for p in pool if p.state == "held"]
            if not held:
                return None
            trade_id = self.new_id()
            trade = SandboxTrade(
                id=trade_id,
                vendor=vendor,
                purchases=held,
                created=self.now(),
                secret=f"S{int(trade_id) % 1000:03d}",
                bot_id="354589802",
            )
            for p in held:
                p.state, p.trade_id = "sent", trade_id
            self.trades[vendor][trade_id] = trade
            for p in held:
                self._publish_purchase(vendor, "sent", p, trade)
            return trade

    def find_trade(self, trade: object) -> SandboxTrade:
        """The trade a model ``Trade`` (its ``id`` or ``offer_id``) or an id string names."""
        keys = (
            {str(trade)}
            if isinstance(trade, str | int)
            else {
                str(getattr(trade, "id", "")),
                str(getattr(trade, "offer_id", "")),
            }
        )
        with self._lock:
            for trades in self.trades.values():
                for key in keys:
                    if key in trades:
                        return trades[key]
            # Vendors that deliver per purchase (SkinsBack) name the trade by the purchase id.
            for trades in self.trades.values():
                for found in trades.values():
                    if keys & {p.id for p in found.purchases}:
                        return found
        raise ValueError(
            f"sandbox: no trade {trade!r}; pass a Trade from withdraw() or active_trades(), "
            "or its id"
        )

    def settle(self, trade: object, outcome: str) -> None:
        """Accept or expire one sent trade (``outcome``: ``accepted`` | ``expired``)."""
        with self.locked():
            found = self.find_trade(trade)
            if found.state != "sent":
                raise ValueError(f"sandbox: trade {found.id} is already {found.state}")
            found.state = outcome
            for p in found.purchases:
                # An expired offer leaves the item with the market, ready to withdraw again.
                p.state = "delivered" if outcome == "accepted" else "held"
                if outcome != "accepted":
                    p.trade_id = None
                self._publish_purchase(
                    found.vendor, "accepted" if outcome == "accepted" else "expired", p, found
                )

    def advance(self, seconds: Seconds) -> None:
        with self._lock:
            self.offset += seconds
            self.expire_due()

    def expire_due(self) -> None:
        with self._lock:
            now = self.now()
            for vendor, trades in self.trades.items():
                ttl = self.profiles[vendor].trade_offer_ttl
                for trade in trades.values():
                    if trade.state == "sent" and now - trade.created >= ttl:
                        trade.state = "expired"
                        for p in trade.purchases:
                            p.state, p.trade_id = "held", None
                            self._publish_purchase(vendor, "expired", p, trade)

    # ------------------------------------------------------------------ the account's own items

    def give(self, vendor: str, market_hash_name: str) -> SandboxPurchase:
        """A catalogue item the account owns from now on, ready to sell (``sell_from``)."""
        where = self.profiles[vendor].sell_from
        found = [n for n, item in enumerate(CATALOGUE) if item.market_hash_name == market_hash_name]
        if where is None or not found:
            what = "sells nothing" if where is None else f"has no item {market_hash_name!r}"
            raise ValueError(f"sandbox: {vendor} {what}")
        with self._lock:
            offer = self._new_offer(
                vendor,
                found[0],
                0,
                self._price(vendor, CATALOGUE[found[0]].reference_usd, OFFSETS[0]),
            )
            item = SandboxPurchase(
                self.new_id(), None, offer, Decimal(0), self.now(), where, bought=False
            )
            self.purchases[vendor].append(item)
            return item

    def owned(self, vendor: str) -> list[SandboxPurchase]:
        """Items the account could put up for sale on ``vendor`` (see ``sell_from``)."""
        where = self.profiles[vendor].sell_from
        with self.locked():
            return [p for p in self.purchases[vendor] if p.state == where and p.recipient is None]

    def own_listings(self, vendor: str) -> list[tuple[SandboxPurchase, Offer]]:
        """The account's items on sale on ``vendor`` with their offers."""
        with self._lock:
            return [
                (p, self.offers[vendor][p.listing_id])
                for p in self.purchases[vendor]
                if p.state == "listed" and p.listing_id in self.offers[vendor]
            ]

    def own_listing(self, vendor: str, key: str) -> tuple[SandboxPurchase, Offer] | None:
        """The account's listing whose offer id or asset id is ``key``."""
        for purchase, offer in self.own_listings(vendor):
            if key in (offer.id, offer.asset_id):
                return purchase, offer
        return None

    def list_item(self, vendor: str, purchase: SandboxPurchase, price: Decimal) -> Offer:
        """Put an owned item on sale at ``price``: other buyers see it among the listings."""
        with self._lock:
            offer = attrs.evolve(purchase.offer, id=self.new_id(), price=price, owner=OWN)
            self.offers[vendor][offer.id] = offer
            purchase.state, purchase.listing_id = "listed", offer.id
            self._publish_listing(vendor, "added", offer)
            return offer

    def reprice(self, vendor: str, offer: Offer, price: Decimal) -> None:
        """A new price for one of the account's listings."""
        with self._lock:
            old, offer.price = offer.price, price
            if price != old:
                self._publish_listing(vendor, "changed", offer, old_price=old)

    def delist(self, vendor: str, purchase: SandboxPurchase) -> None:
        """Take a listed item off sale: back where it was sold from."""
        where = self.profiles[vendor].sell_from
        if where is None:  # nothing of it can be listed (SkinsBack)
            raise ValueError(f"sandbox: {vendor} sells nothing")
        with self._lock:
            offer = self.offers[vendor].pop(purchase.listing_id or "", None)
            purchase.state, purchase.listing_id = where, None
            if offer is not None:
                self._publish_listing(vendor, "removed", offer)

    def sell_to_buyer(self, vendor: str, key: str) -> Decimal:
        """A third-party buyer buys the account's listing ``key`` (offer or asset id).

        The listing disappears and the seller is credited its price minus the vendor's sale
        fee (``skinmarkets._fees.DEFAULT_FEES``, rounded to the cent); returns the credit.
        """
        with self.locked():
            found = self.own_listing(vendor, key)
            if found is None:
                raise ValueError(
                    f"sandbox: no listing {key!r} of the account on {vendor}; pass a Listing "
                    "from sell() or my_listings(), or its id"
                )
            del self.offers[vendor][found[1].id]
            self._publish_listing(vendor, "removed", found[1])
            return self._sold(vendor, found[1])

    def _sold(self, vendor: str, offer: Offer) -> Decimal:
        """The account's listing ``offer`` was bought: credit the seller, the item is gone."""
        fee = (offer.price * DEFAULT_FEES[vendor].sale_fee).quantize(CENT, ROUND_HALF_UP)
        credit = offer.price - fee
        self.accounts[vendor].balance += credit
        for purchase in self.purchases[vendor]:
            if purchase.listing_id == offer.id:
                purchase.state, purchase.listing_id = "sold", None
                self.bus.publish(
                    SaleEvent(
                        vendor,
                        offer.id,
                        offer.asset_id,
                        offer.market_hash_name,
                        offer.price,
                        credit,
                        purchase.id,
                    )
                )
        self._publish_balance(vendor)
        return credit

    # ------------------------------------------------------------------ the balance

    def set_balance(self, vendor: str, amount: Decimal) -> None:
        """Set the account's balance on ``vendor`` (major units of its currency)."""
        with self._lock:
            self.accounts[vendor].balance = amount
            self._publish_balance(vendor)

    # ------------------------------------------------------------------ realtime tokens

    def issue_token(self, vendor: str, purpose: str, prefix: str = "") -> str:
        """A fresh token for one of ``vendor``'s sockets (``purpose``: which one)."""
        token = prefix + secrets.token_urlsafe(24)
        with self._lock:
            issued = self.tokens.setdefault((vendor, purpose), {})
            now = self.now()
            for old in [t for t, at in issued.items() if now - at > TOKEN_MEMORY]:
                del issued[old]  # long dead (every token lives 10 minutes at most): forgotten
            issued[token] = now
        return token

    def token_age(self, vendor: str, purpose: str, token: str) -> Seconds | None:
        """Seconds (sandbox clock) since ``token`` was issued; None when it never was."""
        with self._lock:
            issued = self.tokens.get((vendor, purpose), {}).get(token)
            return None if issued is None else self.now() - issued

    # ------------------------------------------------------------------ publishing

    def _publish_listing(
        self,
        vendor: str,
        action: Literal["added", "changed", "removed"],
        offer: Offer,
        *,
        old_price: Decimal | None = None,
    ) -> None:
        self.bus.publish(
            ListingEvent(
                vendor,
                action,
                offer.id,
                offer.asset_id,
                offer.market_hash_name,
                offer.app_id,
                offer.class_id,
                offer.instance_id,
                offer.price,
                old_price,
                offer.owner == OWN,
            )
        )

    def _publish_purchase(
        self,
        vendor: str,
        status: Literal["bought", "sent", "accepted", "expired"],
        purchase: SandboxPurchase,
        trade: SandboxTrade | None = None,
    ) -> None:
        self.bus.publish(
            PurchaseEvent(
                vendor,
                status,
                purchase.id,
                purchase.custom_id,
                purchase.offer.id,
                purchase.offer.asset_id,
                purchase.offer.market_hash_name,
                purchase.offer.class_id,
                purchase.offer.instance_id,
                purchase.paid,
                trade.id if trade is not None else None,
                trade.bot_id if trade is not None else None,
                purchase.recipient,
            )
        )

    def _publish_balance(self, vendor: str) -> None:
        account = self.accounts[vendor]
        self.bus.publish(BalanceEvent(vendor, account.balance, account.currency))

    # ------------------------------------------------------------------ faults

    def fail_next(self, vendor: str, operation: str, fault: str) -> None:
        if fault not in FAULTS:
            raise ValueError(f"sandbox: unknown fault {fault!r}: choose one of {sorted(FAULTS)}")
        with self._lock:
            self.faults.setdefault((vendor, operation), []).append(fault)

    def take_fault(self, vendor: str, operations: Iterable[str]) -> str | None:
        """The next fault queued for the first of ``operations`` (endpoint name, alias)."""
        with self._lock:
            for operation in operations:
                queue = self.faults.get((vendor, operation))
                if queue:
                    return queue.pop(0)
            return None
