"""swap.gg as a :class:`~skinmarkets.protocol.Marketplace` (also ``PriceSource`` and ``Seller``).

Money is EUR cents on the wire (units.py). Bought items land in the on-site inventory and are
sent to Steam by ``withdraw``. Extras beyond the protocols: ``account``, ``websocket_token``,
``list_from_steam``, ``payout``; the whole documented API is on ``.client`` (:class:`SwapGGClient`).
Account events come live from the socket.io server through ``events()`` (kind ``account``,
``realtime.py``).

The class is split by resource: buying (with its local custom_id memory and reconciliation) lives
in ``buying.py``, the selling side in ``selling.py`` (mixins :class:`SwapGG` inherits); browsing,
listings, account, trades, withdraw and prices stay here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Unpack

from skinmarkets import _checks
from skinmarkets._adapter import Adapter, ConnectOptions, Feeds
from skinmarkets._http import HeaderKeyAuth
from skinmarkets._listings import cheapest
from skinmarkets._parallel import both
from skinmarkets._purchases import withdraw_held
from skinmarkets._ratelimit import RateLimit
from skinmarkets._realtime import FeedStream
from skinmarkets._secret import Secret
from skinmarkets._trades import sent_if_offered, started_trade
from skinmarkets._writes import not_understood
from skinmarkets.models import Balance, Direction, Listing, PriceQuote, Purchase, Trade, TradeStatus
from skinmarkets.money import Money
from skinmarkets.protocol import Capabilities
from skinmarkets.vendors.swapgg import browse, pricelist, units, wire
from skinmarkets.vendors.swapgg.buying import Buying
from skinmarkets.vendors.swapgg.checks import price_in_cents
from skinmarkets.vendors.swapgg.client import SwapGGClient
from skinmarkets.vendors.swapgg.errors import AMBIGUOUS_AFTER_WRITE, read_envelope
from skinmarkets.vendors.swapgg.realtime import AccountFeed
from skinmarkets.vendors.swapgg.selling import Selling

VENDOR = "swapgg"

CAPABILITIES = Capabilities(
    price_list=True,
    purchase_lookup=False,  # no custom_id on the wire, nothing to look a purchase up by
    server_side_max_price=False,  # sales/purchase takes saleIds only
    idempotent_buy=False,  # a custom_id is remembered in this process only (see buy)
    delivery="bot_withdraw",
    currencies=frozenset({units.CURRENCY}),
    requests_per_second=units.REQUESTS_PER_SECOND,
    seller=True,
    named_prices=True,
    events=frozenset({"account"}),  # socket.io: item:state, user:notification, user:ready, …
)


class SwapGG(Buying, Selling, Adapter):
    """market.swap.gg behind the Marketplace protocol (EUR, on-site inventory, bot withdraw).

    Each method keeps its protocol's contract (``skinmarkets.protocol``); its docstring adds
    swap.gg's part."""

    vendor = VENDOR
    name = VENDOR
    capabilities = CAPABILITIES
    fees = units.FEES
    ambiguous_codes = AMBIGUOUS_AFTER_WRITE  # INTERNAL_ERROR, DATABASE_ERROR (errors.py)
    # swap.gg takes one credential, the API key (sent raw in Authorization).
    config_example = """\
[[markets]]
vendor = "swapgg"
api_key_env = "SWAPGG_KEY"
"""

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        **connect: Unpack[ConnectOptions],
    ) -> None:
        self._key = Secret.required(api_key, option="api_key", vendor=VENDOR)
        self._open(
            self._key,
            default_base_url=units.BASE_URL,
            default_ws_origin=units.WS_ORIGIN,
            limit=RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
            **connect,
        )
        # "swap.gg expects the API Key to be set in the Authorization header" (no Bearer).
        auth = HeaderKeyAuth("Authorization", self._key)
        self.client = SwapGGClient(self._transport(auth=auth, read_envelope=read_envelope))

    # ------------------------------------------------------------------ realtime

    def events(self, kinds: frozenset[str] | set[str] | None = None) -> FeedStream:
        """A live stream of the account's events (socket.io; only ``"account"`` is pushed).

        As ``EventSource.events``. ``PurchaseUpdated`` per ``item:state``, ``Notification`` per
        ``user:notification``, ``UnknownEvent`` for ``user:ready`` ("something changed on your
        account") and ``screenshot:ready``; each (re)connect fetches a fresh token
        (``websocket_token``).
        """
        return self._events(kinds)

    def _feeds(self) -> Feeds:
        # a fresh token per (re)connect; the proxy goes to websocket-client under Engine.IO
        account = self._socket_feed(AccountFeed, socketio=True, fetch_token=self.websocket_token)
        return {"account": account}

    # ------------------------------------------------------------------ listings

    def list_for_sale(
        self, market_hash_name: str, *, limit: int = 50, app_id: int = units.DEFAULT_APP_ID
    ) -> list[Listing]:
        """Live offers for one exact name, cheapest first (sales/browse, paged as needed).

        ``app_id`` (default 730, the doc's default) says which game's market to search.
        Items of another name (should the server ignore the exact filter) are dropped.
        """
        name = _checks.check_name(VENDOR, market_hash_name, "list_for_sale")
        _checks.check_count(VENDOR, limit, "limit", "list_for_sale")
        _checks.check_count(VENDOR, app_id, "app_id", "list_for_sale")
        filters = {
            "appId": str(app_id),
            "marketName": name,
            "sort": units.SORT_CHEAPEST_FIRST,
        }
        listings: dict[str, Listing] = {}  # by saleId: an item seen on two pages counts once
        for item in browse.pages(self.client.sales_browse, filters, want=limit):
            if item.sale is not None and item.marketName == name:
                listings.setdefault(item.sale.saleId, browse.listing(self.name, item, item.sale))
        return cheapest(listings.values(), limit)

    # ------------------------------------------------------------------ account

    def balance(self) -> Balance:
        """The balance (user/balance): ``balance`` available, ``withdrawableBalance`` for payout."""
        answer = self.client.user_balance()
        withdrawable = answer.withdrawableBalance
        return Balance(
            market=self.name,
            available=units.money(answer.balance),
            withdrawable=units.money(withdrawable) if withdrawable is not None else None,
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
            raise _checks.invalid(
                VENDOR, "payout", f"method must name the payment provider, got {method!r}"
            )
        cents = price_in_cents(amount, "payout")
        self._send_once(
            "payout",
            lambda: self.client.payout(method=method.strip(), amount=cents),
            advice="Check the balance and payouts on the site before asking again",
        )

    # ------------------------------------------------------------------ trades

    def active_trades(self) -> list[Trade]:
        """Steam offers swap.gg's bots sent the user (user/tradeoffers): items coming in.

        swap.gg cancels an offer after 5 minutes and puts the items back in the on-site
        inventory.
        """
        return [
            Trade(
                market=self.name,
                id=offer.tradeId,
                status=sent_if_offered(TradeStatus.PENDING, offer.tradeOfferId),
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
        shows in ``active_trades`` once sent. An unclear answer is looked up in the on-site
        inventory and ``active_trades``.
        """
        _checks.check_purchases(VENDOR, self.name, purchases)
        held = [
            item for item in browse.inventory(self.client) if item.sale is None and item.groupId
        ]
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

        def send() -> list[Trade]:
            answer = self.client.inventory_withdraw(
                [{"groupId": group, "quantity": count} for group, count in groups.items()]
            )
            if not answer.tradeIds:
                # Asked to withdraw at least one group: an answer without a trade does not say
                # what happened.
                raise not_understood(VENDOR, "withdraw", answer.raw, "no tradeIds")
            assets: tuple[str, ...] = ()
            if len(answer.tradeIds) == 1:
                queued = set(answer.itemIds)
                assets = tuple(i.assetId for i in held if i.itemId in queued and i.assetId)
            return [
                started_trade(self.name, trade_id, answer.raw, items=assets)
                for trade_id in answer.tradeIds
            ]

        def still_held() -> bool:
            still = {i.itemId for i in browse.inventory(self.client) if i.sale is None}
            return any(item.itemId in still for item in held)

        return withdraw_held(self, send, still_held=still_held, trades=self.active_trades)

    # ------------------------------------------------------------------ prices

    def prices(
        self, *, app_id: int | None = None, names: Collection[str] | None = None
    ) -> list[PriceQuote]:
        """Every name's lowest ask (pricing/lowest) and highest buy order (buyorders/summary).

        Both in EUR; ``app_id`` defaults to 730. A name with only buy orders has no ask. The two
        lists are asked for at the same time (the shared rate limiter still paces them) and read
        by ``pricelist`` in one pass each. ``names`` as ``PriceSource.prices`` (in the lists'
        order; a name neither list has is absent).
        """
        app = (
            units.DEFAULT_APP_ID
            if app_id is None
            else _checks.check_count(VENDOR, app_id, "app_id", "prices")
        )

        def read(wanted: frozenset[str] | None) -> list[PriceQuote]:
            lowest, summary = both(
                lambda: self.client.pricing_lowest_json(app),
                lambda: self.client.buyorders_summary_json(app),
            )
            return pricelist.quotes_from_lists(
                lowest,
                summary,
                market=self.name,
                observed_at=datetime.now(tz=UTC),
                wanted=wanted,
            )

        return self._price_list(names, read)
