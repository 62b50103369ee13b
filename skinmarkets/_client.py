"""What every vendor client shares: one request, its payload, typed on demand.

A vendor's client is faithful and thin: amounts are what the wire carries (the adapter does all
translation), an answer the adapter does not read is returned as decoded, and a write
(``write=True``) is sent at most once, never retried by the transport. It subclasses
:class:`VendorClient`, names its ``vendor``, its wire ``converter`` and the ``prefix`` of its
routes, and writes one method per endpoint on the same shape: its signature, its docstring line
and one call naming the HTTP method, the path and the operation::

    def user_me(self) -> wire.UserMe:
        \"""GET user/me: basic account details.\"""
        return self.typed(wire.UserMe, "GET", "/user/me", "user_me")

:meth:`VendorClient.request` returns what the vendor's envelope reader made of a success (its
``payload``); :meth:`VendorClient.call` returns that through :meth:`VendorClient.unwrap`, which a
vendor whose data is wrapped (swap.gg's ``result``) overrides.
:meth:`typed`, :meth:`typed_list` and :meth:`typed_map` structure it into the vendor's wire
classes; an answer of another shape is ``UnexpectedResponse`` naming the field path, raw kept.
Optional parameters go through :func:`given`, so an absent one is left out, never sent empty.

:class:`TokenClient` is a client whose transport authenticates with a renewable token
(``BearerTokenAuth``): it logs in again when the token is refused, and resends a read, never a
write (see there).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar, Unpack

import cattrs

from skinmarkets import _wire, errors
from skinmarkets._http import BearerTokenAuth, Method, RequestOptions, Transport
from skinmarkets._secret import MASK

__all__ = ["TokenClient", "VendorClient", "given", "masked_shape"]

T = TypeVar("T")

#: Keys longer than this in an answer's masked shape are masked too (a token used as a key).
_LONGEST_NAME = 24


def given(**values: Any) -> dict[str, Any]:
    """``values`` but the ones that are None: an absent option is left out, never sent empty."""
    return {key: value for key, value in values.items() if value is not None}


def masked_shape(raw: Any) -> Any:
    """``raw`` with every string masked, and every key that could be a token: what an answer
    that may hold a credential nobody registered yet (an odd login answer) may keep."""
    if isinstance(raw, str):
        return MASK
    if isinstance(raw, Mapping):
        return {
            MASK if len(str(key)) > _LONGEST_NAME else key: masked_shape(value)
            for key, value in raw.items()
        }
    if isinstance(raw, list):
        return [masked_shape(value) for value in raw]
    return raw


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
        self, method: Method, path: str, operation: str, **options: Unpack[RequestOptions]
    ) -> Any:
        """Send one request; the payload the vendor's envelope reader made of its success.
        Writes (``write=True``) are sent at most once (see ``Transport.request``)."""
        return self.transport.request(
            method, self.prefix + path, operation=operation, **options
        ).payload

    def call(self, method: Method, path: str, operation: str, **request: Any) -> Any:
        """:meth:`request`, through :meth:`unwrap`: the data of a success."""
        return self.unwrap(self.request(method, path, operation, **request))

    def unwrap(self, payload: Any) -> Any:
        """What :meth:`call` returns of the envelope reader's payload: the payload itself."""
        return payload

    def structure(self, data: object, cls: Any, *, operation: str) -> Any:
        """``data`` as ``cls`` (a wire class, ``list[X]``, ``dict[str, X]`` …)."""
        return _wire.structure(self.converter, data, cls, vendor=self.vendor, operation=operation)

    def typed(self, cls: type[T], method: Method, path: str, operation: str, **request: Any) -> T:
        """:meth:`call`, its answer as ``cls``."""
        result: T = self.structure(
            self.call(method, path, operation, **request), cls, operation=operation
        )
        return result

    def typed_list(
        self, cls: type[T], method: Method, path: str, operation: str, **request: Any
    ) -> list[T]:
        """:meth:`call`, its answer as a list of ``cls``."""
        result: list[T] = self.structure(
            self.call(method, path, operation, **request),
            list[cls],  # type: ignore[valid-type]
            operation=operation,
        )
        return result

    def typed_map(
        self, cls: type[T], method: Method, path: str, operation: str, **request: Any
    ) -> dict[str, T]:
        """:meth:`call`, its answer as a dict of ``cls`` by key."""
        result: dict[str, T] = self.structure(
            self.call(method, path, operation, **request),
            dict[str, cls],  # type: ignore[valid-type]
            operation=operation,
        )
        return result


class TokenClient(VendorClient):
    """A client whose transport sends a renewable token (``BearerTokenAuth``).

    The token is got on first use and renewed before it expires (by the auth object). When a
    request is refused with one of the vendor's ``token_refused`` HTTP statuses, the client logs
    in again **once**: a read is sent once more (a second refusal is raised as it is, never a
    loop); a write is never sent twice. A refusal answering a write may have come after it went
    through (a token that expired in flight, a proxy in between), so the write is
    ``OutcomeUnknown`` and the caller's write flow looks the outcome up with the fresh token.
    """

    #: the HTTP statuses that mean "the token was refused" (a vendor fact)
    token_refused: ClassVar[frozenset[int]]
    #: the transport's auth object (the vendor's ``__init__`` checks that it is one)
    auth: BearerTokenAuth

    def rate_limited(self, limited: errors.RateLimited) -> errors.RateLimited:
        """``limited`` (a first sending's) with what the vendor's body adds; as it is here."""
        return limited

    def request(
        self, method: Method, path: str, operation: str, *, write: bool = False, **request: Any
    ) -> Any:
        """:meth:`VendorClient.request` with the token; logs in again once when it is refused
        (see the class docstring)."""
        token = self.auth.token()
        try:
            return super().request(method, path, operation, write=write, **request)
        except errors.RateLimited as limited:
            raise self.rate_limited(limited) from None
        except errors.APIError as refused:
            if refused.http_status not in self.token_refused:
                raise
            self.transport.log.debug(
                "%s: token refused (HTTP %s); logging in again", operation, refused.http_status
            )
            if not write:
                self.auth.refresh(token)
                return super().request(method, path, operation, write=write, **request)
            # The write may have gone through: a failing login must not stand for its outcome
            # (a refusal would free its custom_id), so it is OutcomeUnknown either way.
            relogin = "logged in again"
            try:
                self.auth.refresh(token)
            except Exception as failed:
                relogin = f"logging in again failed ({type(failed).__name__})"
            raise errors.OutcomeUnknown(
                f"the token was refused (HTTP {refused.http_status}) answering a write; "
                f"{relogin}, not re-sent",
                vendor=self.vendor,
                operation=operation,
                http_status=refused.http_status,
                raw=refused.raw,
            ) from None
