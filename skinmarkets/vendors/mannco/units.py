"""Mannco.store units, limits and codes, each row with the doc line it comes from.

Docs: ``trades-bot-api.txt`` (the trades pages), ``mannco-api.md`` (the rest, with a trust tag
per line: [docs], [docs-old], [3p:…]) and the mannco section of ``vendor-docs/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from skinmarkets._fees import Fees
from skinmarkets._seconds import Ratio, Seconds
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money

#: mannco-api.md §1 [docs]: "Base URL: https://api.mannco.store" (the old https://mannco.store
#: is [docs-old], not used).
BASE_URL = "https://api.mannco.store"

#: §4 [docs: inventory/price says "Price in cents (USD)"]: "integer cents, USD, everywhere
#: (prices, balance, buy orders, payment values)".
CURRENCY = "USD"
MINOR_UNITS = 100

#: §3 [docs]: "on the order of 600 requests per 60 s window, separately for GET and POST".
#: One window for both methods: the stricter reading.
RATE_LIMIT_REQUESTS = 600
RATE_LIMIT_SECONDS: Seconds = 60.0
REQUESTS_PER_SECOND: Ratio = RATE_LIMIT_REQUESTS / RATE_LIMIT_SECONDS

#: §2 [docs]: "300 | business-logic error. This is not a redirect; the body carries
#: success:false and a message."
BUSINESS_ERROR_STATUS = 300

#: §1 [docs]: JWT "about 31 days (exp ≈ iat + 31 d). When it expires, call POST /user/login
#: again." A token this close to its ``exp`` is renewed before it is sent.
TOKEN_RENEW_MARGIN_SECONDS: Seconds = 60.0

#: §4 [docs]: "Game IDs: 440 TF2, 730 CS2, 570 Dota 2, 252490 Rust". The order is the order in
#: which a name is tried when the caller does not say which game it belongs to.
GAMES: tuple[int, ...] = (730, 440, 570, 252490)

#: §6 [3p:gman, 3p:vanzip]: GET /item/listing/{item} "count (page size, default 10), page
#: (default 0)"; sorted by price ascending. Our page size and how many pages we follow at most.
LISTING_PAGE_SIZE = 50
MAX_PAGES = 20

#: §6 [3p:gman, 3p:vanzip]: /item/pricing/bulk "at most 100 IDs".
PRICING_BULK_MAX = 100

#: §9 [docs]: POST /payment/{provider} "type (required): "balance" (top-up) or "items"".
PAYMENT_PROVIDER = "mannco"
PAYMENT_TYPE_ITEMS = "items"

#: §4: item ``state``: [docs] "0 in your Mannco inventory, 1 listed for sale".
STATE_IN_INVENTORY = 0
STATE_ON_SALE = 1

#: §7 [docs]: POST /inventory/price "price (int, cents USD, 1 to 5,000,000)".
MIN_LIST_PRICE_CENTS = 1
MAX_LIST_PRICE_CENTS = 5_000_000

#: custom_id is never sent (Mannco takes none: §16 "Missing: … an idempotency key"); ours only
#: bounds it for the local memory.
CUSTOM_ID_MAX_LENGTH = 100

#: Bot-trade ``status`` -> TradeStatus. The official table was not retrievable (§17); the values
#: are [3p:gman, 3p:tf2autobot] and trades-bot-api.txt ("0 = pending, 3 = completed, -1 =
#: failed, etc."). Status 0 is SENT once the row has an offer id (see the adapter); any other
#: code (1, 2, 4…10, -11) is UNKNOWN with the raw row kept.
TRADE_STATUS: Mapping[str, TradeStatus] = {
    "0": TradeStatus.PENDING,  # "0 = pending" (creation or delivery)
    "3": TradeStatus.COMPLETED,  # "3 = completed"
    "-1": TradeStatus.FAILED,  # "-1 = failed"
    "-12": TradeStatus.REVERSED,  # [3p] "-12 reverted"
}


def money(cents: int | Decimal) -> Money:
    """USD cents (every amount on the wire) as Money; pricing fields may carry a fraction."""
    if isinstance(cents, int):
        return Money.from_minor(cents, CURRENCY, scale=MINOR_UNITS)
    return Money(cents, CURRENCY) / MINOR_UNITS  # exact, whatever the caller's decimal context


#: Realtime (vendor-docs/realtime.md, "mannco — websocket", [3p:gman] socket.go): "URL:
#: wss://ws.mannco.store/ws; no auth, no subscribe, read-only". ``ws_url=`` replaces the origin,
#: the path is kept.
WS_ORIGIN = "wss://ws.mannco.store"
WS_PATH = "/ws"
#: Ours: no keepalive is documented (the server's websocket pings are answered by the client
#: library). A market-wide stream this quiet for 2 minutes is taken as dead and reopened (no
#: auth: a reopen costs nothing but a StreamStatus pair).
WS_SILENCE_LIMIT_SECONDS: Seconds = 120.0
#: Frames: {"event": name, "ts": …, "data": {...}}; amounts in USD cents.
EVENT_PRICE_CHANGED = "price_changed"  # {id, assetId, itemId, oldPrice, newPrice}
EVENT_LISTING_ADDED = "listing_added"  # {id, assetId, itemId, price}
EVENT_LISTING_REMOVED = "listing_removed"  # {id}: the listing's id, not its asset id
#: "buyorder_added {id, itemId, price, amount}, buyorder_removed {id, itemId, oldPrice},
#: buyorder_updated {…, oldPrice, newPrice, oldAmount, newAmount}, buyorder_activated,
#: buyorder_deactivated": no shared event type for buy orders, each is an UnknownEvent.
BUY_ORDER_EVENTS = frozenset(
    {
        "buyorder_added",
        "buyorder_removed",
        "buyorder_updated",
        "buyorder_activated",
        "buyorder_deactivated",
    }
)
#: A removal whose asset id this process never saw (only ``id`` comes): its ``listing_id`` is
#: the listing's own id with this prefix, so it never equals an asset id (``Listing.id``).
UNRESOLVED_LISTING_PREFIX = "listing:"
#: How many listing id -> asset id pairs are remembered (from the stream and list_for_sale).
LISTING_IDS_REMEMBERED = 50_000  # a few MB at most

#: The selling fee and the days sold items are held (``compare.Fees``; see ``skinmarkets._fees``).
# sale_fee: 5 %, mannco-api.md "Sellers are credited minus a 5% fee" [3p]; the Go client
# github.com/Lemon4ksan/g-man-tf2 pkg/services/mannco/inventory.go: "credited to seller
# minus 5% fee". Mannco documents no fee field. trade_hold_days: 7, Steam Trade
# Protection for CS2 items; Mannco is mostly TF2, not Trade Protected in the sources
# found, so 7 is conservative there.
FEES = Fees(Decimal("0.05"), 7)
