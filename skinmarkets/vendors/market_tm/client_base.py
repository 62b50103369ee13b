"""The Market TM client's plumbing: one request, its JSON object (``errors.read_envelope``), typed
on demand.

The base of :class:`~skinmarkets.vendors.market_tm.client.MarketTMClient` and of its mixins
(``client_selling``, ``client_account``), so every resource module calls the same ``call``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from skinmarkets._http import Method, Params, Transport
from skinmarkets.vendors.market_tm import wire

T = TypeVar("T")
JSON = Mapping[str, Any]

API = "/api/v2"


class ClientBase:
    """Sends Market TM API v2 requests through one transport."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.transport!r})"

    # ------------------------------------------------------------------ plumbing

    def call(
        self,
        path: str,
        *,
        operation: str,
        params: Params | None = None,
        write: bool = False,
        method: Method = "GET",
        json_body: Any = None,
    ) -> JSON:
        """Send one API v2 request; the JSON object of a success, as ``errors.read_envelope``
        read it."""
        body: JSON = self.transport.request(
            method,
            API + path,
            operation=operation,
            write=write,
            params=params,
            json_body=json_body,
        ).payload
        return body

    def _typed(self, cls: type[T], path: str, *, operation: str, **kwargs: Any) -> T:
        return wire.structure(
            self.call(path, operation=operation, **kwargs), cls, operation=operation
        )
