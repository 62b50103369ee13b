"""Vendor refusals -> skinmarkets errors, looked up in data tables, not if-chains.

Each vendor's ``errors.py`` fills an :class:`ErrorTable`; the lookup order is the same for all:
the exact vendor code, then a substring of the vendor's message, then the HTTP status, then
``APIError`` with the code kept, so a refusal nobody mapped is still typed and keeps its raw body.

Each vendor's ``errors.read_envelope(answer, operation)`` (its transport's reader) says where its
answers flag success and put their code and message, and what its client gets of a success.
What every reader does the same way is here: the body as a JSON object (:func:`body_of`), a
message field's text (:func:`text_of`), a refusal typed by the table with the wait the answer's
headers say (:meth:`ErrorTable.refusal`), and an answer of a shape the reader does not know
(:meth:`ErrorTable.not_understood`: ``UnexpectedResponse``, the raw answer kept; for a write it
may hide one that happened, so it is never read as "refused").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from skinmarkets import errors
from skinmarkets._http import HttpAnswer, parse_retry_after
from skinmarkets._seconds import Seconds
from skinmarkets._secret import scrub

ErrorClass = type[errors.SkinMarketsError]

#: The longest vendor message (or code) kept in an error; the raw answer keeps the rest.
MESSAGE_MAX = 300

#: What to tell the user to do, per error class (the vendor's own words come after).
ADVICE: Mapping[ErrorClass, str] = {
    errors.AuthenticationError: "check the API key / secret (it may have been revoked)",
    errors.PermissionDenied: "the account or IP is not allowed to do this",
    errors.InvalidRequest: "the request's parameters were refused",
    errors.InsufficientFunds: "insufficient funds; top up the balance",
    errors.ItemUnavailable: "the item is sold, delisted or not found",
    errors.PriceExceeded: "the item costs more than max_price",
    errors.TradeError: "a Steam trade problem (trade link, inventory privacy or space, ban)",
    errors.DuplicateCustomId: "a purchase with this custom_id already exists",
    errors.RateLimited: "rate limited; slow down and retry later",
    errors.ServiceUnavailable: "the vendor is unavailable; retry later",
    errors.APIError: "the vendor refused the request",
}


def _normal(code: object) -> str:
    return str(code).strip().lower()


def body_of(answer: HttpAnswer) -> Mapping[str, Any] | None:
    """The answer's JSON object, or None when its body is anything else."""
    return answer.data if isinstance(answer.data, Mapping) else None


def text_of(value: object) -> str | None:
    """``value`` if it is a string with something in it, cut to :data:`MESSAGE_MAX` (scrubbed
    first: a secret astride the cut would leave its first characters)."""
    return scrub(value)[:MESSAGE_MAX] if isinstance(value, str) and value.strip() else None


@attrs.frozen
class ErrorTable:
    """One vendor's refusal tables (each row commented in the vendor's errors.py)."""

    vendor: str
    exact: Mapping[str | int, ErrorClass]
    substrings: Sequence[tuple[str, ErrorClass]] = ()
    by_status: Mapping[int, ErrorClass] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        # Normalised once so that lookups are case- and type-insensitive ("3001" == 3001).
        object.__setattr__(self, "exact", {_normal(k): v for k, v in self.exact.items()})
        object.__setattr__(self, "substrings", tuple((_normal(s), c) for s, c in self.substrings))

    def classify(self, code: object, message: str | None, http_status: int | None) -> ErrorClass:
        """The error class for a vendor refusal (``APIError`` when nothing matches)."""
        for candidate in (code, message):
            if candidate is not None and _normal(candidate) in self.exact:
                return self.exact[_normal(candidate)]
        text = " ".join(_normal(c) for c in (code, message) if c is not None)
        for needle, error_class in self.substrings:
            if needle in text:
                return error_class
        if http_status is not None and http_status in self.by_status:
            return self.by_status[http_status]
        return errors.APIError

    def error(
        self,
        *,
        operation: str,
        code: str | int | None,
        message: str | None = None,
        http_status: int | None = None,
        raw: Any = None,
        retry_after: Seconds | None = None,
    ) -> errors.SkinMarketsError:
        """The typed error for a refusal, with a message that says what to do."""
        error_class = self.classify(code, message, http_status)
        said = message if message is not None else code
        advice = ADVICE.get(error_class, ADVICE[errors.APIError])
        details = [] if said is None else [f"vendor said {said!r}"]
        if http_status is not None and http_status != 200:
            details.append(f"HTTP {http_status}")
        text = f"{self.vendor}: {operation} refused: {advice}"
        if details:
            text += f" ({', '.join(details)})"
        # A vendor may echo the credential back ("bad key ABC…"); it must not reach str(error).
        text = scrub(text)
        context: dict[str, Any] = {
            "vendor": self.vendor,
            "operation": operation,
            "code": code if code is not None else message,
            "http_status": http_status,
            "raw": raw,
        }
        if issubclass(error_class, errors.RateLimited):
            context["retry_after"] = retry_after
        return error_class(text, **context)

    def refusal(
        self,
        answer: HttpAnswer,
        operation: str,
        *,
        code: str | int | None,
        message: str | None,
        said_wait: Seconds | None = None,
    ) -> errors.SkinMarketsError:
        """:meth:`error` for a refusal in ``answer``: its HTTP status and raw body kept, the wait
        its ``Retry-After`` (or ``X-RateLimit-Reset``) says, else ``said_wait`` (read from the
        body by the vendor)."""
        found = parse_retry_after(answer.headers)
        return self.error(
            operation=operation,
            code=code,
            message=message,
            http_status=answer.status,
            raw=answer.raw,
            retry_after=said_wait if found is None else found,
        )

    def not_understood(
        self, answer: HttpAnswer, operation: str, what: str
    ) -> errors.UnexpectedResponse:
        """``UnexpectedResponse`` saying ``what`` is wrong with the answer, its raw body kept."""
        return errors.UnexpectedResponse(
            what,
            vendor=self.vendor,
            operation=operation,
            http_status=answer.status,
            raw=answer.raw,
        )

    def not_an_envelope(
        self, answer: HttpAnswer, operation: str, envelope: str, got: str | None = None
    ) -> errors.UnexpectedResponse:
        """:meth:`not_understood` for a body that is not the vendor's ``envelope`` (``got``: what
        it is instead, by default the type of its JSON)."""
        got = type(answer.data).__name__ if got is None else got
        what = f"expected the {envelope} envelope, got {got}; kept in .raw"
        return self.not_understood(answer, operation, what)
