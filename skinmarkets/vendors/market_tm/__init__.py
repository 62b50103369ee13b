"""Market TM (market.csgo.com, market.dota2.net, rust.tm, tf2.tm)."""

from skinmarkets.vendors.market_tm.adapter import MarketTM

__all__ = ["MarketTM"]
