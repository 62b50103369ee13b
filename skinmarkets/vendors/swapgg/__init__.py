"""swap.gg (market.swap.gg)."""

from skinmarkets.vendors.swapgg.adapter import SwapGG

__all__ = ["SwapGG"]
