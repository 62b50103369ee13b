"""swap.gg units, limits and codes, each row with the doc line it comes from.

Doc: ``swapgg-v1.txt`` (market.swap.gg API v1) and the swapgg section of ``vendor-docs/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from skinmarkets._fees import Fees
from skinmarkets._seconds import Ratio, Seconds
from skinmarkets.models import TradeStatus
from skinmarkets.money import Money

#: "The base URLs for all swap.gg requests are" … (README: "Base https://market-api.swap.gg/v1").
BASE_URL = "https://market-api.swap.gg"
API = "/v1"  # "The version is on the second sub-path of the URL. For example: /v1/sales/list"

#: The one currency of every amount. user/me: "localization": {"currency": "EUR"};
#: sales/list: "price … in EUR cents"; payout: "amount … in EUR cents".
CURRENCY = "EUR"
#: Cents per euro, on every endpoint that carries money:
#: user/balance "balance": 2338 (23.38 EUR); sale "price": 28500; sales/purchase
#: "purchaseAmount": 3; pricing/lowest "price": 2200; buyorders "price": 45000, "totalCost";
#: buyorders/summary "maxPrice"/"minPrice"; item "suggestedPrice"; sales/list "price … in EUR
#: cents"; sell/create "price": 128; payout "amount … in EUR cents"; vouchers "value": 50.
MINOR_UNITS = 100

#: Browse Filter Object: "appId … Steam App ID of the item. Defaults to 730."
DEFAULT_APP_ID = 730
#: Browse Filter Object "sort": "CHEAPEST_FIRST" (one of EXPENSIVE_FIRST, DISCOUNT, …).
SORT_CHEAPEST_FIRST = "CHEAPEST_FIRST"
#: Pagination: "limit … between 1 and 100. Defaults to 25."
PAGE_LIMIT_MAX = 100
#: Pagination: "skip … between 0 and 2000." Paging stops there rather than be refused.
SKIP_MAX = 2000

#: Item Object "status": "Item status value" — the values are not documented. Inferred from the
#: samples: every item of sales/browse and cart (each with a ``sale``) has status 2, the
#: inventory/browse item without a sale has status 0. The adapter goes by the ``sale`` object,
#: not by these numbers; they are kept for reference.
ITEM_STATUS_IN_INVENTORY = 0  # inferred
ITEM_STATUS_ON_SALE = 2  # inferred

#: Envelope: "status … Status Code"; "OK — Everything is ok." Anything else is a failure.
STATUS_OK = "OK"

#: The rate limit is NOT published ("Rate limiting can be implemented for excess usage";
#: README: "429 on rate limit with X-RateLimit-* headers"). Conservative choice of ours: at most
#: 10 requests in any 5 s (2 per second on average, short bursts allowed), well under what a
#: browsing user does; the 429 answer's Retry-After / X-RateLimit-Reset is honoured on top.
RATE_LIMIT_REQUESTS = 10
RATE_LIMIT_SECONDS: Seconds = 5.0
REQUESTS_PER_SECOND: Ratio = RATE_LIMIT_REQUESTS / RATE_LIMIT_SECONDS

#: Realtime (README: "socket.io at https://market-ws.swap.gg/, emit auth with the token from
#: GET /v1/user/websocket (JWT, 10 min)").
WEBSOCKET_URL = "https://market-ws.swap.gg/"
WEBSOCKET_AUTH_EVENT = "auth"
WEBSOCKET_TOKEN_SECONDS = 600  # "This JWT token expires after 10 minutes."
#: The origin ``ws_url=`` replaces; socket.io's own path is kept under it ("You can connect
#: using the socket.io client: https://market-ws.swap.gg/", i.e. the default /socket.io/).
WS_ORIGIN = "https://market-ws.swap.gg"
SOCKETIO_PATH = "socket.io"
#: WebSocket > Events: "item:state — State of an item has changed (sold, delisted etc)";
#: "user:notification — A notification has been sent to you"; "user:ready — A notification to
#: let you know that something has changed on your account"; "screenshot:ready — … Contains
#: inspectLink and imageLink". Payloads other than screenshot:ready's are not published.
EVENT_ITEM_STATE = "item:state"
EVENT_NOTIFICATION = "user:notification"
EVENT_USER_READY = "user:ready"
EVENT_SCREENSHOT_READY = "screenshot:ready"
#: Ours, as ``skinmarkets._realtime.socketio`` uses them ("No acknowledgement is documented"):
#: server events taken as a refusal of the ``auth`` token; how long ``open`` waits after ``auth``
#: for one; how soon after connecting a refusal counts towards "refused twice in a row".
REFUSAL_EVENTS = frozenset({"error", "unauthorized", "unauthorised", "auth:error", "auth:failed"})
AUTH_GRACE_SECONDS: Seconds = 1.0
QUICK_REFUSAL_SECONDS: Seconds = 60.0
#: item:state "state" -> TradeStatus. Unpublished payload: only what the REST side already
#: knows is mapped; anything else is UNKNOWN, the raw payload kept.
ITEM_STATE: Mapping[str, TradeStatus] = {
    # Item Object "status" 0 = in the on-site inventory (inferred, ITEM_STATUS_IN_INVENTORY):
    # a bought item waits there for withdraw, which buy() reports as PENDING.
    str(ITEM_STATUS_IN_INVENTORY): TradeStatus.PENDING,
}

#: custom_id is never sent (swap.gg takes none); ours only bounds it for the local memory.
CUSTOM_ID_MAX_LENGTH = 100
#: How many pages a browse may follow before giving up (SKIP_MAX / 1-item pages is the worst).
MAX_PAGES = 50


def money(cents: int) -> Money:
    """EUR cents (every amount on the wire) as Money."""
    return Money.from_minor(cents, CURRENCY, scale=MINOR_UNITS)


#: The selling fee and the days sold items are held (``compare.Fees``; see ``skinmarkets._fees``).
# sale_fee: swapgg-v1.txt "Get Account Summary": "commission": 5 — "Sales fee that will
# be used on your next item listings" (per account; 5 is the documented example; "bonus"
# for "swap.gg" in the username "will lower your sales fee"). help.swap.gg states no figure.
# trade_hold_days: 7, Steam Trade Protection on CS2 items received in trade (note above);
# swap.gg's own payout delay is not documented.
FEES = Fees(Decimal("0.05"), 7)
