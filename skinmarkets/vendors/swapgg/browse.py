"""swap.gg's paged browses (sales and the on-site inventory), and a sale as a `Listing`.

Free functions of the client, used by the adapter and its buying and selling parts alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from skinmarkets.models import Listing
from skinmarkets.vendors.swapgg import units, wire
from skinmarkets.vendors.swapgg.client import SwapGGClient

__all__ = ["inventory", "listing", "pages"]

#: One browse page: ``fetch(filters, skip=, limit=)``, e.g. ``client.sales_browse``.
Fetch = Callable[..., wire.ItemPage]


def pages(fetch: Fetch, filters: Mapping[str, Any], *, want: int | None) -> Iterator[wire.Item]:
    """Items of every page of a browse, following ``pagination.more`` with skip/limit.

    The server may answer fewer items than asked, so ``skip`` advances by what came. Stops when
    ``more`` is false, a page is empty, ``want`` items came, the doc's skip bound is reached or
    after ``MAX_PAGES`` pages: never loops forever.
    """
    skip, seen = 0, 0
    # One page size throughout (the doc's pages are fixed-size windows of skip/limit).
    size = units.PAGE_LIMIT_MAX if want is None else max(1, min(units.PAGE_LIMIT_MAX, want))
    for _ in range(units.MAX_PAGES):
        page = fetch(filters, skip=skip, limit=size)
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


def inventory(client: SwapGGClient, filters: Mapping[str, Any] | None = None) -> list[wire.Item]:
    """Every item of the on-site inventory (all pages)."""
    return list(pages(client.inventory_browse, filters or {}, want=None))


def listing(market: str, item: wire.Item, sale: wire.Sale) -> Listing:
    """One sale of ``item`` on ``market`` as a `Listing` (price in EUR, float where known)."""
    float_value = item.meta.FLOAT.o if item.meta.FLOAT is not None else None
    return Listing(
        market=market,
        id=sale.saleId,
        market_hash_name=item.marketName,
        price=units.money(sale.price),
        app_id=item.appId,
        asset_id=item.assetId,
        float_value=float_value,
        raw=item.raw,
    )
