"""What every vendor client shares: one request, its payload, typed on demand.

A vendor's client subclasses :class:`VendorClient`, names its ``vendor``, its wire ``converter``
and the ``prefix`` of its routes, and writes one thin method per endpoint on the same shape::

    def user_me(self) -> wire.UserMe:
        return self.typed(wire.UserMe, "GET", "/user/me", operation="user_me")

:meth:`VendorClient.request` returns what the vendor's envelope reader made of a success (its
``payload``); :meth:`VendorClient.call` returns that through :meth:`VendorClient.unwrap`, which a
vendor whose data is wrapped (swap.gg's ``result``) overrides.
:meth:`typed`, :meth:`typed_list` and :meth:`typed_map` structure it into the vendor's wire
classes; an answer of another shape is ``UnexpectedResponse`` naming the field path, raw kept.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

import cattrs

from skinmarkets import _wire
from skinmarkets._http import FastDecode, Method, Params, Transport

__all__ = ["VendorClient"]

T = TypeVar("T")


class VendorClient:
    """One vendor's HTTP API through one transport (see the module docstring)."""

    vendor: ClassVar[str]
    converter: ClassVar[cattrs.Converter]
    #: what every route's path starts with ("/api/v2", "/v1", …)
    prefix: ClassVar[str] = ""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.transport!r})"

    def request(
        self,
        method: Method,
        path: str,
        *,
        operation: str,
        write: bool = False,
        params: Params | None = None,
        json_body: Any = None,
        form: Params | None = None,
        decode: FastDecode | None = None,
    ) -> Any:
        """Send one request; the payload the vendor's envelope reader made of its success.
        Writes (``write=True``) are sent at most once (see ``Transport.request``)."""
        return self.transport.request(
            method,
            self.prefix + path,
            operation=operation,
            write=write,
            params=params,
            json_body=json_body,
            form=form,
            decode=decode,
        ).payload

    def call(self, method: Method, path: str, *, operation: str, **request: Any) -> Any:
        """:meth:`request`, through :meth:`unwrap`: the data of a success."""
        return self.unwrap(self.request(method, path, operation=operation, **request))

    def unwrap(self, payload: Any) -> Any:
        """What :meth:`call` returns of the envelope reader's payload: the payload itself."""
        return payload

    def structure(self, data: object, cls: Any, *, operation: str) -> Any:
        """``data`` as ``cls`` (a wire class, ``list[X]``, ``dict[str, X]`` …)."""
        return _wire.structure(self.converter, data, cls, vendor=self.vendor, operation=operation)

    def typed(
        self, cls: type[T], method: Method, path: str, *, operation: str, **request: Any
    ) -> T:
        """:meth:`call`, its answer as ``cls``."""
        result: T = self.structure(
            self.call(method, path, operation=operation, **request), cls, operation=operation
        )
        return result

    def typed_list(
        self, cls: type[T], method: Method, path: str, *, operation: str, **request: Any
    ) -> list[T]:
        """:meth:`call`, its answer as a list of ``cls``."""
        result: list[T] = self.structure(
            self.call(method, path, operation=operation, **request),
            list[cls],  # type: ignore[valid-type]
            operation=operation,
        )
        return result

    def typed_map(
        self, cls: type[T], method: Method, path: str, *, operation: str, **request: Any
    ) -> dict[str, T]:
        """:meth:`call`, its answer as a dict of ``cls`` by key."""
        result: dict[str, T] = self.structure(
            self.call(method, path, operation=operation, **request),
            dict[str, cls],  # type: ignore[valid-type]
            operation=operation,
        )
        return result
