"""What the sandbox server sends back: a `Reply`, as JSON (exact Decimals) or as HTML."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["BAD_GATEWAY_HTML", "Reply", "html_reply", "json_reply"]

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


@attrs.frozen
class Reply:
    status: int
    body: bytes
    content_type: str = "application/json"
    headers: Mapping[str, str] = attrs.field(factory=dict)


_NUMBER = re.compile(r'"@@decimal:(-?[0-9.]+)@@"')


def _decimal_marker(value: object) -> str:
    if isinstance(value, Decimal):
        return f"@@decimal:{value}@@"
    raise TypeError(f"not JSON serializable: {value!r}")


def json_reply(data: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Reply:
    """``data`` as JSON; a ``Decimal`` becomes a JSON number written exactly (no float)."""
    text = json.dumps(data, ensure_ascii=False, default=_decimal_marker)
    return Reply(status, _NUMBER.sub(r"\1", text).encode("utf-8"), headers=headers or {})


def html_reply(text: str = BAD_GATEWAY_HTML, status: int = 502) -> Reply:
    return Reply(status, text.encode("utf-8"), "text/html")
