"""The exception tree of skinmarkets.

Every error the library raises is a ``SkinMarketsError``; nothing from ``requests``, ``json`` or
a vendor's JSON shape (``KeyError``, ``JSONDecodeError``, ``AttributeError``) reaches the user::

    SkinMarketsError
    ├── ConfigurationError        bad or missing credentials/options; raised before any request
    ├── NotSupported              the vendor cannot do this operation
    ├── OutcomeUnknown            a write may or may not have happened; .custom_id
    ├── APIError                  the vendor answered "no"; do not retry as is
    │   ├── AuthenticationError   bad key / signature / token
    │   ├── PermissionDenied      IP not allowed, account locked or restricted
    │   ├── InvalidRequest
    │   ├── InsufficientFunds
    │   ├── ItemUnavailable       sold, delisted, not found
    │   ├── PriceExceeded         the item costs more than max_price
    │   ├── TradeError            bad trade link, private/full inventory, trade ban
    │   ├── DuplicateCustomId
    │   └── UnexpectedResponse    an answer we could not understand (kept in .raw)
    └── TransientError            nothing happened; safe to retry later
        ├── NetworkError
        │   └── Timeout
        ├── RateLimited           .retry_after (seconds or None)
        └── ServiceUnavailable    5xx, maintenance, HTML error page

``UnexpectedResponse`` is our addition to the design's tree: a well-formed HTTP answer whose body
does not have the documented shape. It is an ``APIError`` (the vendor did answer), so it is never
retried blindly; ``raw`` keeps the body so nothing is lost.

Messages name what went wrong and what to do; they never contain a credential, and neither
does ``raw`` (both are scrubbed when the error is made, see ``SkinMarketsError``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from skinmarkets._seconds import Seconds

__all__ = [
    "APIError",
    "AuthenticationError",
    "ConfigurationError",
    "DuplicateCustomId",
    "InsufficientFunds",
    "InvalidRequest",
    "ItemUnavailable",
    "NetworkError",
    "NotSupported",
    "OutcomeUnknown",
    "PermissionDenied",
    "PriceExceeded",
    "RateLimited",
    "ServiceUnavailable",
    "SkinMarketsError",
    "Timeout",
    "TradeError",
    "TransientError",
    "UnexpectedResponse",
]

RawAnswer = Mapping[str, Any] | list[Any] | str | None


class SkinMarketsError(Exception):
    """Base class of every error skinmarkets raises.

    Every error carries the same context, ``None`` where it does not apply: ``vendor``,
    ``operation``, the vendor's own ``code`` (or message), ``http_status`` and ``raw`` (the
    answer's body), so one ``except`` clause can log any of them the same way.

    Whoever raises it, its message, ``code`` and ``raw`` are scrubbed here of every registered
    secret (of any length) and ``raw`` of the values under sensitive names (``jwt``, ``token``,
    ``key`` ...), so neither ``str()``, a log line nor a pickle of the error shows a credential
    the vendor echoed back (rules: :mod:`skinmarkets._secret`).

    The message says where it came from: ``"vendor: operation: what happened"`` is made from the
    fields, so a raiser writes only what happened (``raise UnexpectedResponse("no price",
    vendor="swapgg", operation="prices")`` reads ``swapgg: prices: no price``). A message that
    already starts with ``"vendor:"`` is kept as it is; one that starts with the operation's name
    (``"buy refused: …"``) gets only ``"vendor: "``.
    """

    def __init__(
        self,
        message: str,
        *,
        vendor: str | None = None,
        operation: str | None = None,
        code: str | int | None = None,
        http_status: int | None = None,
        raw: RawAnswer = None,
    ) -> None:
        message = _in_context(_scrubbers.text(message), vendor, operation)
        super().__init__(message)
        self.message = message
        self.vendor = vendor
        self.operation = operation
        self.code = _scrubbers.text(code) if isinstance(code, str) else code
        self.http_status = http_status
        self.raw: RawAnswer = _scrubbers.raw(raw)

    def __str__(self) -> str:
        return self.message


class _Scrubbers:
    """How errors scrub their message and ``raw``: installed by :mod:`skinmarkets._secret` when
    it is imported (``import skinmarkets`` does it first), which keeps the credentials and uses
    this module's ``ConfigurationError``: the dependency runs one way. Until then nothing is
    registered, and only ``raw``'s sensitive names would need masking: the package imports
    ``_secret`` before anything can raise."""

    text: Callable[[str], str] = staticmethod(str)
    raw: Callable[[RawAnswer], RawAnswer] = staticmethod(lambda raw: raw)


_scrubbers = _Scrubbers()


def use_scrubbers(text: Callable[[str], str], raw: Callable[[RawAnswer], RawAnswer]) -> None:
    """Scrub every error's message and ``raw`` with these (called by ``skinmarkets._secret``)."""
    _scrubbers.text = text
    _scrubbers.raw = raw


