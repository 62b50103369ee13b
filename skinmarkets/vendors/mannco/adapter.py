"""Mannco.store as a :class:`~skinmarkets.protocol.Marketplace` (also ``Seller``).

Money is USD cents on the wire (units.py). The API key is exchanged for a JWT on first use
(``POST /user/login``) and sent as ``Authorization: Bearer``; a refused token is renewed once
per request (client.py says why resending is safe). Bought items land in the on-site inventory
and are sent to Steam by ``withdraw``.

Extras beyond the protocols: ``resend_trade(trade_id)``, ``all_trades()`` / ``history()``,
``resolve_item_id(name)``, ``prices(names=…)``, ``create_buy_order`` / ``update_buy_order`` /
``cancel_buy_order``; every route of the references is on ``.client`` (:class:`ManncoClient`).

Mannco publishes no whole price list, so ``compare`` and ``arbitrage`` price it by name
(``capabilities.named_prices``): ``prices(names=…)`` says what that costs (``item_ids.py``).

The class is split by resource: buying and buy orders live in ``buying.py``, the selling side in
``selling.py`` (mixins :class:`Mannco` inherits); listings, account, trades, withdraw and prices
stay here. Market-wide listing changes come live from the public websocket through ``events()``
(kind ``listings``, ``realtime.py``).
"""

from __future__ import annotations

import math
import time
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Unpack

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter, ConnectOptions, Feeds
from skinmarkets._http import BearerTokenAuth, register_secret
from skinmarkets._listings import cheapest
from skinmarkets._parallel import in_parallel
from skinmarkets._purchases import withdraw_held
from skinmarkets._ratelimit import RateLimit
from skinmarkets._realtime import FeedStream
from skinmarkets._secret import Secret
from skinmarkets._trades import sent_if_offered, started_trade
from skinmarkets._wire import to_int, unix_utc
from skinmarkets.models import Balance, Direction, Listing, PriceQuote, Purchase, Trade, TradeStatus
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.mannco import item_ids, units, wire
from skinmarkets.vendors.mannco.buying import Buying
from skinmarkets.vendors.mannco.checks import check_id, check_name
from skinmarkets.vendors.mannco.client import ManncoClient
from skinmarkets.vendors.mannco.errors import AMBIGUOUS_AFTER_WRITE, read_envelope
from skinmarkets.vendors.mannco.item_ids import ItemIds
from skinmarkets.vendors.mannco.item_ids import slug as slug  # kept importable from here
from skinmarkets.vendors.mannco.realtime import ListingIds, ListingsFeed
from skinmarkets.vendors.mannco.selling import Selling

VENDOR = "mannco"

CAPABILITIES = Capabilities(
    # /item/pricing/bulk prices known item ids only (≤100 per call); no whole-catalogue price
    # list is documented ([3p] /item/prices is a name catalogue), so only named items are priced.
    price_list=False,
    named_prices=True,  # prices(names=…): names -> item ids (cached in the store) -> pricing/bulk
    purchase_lookup=False,  # no custom id and no purchase id on the wire
    server_side_max_price=False,  # POST /payment/mannco takes no price: re-checked locally
    idempotent_buy=False,  # a custom_id is remembered in this process only (see buy)
    delivery="bot_withdraw",
    currencies=frozenset({units.CURRENCY}),
    requests_per_second=units.REQUESTS_PER_SECOND,
    seller=True,
    events=frozenset({"listings"}),  # the public websocket; no account events (poll those)
)


def created_at(timestamp: str | None) -> datetime | None:
    """``timestamp`` ("Unix timestamp in milliseconds", a string; a seconds value, should one
    come, is read as seconds) as aware UTC; None if absent, unreadable or out of range (the raw
    row keeps it)."""
    try:
        return unix_utc(to_int(timestamp))  # out of range, 0 or negative: None
    except (TypeError, ValueError):  # absent, or no whole number ("²", "1.5e12")
        return None


