"""Market TM as a :class:`~skinmarkets.protocol.Marketplace` (also ``PriceSource``,
``PurchaseLookup`` and ``Seller``).

One class serves market.csgo.com (``game="cs2"``, alias ``"csgo"``), market.dota2.net
(``"dota2"``), rust.tm (``"rust"``) and tf2.tm (``"tf2"``): the same API v2 on four hosts.

Extras beyond the protocols: ``list_for_sale_many``, ``history``, ``operation_history``,
``remove_all_from_sale``, ``ping``, ``ping_new``, ``go_offline``, ``update_inventory``; the whole
documented API is on ``.client`` (:class:`MarketTMClient`).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import ROUND_DOWN
from typing import Any

from skinmarkets import errors
from skinmarkets._http import HeaderKeyAuth, Transport, TransportOptions
from skinmarkets._ratelimit import RateLimit, shared_limiter
from skinmarkets._secret import Secret
from skinmarkets.models import (
    Balance,
    Direction,
    Listing,
    PriceQuote,
    Purchase,
    Trade,
    TradeStatus,
)
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.market_tm import units, wire
from skinmarkets.vendors.market_tm.client import MarketTMClient
from skinmarkets.vendors.market_tm.errors import read_error

VENDOR = "market_tm"

CAPABILITIES = Capabilities(
    price_list=True,
    purchase_lookup=True,
    server_side_max_price=True,
    idempotent_buy=True,
    delivery="bot_withdraw",
    currencies=frozenset(units.MINOR_UNITS),
    requests_per_second=float(units.REQUESTS_PER_SECOND),  # float ok: a rate
    seller=True,
)


def _utc(timestamp: int | None) -> datetime | None:
    """Unix seconds (or milliseconds) as aware UTC; None when absent or out of range."""
    if timestamp is None or timestamp <= 0:
        return None
    try:
        seconds = timestamp / 1000 if timestamp > 100_000_000_000 else timestamp
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _check_name(name: object, operation: str) -> str:
    if not isinstance(name, str) or not name.strip():
        raise errors.InvalidRequest(
            f"{VENDOR}: {operation}: the item name must be a non-empty market_hash_name like "
            f"'AK-47 | Redline (Field-Tested)', got {name!r}",
            vendor=VENDOR,
            operation=operation,
        )
    return name.strip()


def _check_money(value: object, what: str, operation: str) -> Money:
    if not isinstance(value, Money):
        hint = " (binary floats lose cents)" if isinstance(value, float) else ""  # float ok
        raise TypeError(
            f"{VENDOR}: {operation}: {what} must be skinmarkets.Money, e.g. Money('4.00', 'USD'); "
            f"got {type(value).__name__} {value!r}{hint}"
        )
    return value


class MarketTM:
    """market.csgo.com / market.dota2.net / rust.tm / tf2.tm behind the Marketplace protocol."""

    vendor = VENDOR
    capabilities = CAPABILITIES

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        game: str = "cs2",
        base_url: str | None = None,
        timeout: object = None,
        max_retries: int | None = None,
        session: object = None,
    ) -> None:
        self._key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        if not isinstance(game, str) or game.strip().lower() not in {
            *units.HOSTS,
            *units.GAME_ALIASES,
        }:
            raise errors.ConfigurationError(
                f"{VENDOR}: unknown game {game!r}: choose one of "
                f"{', '.join(sorted({*units.HOSTS, *units.GAME_ALIASES}))}",
                vendor=VENDOR,
            )
        normal = game.strip().lower()
        self.game = units.GAME_ALIASES.get(normal, normal)
        self.app_id = units.APP_IDS[self.game]
        self.name = f"{VENDOR}:{self.game}"
        options = TransportOptions.from_connect(
            VENDOR,
            default_base_url=units.HOSTS[self.game],
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            session=session,
        )
        limiter = shared_limiter(
            VENDOR, self._key.reveal(), RateLimit(units.REQUESTS_PER_SECOND, 1.0)
        )
        self.client = MarketTMClient(
            Transport(
                vendor=VENDOR,
                options=options,
                auth=HeaderKeyAuth("X-API-KEY", self._key),
                limiter=limiter,
                read_error=read_error,
            )
        )
        self._currency: str | None = None

    def __repr__(self) -> str:
        return f"MarketTM(name={self.name!r})"

    def close(self) -> None:
        """Close the HTTP session."""
        self.client.transport.close()

    def __enter__(self) -> MarketTM:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # ------------------------------------------------------------------ money

    def _money(self, minor: int, currency: str) -> Money:
        """Minor units of a trading endpoint as Money (units.MINOR_UNITS)."""
        return Money.from_minor(minor, currency, scale=self._scale(currency))

    def _scale(self, currency: str) -> int:
        scale = units.MINOR_UNITS.get(currency.upper())
        if scale is None:
            raise errors.UnexpectedResponse(
                f"{VENDOR}: the account currency {currency!r} is not one of "
                f"{', '.join(units.MINOR_UNITS)}; its minor unit is unknown",
                vendor=VENDOR,
            )
        return scale

    def account_currency(self) -> str:
        """The account's currency (asked once with get-money, then remembered)."""
        if self._currency is None:
            self._currency = self.client.get_money().currency.upper()
        return self._currency

    # ------------------------------------------------------------------ listings

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        """Live offers for one name, cheapest first (search-item-by-hash-name-specific)."""
        name = _check_name(market_hash_name, "list_for_sale")
        _check_limit(limit)
        try:
            answer = self.client.search_item_by_hash_name_specific(name)
        except errors.ItemUnavailable:
            return []  # "Item search error" / not found: nothing is on sale
        self._currency = answer.currency.upper()
        listings = [self._listing(offer, name, answer.currency) for offer in answer.data]
        return _cheapest(listings, limit)

    def list_for_sale_many(
        self, market_hash_names: Sequence[str], *, limit: int = 50
    ) -> dict[str, list[Listing]]:
        """Offers for up to 50 names in one request (search-list-items-by-hash-name-all)."""
        names = [_check_name(n, "list_for_sale_many") for n in market_hash_names]
        _check_limit(limit)
        if not 1 <= len(names) <= 50:
            raise errors.InvalidRequest(
                f"{VENDOR}: list_for_sale_many takes 1 to 50 names, got {len(names)}",
                vendor=VENDOR,
                operation="list_for_sale_many",
            )
        answer = self.client.search_list_items_by_hash_name_all(names)
        self._currency = answer.currency.upper()
        return {
            name: _cheapest(
                [self._listing(o, name, answer.currency) for o in answer.data.get(name, [])],
                limit,
            )
            for name in names
        }

    def _listing(self, offer: wire.Offer, name: str, currency: str) -> Listing:
        return Listing(
            market=self.name,
            id=offer.id,
            market_hash_name=offer.market_hash_name or name,
            price=self._money(offer.price, currency),
            app_id=self.app_id,
            asset_id=offer.extra.asset,
            float_value=offer.extra.float,
            phase=offer.extra.phase,
            raw=offer.raw,
        )

    # ------------------------------------------------------------------ buying

    def buy(
        self,
        listing: Listing,
        *,
        max_price: Money | None = None,
        custom_id: str | None = None,
    ) -> Purchase:
        """Buy one listing; never pays more than ``max_price``; one ``custom_id``, one purchase.

        The cap is sent as TM's ``price`` (minor units of the account currency, rounded down,
        so a cap of 3.5739 USD becomes 3573). ``custom_id`` (generated when not given) is always
        sent, so TM itself refuses a second purchase with it ("this custom_id exist"); that
        refusal returns the existing purchase. Never retried: when the answer is lost (timeout,
        5xx, a garbled body) the purchase is looked up with get-buy-info-by-custom-id and
        returned if found; otherwise ``OutcomeUnknown`` is raised, and calling ``buy`` again with
        the same ``custom_id`` is safe.
        """
        operation = "buy"
        if not isinstance(listing, Listing):
            raise TypeError(f"{VENDOR}: buy takes a Listing from list_for_sale, got {listing!r}")
        if listing.market != self.name:
            raise errors.InvalidRequest(
                f"{VENDOR}: buy: the listing belongs to {listing.market!r}, not {self.name!r}",
                vendor=VENDOR,
                operation=operation,
            )
        cap = (
            listing.price if max_price is None else _check_money(max_price, "max_price", operation)
        )
        if cap.currency != listing.price.currency:
            raise errors.InvalidRequest(
                f"{VENDOR}: buy: max_price is in {cap.currency} but the account trades in "
                f"{listing.price.currency}; convert it first (Money.convert)",
                vendor=VENDOR,
                operation=operation,
                code="currency_mismatch",
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
        price = cap.to_minor(scale=self._scale(cap.currency), rounding=ROUND_DOWN)
        try:
            answer = self.client.buy(id=listing.id, price=price, custom_id=custom_id)
        except errors.DuplicateCustomId as duplicate:
            return self._existing_purchase(custom_id, duplicate)
        except (errors.OutcomeUnknown, errors.UnexpectedResponse) as exc:
            return self._reconcile(custom_id, exc)
        return Purchase(
            market=self.name,
            id=answer.id,
            custom_id=custom_id,
            market_hash_name=listing.market_hash_name,
            price=listing.price,
            status=TradeStatus.PENDING,
            created_at=datetime.now(tz=UTC),
            raw=answer.raw,
        )

    def _existing_purchase(self, custom_id: str, duplicate: errors.DuplicateCustomId) -> Purchase:
        """After "this custom_id exist": the purchase it names; if the lookup fails, the refusal.

        TM has just said a purchase with this ``custom_id`` exists, so a failed lookup must not
        escape as "not found" or as a ``TransientError`` ("nothing happened").
        """
        try:
            return self.get_purchase(custom_id)
        except errors.SkinMarketsError as lookup_error:
            looked = type(lookup_error).__name__
        raise errors.DuplicateCustomId(
            f"{VENDOR}: buy refused: a purchase with custom_id {custom_id!r} already exists "
            f"(vendor said {duplicate.code!r}) but looking it up failed ({looked}); nothing new "
            f"was bought. Check get_purchase({custom_id!r}) later",
            vendor=VENDOR,
            operation="buy",
            code=duplicate.code,
            http_status=duplicate.http_status,
            raw=duplicate.raw,
        ) from None

    def _reconcile(self, custom_id: str, cause: errors.SkinMarketsError) -> Purchase:
        """After an ambiguous buy: the purchase if TM knows it, else ``OutcomeUnknown``."""
        try:
            return self.get_purchase(custom_id)
        # Whatever went wrong with the lookup, the purchase may exist: never let the lookup's
        # own error stand for the buy's outcome.
        except Exception as lookup_error:
            looked = type(lookup_error).__name__
        raise errors.OutcomeUnknown(
            f"{VENDOR}: buy: the answer was lost ({type(cause).__name__}) and the lookup by "
            f"custom_id {custom_id!r} found nothing ({looked}); the purchase may still appear. "
            f"Check get_purchase({custom_id!r}) later, or call buy again with the same custom_id "
            "(TM refuses a second purchase with it)",
            custom_id=custom_id,
            vendor=VENDOR,
            operation="buy",
            raw=cause.raw,
        ) from None

    def get_purchase(self, custom_id: str) -> Purchase:
        """The purchase made with ``custom_id`` (get-buy-info-by-custom-id)."""
        if not isinstance(custom_id, str) or not custom_id:
            raise errors.InvalidRequest(
                f"{VENDOR}: get_purchase needs the custom_id given to buy, got {custom_id!r}",
                vendor=VENDOR,
                operation="get_purchase",
            )
        return self._purchase(custom_id, self.client.get_buy_info_by_custom_id(custom_id))

    def get_purchases(self, custom_ids: Sequence[str]) -> dict[str, Purchase]:
        """Several purchases at once (get-list-buy-info-by-custom-id); unknown ids are absent."""
        found = self.client.get_list_buy_info_by_custom_id(list(custom_ids))
        return {cid: self._purchase(cid, info) for cid, info in found.items()}

    def _purchase(self, custom_id: str, info: wire.BuyInfo) -> Purchase:
        status = units.STAGE_STATUS.get(info.stage, TradeStatus.PENDING)
        if status is TradeStatus.PENDING and info.trade_id:
            status = TradeStatus.SENT
        return Purchase(
            market=self.name,
            id=info.item_id,
            custom_id=custom_id,
            market_hash_name=info.market_hash_name or "",
            price=Money(info.paid, info.currency),  # get-buy-info "paid": major units
            status=status,
            trade_offer_id=info.trade_id,
            created_at=_utc(info.time),
            raw=info.raw,
        )

    # ------------------------------------------------------------------ account

    def balance(self) -> Balance:
        """The balance from get-money (a JSON number in major units)."""
        answer = self.client.get_money()
        self._currency = answer.currency.upper()
        return Balance(
            market=self.name,
            available=Money(answer.money, answer.currency),
            raw=answer.raw,
        )

    # ------------------------------------------------------------------ trades

    def active_trades(self) -> list[Trade]:
        """Offers the market sent that wait on Steam (trades?extended=1).

        TM's ``dir`` "out" is a purchase coming to the user (``INCOMING``); "in" is a sold item
        the user must give (``OUTGOING``). Each already has a Steam offer id, so it is ``SENT``.
        """
        return [self._trade(offer) for offer in self.client.trades(extended=True).trades]

    def _trade(self, offer: wire.TradeOffer) -> Trade:
        direction = (
            Direction.INCOMING if offer.dir == units.DIRECTION_INCOMING else Direction.OUTGOING
        )
        assets = [item.assetid for item in offer.list_item_id.values() if item.assetid]
        return Trade(
            market=self.name,
            id=offer.trade_id,
            status=TradeStatus.SENT,
            direction=direction,
            offer_id=offer.trade_id,
            bot_id=offer.bot_id,
            items=assets,
            created_at=_utc(offer.timestamp),
            secret=offer.secret,
            raw=offer.raw,
        )

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Ask TM's bots to send purchased items (trade-request-take); ``[]`` when none wait.

        With ``purchases``, the bots holding them (``items`` with status 4) are asked one by
        one; TM sends everything a bot holds for the user, so an offer may carry more items
        than were asked for. Error 3001 ("nothing to transfer") is ``[]``, not an error.
        """
        if purchases is None:
            bots: list[str | None] = [None]
        else:
            wanted = {p.id for p in purchases}
            ready = [
                item.botid
                for item in self.client.items()
                if item.item_id in wanted and item.status == units.ITEM_READY_TO_TAKE
            ]
            bots = list(dict.fromkeys(b for b in ready if b))
        trades = []
        for bot in bots:
            try:
                taken = self.client.trade_request_take(bot=bot)
            except errors.APIError as exc:
                if str(exc.code) == str(units.NOTHING_TO_TAKE):
                    continue
                raise
            trades.append(
                Trade(
                    market=self.name,
                    id=taken.trade,
                    status=TradeStatus.SENT,
                    direction=Direction.INCOMING,
                    offer_id=taken.trade,
                    bot_id=taken.botid,
                    secret=taken.secret,
                    created_at=datetime.now(tz=UTC),
                    raw=taken.raw,
                )
            )
        return trades

    # ------------------------------------------------------------------ prices

    def prices(self, *, app_id: int | None = None) -> list[PriceQuote]:
        """Every item's lowest ask and highest buy order, in the account currency.

        From prices/class_instance/{CUR}.json (decimal strings in major units); one name can
        appear under several class/instance pairs, so the lowest ``price`` and the highest
        ``buy_order`` across them are kept.
        """
        if app_id is not None and app_id != self.app_id:
            raise errors.InvalidRequest(
                f"{VENDOR}: {self.name} serves app {self.app_id}, not {app_id}; connect with "
                "the game that has it",
                vendor=VENDOR,
                operation="prices",
            )
        currency = self.account_currency()
        export = self.client.prices_class_instance(currency)
        observed = _utc(export.time) or datetime.now(tz=UTC)
        asks: dict[str, Money] = {}
        bids: dict[str, Money] = {}
        raws: dict[str, Mapping[str, Any]] = {}
        for entry in export.items.values():
            name = entry.market_hash_name
            raws.setdefault(name, entry.raw)
            if entry.price is not None and entry.price > 0:
                ask = Money(entry.price, export.currency)
                asks[name] = min(asks.get(name, ask), ask)
            if entry.buy_order is not None and entry.buy_order > 0:
                bid = Money(entry.buy_order, export.currency)
                bids[name] = max(bids.get(name, bid), bid)
        return [
            PriceQuote(
                market=self.name,
                market_hash_name=name,
                lowest_ask=asks.get(name),
                highest_bid=bids.get(name),
                quantity=None,
                observed_at=observed,
                raw=raw,
            )
            for name, raw in raws.items()
        ]

    # ------------------------------------------------------------------ history

    def history(self, since: datetime, until: datetime | None = None) -> list[Purchase]:
        """Purchases between ``since`` and ``until`` (history; amounts in minor units)."""
        entries = self.client.history(
            date=int(since.timestamp()),
            date_end=int(until.timestamp()) if until is not None else None,
        )
        return [self._history_purchase(e) for e in entries if e.event == "buy"]

    def operation_history(self, since: datetime, until: datetime) -> list[wire.HistoryEntry]:
        """Purchases, sales, deposits and withdrawals (operation-history), as wire entries."""
        return self.client.operation_history(
            date=int(since.timestamp()), date_end=int(until.timestamp())
        )

    def _history_purchase(self, entry: wire.HistoryEntry) -> Purchase:
        currency = entry.currency or self.account_currency()
        return Purchase(
            market=self.name,
            id=entry.item_id or entry.id or "",
            custom_id=entry.custom_id,
            market_hash_name=entry.market_hash_name or "",
            price=self._money(entry.paid or 0, currency),
            status=units.STAGE_STATUS.get(entry.stage or 0, TradeStatus.PENDING),
            created_at=_utc(entry.time),
            raw=entry.raw,
        )

    # ------------------------------------------------------------------ selling (Seller)

    def my_inventory(self) -> list[Listing]:
        """Steam items the user could sell, priced at TM's suggestion (my-inventory)."""
        currency = self.account_currency()
        return [
            Listing(
                market=self.name,
                id=item.id,
                market_hash_name=item.market_hash_name,
                price=Money(item.market_price or 0, currency),
                app_id=self.app_id,
                asset_id=item.id,
                raw=item.raw,
            )
            for item in self.client.my_inventory()
        ]

    def my_listings(self) -> list[Listing]:
        """The user's items on sale (``items`` with status 1)."""
        currency = self.account_currency()
        return [
            Listing(
                market=self.name,
                id=item.item_id,
                market_hash_name=item.market_hash_name,
                price=Money(item.price or 0, item.currency or currency),
                app_id=self.app_id,
                asset_id=item.assetid,
                raw=item.raw,
            )
            for item in self.client.items()
            if item.status == units.ITEM_ON_SALE
        ]

    def sell(self, asset_id: str, price: Money) -> Listing:
        """Put one Steam item (asset id from my_inventory) on sale at ``price``."""
        price = self._sale_price(price, "sell")
        answer = self.client.add_to_sale(
            id=str(asset_id),
            price=price.to_minor(scale=self._scale(price.currency)),
            cur=price.currency,
        )
        return Listing(
            market=self.name,
            id=answer.item_id,
            market_hash_name="",
            price=price,
            app_id=self.app_id,
            asset_id=str(asset_id),
            raw=answer.raw,
        )

    def reprice(self, listing_id: str, price: Money) -> None:
        """Change the price of one listing (set-price)."""
        price = self._sale_price(price, "reprice")
        self.client.set_price(
            item_id=str(listing_id),
            price=price.to_minor(scale=self._scale(price.currency)),
            cur=price.currency,
        )

    def delist(self, listing_id: str) -> None:
        """Take one listing off sale (set-price with price 0)."""
        self.client.set_price(item_id=str(listing_id), price=0, cur=self.account_currency())

    def remove_all_from_sale(self) -> int:
        """Delist everything; how many listings were removed."""
        count = self.client.remove_all_from_sale().get("count", 0)
        return count if isinstance(count, int) else 0

    def ping(self) -> None:
        """Stay online as a seller (send every 3 minutes)."""
        self.client.ping()

    def ping_new(self, access_token: str, proxy: str | None = None) -> None:
        """Stay online with a Steam web access token (the newer ping)."""
        self.client.ping_new(access_token=access_token, proxy=proxy)

    def go_offline(self) -> None:
        """Stop selling immediately."""
        self.client.go_offline()

    def update_inventory(self) -> None:
        """Ask TM to refresh its copy of the user's Steam inventory."""
        self.client.update_inventory()

    def _sale_price(self, price: object, operation: str) -> Money:
        money = _check_money(price, "price", operation)
        currency = self.account_currency()
        if money.currency != currency:
            raise errors.InvalidRequest(
                f"{VENDOR}: {operation}: price is in {money.currency} but the account trades "
                f"in {currency}",
                vendor=VENDOR,
                operation=operation,
                code="currency_mismatch",
            )
        if money.amount <= 0:
            raise errors.InvalidRequest(
                f"{VENDOR}: {operation}: price must be more than 0, got {money}",
                vendor=VENDOR,
                operation=operation,
            )
        try:
            money.to_minor(scale=self._scale(currency))
        except ValueError:
            raise errors.InvalidRequest(
                f"{VENDOR}: {operation}: {money} is finer than TM's unit "
                f"(1/{self._scale(currency)} {currency}); round it first",
                vendor=VENDOR,
                operation=operation,
            ) from None
        return money


def _check_limit(limit: object) -> None:
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
        raise errors.InvalidRequest(
            f"{VENDOR}: limit must be a whole number >= 1, got {limit!r}",
            vendor=VENDOR,
            operation="list_for_sale",
        )


def _cheapest(listings: Iterable[Listing], limit: int) -> list[Listing]:
    return sorted(listings, key=lambda listing: listing.price.amount)[:limit]


def _custom_id(custom_id: object) -> str:
    if custom_id is None:
        return uuid.uuid4().hex
    if (
        not isinstance(custom_id, str)
        or not custom_id.strip()
        or len(custom_id) > units.CUSTOM_ID_MAX_LENGTH
    ):
        raise errors.InvalidRequest(
            f"{VENDOR}: custom_id must be a non-empty string of at most "
            f"{units.CUSTOM_ID_MAX_LENGTH} characters, got {custom_id!r}",
            vendor=VENDOR,
            operation="buy",
        )
    return custom_id
