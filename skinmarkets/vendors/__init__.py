"""Vendor adapters, one package per vendor id; loaded only by ``skinmarkets.connect``."""
