"""The base of :class:`~skinmarkets.vendors.market_tm.client.MarketTMClient` and its mixins:
API v2 on :class:`~skinmarkets._client.VendorClient`, and ``_hide`` for credentials in a URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from skinmarkets._client import VendorClient
from skinmarkets._http import Method, Params
from skinmarkets._secret import Secret, register_secret
from skinmarkets.vendors.market_tm import wire

JSON = Mapping[str, Any]
T = TypeVar("T")


class ClientBase(VendorClient):
    """Sends Market TM API v2 requests through one transport."""

    vendor = "market_tm"
    converter = wire.converter
    prefix = "/api/v2"

    def call(self, method: Method, path: str, operation: str, **request: Any) -> JSON:
        """Send one API v2 request; the JSON object of a success (``errors.read_envelope``)."""
        body: JSON = super().call(method, path, operation, **request)
        return body

    def _sent(self, cls: type[T], path: str, operation: str, params: Params | None = None) -> T:
        """GET ``path`` that changes something (a write, sent at most once), as ``cls``."""
        return self.typed(cls, "GET", path, operation, params=params, write=True)

    def listed(self, cls: type[T], key: str, path: str, operation: str, **request: Any) -> list[T]:
        """GET ``path``; the list under ``key`` of its answer as ``cls`` (none when empty)."""
        rows = self.call("GET", path, operation, **request).get(key) or []
        result: list[T] = self.structure(
            rows,
            list[cls],  # type: ignore[valid-type]
            operation=operation,
        )
        return result


def _hide(*credentials: str) -> None:
    """Scrub these values from every log line and error from now on (see ``client``'s docstring).

    Not from the data of answers: the vendor may echo a value back (``set-trade-token`` answers
    with the token), and the client hands that answer back as it came.
    """
    for credential in credentials:
        register_secret(Secret(credential), from_answers=False)
