"""SkinsBack as a :class:`~skinmarkets.protocol.Marketplace` (also ``PriceSource`` and
``PurchaseLookup``).

Money is USD in major units, as decimal strings (units.py). Buying also delivers: SkinsBack sends
the Steam offer to ``trade_url`` at purchase time, so there is nothing to withdraw. Requests are
signed (``shopid`` + HMAC-SHA1 ``sign``) or, with ``auth="headers"``, carry ``X-CLIENT-ID`` /
``X-CLIENT-SECRET``. Extras beyond the protocols: ``buy_many`` (market_batch_buy, per-item
results), ``server_status``; the whole market API is on ``.client`` (:class:`SkinsbackClient`);
webhooks are checked with :func:`~skinmarkets.vendors.skinsback.verify_event_signature` and read
with :func:`~skinmarkets.vendors.skinsback.parse_event`; the same events come live from the
websocket through ``events()`` (kind ``account``, ``realtime.py``).

Buying (buy, buy_many, get_purchase and the lookups) lives in ``buying.py``; browsing, balance,
trades, withdraw and prices stay here.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from typing import Unpack

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter, ConnectOptions, Feeds
from skinmarkets._http import HeadersAuth, SkinsbackSignatureAuth
from skinmarkets._listings import cheapest
from skinmarkets._ratelimit import RateLimit
from skinmarkets._realtime import FeedStream
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret
from skinmarkets.models import Balance, Direction, Listing, PriceQuote, Purchase, Trade
from skinmarkets.money import Rates
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.skinsback import pricelist, units, wire
from skinmarkets.vendors.skinsback.buying import Buying, purchase_from
from skinmarkets.vendors.skinsback.checks import (
    TradeUrl,
    check_auth,
    check_game,
    check_name,
    parse_trade_url,
)
from skinmarkets.vendors.skinsback.client import SkinsbackClient
from skinmarkets.vendors.skinsback.errors import read_envelope
from skinmarkets.vendors.skinsback.rates import rates_from
from skinmarkets.vendors.skinsback.realtime import AccountFeed

VENDOR = "skinsback"

CAPABILITIES = Capabilities(
    price_list=True,
    purchase_lookup=True,  # market_getinfo custom_ids
    server_side_max_price=True,  # market_buy max_price ("fails with code 6")
    idempotent_buy=True,  # custom_id: "a duplicate is rejected with code 7"
    delivery="direct_offer",
    currencies=frozenset({units.CURRENCY}),
    requests_per_second=units.REQUESTS_PER_SECOND,
    named_prices=True,
    events=frozenset({"account"}),  # the websocket: buy_item, status_change, balance_change
)


class Skinsback(Buying, Adapter):
    """skinsback.com behind the Marketplace protocol (USD, signed requests, direct delivery).

    Each method keeps its protocol's contract (``skinmarkets.protocol``); its docstring adds
    SkinsBack's part."""

    vendor = VENDOR
    capabilities = CAPABILITIES
    fees = units.FEES
    # SkinsBack signs with a client id and secret (both credentials, so both from variables).
    config_example = """\
[[markets]]
vendor = "skinsback"
client_id_env = "SKINSBACK_CLIENT_ID"
client_secret_env = "SKINSBACK_CLIENT_SECRET"
"""

    def __init__(
        self,
        *,
        client_id: str | Secret | None = None,
        client_secret: str | Secret | None = None,
        trade_url: str | None = None,
        game: str = units.DEFAULT_GAME,
        auth: str = "signature",
        **connect: Unpack[ConnectOptions],
    ) -> None:
        self._client_id = Secret.required(client_id, option="client_id", vendor=VENDOR)
        self._client_secret = Secret.required(client_secret, option="client_secret", vendor=VENDOR)
        self.game = check_game(game)
        self.app_id = units.APP_IDS[self.game]
        self.name = f"{VENDOR}:{self.game}"
        mode = check_auth(auth)
        self._trade_url: TradeUrl | None = None if trade_url is None else parse_trade_url(trade_url)
        self._open(
            # "The limit is 500 requests per minute per project": one window per Client ID.
            self._client_id,
            default_base_url=units.BASE_URL,
            default_ws_origin=units.WS_ORIGIN,
            limit=RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
            **connect,
        )
        signer = (
            HeadersAuth(
                {
                    units.HEADER_CLIENT_ID: self._client_id,
                    units.HEADER_CLIENT_SECRET: self._client_secret,
                }
            )
            if mode == "headers"
            else SkinsbackSignatureAuth(self._client_id, self._client_secret)
        )
        self.client = SkinsbackClient(self._transport(auth=signer, read_envelope=read_envelope))
        self._now: Callable[[], Seconds] = time.time  # (history window)

    # ------------------------------------------------------------------ realtime

    def events(self, kinds: frozenset[str] | set[str] | None = None) -> FeedStream:
        """A live stream of the account's events (the websocket; only ``"account"`` is pushed).

        As ``EventSource.events``. ``PurchaseUpdated`` per purchase and offer status change,
        ``BalanceChanged`` per balance change.
        """
        return self._events(kinds)

    def _feeds(self) -> Feeds:
        account = self._socket_feed(
            AccountFeed, client_id=self._client_id, client_secret=self._client_secret
        )
        return {"account": account}

    # ------------------------------------------------------------------ listings

    def list_for_sale(self, market_hash_name: str, *, limit: int = 50) -> list[Listing]:
        """Live offers for one exact name (market_search), cheapest first, in USD.

        SkinsBack returns "one entry per available copy"; each ``id`` is what ``buy`` sends.
        """
        name = check_name(market_hash_name, "list_for_sale")
        _checks.check_count(VENDOR, limit, "limit", "list_for_sale")
        found = self.client.market_search(game=self.game, name=name)
        listings: dict[str, Listing] = {}
        for item in found.items:
            if item.name == name and item.id and item.price is not None and item.price > 0:
                listings.setdefault(
                    item.id,
                    Listing(
                        market=self.name,
                        id=item.id,
                        market_hash_name=item.name,
                        price=units.money(item.price),
                        app_id=self.app_id,
                        raw=item.raw,
                    ),
                )
        return cheapest(listings.values(), limit)

    # ------------------------------------------------------------------ account

    def balance(self) -> Balance:
        """The project balance in USD (``balance_in_currencies.usd``; ``balance``'s own currency
        is undocumented, so it is not used)."""
        answer = self.client.balance()
        usd = answer.balance_in_currencies.get("usd")
        if usd is None:
            raise errors.UnexpectedResponse(
                "the answer has no balance_in_currencies.usd; kept in .raw",
                vendor=VENDOR,
                operation="balance",
                raw=answer.raw,
            )
        return Balance(market=self.name, available=units.money(usd), raw=answer.raw)

    def rates(self) -> Rates:
        """The exchange rates SkinsBack publishes (``currencies``), against USD; how the
        undocumented answer is read is told in ``vendors/skinsback/rates.py``. Also reached as
        ``sm.Rates.from_skinsback(market)``."""
        return rates_from(self.client.currencies(), market=self.name)

    def server_status(self) -> wire.ServerStatus:
        """Whether SkinsBack is available (``status``; ``reason`` "site_off"/"no_bots" if not)."""
        return self.client.server_status()

    # ------------------------------------------------------------------ trades

    def _trade(self, info: wire.BuyInfo) -> Trade:
        purchase = purchase_from(self.name, info, custom_id=None)
        return Trade(
            market=self.name,
            id=purchase.id,
            status=purchase.status,
            direction=Direction.INCOMING,
            offer_id=purchase.trade_offer_id,
            created_at=purchase.created_at,
            raw=info.raw,
        )

    def _recent(self) -> list[wire.BuyInfo]:
        """Purchases of the last ``HISTORY_WINDOW_SECONDS`` (market_history, every page)."""
        ending = int(self._now())
        starting = ending - units.HISTORY_WINDOW_SECONDS
        found: list[wire.BuyInfo] = []
        cursor: int | None = None
        for _ in range(units.HISTORY_MAX_PAGES):
            page = self.client.market_history(starting=starting, ending=ending, start_from=cursor)
            found.extend(page.items)
            if not page.has_more or not page.items or page.start_from in (None, cursor):
                break
            cursor = page.start_from
        return found

    def active_trades(self) -> list[Trade]:
        """Purchases whose Steam offer is still being made or waits on the user.

        From market_history over the last day (offers time out after 10 minutes) alone: its
        records carry each purchase's current ``offer_status`` and ``tradeofferid``, all a
        ``Trade`` needs, so nothing is asked again with market_getinfo. A purchase listed twice
        (pages shifting while read) counts once.
        """
        under_way: dict[str, wire.BuyInfo] = {}
        for info in self._recent():
            if info.offer_status in units.UNDER_WAY:
                under_way.setdefault(info.buy_id, info)
        return [self._trade(i) for i in under_way.values()]

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Sends nothing: SkinsBack delivers at purchase time (the offer goes to ``trade_url``).

        Returns the deliveries still under way, as ``active_trades`` does; with ``purchases``,
        only theirs (looked up by buy id with market_getinfo).
        """
        _checks.check_purchases(VENDOR, self.name, purchases)
        if purchases is None:
            return self.active_trades()
        ids = [purchase.id for purchase in purchases]
        if not ids:
            return []
        # their current records (market_getinfo buy_ids)
        current = self.client.market_getinfo_many(buy_ids=list(dict.fromkeys(ids))).items
        return [self._trade(i) for i in current if i.offer_status in units.UNDER_WAY]

    # ------------------------------------------------------------------ prices

    def prices(
        self, *, app_id: int | None = None, names: Collection[str] | None = None
    ) -> list[PriceQuote]:
        """Every name's lowest price in USD and how many are available (market_pricelist).

        ``app_id`` picks the game (730 cs2, 570 dota2, 252490 rust; default the connected one).
        SkinsBack only sells, so there is no bid. The list is large (read in one pass by
        ``pricelist``): cache it. ``names`` as ``PriceSource.prices`` (in the list's order).
        """
        game = self.game
        if app_id is not None:
            games = {v: k for k, v in units.APP_IDS.items()}
            if isinstance(app_id, bool) or app_id not in games:
                raise _checks.invalid(
                    VENDOR, "prices", f"app_id must be one of {sorted(games)}, got {app_id!r}"
                )
            game = games[app_id]

        def read(wanted: frozenset[str] | None) -> list[PriceQuote]:
            answer = self.client.market_pricelist_json(game=game, rows=True)
            return pricelist.quotes_from_pricelist(answer, market=self.name, wanted=wanted)

        return self._price_list(names, read)
