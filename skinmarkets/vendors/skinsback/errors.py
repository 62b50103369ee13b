"""SkinsBack refusals -> skinmarkets errors, as data (doc: standard errors, each method's list).

Every answer is ``{"status": "success", …}`` or ``{"status": "error", "error_code": N,
"error_message": "…"}``, usually on HTTP 200; ``"fail"`` is an error too, and a non-2xx body is
read the same way. Negative codes are the same for every method; positive codes mean different
things per method ("the same number means different things in different methods"), so each
method has its own table, looked up by the operation (the ``method`` sent). The message names are
looked up as well, so a code missing from a table is still typed by its name.
:func:`read_envelope` is the one reader of that envelope: the success body, or the error raised.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._errortable import MESSAGE_MAX, ErrorClass, ErrorTable, body_of, text_of
from skinmarkets._http import HttpAnswer
from skinmarkets.vendors.skinsback import units

VENDOR = "skinsback"

#: "Standard (negative) error codes", the same for every method.
STANDARD: Mapping[str | int, ErrorClass] = {
    -1: errors.InvalidRequest,  # please_use_post_method "request was not POST"
    -2: errors.AuthenticationError,  # invalid_shopid "Client ID not found"
    -3: errors.AuthenticationError,  # invalid_signature "bad sign"
    -4: errors.PermissionDenied,  # shop_not_active "project inactive"
    -5: errors.InvalidRequest,  # invalid_method "unknown method"
    -6: errors.ServiceUnavailable,  # market_disabled "skin market (withdraw) disabled"
    -7: errors.RateLimited,  # request_limit_reached "API requests limit reached (500/per minute)"
    -8: errors.PermissionDenied,  # invalid_ip_address "specify IP address in merchant panel"
    -9: errors.ServiceUnavailable,  # under_maintenance "Site under maintenance"
    -10: errors.AuthenticationError,  # invalid_client_secret "Invalid X-CLIENT-SECRET header"
}

#: The error_message names, whatever their number (standard and per-method lists).
BY_NAME: Mapping[str | int, ErrorClass] = {
    "please_use_post_method": errors.InvalidRequest,
    "invalid_shopid": errors.AuthenticationError,
    "invalid_signature": errors.AuthenticationError,
    "shop_not_active": errors.PermissionDenied,
    "invalid_method": errors.InvalidRequest,
    "market_disabled": errors.ServiceUnavailable,
    "request_limit_reached": errors.RateLimited,
    "invalid_ip_address": errors.PermissionDenied,
    "under_maintenance": errors.ServiceUnavailable,
    "invalid_client_secret": errors.AuthenticationError,
    "missing_name_and_id": errors.InvalidRequest,  # market_buy 1
    "name_or_names_required": errors.InvalidRequest,  # market_search 1
    "missing_name": errors.InvalidRequest,  # market_search 1 (older SDK name)
    "name_min_length_3": errors.InvalidRequest,  # market_search/market_buy 2
    # market_buy 3: the adapter always sends both (from trade_url), so this is a malformed request.
    "missing_partner_or_token": errors.InvalidRequest,
    "invalid_partner_value": errors.TradeError,  # a PHP integration (code unknown)
    "insufficient_funds": errors.InsufficientFunds,  # market_buy 4
    "skin_unavailable": errors.ItemUnavailable,  # market_buy 5
    "skins_not_found_at_specified_price": errors.PriceExceeded,  # market_buy 6
    "custom_id_already_exists": errors.DuplicateCustomId,  # market_buy 7
    "missing_one_of_required_params": errors.InvalidRequest,  # market_getinfo 1
    "missing_buy_id": errors.InvalidRequest,  # market_getinfo 1 (SDK name)
    "offer_not_found": errors.ItemUnavailable,  # market_getinfo 2 "Skin purchase not found"
    "missing_starting_or_ending": errors.InvalidRequest,  # market_history (code not visible)
    "invalid_order_id": errors.InvalidRequest,  # create 1, orderstatus/offer_approve 2
    "invalid_steam_id": errors.InvalidRequest,  # create 2
    "order_id_already_exists": errors.DuplicateCustomId,  # create 5
    "invalid_trade_token": errors.TradeError,  # create (code unknown)
    "min_amount_requires_currency": errors.InvalidRequest,  # create (code unknown)
    "order_id_or_transaction_id_missing": errors.InvalidRequest,  # orderstatus/offer_approve 1
    "invalid_transaction_id": errors.InvalidRequest,  # orderstatus/offer_approve 3
    "transaction_not_found": errors.InvalidRequest,  # orderstatus/offer_approve 4
    "offer_already_approved_or_canceled": errors.InvalidRequest,  # offer_approve 5
    "deposit_amount_less_minimum": errors.InvalidRequest,  # create_from_user_inventory
}

#: Each method's own positive codes.
BY_METHOD: Mapping[str, Mapping[str | int, ErrorClass]] = {
    "market_search": {
        1: errors.InvalidRequest,  # name_or_names_required
        2: errors.InvalidRequest,  # name_min_length_3
    },
    "market_buy": {
        1: errors.InvalidRequest,  # missing_name_and_id
        2: errors.InvalidRequest,  # name_min_length_3
        3: errors.InvalidRequest,  # missing_partner_or_token
        4: errors.InsufficientFunds,  # insufficient_funds
        5: errors.ItemUnavailable,  # skin_unavailable
        6: errors.PriceExceeded,  # skins_not_found_at_specified_price
        7: errors.DuplicateCustomId,  # custom_id_already_exists
    },
    "market_batch_buy": {
        # The same reasons as market_buy ("insufficient_funds (4)" … "custom_id_already_exists (7)").
        3: errors.InvalidRequest,  # missing_partner_or_token
        4: errors.InsufficientFunds,
        5: errors.ItemUnavailable,
        6: errors.PriceExceeded,
        7: errors.DuplicateCustomId,
    },
    "market_getinfo": {
        1: errors.InvalidRequest,  # missing_one_of_required_params
        2: errors.ItemUnavailable,  # offer_not_found "Skin purchase not found"
    },
    "market_history": {
        1: errors.InvalidRequest,  # missing_starting_or_ending
    },
    "create": {
        1: errors.InvalidRequest,  # invalid_order_id
        2: errors.InvalidRequest,  # invalid_steam_id
        5: errors.DuplicateCustomId,  # order_id_already_exists
        7: errors.InvalidRequest,  # bad max value
        8: errors.InvalidRequest,  # bad currency
    },
    "orderstatus": {
        1: errors.InvalidRequest,  # order_id_or_transaction_id_missing
        2: errors.InvalidRequest,  # invalid_order_id
        3: errors.InvalidRequest,  # invalid_transaction_id
        4: errors.InvalidRequest,  # transaction_not_found
    },
    "offer_approve": {
        1: errors.InvalidRequest,  # order_id_or_transaction_id_missing
        2: errors.InvalidRequest,  # invalid_order_id
        3: errors.InvalidRequest,  # invalid_transaction_id
        4: errors.InvalidRequest,  # transaction_not_found
        5: errors.InvalidRequest,  # offer_already_approved_or_canceled
    },
}

#: Methods whose ``status`` is the deposit's own state ("success", "pending", "fail", "in_hold",
#: …), not the envelope's: only an ``error_code`` (or ``"status": "error"``) is a refusal.
STATUS_IS_DATA = frozenset({"orderstatus"})

#: HTTP statuses of bodies without an error code (the docs say errors come on HTTP 200).
BY_HTTP_STATUS: Mapping[int, ErrorClass] = {
    400: errors.InvalidRequest,
    401: errors.AuthenticationError,
    403: errors.AuthenticationError,
    404: errors.InvalidRequest,
    405: errors.InvalidRequest,  # "-1 please_use_post_method" as a bare status
    429: errors.RateLimited,
}


def _table(method: str) -> ErrorTable:
    exact: dict[str | int, ErrorClass] = {**BY_NAME, **STANDARD, **BY_METHOD.get(method, {})}
    return ErrorTable(vendor=VENDOR, exact=exact, by_status=BY_HTTP_STATUS)


TABLES: Mapping[str, ErrorTable] = {m: _table(m) for m in (*BY_METHOD, "")}

#: The ``status`` values that say failure ("error", and "fail" seen in the wild).
FAILURE_STATUSES = frozenset({"error", "fail"})


def table_for(method: str) -> ErrorTable:
    """The error table of one API method (the standard codes and names for any other)."""
    return TABLES.get(method, TABLES[""])


def _code(body: Mapping[str, Any]) -> str | int | None:
    code = body.get("error_code")
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.strip().lstrip("-").isdigit() and len(code) < 12:
        return int(code)
    return code[:MESSAGE_MAX] if isinstance(code, str) else None


def refusal(
    operation: str,
    *,
    code: str | int | None,
    message: str | None,
    http_status: int | None = None,
    raw: Any = None,
) -> errors.SkinMarketsError:
    """The typed error for one refusal of ``operation`` (also per item of a batch)."""
    return table_for(operation).error(
        operation=operation, code=code, message=message, http_status=http_status, raw=raw
    )


def read_envelope(answer: HttpAnswer, operation: str) -> Mapping[str, Any]:
    """The body of a SkinsBack success (``status: success``); else raises the error it means."""
    table = table_for(operation)
    body = body_of(answer)
    if body is None:
        if answer.status < 300:
            raise table.not_an_envelope(answer, operation, '{"status": …}')
        body = {}
    status = body.get("status")
    code, message = _code(body), text_of(body.get("error_message"))
    nothing_said = code is None and message is None
    if answer.status < 300 and (
        status == units.STATUS_SUCCESS
        or (operation in STATUS_IS_DATA and status != "error" and body.get("error_code") is None)
    ):
        return body
    if answer.status < 300 and status not in FAILURE_STATUSES and nothing_said:
        # No failure flag, code or message: neither a success nor a well-formed refusal (see
        # skinmarkets._errortable).
        what = (
            f"the answer's status {status!r:.40} is neither "
            f"{units.STATUS_SUCCESS!r} nor a failure; kept in .raw"
        )
        raise table.not_understood(answer, operation, what)
    if nothing_said and isinstance(status, str) and status != "error":
        message = status[:MESSAGE_MAX]  # e.g. "fail" with nothing else said
    raise table.refusal(answer, operation, code=code, message=message)