def trade_of(row: wire.TradeRow, market: str) -> Trade:
    """A bot trade as a Trade: items Mannco sends (``items_send``) come to the user."""
    sent = wire.split_ids(row.items_send)
    received = wire.split_ids(row.items_received)
    status = units.TRADE_STATUS.get(row.status.strip(), TradeStatus.UNKNOWN)
    offer = row.offerid.strip() if row.offerid and row.offerid.strip() else None
    return Trade(
        market=market,
        id=row.id,
        status=sent_if_offered(status, offer),
        direction=Direction.INCOMING if sent else Direction.OUTGOING,
        offer_id=offer,
        bot_id=row.bot or None,
        items=sent or received,
        created_at=created_at(row.timestamp),
        secret=row.code or None,
        raw=row.raw,  # keeps lasterror, user, game and the raw status
    )


class Mannco(Buying, Selling, Adapter):
    """mannco.store behind the Marketplace protocol (USD, JWT login, on-site inventory).

    Each method keeps its protocol's contract (``skinmarkets.protocol``); its docstring adds
    Mannco's part."""

    vendor = VENDOR
    name = VENDOR
    capabilities = CAPABILITIES
    fees = units.FEES
    ambiguous_codes = AMBIGUOUS_AFTER_WRITE  # "Failed to save transaction", … (errors.py)
    # Mannco logs in with its API key; shown disabled, as a table kept but left out of commands.
    config_example = """\
[[markets]]
vendor = "mannco"
api_key_env = "MANNCO_KEY"
enabled = false                 # kept in the file, left out of every command
"""

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        **connect: Unpack[ConnectOptions],
    ) -> None:
        self._key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        register_secret(self._key)  # it travels in the login body, not in an auth header
        self._open(
            self._key,
            default_base_url=units.BASE_URL,
            default_ws_origin=units.WS_ORIGIN,
            limit=RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
            **connect,
        )
        refusals = frozenset({units.BUSINESS_ERROR_STATUS})
        login_transport = self._transport(
            auth=None,  # POST /user/login is the one route without a token
            read_envelope=read_envelope,
            refusal_statuses=refusals,
            sent_secrets=(self._key,),  # in the login body
        )
        auth = BearerTokenAuth(self._login, renew_margin=units.TOKEN_RENEW_MARGIN_SECONDS)
        transport = self._transport(
            auth=auth,
            read_envelope=read_envelope,
            refusal_statuses=refusals,
            sent_secrets=(self._key,),  # Mannco has it: any of its answers could echo it
        )
        self.client = ManncoClient(transport, login_transport, self._key)
        # name -> item id: this object's dicts, then the store's cache, then Mannco (item_ids.py)
        self._item_ids = ItemIds(self.client, self._shared)
        # (casefolded name, app id) -> Mannco item id; catalogue ids never change (§16 [3p:py]).
        self._items: dict[tuple[str, int], str] = self._item_ids.by_name
        self._names: dict[str, str] = self._item_ids.names  # item id -> name: prices(), events()
        # listing id -> asset id of the rows seen, for the websocket's listing_removed {id}.
        self._listing_ids = ListingIds()
        self._now = time.time

    def _login(self) -> Secret:
        return self.client.user_login()

    # ------------------------------------------------------------------ realtime

    def events(self, kinds: frozenset[str] | set[str] | None = None) -> FeedStream:
        """A live stream of market-wide listing changes (only ``"listings"`` is pushed).

        As ``EventSource.events``. ``ListingChanged`` per listing added, repriced or removed
        (``listing_id`` is the asset id, as ``Listing.id``; USD, exact); buy-order events are
        ``UnknownEvent``. The socket is public: no login, no REST call. Trades and balance
        still need polling.
        """
        return self._events(kinds)

    def _feeds(self) -> Feeds:
        listings = self._socket_feed(ListingsFeed, names=self._names, listing_ids=self._listing_ids)
        return {"listings": listings}

    # ------------------------------------------------------------------ listings

    def resolve_item_id(self, market_hash_name: str, *, app_id: int | None = None) -> str:
        """Mannco's item id for a name: GET /item/details/{game}-{slug} per game, once.

        No search by name exists (§16); the slug is tried for ``app_id``, or for CS2, TF2,
        Dota 2 and Rust in turn, and accepted only when the item's own name has the same slug.
        An id found is kept in this object and in the store's cache (``item_ids.py``), so
        another market object, process or a restart on the same store asks nothing. Mannco is
        asked whenever no id is known (even for a name it lacked before). ``ItemUnavailable``
        when no game has it.
        """
        return self._item_ids.item_id(market_hash_name, app_id=app_id)

    def list_for_sale(
        self, market_hash_name: str, *, limit: int = 50, app_id: int | None = None
    ) -> list[Listing]:
        """Live offers for one name, cheapest first (GET /item/listing/{item}, paged).

        The name is resolved to Mannco's item id first (``resolve_item_id``; one Mannco does not
        know: ``[]``). ``app_id`` (440, 730, 570, 252490) skips guessing. When the first page
        tells how many rows there are (``count``), the further pages ``limit`` needs are fetched
        four at a time; otherwise one after another.
        """
        name = check_name(market_hash_name, "list_for_sale")
        _checks.check_count(VENDOR, limit, "limit", "list_for_sale")
        try:
            item = self.resolve_item_id(name, app_id=app_id)
        except errors.ItemUnavailable:
            return []
        size = min(units.LISTING_PAGE_SIZE, limit)
        found: dict[str, Listing] = {}

        def fetch(page: int) -> list[wire.ListingRow]:
            return self.client.item_listing(item, page=page, count=size).values

        def add(rows: list[wire.ListingRow]) -> bool:
            """Keep the rows on sale; True when no further page is needed."""
            for row in rows:
                if row.state in (None, units.STATE_ON_SALE):
                    found.setdefault(row.assetId, self._listing(row, name, app_id))
            return len(rows) < size or len(found) >= limit

        first = self.client.item_listing(item, page=0, count=size)
        done = add(first.values)
        page = 1
        # A full first page that counts more rows than it holds gives the total: the further
        # pages the limit needs are then fetched side by side (the limiter paces each).
        if not done and first.count and first.count > len(first.values):
            last = min(math.ceil(first.count / size), math.ceil(limit / size), units.MAX_PAGES)
            for rows in in_parallel(fetch, range(1, last)):
                page += 1
                if done := add(rows):
                    break
        while not done and page < units.MAX_PAGES:
            done = add(fetch(page))
            page += 1
        return cheapest(found.values(), limit)

    def _listing(self, row: wire.ListingRow, name: str, app_id: int | None) -> Listing:
        if row.id is not None:
            self._listing_ids.remember(row.id, row.assetId, row.item_id)
        return Listing(
            market=self.name,
            id=row.assetId,  # "assetId is what you pay for" (§6)
            market_hash_name=name,
            price=units.money(row.price),
            app_id=row.game or app_id or 0,
            asset_id=row.assetId,
            raw=row.raw,
        )

    # ------------------------------------------------------------------ account

    def balance(self) -> Balance:
        """The on-site balance (GET /user/balance, USD cents)."""
        answer = self.client.user_balance()
        return Balance(market=self.name, available=units.money(answer.balance), raw=answer.raw)

    # ------------------------------------------------------------------ trades

    def active_trades(self) -> list[Trade]:
        """Pending bot trades (GET /trades/active): deposits (OUTGOING), withdrawals (INCOMING)."""
        return [trade_of(row, self.name) for row in self.client.trades_active().trades]

    def all_trades(self) -> list[Trade]:
        """The last 500 bot trades, newest first (GET /trades/all); unknown codes -> UNKNOWN."""
        return [trade_of(row, self.name) for row in self.client.trades_all().trades]

    history = all_trades

    def resend_trade(self, trade_id: str | int) -> Trade:
        """Have a failed or cancelled withdrawal sent again (GET /trade/resend): a new offer
        with the same items and a new code (``secret``). Refusals: "Missing resend parameter",
        "Failed to resend trade. Trade not found or conditions not met." -> ``InvalidRequest``."""
        trade = check_id(trade_id, "trade_id", "resend_trade")
        answer = self._send_once(
            "resend_trade",
            lambda: self.client.trade_resend(trade),
            advice="Check active_trades() before resending again",
        )
        # PENDING: the new offer is not sent yet; INCOMING: only withdrawals can be resent
        return started_trade(self.name, answer.trade_id, answer.raw, secret=answer.code or None)

    def withdraw(self, purchases: Sequence[Purchase] | None = None) -> list[Trade]:
        """Send items held on the site to the user's Steam (POST /inventory/withdraw).

        Every asset of GET /inventory/onInventory (state 0: bought or deposited, not listed),
        or only the ``purchases``' assets. The answer carries no trade id, so the bot trades
        holding these assets are read from /trades/active; if none shows yet, one ``PENDING``
        trade with the provisional id ``withdraw:<first asset>`` is returned (its real trade
        appears in ``active_trades``). Items locked in another trade are skipped by Mannco
        (``locked`` in the raw answer). An unclear answer is looked up in the on-site inventory
        and the bot trades.
        """
        _checks.check_purchases(VENDOR, self.name, purchases)

        def held() -> list[str]:
            return [a for g in self.client.inventory_on_inventory().items for a in g.asset_ids]

        assets = held()
        if purchases is not None:
            wanted = {p.id for p in purchases}
            assets = [a for a in assets if a in wanted]
        if not assets:
            return []
        asked = set(assets)

        def trades() -> list[Trade]:
            return [t for t in self.active_trades() if asked & set(t.items)]

        def send() -> list[Trade]:
            answer = self.client.inventory_withdraw(assets)
            if answer.updated == 0:
                return []
            # no trade id in the answer: the bot trades holding the assets, or a provisional one
            try:
                found = trades()
            except Exception:  # the withdrawal is done: a failed read must not stand for it
                found = []
            return found or [
                started_trade(self.name, f"withdraw:{assets[0]}", answer.raw, items=assets)
            ]

        return withdraw_held(
            self, send, still_held=lambda: bool(asked & set(held())), trades=trades
        )

    # ------------------------------------------------------------------ prices

    def prices(
        self, *, app_id: int | None = None, names: Collection[str] | None = None
    ) -> list[PriceQuote]:
        """Lowest ask and highest buy order per item (GET /item/pricing/bulk, ≤100 ids a call).

        ``names`` as ``PriceSource.prices``, each quote carrying the name exactly as given
        (names differing only in case or surrounding spaces are one item, quoted under each
        spelling). Without ``names``: every name this market object has resolved so far.
        Within ``app_id`` when given (else each name is looked for in CS2, TF2, Dota 2 and
        Rust, in that order). All quotes in USD; Mannco caches its rows about 5 minutes.

        What it costs: each name is resolved to Mannco's item id once (``resolve_item_id``)
        and the id is kept in the store, so on the next call, in another process or after a
        restart, 10,000 known names cost 100 pricing requests and nothing else. A name never
        resolved costs one GET /item/details per game tried (1 with ``app_id`` or for a CS2
        item, up to 4 for a name Mannco lacks, which is then skipped for a day): 10,000 new
        names are about 10,000 requests, some 17 minutes at Mannco's 600 per minute. Names are
        resolved, and the pricing requests sent, four at a time; the limiter paces every
        request, so the limit is never exceeded.
        """
        if app_id is not None:
            _checks.check_count(VENDOR, app_id, "app_id", "prices")
        # item id -> the names its quote carries
        wanted: dict[str, list[str]] = {}
        if names is None:
            for (_, game), item in list(self._items.items()):
                if app_id in (None, game):
                    wanted.setdefault(item, [self._names.get(item, item)])
        else:
            _checks.check_names(VENDOR, names, "prices")
            spellings: dict[str, list[str]] = {}  # casefolded name -> the names as given
            for given in dict.fromkeys(names):  # the caller's order: resolved in that order
                spellings.setdefault(given.strip().casefold(), []).append(given)
            firsts = {key: given[0].strip() for key, given in spellings.items()}
            resolved = self._item_ids.resolve_many(
                list(firsts.values()), item_ids.games(app_id, "prices"), skip_absent=True
            )
            for key, first in firsts.items():
                if first in resolved:
                    wanted.setdefault(resolved[first], []).extend(spellings[key])
        ids = list(wanted)
        chunks = [
            ids[start : start + units.PRICING_BULK_MAX]
            for start in range(0, len(ids), units.PRICING_BULK_MAX)
        ]
        observed = datetime.now(tz=UTC)
        quotes: list[PriceQuote] = []
        for answer in in_parallel(self.client.item_pricing_bulk, chunks):
            for row in answer.items:
                ask, bid = row.pricing.lowest_sale_price, row.pricing.lowest_buy_order
                for name in wanted.get(row.item_id, ()):
                    quotes.append(
                        PriceQuote(
                            market=self.name,
                            market_hash_name=name,
                            lowest_ask=units.money(ask) if ask else None,
                            highest_bid=units.money(bid) if bid else None,
                            quantity=None,
                            observed_at=observed,
                            raw=row.raw,
                        )
                    )
        return quotes