def _in_context(message: str, vendor: str | None, operation: str | None) -> str:
    """``message`` led by ``"vendor: operation: "`` (see :class:`SkinMarketsError`)."""
    if not vendor or message.startswith(f"{vendor}:"):
        return message
    if operation and not message.startswith((f"{operation}:", f"{operation} ")):
        return f"{vendor}: {operation}: {message}"
    return f"{vendor}: {message}"  # the message names its operation itself ("buy refused …")


class ConfigurationError(SkinMarketsError):
    """Bad or missing credentials or options; raised before any request is sent."""


class NotSupported(SkinMarketsError):
    """The vendor cannot do the requested operation."""


class OutcomeUnknown(SkinMarketsError):
    """A write may or may not have happened; look it up by ``custom_id`` before trying again."""

    # custom_id has a default so that pickle (which calls ``cls(message)`` and then restores
    # the attributes) can rebuild the error, e.g. across a process pool.
    def __init__(self, message: str, *, custom_id: str | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.custom_id = custom_id


class APIError(SkinMarketsError):
    """The vendor answered "no": a refusal that retrying as is will not change."""


class AuthenticationError(APIError):
    """The key, signature or token was refused."""


class PermissionDenied(APIError):
    """The account or IP may not do this (locked, restricted, IP not allowed)."""


class InvalidRequest(APIError):
    """The vendor found the request's parameters wrong."""


class InsufficientFunds(APIError):
    """The balance does not cover the purchase."""


class ItemUnavailable(APIError):
    """The item was sold, delisted or not found."""


class PriceExceeded(APIError):
    """The item costs more than the ``max_price`` cap."""

    def __init__(
        self,
        message: str,
        *,
        price: Decimal | None = None,
        max_price: Decimal | None = None,
        **context: Any,
    ) -> None:
        super().__init__(message, **context)
        self.price = price
        self.max_price = max_price


class TradeError(APIError):
    """Steam trade problem: bad trade link, private or full inventory, trade ban."""


class DuplicateCustomId(APIError):
    """This ``custom_id`` already names a purchase: another listing's, or one not readable yet.

    ``custom_id`` is the id in question (``None`` where the vendor did not say which).
    """

    def __init__(self, message: str, *, custom_id: str | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.custom_id = custom_id


class UnexpectedResponse(APIError):
    """The vendor's answer did not have the documented shape; ``raw`` keeps it."""


class TransientError(SkinMarketsError):
    """Nothing happened; the same request is safe to try again later."""


class NetworkError(TransientError):
    """The vendor could not be reached."""


class Timeout(NetworkError):
    """The vendor did not answer in time: connecting, or (for a read) waiting for the answer.

    A write whose answer timed out after it was sent is ``OutcomeUnknown`` instead.
    """


class RateLimited(TransientError):
    """The vendor refused the request for exceeding its rate limit."""

    def __init__(
        self,
        message: str,
        *,
        retry_after: Seconds | None = None,
        **context: Any,
    ) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class ServiceUnavailable(TransientError):
    """The vendor is down, overloaded or in maintenance (5xx, HTML error page)."""
