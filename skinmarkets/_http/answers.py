"""HttpAnswer: what the vendor sent back, read and decoded; ``Retry-After`` parsing.

JSON is decoded with ``parse_float=Decimal``: no float is ever made from a vendor's number.
With the ``fast`` extra installed (msgspec), it is decoded by msgspec's C decoder with the same
result (see :func:`decode_json`).

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
from skinmarkets._seconds import Seconds
from skinmarkets._secret import may_hold_secret, scrub_data, scrub_raw

__all__ = ["LARGE_BODY", "FastDecode", "HttpAnswer", "decode_json", "parse_retry_after"]

#: A vendor's own reader of one answer's JSON body, tried before :func:`decode_json`: the
#: decoded data for a shape it knows (its result is the answer's ``data``), or None to leave the
#: body to :func:`decode_json`. Used only on UTF-8 bodies that cannot hold a credential (what
#: it makes is not scrubbed), so it must never make what ``decode_json`` would not accept.
FastDecode = Callable[[bytes], Any]


@attrs.frozen
class HttpAnswer:
    """What the vendor sent back: status, headers, the decoded JSON (or None), the text, and
    the ``payload`` the vendor's envelope reader made of it (set by ``Transport``).

    ``text`` is the body decoded with its charset; made from ``body`` when first read when not
    given (a large JSON answer is decoded from its bytes, and its text is rarely needed).
    """

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    data: Any = attrs.field(repr=False)
    _text: str | None = attrs.field(repr=False, alias="text")
    is_json: bool
    payload: Any = attrs.field(default=None, repr=False)
    _body: bytes = attrs.field(default=b"", repr=False, alias="body")
    _charset: str = attrs.field(default="utf-8", repr=False, alias="charset")

    @property
    def text(self) -> str:
        """The body as text (decoded with the charset the Content-Type names, else UTF-8)."""
        text = self._text
        if text is None:
            text = _decoded(self._body, self._charset)
            object.__setattr__(self, "_text", text)  # a cache of what the fields hold
        return text

    @property
    def raw(self) -> Any:
        """The body to keep on an error: the JSON when there is one, else the text; scrubbed of
        every secret, and of the values under sensitive names (``jwt``, ``token`` ...)."""
        if self.is_json:
            return scrub_raw(self.data)
        # Scrubbed before it is cut: a secret astride the cut would leave its first characters.
        return scrub_raw(self.text)[:_RAW_TEXT_KEPT]


#: How much of a body that is not JSON an error keeps in ``raw``.
_RAW_TEXT_KEPT = 2000


def _decoded(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset, errors="replace")
    # LookupError: a charset label Python does not know; ValueError (UnicodeError): a codec
    # that refuses errors="replace" or always fails ("idna", "punycode", "undefined"), or a
    # label Python cannot even look up (an embedded NUL)
    except (LookupError, ValueError):
        return body.decode("utf-8", errors="replace")


#: Bodies at least this long are decoded with the cyclic collector paused (see ``_gc``).
LARGE_BODY = 1 << 20


def decode_json(text: str | bytes) -> Any:
    """Vendor JSON with every non-integer number as ``Decimal``: no float is ever made.

    ``text`` as a string, or as UTF-8 bytes (read as ``bytes.decode("utf-8", "replace")``
    would: an undecodable byte becomes U+FFFD, as a text from ``_answer_from`` has it).

    ``ValueError`` (or ``RecursionError``) when ``text`` is not JSON; ``NaN`` and ``Infinity``
    are not JSON here. Large bodies are decoded with the collector paused (see ``_gc``).

    With msgspec installed (the ``fast`` extra), a text is first decoded by msgspec, each
    non-integer number handed to ``Decimal`` as written (``"0.10"`` stays ``Decimal("0.10")``):
    the same dicts, lists, strings, ints, Decimals, bools and Nones ``json.loads`` makes, about
    twice as fast on a large price list. Whatever msgspec refuses is decoded again by
    ``json.loads``, so what is accepted, and the error for what is not, stay the stdlib's.
    """
    if len(text) < LARGE_BODY:
        return _decode(text)
    with gc_paused():
        return _decode(text)


def _decode_stdlib(text: str | bytes) -> Any:
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    return json.loads(text, parse_float=Decimal, parse_constant=_reject_constant)


def _decoder() -> Callable[[str | bytes], Any]:
    """msgspec's decoder falling back to the stdlib's, or the stdlib's alone without msgspec."""
    try:
        import msgspec
    except ImportError:
        return _decode_stdlib
    fast = msgspec.json.Decoder(float_hook=Decimal).decode
    refused = (msgspec.DecodeError, ValueError)  # UnicodeEncodeError: a lone surrogate

    def decode(text: str | bytes) -> Any:
        try:
            return fast(text)
        except refused:
            return _decode_stdlib(text)

    return decode


