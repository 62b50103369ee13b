"""Market TM refusals -> skinmarkets errors, as data.

Sources: ``market-tm-v2-detailed.txt`` / ``market-tm-v2-rust.txt`` ("Possible errors" of each
method) and the refusals seen in practice listed in ``vendor-docs/README.md`` (the language
follows the account's, so Russian and English both appear). Failures usually come as HTTP 200
with ``{"success": false, "error": "..."}``; ``error`` may be a string or a number and a numeric
``code`` sometimes accompanies it; a few methods say ``message`` instead of ``error``. The
envelope readers' common rules: :mod:`skinmarkets._errortable`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._errortable import ErrorClass, ErrorTable, body_of
from skinmarkets._http import HttpAnswer

VENDOR = "market_tm"
_NUMBER = re.compile(r"[0-9]{1,9}")

#: Exact vendor codes / messages (compared case-insensitively).
BY_CODE: Mapping[str | int, ErrorClass] = {
    "Bad KEY": errors.AuthenticationError,  # README: "An unknown or deleted key is refused with `Bad KEY`"
    "bad_key": errors.AuthenticationError,  # README: "(also seen as `bad_key`)"
    "this custom_id exist": errors.DuplicateCustomId,  # rust doc, buy: {"error": "this custom_id exist"}
    "bad_token_inv_closed": errors.TradeError,  # README: buy refusals seen in practice
    "bad_input": errors.InvalidRequest,  # add-to-sale: "bad_input - incorrect parameters"
    "bad_request": errors.InvalidRequest,  # add-to-sale: "Invalid price or not specified at all"
    "inventory_not_loaded": errors.ItemUnavailable,  # add-to-sale: "need to update inventory"
    "item_not_recieved": errors.ItemUnavailable,  # add-to-sale: "need to update inventory"
    "item_not_in_inventory": errors.ItemUnavailable,  # add-to-sale: "The item is not found in the inventory"
    "no_description_found": errors.ServiceUnavailable,  # add-to-sale: "Steam did not return the item description; try again later"
    "item_not_inserted": errors.ServiceUnavailable,  # add-to-sale: "failed to put up for sale"
    "bad_item": errors.ItemUnavailable,  # set-price: "item with this ID is not found"
    "not active offers": errors.TradeError,  # rust doc, trade-ready: {"error": "not active offers"}
    3001: errors.ItemUnavailable,  # trade-request-take: "3001 — nothing to transfer" (withdraw -> [])
    21: errors.TradeError,  # rust doc, buy-for: "The recipient inventory is full", "code": 21
    1001: errors.InvalidRequest,  # rust doc, change-currency: {"error": 1001}
    "invalid_access_token": errors.InvalidRequest,  # rust doc, ping-new: the Steam token, not our key
    "invalid_proxy": errors.InvalidRequest,  # rust doc, get-api-key-via-access-token
    "too early for pong": errors.InvalidRequest,  # README: ping sent sooner than the server allows
}

#: Substrings of the vendor's message (lower-cased), tried in order after the exact codes.
BY_MESSAGE: tuple[tuple[str, ErrorClass], ...] = (
    ("недостаточно средств", errors.InsufficientFunds),  # "Недостаточно средств на счету"
    ("not enough money", errors.InsufficientFunds),  # same refusal on English accounts
    ("insufficient funds", errors.InsufficientFunds),
    ("custom_id exist", errors.DuplicateCustomId),  # "this custom_id exist"
    ("at that price", errors.PriceExceeded),  # "You cannot buy this item at that price…"
    ("someone is already buying", errors.ItemUnavailable),  # "Someone is already buying this item…"
    ("offer has ended", errors.ItemUnavailable),  # "Unfortunately, the offer has ended…"
    ("item search error", errors.ItemUnavailable),  # "Item search error"
    ("not found", errors.ItemUnavailable),
    ("invalid trade link", errors.TradeError),  # "Invalid trade link"
    ("open your inventory", errors.TradeError),  # "First you must open your inventory…"
    ("inventory is full", errors.TradeError),  # buy-for code 21
    ("inv_closed", errors.TradeError),
    ("ошибка сервера", errors.ServiceUnavailable),  # "Ошибка сервера 7" (server error 7)
    ("server error", errors.ServiceUnavailable),
    ("bad key", errors.AuthenticationError),
    ("too many requests", errors.RateLimited),
)

#: HTTP statuses of 4xx answers with no recognisable code.
BY_STATUS: Mapping[int, ErrorClass] = {
    400: errors.InvalidRequest,
    401: errors.AuthenticationError,
    403: errors.AuthenticationError,  # TM answers a refused key with 403 as well as 200
    404: errors.InvalidRequest,
    429: errors.RateLimited,
}

TABLE = ErrorTable(vendor=VENDOR, exact=BY_CODE, substrings=BY_MESSAGE, by_status=BY_STATUS)


def read_envelope(answer: HttpAnswer, operation: str) -> Mapping[str, Any]:
    """The JSON object of a Market TM success; else raises the error the answer means."""
    body: Mapping[str, Any] = body_of(answer) or {}
    success = body.get("success")
    error = body.get("error", body.get("message"))
    if isinstance(error, bool) or not isinstance(error, int | str):
        error = None
    failed = (
        answer.status >= 400
        or success is False
        or (success == 0 and not isinstance(success, str))
        or (error is not None and success is not True)
    )
    if not failed:
        if answer.status < 300 and not isinstance(answer.data, Mapping):
            got = type(answer.data).__name__
            raise TABLE.not_understood(answer, operation, f"expected a JSON object, got {got}")
        return body  # of a 3xx that is no refusal, the transport decides (redirect)
    code = body.get("code")
    if isinstance(code, bool) or not isinstance(code, int):
        code = None
    if code is None and error is not None and _NUMBER.fullmatch(str(error)):
        code = int(error)  # "error": 3001 and "error": "3001" are the same code
    message = None if error is None else str(error)
    raise TABLE.refusal(answer, operation, code=code, message=message)
