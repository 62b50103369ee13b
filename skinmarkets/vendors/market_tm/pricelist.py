"""prices/class_instance/{CUR}.json straight into `PriceQuote`s: the price list's fast path.

The export is the largest answer Market TM sends (one entry per class/instance pair, 100,000 and
more), so it is not structured into wire classes first (``wire.ClassInstancePrices`` remains for
``.client``): one pass reads every entry with the same rules as the wire hooks (names as strings
or numbers, prices as decimal strings or numbers within 1E±30, ``items`` as an object or PHP's
``[]``), and the quotes are built by ``skinmarkets._pricelist``. An entry of another shape is an
``UnexpectedResponse`` that names it and keeps the whole answer.

One name can appear under several class/instance pairs: its lowest ``price`` and its highest
``buy_order`` are kept, and ``raw`` is the first entry seen. A ``price`` or ``buy_order`` that is
missing, null or zero means "none"; a negative one cannot be true and is ``UnexpectedResponse``.

With ``wanted`` (``prices(names=…)``), an entry whose ``market_hash_name`` is not wanted is
skipped as soon as its name is read: nothing else of it is checked or built.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from skinmarkets import errors
from skinmarkets._pricelist import BadEntry, quotes_from_entries, unexpected
from skinmarkets._wire import to_currency, to_int
from skinmarkets.models import PriceQuote
from skinmarkets.vendors.market_tm import units

__all__ = ["quotes_from_class_instance"]

VENDOR = "market_tm"
OPERATION = "prices_class_instance"


def _unexpected(detail: str, answer: object) -> errors.UnexpectedResponse:
    return unexpected(VENDOR, OPERATION, detail, answer)


def _header(answer: Mapping[str, Any]) -> tuple[str, datetime | None]:
    """The export's currency and time; a bad one is ``UnexpectedResponse`` naming its path."""
    try:
        currency = to_currency(answer.get("currency"))
    except TypeError as exc:
        raise _unexpected(f"{exc} @ $.currency", answer) from None
    time = answer.get("time")
    try:
        return currency, units.utc(None if time is None else to_int(time))
    except TypeError as exc:
        raise _unexpected(f"{exc} @ $.time", answer) from None


def quotes_from_class_instance(
    answer: object, *, market: str, wanted: Collection[str] | None = None
) -> list[PriceQuote]:
    """One `PriceQuote` per name in a class_instance export (only ``wanted`` names if given)."""
    if not isinstance(answer, Mapping):
        raise _unexpected(f"expected a JSON object, got {type(answer).__name__}", answer)
    currency, observed = _header(answer)
    items = answer.get("items", {})
    if isinstance(items, list) and not items:  # PHP's empty associative array
        items = {}
    if not isinstance(items, Mapping):
        raise _unexpected(f"expected a JSON object, got {items!r:.40} @ $.items", answer)
    try:
        return quotes_from_entries(
            items,
            market=market,
            currency=currency,
            observed_at=observed or datetime.now(tz=UTC),
            wanted=wanted,
        )
    except BadEntry as bad:
        raise _unexpected(f"{bad.reason} @ $.items{bad.where}", answer) from None
