"""SkinsBack refusals -> skinmarkets errors, as data (doc: standard errors, each method's list).

Every answer is ``{"status": "success", …}`` or ``{"status": "error", "error_code": N,
"error_message": "…"}``, usually on HTTP 200; ``"fail"`` is an error too, and a non-2xx body is
read the same way. Negative codes are the same for every method; positive codes mean different
things per method ("the same number means different things in different methods"), so each
method has its own table, looked up by the operation (the ``method`` sent). The message names are
looked up as well, so a code missing from a table is still typed by its name. The envelope
readers' common rules: :mod:`skinmarkets._errortable`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from skinmarkets import errors
from skinmarkets._errortable import MESSAGE_MAX, ErrorClass, ErrorTable, body_of, text_of
from skinmarkets._http import HttpAnswer
from skinmarkets._wire import to_int
from skinmarkets.vendors.skinsback import units

VENDOR = "skinsback"

#: One refusal: its ``error_code``, its ``error_message`` name (None where the doc gives none)
#: and the error class.
Code = tuple[int, str | None, ErrorClass]

#: "Standard (negative) error codes", the same for every method.
STANDARD_CODES: tuple[Code, ...] = (
    (-1, "please_use_post_method", errors.InvalidRequest),  # "request was not POST"
    (-2, "invalid_shopid", errors.AuthenticationError),  # "Client ID not found"
    (-3, "invalid_signature", errors.AuthenticationError),  # "bad sign"
    (-4, "shop_not_active", errors.PermissionDenied),  # "project inactive"
    (-5, "invalid_method", errors.InvalidRequest),  # "unknown method"
    (-6, "market_disabled", errors.ServiceUnavailable),  # "skin market (withdraw) disabled"
    # "API requests limit reached (500/per minute)"
    (-7, "request_limit_reached", errors.RateLimited),
    (-8, "invalid_ip_address", errors.PermissionDenied),  # "specify IP address in merchant panel"
    (-9, "under_maintenance", errors.ServiceUnavailable),  # "Site under maintenance"
    (-10, "invalid_client_secret", errors.AuthenticationError),  # "Invalid X-CLIENT-SECRET header"
)

MARKET_BUY_CODES: tuple[Code, ...] = (
    (1, "missing_name_and_id", errors.InvalidRequest),
    (2, "name_min_length_3", errors.InvalidRequest),
    # the adapter always sends both (from trade_url), so this is a malformed request
    (3, "missing_partner_or_token", errors.InvalidRequest),
    (4, "insufficient_funds", errors.InsufficientFunds),
    (5, "skin_unavailable", errors.ItemUnavailable),
    (6, "skins_not_found_at_specified_price", errors.PriceExceeded),
    (7, "custom_id_already_exists", errors.DuplicateCustomId),
)

#: orderstatus and offer_approve: "order_id_or_transaction_id_missing (1)" … (4).
DEPOSIT_LOOKUP_CODES: tuple[Code, ...] = (
    (1, "order_id_or_transaction_id_missing", errors.InvalidRequest),
    (2, "invalid_order_id", errors.InvalidRequest),
    (3, "invalid_transaction_id", errors.InvalidRequest),
    (4, "transaction_not_found", errors.InvalidRequest),
)

#: Each method's own positive codes.
METHOD_CODES: Mapping[str, tuple[Code, ...]] = {
    "market_search": (
        (1, "name_or_names_required", errors.InvalidRequest),
        (2, "name_min_length_3", errors.InvalidRequest),
    ),
    "market_buy": MARKET_BUY_CODES,
    # The same reasons as market_buy ("insufficient_funds (4)" … "custom_id_already_exists (7)").
    "market_batch_buy": tuple(code for code in MARKET_BUY_CODES if code[0] >= 3),
    "market_getinfo": (
        (1, "missing_one_of_required_params", errors.InvalidRequest),
        (2, "offer_not_found", errors.ItemUnavailable),  # "Skin purchase not found"
    ),
    "market_history": ((1, "missing_starting_or_ending", errors.InvalidRequest),),
    "create": (
        (1, "invalid_order_id", errors.InvalidRequest),
        (2, "invalid_steam_id", errors.InvalidRequest),
        (5, "order_id_already_exists", errors.DuplicateCustomId),
        (7, None, errors.InvalidRequest),  # bad max value
        (8, None, errors.InvalidRequest),  # bad currency
    ),
    "orderstatus": DEPOSIT_LOOKUP_CODES,
    "offer_approve": (
        *DEPOSIT_LOOKUP_CODES,
        (5, "offer_already_approved_or_canceled", errors.InvalidRequest),
    ),
}

#: error_message names seen without a code (SDKs, integrations).
OTHER_NAMES: Mapping[str | int, ErrorClass] = {
    "missing_name": errors.InvalidRequest,  # market_search 1 (older SDK name)
    "invalid_partner_value": errors.TradeError,  # a PHP integration (code unknown)
    "missing_buy_id": errors.InvalidRequest,  # market_getinfo 1 (SDK name)
    "invalid_trade_token": errors.TradeError,  # create (code unknown)
    "min_amount_requires_currency": errors.InvalidRequest,  # create (code unknown)
    "deposit_amount_less_minimum": errors.InvalidRequest,  # create_from_user_inventory
}

#: The standard codes, each method's codes, and the error_message names whatever their number.
STANDARD: Mapping[str | int, ErrorClass] = {code: cls for code, _, cls in STANDARD_CODES}
BY_METHOD: Mapping[str, Mapping[str | int, ErrorClass]] = {
    method: {code: cls for code, _, cls in codes} for method, codes in METHOD_CODES.items()
}
BY_NAME: Mapping[str | int, ErrorClass] = {
    **{
        name: cls
        for codes in (STANDARD_CODES, *METHOD_CODES.values())
        for _, name, cls in codes
        if name is not None
    },
    **OTHER_NAMES,
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
    if not isinstance(code, str):
        return None
    if len(code) < 12:
        with contextlib.suppress(TypeError):  # no whole number ("²", "--5"): a string code
            return to_int(code)
    return code[:MESSAGE_MAX]


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
    failed = isinstance(status, str) and status in FAILURE_STATUSES  # a list or dict: no flag
    if answer.status < 300 and not failed and nothing_said:
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
