"""Market TM as a :class:`~skinmarkets.protocol.Marketplace` (also ``PriceSource``,
``PurchaseLookup`` and ``Seller``).

One class serves market.csgo.com (``game="cs2"``, alias ``"csgo"``), market.dota2.net
(``"dota2"``), rust.tm (``"rust"``) and tf2.tm (``"tf2"``): the same API v2 on four hosts.

Realtime (``EventSource``): ``events()`` streams ``listings`` (the Centrifugo price feed) and
``account`` (the wsn socket); see ``realtime``.

Extras beyond the protocols: ``list_for_sale_many``, ``history``, ``operation_history``,
``remove_all_from_sale``, ``ping``, ``ping_new``, ``go_offline``, ``update_inventory``; the whole
documented API is on ``.client`` (:class:`MarketTMClient`).

The class is split by resource: buying and purchase lookup live in ``buying.py``, the selling side
and ``account_currency`` in ``selling.py`` (mixins :class:`MarketTM` inherits); listings, balance,
trades, prices and history stay here.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Unpack

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter, ConnectOptions, Feeds
from skinmarkets._http import HeaderKeyAuth
from skinmarkets._listings import cheapest
from skinmarkets._ratelimit import RateLimit
from skinmarkets._realtime import FeedStream
from skinmarkets._seconds import Ratio
from skinmarkets._secret import Secret
from skinmarkets._trades import started_trade
from skinmarkets._writes import not_understood
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
from skinmarkets.vendors.market_tm import pricelist, realtime, units, wire
from skinmarkets.vendors.market_tm.buying import Buying
from skinmarkets.vendors.market_tm.checks import check_currency
from skinmarkets.vendors.market_tm.client import MarketTMClient
from skinmarkets.vendors.market_tm.errors import read_envelope
from skinmarkets.vendors.market_tm.selling import Selling

VENDOR = "market_tm"

CAPABILITIES = Capabilities(
    price_list=True,
    purchase_lookup=True,
    server_side_max_price=True,
    idempotent_buy=True,
    delivery="bot_withdraw",
    currencies=frozenset(units.MINOR_UNITS),
    requests_per_second=Ratio(units.REQUESTS_PER_SECOND),
    seller=True,
    named_prices=True,
    events=frozenset({"listings", "account"}),
)


class MarketTM(Buying, Selling, Adapter):
    """market.csgo.com / market.dota2.net / rust.tm / tf2.tm behind the Marketplace protocol.

    Each method keeps its protocol's contract (``skinmarkets.protocol``); its docstring adds
    Market TM's part."""

    vendor = VENDOR
    capabilities = CAPABILITIES
    fees = units.FEES
    # game picks the host (cs2, dota2, rust, tf2); name tells several Market TM accounts apart.
    config_example = """\
[[markets]]
name = "tm"                     # optional, defaults to the vendor id
vendor = "market_tm"
game = "cs2"
api_key_env = "TM_KEY"          # option api_key, read from the environment variable TM_KEY
"""

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        game: str = "cs2",
        currency: str | None = None,
        **connect: Unpack[ConnectOptions],
    ) -> None:
        """Connect to the market of ``game``.

        ``currency`` states the account's currency (one of ``units.MINOR_UNITS``: RUB, USD,
        EUR) so that ``prices()`` and the price feed need not ask get-money for it first; by
        default it is asked once and remembered. An answer that names the account currency
        (balance, listings) still replaces it.
        """
        self._key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        stated = check_currency(currency)
        if not isinstance(game, str) or game.strip().lower() not in {
            *units.HOSTS,
            *units.GAME_ALIASES,
        }:
            raise errors.ConfigurationError(
                f"unknown game {game!r}: choose one of "
                f"{', '.join(sorted({*units.HOSTS, *units.GAME_ALIASES}))}",
                vendor=VENDOR,
            )
        normal = game.strip().lower()
        self.game = units.GAME_ALIASES.get(normal, normal)
        self.app_id = units.APP_IDS[self.game]
        self.name = f"{VENDOR}:{self.game}"
        self._open(
            self._key,
            default_base_url=units.HOSTS[self.game],
            limit=RateLimit(units.REQUESTS_PER_SECOND, 1.0),
            **connect,
        )
        auth = HeaderKeyAuth("X-API-KEY", self._key)
        self.client = MarketTMClient(self._transport(auth=auth, read_envelope=read_envelope))
        self._currency = stated
        self._names = realtime.NameBook(self.client.dictionary_names)

    # ------------------------------------------------------------------ realtime

    def events(self, kinds: frozenset[str] | set[str] | str | None = None) -> FeedStream:
        """Live events of ``kinds`` (None: both): ``listings`` from the Centrifugo price feed
        (prices in the account currency, names from dictionary/names.json), ``account`` from
        wsn (balance, purchases, notifications). As ``EventSource.events``; see ``realtime``."""
        return self._events(kinds)

    def _feeds(self) -> Feeds:
        context = realtime.FeedContext(
            market=self.name,
            client=self.client,
            currency=self.account_currency,
            app_id=self.app_id,
            names=self._names,
            origin=self._ws_origin,
            proxy=self._ws_proxy,
        )
        return realtime.feed_factories(context)

    # ------------------------------------------------------------------ listings

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        """Live offers for one name, cheapest first (search-item-by-hash-name-specific)."""
        name = _checks.check_name(VENDOR, market_hash_name, "list_for_sale")
        _checks.check_count(VENDOR, limit, "limit", "list_for_sale")
        try:
            answer = self.client.search_item_by_hash_name_specific(name)
        except errors.ItemUnavailable:
            return []  # "Item search error" / not found: nothing is on sale
        self._currency = answer.currency.upper()
        listings = [self._listing(offer, name, answer.currency) for offer in answer.data]
        return cheapest(listings, limit)

    def list_for_sale_many(
        self, market_hash_names: Sequence[str], *, limit: int = 50
    ) -> dict[str, list[Listing]]:
        """Offers for up to 50 names in one request (search-list-items-by-hash-name-all)."""
        names = [_checks.check_name(VENDOR, n, "list_for_sale_many") for n in market_hash_names]
        _checks.check_count(VENDOR, limit, "limit", "list_for_sale")
        if not 1 <= len(names) <= 50:
            raise errors.InvalidRequest(
                f"list_for_sale_many takes 1 to 50 names, got {len(names)}",
                vendor=VENDOR,
                operation="list_for_sale_many",
            )
        answer = self.client.search_list_items_by_hash_name_all(names)
        self._currency = answer.currency.upper()
        return {
            name: cheapest(
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
            price=units.money(offer.price, currency),
            app_id=self.app_id,
            asset_id=offer.extra.asset,
            float_value=offer.extra.float,
            phase=offer.extra.phase,
            raw=offer.raw,
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
            created_at=units.utc(offer.timestamp),
            secret=offer.secret,
            raw=offer.raw,
        )

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Ask TM's bots to send purchased items (trade-request-take); ``[]`` when none wait.

        With ``purchases``, the bots holding them (``items`` with status 4) are asked one by
        one; TM sends everything a bot holds for the user, so an offer may carry more items
        than were asked for. Error 3001 ("nothing to transfer") is ``[]``. TM has no lookup:
        an unclear answer is ``OutcomeUnknown``.
        """
        _checks.check_purchases(VENDOR, self.name, purchases)
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
                taken = self._send_once(
                    "withdraw",
                    functools.partial(self._take, bot),
                    advice="See active_trades() for the offer; withdraw() again is safe (TM "
                    "answers 'nothing to transfer' for items already on their way)",
                )
            except errors.APIError as exc:
                if str(exc.code) == str(units.NOTHING_TO_TAKE):
                    continue
                raise
            # the trade id is the Steam offer's: SENT
            trades.append(
                started_trade(
                    self.name,
                    taken.trade,
                    taken.raw,
                    offer_id=taken.trade,
                    bot_id=taken.botid,
                    secret=taken.secret,
                )
            )
        return trades

    def _take(self, bot: str | None) -> wire.TradeRequest:
        """One trade-request-take, its answer understood (a trade id) or ``UnexpectedResponse``."""
        taken = self.client.trade_request_take(bot=bot)
        if taken.raw.get("success") is not True or not taken.trade:
            raise not_understood(VENDOR, "withdraw", taken.raw, "success or trade id missing")
        return taken

    # ------------------------------------------------------------------ prices

    def prices(
        self, *, app_id: int | None = None, names: Collection[str] | None = None
    ) -> list[PriceQuote]:
        """Every item's lowest ask and highest buy order, in the account currency.

        From prices/class_instance/{CUR}.json (decimal strings in major units); one name can
        appear under several class/instance pairs, so the lowest ``price`` and the highest
        ``buy_order`` across them are kept. The account currency comes from get-money, asked
        once, unless stated at connect (``currency=``). ``names`` as ``PriceSource.prices``
        (quotes in the list's order).
        """
        if app_id is not None and app_id != self.app_id:
            raise errors.InvalidRequest(
                f"{VENDOR}: {self.name} serves app {self.app_id}, not {app_id}; connect with "
                "the game that has it",
                vendor=VENDOR,
                operation="prices",
            )

        def read(wanted: frozenset[str] | None) -> list[PriceQuote]:
            answer = self.client.prices_class_instance_json(self.account_currency())
            return pricelist.quotes_from_class_instance(answer, market=self.name, wanted=wanted)

        return self._price_list(names, read)

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
            price=units.money(entry.paid or 0, currency),
            status=units.STAGE_STATUS.get(entry.stage or 0, TradeStatus.PENDING),
            created_at=units.utc(entry.time),
            raw=entry.raw,
        )
