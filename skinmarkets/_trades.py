"""What every vendor's trades share: the rule for a Steam offer id, and the trade a withdrawal
starts.

The design's one lifecycle says "a trade that already has a Steam offer id is ``SENT``, not
``PENDING``": whatever a vendor's own status code says, :func:`sent_if_offered` applies that rule
to a trade or a purchase. :func:`started_trade` is the trade a withdrawal (or a resent offer)
has just started: the items come to the user, and it is ``SENT`` once it has a Steam offer id.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from skinmarkets.models import Direction, Trade, TradeStatus

__all__ = ["sent_if_offered", "started_trade"]


def sent_if_offered(status: TradeStatus, offer_id: object) -> TradeStatus:
    """``status``, except that a ``PENDING`` trade or purchase that already has a Steam offer id
    (``offer_id`` neither None nor empty) is ``SENT``: the offer was sent."""
    if status is TradeStatus.PENDING and offer_id:
        return TradeStatus.SENT
    return status


def started_trade(
    market: str,
    trade_id: str,
    raw: Mapping[str, Any],
    *,
    offer_id: str | None = None,
    bot_id: str | None = None,
    items: Iterable[str] = (),
    secret: str | None = None,
) -> Trade:
    """The trade the market has just started to send items to the user: ``INCOMING``, created
    now, ``PENDING`` until it has a Steam offer id (then ``SENT``)."""
    return Trade(
        market=market,
        id=trade_id,
        status=sent_if_offered(TradeStatus.PENDING, offer_id),
        direction=Direction.INCOMING,
        offer_id=offer_id,
        bot_id=bot_id,
        items=tuple(items),
        created_at=datetime.now(tz=UTC),
        secret=secret,
        raw=raw,
    )
