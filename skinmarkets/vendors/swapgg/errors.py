"""swap.gg refusals -> skinmarkets errors, as data (vendor doc: 'Status Codes', 'Response Codes').

Every answer is an envelope ``{"time", "status", "result", "pagination"?, "error"?}``; anything
but ``"status": "OK"`` is a failure, whatever the HTTP status. The status string decides first,
then the HTTP status (for bodies without one: HTML pages, bare 4xx). The ``error`` object ("usually
present when status is INVALID_INPUT") has no documented shape; its text is kept as the message.
The envelope readers' common rules: :mod:`skinmarkets._errortable`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._errortable import MESSAGE_MAX, ErrorClass, ErrorTable, body_of, text_of
from skinmarkets._http import HttpAnswer, scrub
from skinmarkets.vendors.swapgg import units

VENDOR = "swapgg"

#: The doc's whole 'Status Codes' table ("OK — Everything is ok." is the success).
BY_STATUS_STRING: Mapping[str | int, ErrorClass] = {
    "INTERNAL_ERROR": errors.ServiceUnavailable,  # "Error on our side."
    "DATABASE_ERROR": errors.ServiceUnavailable,  # "Unable to connect to database."
    "STEAM_ERROR": errors.ServiceUnavailable,  # "Unable to connect to the Steam network."
    "PAYMENT_ERROR": errors.APIError,  # "Unable to create payment." (cause not said: not retried blindly)
    "BOT_UNAVAILABLE": errors.ServiceUnavailable,  # "Bot required to complete operation is currently unavailable."
    "TEMPORARILY_DISABLED": errors.ServiceUnavailable,  # "This operation is currently temporarily disabled, please try again later."
    "INVALID_INPUT": errors.InvalidRequest,  # "Malformed request."
    "NOT_AUTHENTICATED": errors.AuthenticationError,  # "You are not authenticated."
    "INSUFFICIENT_BALANCE": errors.InsufficientFunds,  # "You don't have enough funds to complete this operation."
    "INVALID_TRADELINK": errors.TradeError,  # "Invalid trade link has been set under your account."
    "INVALID_TWOFACTOR": errors.AuthenticationError,  # "Two Factor token provided is invalid."
    "INVALID_STATE": errors.InvalidRequest,  # "Unable to complete operation due to invalid state of object."
    "EMAIL_ADDRESS_REQUIRED": errors.PermissionDenied,  # "No email address has been set under your account."
    "ACCOUNT_LOCKED": errors.PermissionDenied,  # "Your account has been locked, create a support ticket for more information."
    "PAYMENT_LIMIT_REACHED": errors.PermissionDenied,  # "You have reached your limit for that specific payment method."
    "RESTRICTED_ACCOUNT": errors.PermissionDenied,  # "Your account does not have the required information (email address, billing information completed)."
    "PENDING_TRADE_OFFER": errors.TradeError,  # "You already have a pending Steam trade offer."
    "PENDING_PAYOUT": errors.APIError,  # "You already have a pending payout request."
    "MAXIMUM_CART_ITEMS": errors.InvalidRequest,  # "Maximum cart items. Your cart is full."
    "SECURITY_BLOCK": errors.PermissionDenied,  # "For security reasons we cannot process this operation."
    "MAX_PRICE_LIMIT": errors.InvalidRequest,  # "The prices you tried to set for an item is too high." (selling, not a buy cap)
    "CODE_NOT_FOUND": errors.InvalidRequest,  # "Gift code not found."
    "TICKET_NOT_FOUND": errors.InvalidRequest,  # "Ticket not found."
    "NO_ITEMS_FOUND": errors.ItemUnavailable,  # "Items requested are not available."
    "INVALID_API_KEY": errors.AuthenticationError,  # "The API key you supplied is invalid."
    "TWOFACTOR_INPUT": errors.AuthenticationError,  # "This operation requires your current two factor authentication token."
    "RATE_LIMIT": errors.RateLimited,  # "You have been doing that action too frequently, try again later."
}

#: Statuses that, answering any write, do not prove that nothing happened: the server failed
#: somewhere inside the operation ("Error on our side", "Unable to connect to database"). Every
#: write flow treats them like a lost answer (``Adapter.ambiguous_codes``: looked up, else
#: OutcomeUnknown): a buy, a sale, a reprice or delist, a withdrawal, a payout.
AMBIGUOUS_AFTER_WRITE = frozenset({"INTERNAL_ERROR", "DATABASE_ERROR"})

#: HTTP statuses ('Response Codes') of answers without a status string.
BY_HTTP_STATUS: Mapping[int, ErrorClass] = {
    400: errors.InvalidRequest,  # "Bad request - Server cannot process the request due to malformed syntax…"
    401: errors.AuthenticationError,  # "Unauthorized - Your API key token is incorrect."
    # "Forbidden - You do not have permission to perform the requested action." Without a status
    # string this is how swap.gg refuses a key that may not use the API: check the key.
    403: errors.AuthenticationError,
    404: errors.InvalidRequest,  # "Not Found - The resource requested could not be found."
    405: errors.InvalidRequest,  # "Method Not Allowed - The method of your request is incorrect."
    406: errors.InvalidRequest,  # "Not Acceptable - You supplied or requested an incorrect Content-Type."
    410: errors.ItemUnavailable,  # "Gone - The requested resource is no longer available."
    422: errors.InvalidRequest,  # "Unprocessable Entity - … unable to be followed due to semantic errors."
    429: errors.RateLimited,  # "Too Many Requests - … inspect headers for reset time."
}

TABLE = ErrorTable(vendor=VENDOR, exact=BY_STATUS_STRING, by_status=BY_HTTP_STATUS)

#: The form of a status code ("OK", "INSUFFICIENT_BALANCE"…): a new code of this form is a
#: refusal nobody mapped yet; anything else ("", "a b", a number) is not understood.
_CODE = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{0,63}")
#: Words that are a garbled flag, not a code: never read as a refusal.
_NOT_CODES = frozenset({"false", "true", "null", "none", "nil", "undefined", "ok", "success"})


def _is_code(status: str) -> bool:
    return status == units.STATUS_OK or (
        bool(_CODE.fullmatch(status)) and status.lower() not in _NOT_CODES
    )


def _message(body: Mapping[str, Any]) -> str | None:
    """The ``error`` object's text (undocumented shape), or None."""
    error = body.get("error")
    if isinstance(error, str):
        return text_of(error)
    if isinstance(error, Mapping) and error:
        for key in ("message", "reason"):
            if isinstance(error.get(key), str):
                return scrub(str(error[key]))[:MESSAGE_MAX]  # scrubbed, then cut
        try:
            return scrub(json.dumps(error, default=str, ensure_ascii=False))[:MESSAGE_MAX]
        except (TypeError, ValueError, RecursionError):
            return None
    return None


def read_envelope(answer: HttpAnswer, operation: str) -> Mapping[str, Any]:
    """The whole ``{"status": "OK", …}`` envelope of a swap.gg success (``{}`` for 204 No
    Content): paging needs ``pagination`` beside ``result``. Else raises the error it means."""
    body = body_of(answer)
    status = body.get("status") if body is not None else None
    if not isinstance(status, str):
        status = None
    if body is not None and answer.status < 300 and status == units.STATUS_OK:
        return body
    if answer.status == 204 and not answer.text.strip():
        return {}  # "204 No Content - Request was successful and there was no data"
    if answer.status < 300 and (body is None or status is None or not _is_code(status)):
        # No status code: neither a success nor a well-formed refusal ({}, null, [], "false",
        # "ok"): never read as "refused" (see skinmarkets._errortable).
        got = None if body is None else f"status {body.get('status')!r}"
        raise TABLE.not_an_envelope(answer, operation, '{"status": …}', got)
    message = _message(body) if body is not None else None
    raise TABLE.refusal(answer, operation, code=status, message=message)