_decode = _decoder()


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-finite number {name} in JSON")


#: Bytes read per step from a streamed body: requests' own ``content`` reads 10 KiB at a time,
#: about 1,300 Python-level steps for a 13 MB price export.
_READ_CHUNK = 1 << 20


#: The ``charset`` parameter of a Content-Type header.
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)", re.IGNORECASE)


def _answer_from(
    response: requests.Response,
    deadline: Deadline | None = None,
    owner: str | None = None,
    decode: FastDecode | None = None,
) -> HttpAnswer:
    """Read the (streamed) body and decode it; a cut-off body raises a ``RequestException``.

    The body is decoded with the charset the Content-Type names, else as UTF-8 (RFC 8259 JSON).
    Not requests' rule: it reads ``text/html`` without a charset as ISO-8859-1, which garbles
    names like "★ Karambit" from a PHP backend, and with no Content-Type it guesses by scanning
    the whole body, which takes seconds on a large price export.

    ``deadline`` is checked between chunks (``DeadlinePassed``); a read that blocks inside a
    chunk is cut off by the deadline's watchdog instead (see :mod:`.deadline`). ``owner``: the
    vendor that answered, whose credentials the data is searched for (``may_hold_secret``).
    ``decode``: the vendor's faster reader of this body (:data:`FastDecode`), tried first on a
    UTF-8 body that holds no credential.
    """
    chunks: list[bytes] = []
    for chunk in response.iter_content(_READ_CHUNK):
        chunks.append(chunk)
        if deadline is not None:
            deadline.check()
    body = b"".join(chunks)
    named = _CHARSET.search(response.headers.get("Content-Type", ""))
    charset = named.group(1) if named else "utf-8"
    # A UTF-8 body is searched and decoded from its bytes: its text is made only if read.
    utf8 = _is_utf8(charset)
    text = None if utf8 else _decoded(body, charset)
    data: Any = None
    is_json = False
    secret = may_hold_secret(body if text is None else text, owner)  # spares a walk
    if decode is not None and utf8 and not secret:
        data = decode(body)
        is_json = data is not None
    if not is_json and (body if text is None else text).strip():
        try:
            data = decode_json(body if text is None else text)
            is_json = True
        except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
            pass
    if is_json and secret:
        data = scrub_data(data)
    return HttpAnswer(
        status=response.status_code,
        headers=dict(response.headers),
        data=data,
        text=text,
        is_json=is_json,
        body=body,
        charset=charset,
    )


def _is_utf8(charset: str) -> bool:
    return charset.lower().replace("_", "-") in ("utf-8", "utf8")


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:200].lower()
    return head.startswith("<") or "<html" in head


#: A plausible number of seconds (or an epoch time in ms); longer digit strings are ignored, as
#: they would parse to inf and stall the limiter.
_SECONDS = re.compile(r"\d{1,14}(\.\d{1,6})?")


def parse_retry_after(
    headers: Mapping[str, str], *, now: Callable[[], float] = time.time
) -> Seconds | None:
    """Seconds to wait from ``Retry-After`` (seconds or HTTP date) or ``X-RateLimit-Reset``."""
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get("retry-after")
    if value is not None:
        value = value.strip()
        if _SECONDS.fullmatch(value):
            return Seconds(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, OverflowError):  # Overflow: a garbled date's huge field
            when = None
        if when is not None and when.tzinfo is not None:
            return max(0.0, when.timestamp() - now())
    reset = lowered.get("x-ratelimit-reset")
    if reset is not None and _SECONDS.fullmatch(reset.strip()):
        number = Seconds(reset)
        # Vendors send either seconds from now or an epoch time (seconds or milliseconds).
        if number > 1e12:
            number /= 1000
        return max(0.0, number - now()) if number > 1e9 else number
    return None
