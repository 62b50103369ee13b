"""HttpAnswer: what the vendor sent back, read and decoded; ``Retry-After`` parsing.

JSON is decoded with ``parse_float=Decimal``: no float is ever made from a vendor's number.

Secrets: the decoded ``data`` a client reads is scrubbed of the registered credentials (an
echoed API key becomes ``***``), but keeps what a client reads back, such as a token the vendor
issues; ``raw``, what an error keeps, is scrubbed of every secret and sensitive name (rules in
:mod:`skinmarkets._secret`).
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import requests

from skinmarkets._gc import gc_paused
from skinmarkets._http.deadline import Deadline
from skinmarkets._secret import may_hold_secret, scrub_data, scrub_raw

__all__ = ["LARGE_BODY", "HttpAnswer", "decode_json", "parse_retry_after"]


@attrs.frozen
class HttpAnswer:
    """What the vendor sent back: status, headers, the decoded JSON (or None), the text, and
    the ``payload`` the vendor's envelope reader made of it (set by ``Transport``)."""

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    data: Any = attrs.field(repr=False)
    text: str = attrs.field(repr=False)
    is_json: bool
    payload: Any = attrs.field(default=None, repr=False)

    @property
    def raw(self) -> Any:
        """The body to keep on an error: the JSON when there is one, else the text; scrubbed of
        every secret, and of the values under sensitive names (``jwt``, ``token`` ...)."""
        return scrub_raw(self.data if self.is_json else self.text[:2000])


#: Bodies at least this long are decoded with the cyclic collector paused (see ``_gc``).
LARGE_BODY = 1 << 20


def decode_json(text: str) -> Any:
    """Vendor JSON with every non-integer number as ``Decimal``: no float is ever made."""
    if len(text) < LARGE_BODY:
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)
    with gc_paused():
        return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name} in JSON")


#: Bytes read per step from a streamed body: requests' own ``content`` reads 10 KiB at a time,
#: about 1,300 Python-level steps for a 13 MB price export.
_READ_CHUNK = 1 << 20


#: The ``charset`` parameter of a Content-Type header.
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)


def _answer_from(
    response: requests.Response, deadline: Deadline | None = None, owner: str | None = None
) -> HttpAnswer:
    """Read the (streamed) body and decode it; a cut-off body raises a ``RequestException``.

    The body is decoded with the charset the Content-Type names, else as UTF-8 (RFC 8259 JSON).
    Not requests' rule: it reads ``text/html`` without a charset as ISO-8859-1, which garbles
    names like "★ Karambit" from a PHP backend, and with no Content-Type it guesses by scanning
    the whole body, which takes seconds on a large price export.

    ``deadline`` is checked between chunks (``DeadlinePassed``); a read that blocks inside a
    chunk is cut off by the deadline's watchdog instead (see :mod:`.deadline`). ``owner``: the
    vendor that answered, whose credentials the data is searched for (``may_hold_secret``).
    """
    chunks: list[bytes] = []
    for chunk in response.iter_content(_READ_CHUNK):
        chunks.append(chunk)
        if deadline is not None:
            deadline.check()
    body = b"".join(chunks)
    named = _CHARSET.search(response.headers.get("Content-Type", ""))
    try:
        text = body.decode(named.group(1) if named else "utf-8", errors="replace")
    except LookupError:  # a charset label Python does not know
        text = body.decode("utf-8", errors="replace")
    data: Any = None
    is_json = False
    if text and not text.isspace():
        try:
            data = decode_json(text)
            is_json = True
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            pass
    if is_json and may_hold_secret(text, owner):  # the quick test spares a large answer the walk
        data = scrub_data(data)
    return HttpAnswer(
        status=response.status_code,
        headers=dict(response.headers),
        data=data,
        text=text,
        is_json=is_json,
    )


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<") or "<html" in head


#: A plausible number of seconds (or an epoch time in ms); longer digit strings are ignored, as
#: they would parse to inf and stall the limiter.
_SECONDS = re.compile(r"\d{1,14}(\.\d{1,6})?")


def parse_retry_after(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> float | None:  # float ok: seconds
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``X-RateLimit-Reset``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get("retry-after")
    if value is not None:
        value = value.strip()
        if _SECONDS.fullmatch(value):
            return float(value)  # float ok: seconds
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now())
    reset = lowered.get("x-ratelimit-reset")
    if reset is not None and _SECONDS.fullmatch(reset.strip()):
        number = float(reset)  # float ok: seconds
        # Vendors send either seconds from now or an epoch time (seconds or milliseconds).
        if number > 1e12:
            number /= 1000
        return max(0.0, number - now()) if number > 1e9 else number
    return None
