"""Mannco.store (api.mannco.store)."""

from skinmarkets.vendors.mannco.adapter import Mannco

__all__ = ["Mannco"]
