"""swap.gg as a :class:`~skinmarkets.protocol.Marketplace` (also ``PriceSource`` and ``Seller``).

Money is EUR cents on the wire (units.py). Bought items land in the on-site inventory and are
sent to Steam by ``withdraw``. Extras beyond the protocols: ``account``, ``websocket_token``,
``list_from_steam``, ``payout``; the whole documented API is on ``.client`` (:class:`SwapGGClient`).
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import attrs

from skinmarkets import errors
from skinmarkets._http import HeaderKeyAuth, Transport, TransportOptions
from skinmarkets._ratelimit import RateLimit, shared_limiter
from skinmarkets._secret import Secret
from skinmarkets.models import Balance, Direction, Listing, PriceQuote, Purchase, Trade, TradeStatus
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.swapgg import units, wire
from skinmarkets.vendors.swapgg.client import SwapGGClient
from skinmarkets.vendors.swapgg.errors import AMBIGUOUS_AFTER_WRITE, read_error

VENDOR = "swapgg"
log = logging.getLogger(f"skinmarkets.{VENDOR}")

CAPABILITIES = Capabilities(
    price_list=True,
    purchase_lookup=False,  # no custom_id on the wire, nothing to look a purchase up by
    server_side_max_price=False,  # sales/purchase takes saleIds only
    idempotent_buy=False,  # a custom_id is remembered in this process only (see buy)
    delivery="bot_withdraw",
    currencies=frozenset({units.CURRENCY}),
    requests_per_second=units.REQUESTS_PER_SECOND,
    seller=True,
)


def _money(cents: int) -> Money:
    return Money.from_minor(cents, units.CURRENCY, scale=units.MINOR_UNITS)


def _invalid(operation: str, message: str, code: str | None = None) -> errors.InvalidRequest:
    return errors.InvalidRequest(
        f"{VENDOR}: {operation}: {message}", vendor=VENDOR, operation=operation, code=code
    )


def _check_name(name: object, operation: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise _invalid(
            operation,
            "the item name must be a non-empty market_hash_name like "
            f"'AK-47 | Redline (Field-Tested)', got {name!r}",
        )
    return name.strip()


def _check_count(value: object, what: str, operation: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _invalid(operation, f"{what} must be a whole number >= 1, got {value!r}")
    return value


def _check_money(value: object, what: str, operation: str) -> Money:
    if not isinstance(value, Money):
        hint = " (binary floats lose cents)" if isinstance(value, float) else ""  # float ok
        raise TypeError(
            f"{VENDOR}: {operation}: {what} must be skinmarkets.Money, e.g. Money('4.00', 'EUR'); "
            f"got {type(value).__name__} {value!r}{hint}"
        )
    return value


def _cents(price: object, operation: str) -> int:
    """A positive EUR ``Money`` as cents; anything else refused before sending."""
    money = _check_money(price, "price", operation)
    if money.currency != units.CURRENCY:
        raise _invalid(
            operation,
            f"price is in {money.currency} but swap.gg trades in {units.CURRENCY}; convert it "
            "first (Money.convert)",
            "currency_mismatch",
        )
    if money.amount <= 0:
        raise _invalid(operation, f"price must be more than 0, got {money}")
    try:
        return money.to_minor(scale=units.MINOR_UNITS)
    except ValueError:
        raise _invalid(operation, f"{money} is finer than a cent; round it first") from None


def _custom_id(custom_id: object) -> str:
    if custom_id is None:
        return uuid.uuid4().hex
    if (
        not isinstance(custom_id, str)
        or not custom_id.strip()
        or len(custom_id) > units.CUSTOM_ID_MAX_LENGTH
    ):
        raise _invalid(
            "buy",
            f"custom_id must be a non-empty string of at most {units.CUSTOM_ID_MAX_LENGTH} "
            f"characters, got {custom_id!r}",
        )
    return custom_id


@attrs.frozen
class _Unsettled:
    """A buy whose answer was lost: the listing, so a later call can look for the item again."""

    listing: Listing


_IN_FLIGHT = object()


class SwapGG:
    """market.swap.gg behind the Marketplace protocol (EUR, on-site inventory, bot withdraw)."""

    vendor = VENDOR
    name = VENDOR
    capabilities = CAPABILITIES

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        base_url: str | None = None,
        timeout: object = None,
        max_retries: int | None = None,
        session: object = None,
    ) -> None:
        self._key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        options = TransportOptions.from_connect(
            VENDOR,
            default_base_url=units.BASE_URL,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            session=session,
        )
        limiter = shared_limiter(
            VENDOR,
            self._key.reveal(),
            RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
        )
        self.client = SwapGGClient(
            Transport(
                vendor=VENDOR,
                options=options,
                # "swap.gg expects the API Key to be set in the Authorization header" (no Bearer).
                auth=HeaderKeyAuth("Authorization", self._key),
                limiter=limiter,
                read_error=read_error,
            )
        )
        self._lock = threading.Lock()
        # custom_id -> Purchase, _Unsettled or _IN_FLIGHT (see buy).
        self._buys: dict[str, object] = {}
        # sale id -> the listing bought, so withdraw(purchases) can find its item.
        self._bought: dict[str, Listing] = {}

    def __repr__(self) -> str:
        return "SwapGG(name='swapgg')"

    def close(self) -> None:
        """Close the HTTP session."""
        self.client.transport.close()

    def __enter__(self) -> SwapGG:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ browsing

    def _browse(
        self, fetch: Any, filters: Mapping[str, Any], *, want: int | None
    ) -> Iterator[wire.Item]:
        """Items of every page of a browse, following ``pagination.more`` with skip/limit.

        The server may answer fewer items than asked, so ``skip`` advances by what came. Stops
        when ``more`` is false, a page is empty, ``want`` items came, the doc's skip bound is
        reached or after ``MAX_PAGES`` pages: never loops forever.
        """
        skip, seen = 0, 0
        # One page size throughout (the doc's pages are fixed-size windows of skip/limit).
        size = units.PAGE_LIMIT_MAX if want is None else max(1, min(units.PAGE_LIMIT_MAX, want))
        for _ in range(units.MAX_PAGES):
            page: wire.ItemPage = fetch(filters, skip=skip, limit=size)
            yield from page.items
            seen += len(page.items)
            skip += len(page.items)
            if (
                not page.items
                or not page.pagination.more
                or (want is not None and seen >= want)
                or skip > units.SKIP_MAX
            ):
                return

    def _inventory(self, filters: Mapping[str, Any] | None = None) -> list[wire.Item]:
        """Every item of the on-site inventory (all pages)."""
        return list(self._browse(self.client.inventory_browse, filters or {}, want=None))

    # ------------------------------------------------------------------ listings

    def list_for_sale(
        self, market_hash_name: str, *, limit: int = 50, app_id: int = units.DEFAULT_APP_ID
    ) -> list[Listing]:
        """Live offers for one exact name, cheapest first (sales/browse, paged as needed).

        ``app_id`` (default 730, the doc's default) says which game's market to search.
        Items of another name (should the server ignore the exact filter) are dropped.
        """
        name = _check_name(market_hash_name, "list_for_sale")
        _check_count(limit, "limit", "list_for_sale")
        _check_count(app_id, "app_id", "list_for_sale")
        filters = {
            "appId": str(app_id),
            "marketName": name,
            "sort": units.SORT_CHEAPEST_FIRST,
        }
        listings: dict[str, Listing] = {}  # by saleId: an item seen on two pages counts once
        for item in self._browse(self.client.sales_browse, filters, want=limit):
            if item.sale is not None and item.marketName == name:
                listings.setdefault(item.sale.saleId, self._listing(item, item.sale))
        ordered = sorted(listings.values(), key=lambda listing: listing.price.amount)
        return ordered[:limit]

    def _listing(self, item: wire.Item, sale: wire.Sale) -> Listing:
        float_value = item.meta.FLOAT.o if item.meta.FLOAT is not None else None
        return Listing(
            market=self.name,
            id=sale.saleId,
            market_hash_name=item.marketName,
            price=_money(sale.price),
            app_id=item.appId,
            asset_id=item.assetId,
            float_value=float_value,
            raw=item.raw,
        )

    # ------------------------------------------------------------------ buying

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing (sales/purchase); never sent when it costs more than ``max_price``.

        swap.gg takes no price cap and no custom id, so the cap is checked here against the
        listing's price before anything is sent, and ``custom_id`` (generated when not given) is
        only remembered by this object: a second ``buy`` with it returns the first purchase
        without sending anything. Never retried: when the answer is lost (timeout, 5xx, a garbled
        body, INTERNAL_ERROR/DATABASE_ERROR) the on-site inventory is searched for the item; found
        -> the purchase, otherwise ``OutcomeUnknown`` (a later ``buy`` with the same ``custom_id``
        searches again instead of buying). swap.gg charges the sale's price at the time of the
        purchase; should ``purchaseAmount`` exceed ``max_price`` (the seller repriced meanwhile),
        the purchase is returned with the price really paid and a warning is logged.
        """
        operation = "buy"
        if not isinstance(listing, Listing):
            raise TypeError(f"{VENDOR}: buy takes a Listing from list_for_sale, got {listing!r}")
        if listing.market != self.name:
            raise _invalid(operation, f"the listing belongs to {listing.market!r}, not 'swapgg'")
        cap = (
            listing.price if max_price is None else _check_money(max_price, "max_price", operation)
        )
        if cap.currency != listing.price.currency:
            raise _invalid(
                operation,
                f"max_price is in {cap.currency} but the listing costs {listing.price}; swap.gg "
                f"trades in {units.CURRENCY}, convert it first (Money.convert)",
                "currency_mismatch",
            )
        if cap < listing.price:
            raise errors.PriceExceeded(
                f"{VENDOR}: buy refused locally: the listing costs {listing.price}, more than "
                f"max_price {cap}; nothing was sent",
                price=listing.price.amount,
                max_price=cap.amount,
                vendor=VENDOR,
                operation=operation,
            )
        custom_id = _custom_id(custom_id)
        with self._lock:
            known = self._buys.get(custom_id)
            if known is _IN_FLIGHT:
                raise errors.DuplicateCustomId(
                    f"{VENDOR}: buy with custom_id {custom_id!r} is already under way; wait for it",
                    vendor=VENDOR,
                    operation=operation,
                    code="in_flight",
                )
            self._buys[custom_id] = _IN_FLIGHT
        if isinstance(known, Purchase):
            self._settle(custom_id, known)
            return known
        if isinstance(known, _Unsettled):
            return self._prove(custom_id, known.listing, cause=None)
        try:
            answer = self.client.sales_purchase([listing.id])
        except (errors.OutcomeUnknown, errors.UnexpectedResponse) as exc:
            return self._prove(custom_id, listing, cause=exc)
        except errors.SkinMarketsError as exc:
            if isinstance(exc.code, str) and exc.code in AMBIGUOUS_AFTER_WRITE:
                return self._prove(custom_id, listing, cause=exc)
            self._settle(custom_id, None)  # a refusal: nothing was bought, the id is free
            raise
        except BaseException:
            self._settle(custom_id, None)
            raise
        if listing.id not in answer.saleIds:
            if answer.purchaseAmount == 0:
                self._settle(custom_id, None)
                raise errors.ItemUnavailable(
                    f"{VENDOR}: buy refused: sale {listing.id!r} was not bought (sold or "
                    "delisted meanwhile); nothing was charged",
                    vendor=VENDOR,
                    operation=operation,
                    code="not_purchased",
                    raw=answer.raw,
                )
            return self._prove(custom_id, listing, cause=None)
        paid = _money(answer.purchaseAmount)
        if paid > cap:
            log.warning(
                "swapgg: sale %s was charged %s, more than max_price %s (repriced after listing)",
                listing.id,
                paid,
                cap,
            )
        purchase = Purchase(
            market=self.name,
            id=listing.id,
            custom_id=custom_id,
            market_hash_name=listing.market_hash_name,
            price=paid,
            status=TradeStatus.PENDING,  # in the on-site inventory until withdrawn
            created_at=datetime.now(tz=UTC),
            raw=answer.raw,
        )
        self._settle(custom_id, purchase, listing)
        return purchase

    def _settle(self, custom_id: str, outcome: object, listing: Listing | None = None) -> None:
        with self._lock:
            if listing is not None:
                self._bought[listing.id] = listing
            if outcome is None:
                self._buys.pop(custom_id, None)
            else:
                self._buys[custom_id] = outcome

    def _prove(
        self, custom_id: str, listing: Listing, *, cause: errors.SkinMarketsError | None
    ) -> Purchase:
        """After a lost answer: the purchase if the item is in the on-site inventory, else
        ``OutcomeUnknown`` (a failed search proves nothing either way)."""
        try:
            found = self._held_item(listing)
        # Whatever went wrong with the search, the purchase may exist.
        except Exception as search_error:
            found, looked = None, type(search_error).__name__
        else:
            looked = "not in the on-site inventory"
        if found is not None:
            purchase = Purchase(
                market=self.name,
                id=listing.id,
                custom_id=custom_id,
                market_hash_name=listing.market_hash_name,
                price=listing.price,
                status=TradeStatus.PENDING,
                created_at=datetime.now(tz=UTC),
                raw=found.raw,
            )
            self._settle(custom_id, purchase, listing)
            return purchase
        self._settle(custom_id, _Unsettled(listing))
        what = type(cause).__name__ if cause is not None else "an answer that did not settle it"
        raise errors.OutcomeUnknown(
            f"{VENDOR}: buy: the outcome of sale {listing.id!r} is unknown ({what}) and the item "
            f"was not found ({looked}); it may still appear. Call buy again with custom_id "
            f"{custom_id!r} to search again (it never re-sends), or check the inventory later",
            custom_id=custom_id,
            vendor=VENDOR,
            operation="buy",
            raw=cause.raw if cause is not None else None,
        ) from None

    def _held_item(self, listing: Listing) -> wire.Item | None:
        """The listed item, if it is now in the user's on-site inventory."""
        item_id = listing.raw.get("itemId")
        filters = {"marketName": listing.market_hash_name, "appId": str(listing.app_id)}
        for item in self._inventory(filters):
            if (isinstance(item_id, str) and item.itemId == item_id) or (
                listing.asset_id is not None and item.assetId == listing.asset_id
            ):
                return item
        return None

    # ------------------------------------------------------------------ account

    def balance(self) -> Balance:
        """The balance (user/balance): ``balance`` available, ``withdrawableBalance`` for payout."""
        answer = self.client.user_balance()
        withdrawable = answer.withdrawableBalance
        return Balance(
            market=self.name,
            available=_money(answer.balance),
            withdrawable=_money(withdrawable) if withdrawable is not None else None,
            raw=answer.raw,
        )

    def account(self) -> wire.UserMe:
        """Basic account details (user/me)."""
        return self.client.user_me()

    def websocket_token(self) -> str:
        """A JWT to emit as ``auth`` on the socket.io server (units.WEBSOCKET_URL)."""
        return self.client.user_websocket().token

    def payout(self, amount: Money, *, method: str) -> None:
        """Request a payout of ``amount`` (EUR) with ``method`` (e.g. "STRIPE", "PAYONEER")."""
        if not isinstance(method, str) or not method.strip():
            raise _invalid("payout", f"method must name the payment provider, got {method!r}")
        self.client.payout(method=method.strip(), amount=_cents(amount, "payout"))

    # ------------------------------------------------------------------ trades

    def active_trades(self) -> list[Trade]:
        """Steam offers swap.gg's bots sent the user (user/tradeoffers): items coming in.

        Each is ``SENT`` once it has a Steam offer id; swap.gg cancels it after 5 minutes and
        puts the items back in the on-site inventory.
        """
        return [
            Trade(
                market=self.name,
                id=offer.tradeId,
                status=TradeStatus.SENT if offer.tradeOfferId else TradeStatus.PENDING,
                direction=Direction.INCOMING,
                offer_id=offer.tradeOfferId,
                bot_id=offer.username,  # "Username of the bot sending you the Steam trade offer"
                raw=offer.raw,
            )
            for offer in self.client.user_tradeoffers().items
        ]

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Send held items to Steam (inventory/withdraw); ``[]`` when nothing is held.

        The on-site inventory is browsed and every held group (items not on sale) is withdrawn
        with its quantity; with ``purchases``, only their items (matched by the bought item's id
        or asset id). Each trade id of the answer is a ``PENDING`` incoming trade; its Steam offer
        shows in ``active_trades`` once sent.
        """
        held = [item for item in self._inventory() if item.sale is None and item.groupId]
        if purchases is not None:
            wanted: set[str] = set()
            for purchase in purchases:
                for key in ("itemId", "assetId"):
                    value = purchase.raw.get(key)
                    if isinstance(value, str):
                        wanted.add(value)
                known = self._bought_listing(purchase)
                if known is not None:
                    wanted.update(str(v) for v in (known.raw.get("itemId"), known.asset_id) if v)
            held = [i for i in held if i.itemId in wanted or (i.assetId or "") in wanted]
        if not held:
            return []
        groups: dict[str, int] = {}
        for item in held:
            groups[str(item.groupId)] = groups.get(str(item.groupId), 0) + 1
        answer = self.client.inventory_withdraw(
            [{"groupId": group, "quantity": count} for group, count in groups.items()]
        )
        assets: tuple[str, ...] = ()
        if len(answer.tradeIds) == 1:
            queued = set(answer.itemIds)
            assets = tuple(i.assetId for i in held if i.itemId in queued and i.assetId)
        return [
            Trade(
                market=self.name,
                id=trade_id,
                status=TradeStatus.PENDING,
                direction=Direction.INCOMING,
                items=assets,
                created_at=datetime.now(tz=UTC),
                raw=answer.raw,
            )
            for trade_id in answer.tradeIds
        ]

    def _bought_listing(self, purchase: Purchase) -> Listing | None:
        with self._lock:
            for outcome in self._buys.values():
                if isinstance(outcome, _Unsettled) and outcome.listing.id == purchase.id:
                    return outcome.listing
            return self._bought.get(purchase.id)

    # ------------------------------------------------------------------ prices

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        """Every name's lowest ask (pricing/lowest) and highest buy order (buyorders/summary).

        Both in EUR; ``app_id`` defaults to 730. A name with only buy orders has no ask.
        """
        app = units.DEFAULT_APP_ID if app_id is None else _check_count(app_id, "app_id", "prices")
        lowest = self.client.pricing_lowest(app)
        bids = self.client.buyorders_summary(app)
        observed = datetime.now(tz=UTC)
        quotes = []
        for name in dict.fromkeys([*lowest, *bids]):
            ask, bid = lowest.get(name), bids.get(name)
            quotes.append(
                PriceQuote(
                    market=self.name,
                    market_hash_name=name,
                    lowest_ask=_money(ask.price) if ask is not None else None,
                    highest_bid=(
                        _money(bid.maxPrice) if bid is not None and bid.maxPrice else None
                    ),
                    quantity=ask.quantity if ask is not None else None,
                    observed_at=observed,
                    raw={
                        "lowest": ask.raw if ask is not None else None,
                        "buyorders": bid.raw if bid is not None else None,
                    },
                )
            )
        return quotes

    # ------------------------------------------------------------------ selling (Seller)

    def my_inventory(self) -> list[Listing]:
        """On-site items not on sale, priced at swap.gg's ``suggestedPrice`` (0 when none)."""
        return [
            Listing(
                market=self.name,
                id=item.itemId,
                market_hash_name=item.marketName,
                price=_money(item.suggestedPrice or 0),
                app_id=item.appId,
                asset_id=item.assetId,
                raw=item.raw,
            )
            for item in self._inventory()
            if item.sale is None
        ]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale (sales/browse filtered by the user's own ``userId``)."""
        user_id = self.client.user_me().userId
        items = self._browse(self.client.sales_browse, {"userId": user_id}, want=None)
        return [self._listing(item, item.sale) for item in items if item.sale is not None]

    def sell(self, asset_id: str, price: Money) -> Listing:
        """List one on-site item (asset id or item id from ``my_inventory``) at ``price``.

        sales/list works on groups: one item of the item's group is listed. Its answer carries
        no sale id, so the returned listing's ``id`` is the group id (``reprice`` and ``delist``
        accept it as well as a sale id). Items still in the Steam inventory: ``list_from_steam``.
        """
        cents = _cents(price, "sell")
        wanted = str(asset_id)
        item = next(
            (
                i
                for i in self._inventory()
                if i.sale is None and i.groupId and wanted in (i.assetId, i.itemId)
            ),
            None,
        )
        if item is None or item.groupId is None:
            raise errors.ItemUnavailable(
                f"{VENDOR}: sell: no item {wanted!r} in the on-site inventory; for an item in "
                "the Steam inventory use list_from_steam",
                vendor=VENDOR,
                operation="sell",
                code="not_in_inventory",
            )
        answer = self.client.sales_list([{"groupId": item.groupId, "quantity": 1, "price": cents}])
        listed = next((g for g in answer.items if g.groupId == item.groupId), None)
        return Listing(
            market=self.name,
            id=item.groupId,
            market_hash_name=item.marketName,
            price=_money(listed.price) if listed is not None else _money(cents),
            app_id=item.appId,
            asset_id=item.assetId,
            raw=listed.raw if listed is not None else item.raw,
        )

    def list_from_steam(
        self, asset_id: str, price: Money, *, app_id: int = units.DEFAULT_APP_ID
    ) -> None:
        """sell/create: swap.gg sends a Steam offer for the item; listed once it is accepted."""
        cents = _cents(price, "list_from_steam")
        _check_count(app_id, "app_id", "list_from_steam")
        self.client.sell_create(app_id=app_id, items=[{"assetId": str(asset_id), "price": cents}])

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one listing (PUT sales/list on its group, quantity 1)."""
        cents = _cents(price, "reprice")
        group = self._group_of(listing_id, "reprice")
        self.client.sales_update([{"groupId": group, "quantity": 1, "price": cents}])

    def delist(self, listing_id: str) -> None:
        """Take one listing off sale (sales/delist on its group, quantity 1)."""
        group = self._group_of(listing_id, "delist")
        self.client.sales_delist([{"groupId": group, "quantity": 1}])

    def _group_of(self, listing_id: object, operation: str) -> str:
        """The group id of a listing given by sale id (from my_listings) or by group id."""
        if not isinstance(listing_id, str) or not listing_id.strip():
            raise _invalid(operation, f"listing_id must be a sale or group id, got {listing_id!r}")
        for listing in self.my_listings():
            group = listing.raw.get("groupId")
            if isinstance(group, str) and listing_id in (listing.id, group):
                return group
        raise errors.ItemUnavailable(
            f"{VENDOR}: {operation}: {listing_id!r} is none of the user's listings",
            vendor=VENDOR,
            operation=operation,
            code="not_listed",
        )
