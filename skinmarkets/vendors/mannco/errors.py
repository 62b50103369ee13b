"""Mannco.store refusals -> skinmarkets errors, as data (mannco-api.md §1, §2, §7-§12).

Every answer is ``{"err", "success", "content"}``; ``success`` false or ``err`` true is a failure
whatever the HTTP status, with ``content`` as the message (§2: "test for truthiness, not ``is
True``": the TS client types ``err`` as a number); :func:`read_envelope` hands the client the
``content`` of a success. Business errors come as HTTP 300, which the transport hands to it
(``Transport(refusal_statuses={300})``) instead of treating it as a redirect. The envelope
readers' common rules: :mod:`skinmarkets._errortable`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._errortable import MESSAGE_MAX, ErrorClass, ErrorTable, body_of
from skinmarkets._http import HttpAnswer, parse_retry_after, scrub
from skinmarkets._seconds import Seconds
from skinmarkets.vendors.mannco.wire import message_of

VENDOR = "mannco"

#: Exact ``content`` messages, each from the doc table that lists it.
BY_MESSAGE: Mapping[str | int, ErrorClass] = {
    # §1 login errors [docs]
    "Missing required parameter: apiKey": errors.InvalidRequest,  # type: error, HTTP 300
    "Invalid API key": errors.AuthenticationError,  # type: forbidden, HTTP 403
    "Country blocked": errors.PermissionDenied,  # type: forbidden, HTTP 403
    # §6 /item/details/{item} of an unknown id or slug (message as the fixtures record it)
    "Item not found": errors.ItemUnavailable,
    # §9 payment errors [docs]
    "Provider is required": errors.InvalidRequest,
    "Invalid user": errors.PermissionDenied,  # "user missing or banned"
    "Invalid provider": errors.InvalidRequest,
    "Invalid request parameters": errors.InvalidRequest,
    "Tos acceptance is required": errors.InvalidRequest,
    "Invalid TOS acceptance": errors.InvalidRequest,
    "Tos acceptance cannot be in the future": errors.InvalidRequest,  # clock skew
    "Failed to save transaction": errors.APIError,  # server-side; ambiguous after a buy
    "Failed to process payment": errors.APIError,  # provider error; ambiguous after a buy
    "No items found": errors.ItemUnavailable,  # "type: items, but no matching listed rows"
    # §10 buy-order errors [docs]
    "Not enough balance": errors.InsufficientFunds,
    "Max 5000 items": errors.InvalidRequest,
    "No buy order found": errors.InvalidRequest,
    # §8 cart errors [docs]
    "Missing required parameter: assetId": errors.InvalidRequest,
    "Item not available for purchase": errors.ItemUnavailable,
    "Item already in cart": errors.InvalidRequest,
    # trades-bot-api.txt, "Resend trade offer" > Error Responses
    "Missing resend parameter": errors.InvalidRequest,
    # "Trade doesn't exist, isn't owned by user, or isn't in a resendable state"
    "Failed to resend trade. Trade not found or conditions not met.": errors.InvalidRequest,
}

#: Message fragments (lower-cased on lookup), for messages with variable parts.
BY_SUBSTRING: tuple[tuple[str, ErrorClass], ...] = (
    ("you already have buy order", errors.InvalidRequest),  # §10 create
    ("you dont have buy order", errors.InvalidRequest),  # §10 update
    ("must be a", errors.InvalidRequest),  # §10 "Value/Amount/Itemid must be a (positive) number"
    ("must be numeric", errors.InvalidRequest),  # §6 [3p:py] "Invalid item ID - must be numeric"
    ("not enough balance", errors.InsufficientFunds),
    ("insufficient", errors.InsufficientFunds),  # §9: the balance message was not captured
    ("try again in", errors.RateLimited),  # §1 [3p:py] login: "try again in N seconds"
    ("retry after", errors.RateLimited),  # §3 [docs] 429 content: "retry after N seconds"
    ("too many requests", errors.RateLimited),
    ("invalid token", errors.AuthenticationError),
    ("jwt", errors.AuthenticationError),
)

#: HTTP statuses (§2 [docs] table) of answers the message did not settle.
BY_HTTP_STATUS: Mapping[int, ErrorClass] = {
    300: errors.APIError,  # "business-logic error" whose message nobody mapped
    400: errors.InvalidRequest,
    401: errors.AuthenticationError,  # [3p:tf2autobot] re-logs in on 401
    403: errors.AuthenticationError,  # "forbidden or unauthorized: bad or expired JWT, …"
    404: errors.InvalidRequest,  # "unknown endpoint or resource"
    429: errors.RateLimited,  # §3
}

TABLE = ErrorTable(
    vendor=VENDOR, exact=BY_MESSAGE, substrings=BY_SUBSTRING, by_status=BY_HTTP_STATUS
)

#: Messages that, answering a write (seen answering payments), do not prove that nothing
#: happened (the server failed inside the operation): every write flow treats them like a lost
#: answer (``Adapter.ambiguous_codes``).
AMBIGUOUS_AFTER_WRITE = frozenset({"Failed to save transaction", "Failed to process payment"})

_SECONDS_IN_TEXT = re.compile(r"(\d{1,6})\s*(?:s\b|sec|second)", re.IGNORECASE)


def seconds_in(message: str | None) -> Seconds | None:
    """The N of "… try again in N seconds" / "retry after N seconds" (§1 [3p:py], §3 [docs])."""
    match = _SECONDS_IN_TEXT.search(message) if message else None
    return Seconds(match.group(1)) if match else None


def retry_after_of(answer: HttpAnswer, message: str | None) -> Seconds | None:
    """``Retry-After`` / ``X-RateLimit-Reset``, else the "N seconds" of the message (§3)."""
    found = parse_retry_after(answer.headers)
    return found if found is not None else seconds_in(message)


def is_failure(body: Mapping[str, Any]) -> bool:
    """The well-formed failure flags: ``success`` false, or ``err`` true (or 1)."""
    success, err = body.get("success"), body.get("err")
    return success is False or err is True or (type(err) is int and err == 1)


def mistyped_flag(body: Mapping[str, Any]) -> str | None:
    """What is wrong with the envelope's flags, or None: ``success`` must be a bool when there,
    ``err`` a bool or 0/1 (``"false"``, ``null``, ``[]``, ``{}`` are neither yes nor no)."""
    if "success" in body and not isinstance(body["success"], bool):
        return f"success {body['success']!r:.40}"
    err = body.get("err")
    if "err" in body and not (isinstance(err, bool) or (type(err) is int and err in (0, 1))):
        return f"err {err!r:.40}"
    return None


def read_envelope(answer: HttpAnswer, operation: str) -> Any:
    """The ``content`` of a Mannco success envelope; else raises the error the answer means."""
    body = body_of(answer)
    if body is None:
        if answer.status < 300:
            raise TABLE.not_an_envelope(answer, operation, '{"err", "success", "content"}')
        body = {}
    elif answer.status < 400 and (odd := mistyped_flag(body)) is not None:
        # Mannco has sent {"success": null, "content": "Payment processed successfully"}: never
        # read as "refused" (see skinmarkets._errortable).
        what = f"the answer's {odd} is neither true nor false; kept in .raw"
        raise TABLE.not_understood(answer, operation, what)
    elif answer.status < 400 and not is_failure(body):
        if answer.status < 300 and "success" not in body and "content" not in body:
            what = 'the answer has no "success" or "content"; kept in .raw'
            raise TABLE.not_understood(answer, operation, what)
        return body.get("content")  # of a 3xx that is no refusal, the transport decides
    message = message_of(body.get("content"))
    if message is None and isinstance(body.get("message"), str):
        message = body["message"]
    message = scrub(message)[:MESSAGE_MAX] if message is not None else None  # scrubbed, then cut
    raise TABLE.refusal(
        answer, operation, code=message, message=None, said_wait=seconds_in(message)
    )
