"""Reading a SkinsBack request body the way the server does: PHP form arrays and the signature.

Kept independent of the package (its own HMAC), so tests check the adapter against the published
algorithm rather than against itself.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

_ITEM_KEY = re.compile(r"([a-z_]+)\[(\d+)\]\[([a-z_]+)\]")


def php_form(body: bytes | str | None) -> dict[str, Any]:
    """The form as PHP's ``$_POST`` would hold it: ``a[]`` -> list, ``a[0][k]`` -> list of dicts."""
    text = body.decode("utf-8") if isinstance(body, bytes) else (body or "")
    result: dict[str, Any] = {}
    nested: dict[str, dict[int, dict[str, str]]] = {}
    for key, value in parse_qsl(text, keep_blank_values=True):
        if key.endswith("[]"):
            result.setdefault(key[:-2], []).append(value)
        elif (match := _ITEM_KEY.fullmatch(key)) is not None:
            name, index, field = match.groups()
            nested.setdefault(name, {}).setdefault(int(index), {})[field] = value
        else:
            result[key] = value
    for name, rows in nested.items():
        result[name] = [rows[i] for i in sorted(rows)]
    return result


def expected_sign(form: Mapping[str, Any], secret: str) -> str:
    """The server's own ``sign``: HMAC-SHA1 over sorted ``key:value;`` of the scalar fields."""
    message = "".join(
        f"{key}:{form[key]};"
        for key in sorted(form)
        if key != "sign" and isinstance(form[key], str)
    )
    return hmac.new(secret.encode(), message.encode(), hashlib.sha1).hexdigest()


def signed_by(form: Mapping[str, Any], client_id: str, secret: str) -> bool:
    """True when ``form`` carries ``shopid`` = ``client_id`` and a valid ``sign``."""
    sign = form.get("sign")
    return (
        form.get("shopid") == client_id
        and isinstance(sign, str)
        and hmac.compare_digest(sign, expected_sign(form, secret))
    )


def unsigned(form: Mapping[str, Any]) -> dict[str, Any]:
    """``form`` without the auth fields (what a fixture's ``request.form`` lists)."""
    return {k: v for k, v in form.items() if k not in ("shopid", "sign")}
