"""Transport: the only module that imports ``requests``.

It owns, for one market object: the ``requests.Session``, the auth object, timeouts, the shared
rate limiter, retries of reads, JSON decoding with ``parse_float=Decimal``, redaction of secrets
in logs and errors, and the translation of every ``requests``/``urllib3`` failure into the
:mod:`skinmarkets.errors` tree.

Why writes are never retried: a purchase whose answer was lost may have happened. A write that
may have reached the vendor without a usable answer (read timeout, connection dropped after
sending, HTTP 5xx, a body that is not JSON) raises ``OutcomeUnknown`` here; the adapter then
looks the purchase up by its ``custom_id`` and either returns it or re-raises. A redirect is
never followed and counts as no usable answer for a write (a 303 after a POST can mean "done");
for a read it is an ``APIError``. A 4xx is the vendor refusing whatever its body (HTML or
text included): the vendor's reader maps it, else it is an ``APIError`` — never retried, and
for a write never ``OutcomeUnknown``.
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import json
import logging
import math
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import parse_qsl, urlencode

import attrs
import requests
import requests.auth
import urllib3.exceptions

from skinmarkets import errors
from skinmarkets._gc import gc_paused
from skinmarkets._ratelimit import SlidingWindowLimiter
from skinmarkets._secret import Secret, register_secret, scrub
from skinmarkets._version import __version__ as _version

__all__ = [
    "DEFAULT_TIMEOUT",
    "BearerTokenAuth",
    "HeaderKeyAuth",
    "HeadersAuth",
    "HttpAnswer",
    "QueryKeyAuth",
    "SkinsbackSignatureAuth",
    "Transport",
    "TransportOptions",
    "register_secret",
    "scrub",
]

DEFAULT_TIMEOUT: tuple[float, float] = (5.0, 20.0)  # float ok: seconds (connect, read)
DEFAULT_MAX_RETRIES = 2
#: A read told to wait longer than this is not retried: the caller gets ``RateLimited``.
MAX_RETRY_AFTER_SECONDS = 60.0  # float ok: seconds
_BACKOFF_INITIAL = 0.5  # float ok: seconds
_BACKOFF_MAX = 8.0  # float ok: seconds

#: Parameter and header names whose values are never logged.
SENSITIVE_NAMES = frozenset(
    {
        "key",
        "api_key",
        "apikey",
        "x-api-key",
        "authorization",
        "token",
        "access_token",
        "sign",
        "secret",
        "client_secret",
        "x-client-secret",
        "pay_pass",
        "password",
        "old_password",
        "new_password",
        "to",
        "steam-api-key",
        "jwt",
        "proxy",
    }
)

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Params = Mapping[str, Any]


# --------------------------------------------------------------------------- redaction


class _RedactingFilter(logging.Filter):
    """Scrubs registered secrets from records of loggers we do not own (urllib3)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


_REDACTING_FILTER = _RedactingFilter()
# A logger's filters see only records made on that very logger, so every module is listed.
for _name in (
    "urllib3",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
    "requests",
):
    logging.getLogger(_name).addFilter(_REDACTING_FILTER)


def redact_params(params: Params | None) -> dict[str, Any]:
    """A copy of ``params`` safe to log: sensitive names masked, secrets scrubbed."""
    if not params:
        return {}
    return {
        k: "***" if k.lower().rstrip("[]") in SENSITIVE_NAMES else _scrub_value(v)
        for k, v in params.items()
    }


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return redact_params(value)
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value


# --------------------------------------------------------------------------- auth


class HeaderKeyAuth(requests.auth.AuthBase):
    """Sends the credential in one header (``X-API-KEY: …``, ``Authorization: …``)."""

    def __init__(self, header: str, secret: Secret) -> None:
        self.header = header
        self._secret = secret
        register_secret(secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers[self.header] = self._secret.reveal()
        return r

    def __repr__(self) -> str:
        return f"HeaderKeyAuth(header={self.header!r}, secret=***)"


class BearerTokenAuth(requests.auth.AuthBase):
    """``Authorization: Bearer <token>`` with a token got from ``login()`` and renewed on demand.

    ``login`` exchanges the long-lived credential for a token (a JWT) and is called on first
    use, by :meth:`refresh` (after the vendor refused the token) and shortly before the token's
    own ``exp`` claim, if it has one. The token is a :class:`Secret`, registered for scrubbing
    like the credential. Whether and when a refused request is sent again is the vendor
    client's decision (it knows which answers mean "token refused"), not this class's.
    """

    def __init__(
        self,
        login: Callable[[], Secret],
        *,
        renew_margin: float = 60.0,  # float ok: seconds
        now: Callable[[], float] = time.time,  # float ok: epoch seconds
    ) -> None:
        self._login = login
        self._renew_margin = renew_margin
        self._now = now
        self._lock = threading.Lock()
        self._token: Secret | None = None
        self._expires: float | None = None  # float ok: epoch seconds
        self.logins = 0

    def token(self) -> Secret:
        """The current token, logging in first when there is none or it is about to expire."""
        with self._lock:
            expires = self._expires
            expired = expires is not None and self._now() >= expires - self._renew_margin
            if self._token is None or expired:
                self._renew()
            assert self._token is not None
            return self._token

    def refresh(self, refused: Secret | None = None) -> Secret:
        """Log in again (the vendor refused ``refused``); a token another thread already
        renewed since is kept instead of logging in twice."""
        with self._lock:
            if self._token is None or refused is None or self._token == refused:
                self._renew()
            assert self._token is not None
            return self._token

    def _renew(self) -> None:
        token = self._login()
        register_secret(token)
        self._token = token
        self._expires = _jwt_expiry(token.reveal())
        self.logins += 1

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = "Bearer " + self.token().reveal()
        return r

    def __repr__(self) -> str:
        return "BearerTokenAuth(token=***)"


def _jwt_expiry(token: str) -> float | None:  # float ok: epoch seconds
    """The ``exp`` claim of a JWT (epoch seconds), or None when it has none or is no JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError, RecursionError):
        return None
    exp = payload.get("exp") if isinstance(payload, dict) else None
    if isinstance(exp, bool) or not isinstance(exp, int | float) or not 0 < exp < 1e11:
        return None
    return float(exp)  # float ok: epoch seconds


class QueryKeyAuth(requests.auth.AuthBase):
    """Sends the credential as a query parameter (only where a vendor accepts nothing else)."""

    def __init__(self, param: str, secret: Secret) -> None:
        self.param = param
        self._secret = secret
        register_secret(secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.prepare_url(r.url, {self.param: self._secret.reveal()})
        return r

    def __repr__(self) -> str:
        return f"QueryKeyAuth(param={self.param!r}, secret=***)"


class HeadersAuth(requests.auth.AuthBase):
    """Sends several credentials, one header each (SkinsBack ``X-CLIENT-ID``/``-SECRET``)."""

    def __init__(self, headers: Mapping[str, Secret]) -> None:
        self._headers = dict(headers)
        for secret in self._headers.values():
            register_secret(secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        for header, secret in self._headers.items():
            r.headers[header] = secret.reveal()
        return r

    def __repr__(self) -> str:
        return f"HeadersAuth(headers={sorted(self._headers)!r}, secrets=***)"


def skinsback_sign(params: Mapping[str, object] | Iterable[tuple[str, object]], secret: str) -> str:
    """SkinsBack's ``sign``: HMAC-SHA1 (hex) over the sorted ``key:value;`` string of the scalars.

    The published algorithm: every parameter but ``sign``; arrays, objects and nulls left out
    (so are PHP array keys such as ``custom_ids[]`` or ``items[0][id]``, which the server reads
    as arrays); sorted by key; ``key:value;`` joined with nothing. Values must be ``str`` (or
    ``int``): a bool or float has no single spelling the server agrees on, so it is refused.
    """
    pairs = params.items() if isinstance(params, Mapping) else params
    scalars: dict[str, str] = {}
    for key, value in pairs:
        if key == "sign" or "[" in key or value is None or isinstance(value, list | tuple | dict):
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise TypeError(f"skinsback: parameter {key!r} must be a str, got {value!r:.40}")
        scalars[key] = str(value)
    message = "".join(f"{key}:{scalars[key]};" for key in sorted(scalars))
    return hmac.new(secret.encode("utf-8"), message.encode("utf-8"), hashlib.sha1).hexdigest()


class SkinsbackSignatureAuth(requests.auth.AuthBase):
    """Adds ``shopid`` and ``sign`` to a SkinsBack form body, signing the body as it is sent.

    The signature is computed over the very form fields that go on the wire (parsed back from
    the encoded body), so every scalar is sent exactly as the string that was signed.
    """

    def __init__(self, client_id: Secret, client_secret: Secret) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        register_secret(client_id)
        register_secret(client_secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        body = r.body or ""
        text = body.decode("utf-8") if isinstance(body, bytes) else str(body)
        pairs = [
            (k, v)
            for k, v in parse_qsl(text, keep_blank_values=True)
            if k not in ("shopid", "sign")
        ]
        pairs.append(("shopid", self._client_id.reveal()))
        pairs.append(("sign", skinsback_sign(pairs, self._client_secret.reveal())))
        encoded = urlencode(pairs).encode("ascii")
        r.body = encoded
        r.headers["Content-Type"] = "application/x-www-form-urlencoded"
        r.headers["Content-Length"] = str(len(encoded))
        return r

    def __repr__(self) -> str:
        return "SkinsbackSignatureAuth(client_id=***, client_secret=***)"


# --------------------------------------------------------------------------- options


def _seconds(value: object, what: str, vendor: str) -> float:  # float ok: seconds
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a number of seconds, got {value!r}", vendor=vendor
        )
    seconds = float(value)  # float ok: seconds, not money
    if not (seconds > 0 and math.isfinite(seconds)):
        # NaN fails every comparison; an infinite timeout is no timeout at all.
        raise errors.ConfigurationError(
            f"{vendor}: {what} must be a finite number of seconds more than 0, got {value!r}",
            vendor=vendor,
        )
    return seconds


#: An http(s) origin, optionally with a path prefix (a proxy); no query, fragment or whitespace.
_BASE_URL = re.compile(r"https?://[^/\s?#]+(/[^\s?#]*)?", re.IGNORECASE)


@attrs.frozen
class TransportOptions:
    """The ``connect()`` options every vendor accepts, validated."""

    base_url: str
    timeout: tuple[float, float]  # float ok: seconds
    max_retries: int
    session: requests.Session | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_connect(
        cls,
        vendor: str,
        *,
        default_base_url: str,
        base_url: str | None = None,
        timeout: object = None,
        max_retries: object = None,
        session: object = None,
    ) -> TransportOptions:
        """Validate the shared options; every mistake is a ``ConfigurationError``."""
        url = default_base_url if base_url is None else base_url
        if not isinstance(url, str) or not _BASE_URL.fullmatch(url):
            raise errors.ConfigurationError(
                f"{vendor}: base_url must be an http(s) origin like 'https://host:port', "
                f"got {base_url!r}",
                vendor=vendor,
            )
        if timeout is None:
            pair = DEFAULT_TIMEOUT
        elif isinstance(timeout, tuple | list) and len(timeout) == 2:
            pair = (
                _seconds(timeout[0], "timeout (connect)", vendor),
                _seconds(timeout[1], "timeout (read)", vendor),
            )
        else:
            both = _seconds(timeout, "timeout", vendor)
            pair = (both, both)
        retries = DEFAULT_MAX_RETRIES if max_retries is None else max_retries
        if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
            raise errors.ConfigurationError(
                f"{vendor}: max_retries must be a whole number >= 0, got {max_retries!r}",
                vendor=vendor,
            )
        if session is not None and not isinstance(session, requests.Session):
            raise errors.ConfigurationError(
                f"{vendor}: session must be a requests.Session, got {type(session).__name__}",
                vendor=vendor,
            )
        if isinstance(session, requests.Session) and session.verify is False:
            # A CA bundle path (session.verify = "ca.pem") is fine: it still verifies.
            raise errors.ConfigurationError(
                f"{vendor}: the session does not verify TLS certificates "
                "(session.verify is False); skinmarkets never sends credentials without it: "
                "give a CA bundle path instead",
                vendor=vendor,
            )
        return cls(base_url=url.rstrip("/"), timeout=pair, max_retries=retries, session=session)


# --------------------------------------------------------------------------- answers


@attrs.frozen
class HttpAnswer:
    """What the vendor sent back: status, headers, the decoded JSON (or None) and the text."""

    status: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    data: Any = attrs.field(repr=False)
    text: str = attrs.field(repr=False)
    is_json: bool

    @property
    def raw(self) -> Any:
        """The body to keep on an error: the JSON when there is one, else the text."""
        return self.data if self.is_json else self.text[:2000]


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


def _answer_from(response: requests.Response) -> HttpAnswer:
    """Read the (streamed) body and decode it; a cut-off body raises a ``RequestException``.

    The body is decoded with the charset the Content-Type names, else as UTF-8 (RFC 8259 JSON).
    Not requests' rule: it reads ``text/html`` without a charset as ISO-8859-1, which garbles
    names like "★ Karambit" from a PHP backend, and with no Content-Type it guesses by scanning
    the whole body, which takes seconds on a large price export.
    """
    body = b"".join(response.iter_content(_READ_CHUNK))
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


# --------------------------------------------------------------------------- retries


def backoff_delay(
    attempt: int,
    *,
    jitter: Callable[[], float],  # float ok: a fraction
    retry_after: float | None = None,  # float ok: seconds
) -> float:  # float ok: seconds
    """How long to wait before retry number ``attempt`` (0-based): doubling, jittered, capped.

    The jitter (a number in [0, 1)) spreads the delay over its upper half, so clients that
    failed together do not retry together; ``Retry-After`` is a floor.
    """
    # The exponent is capped before the power: 2.0 ** 1100 overflows.
    doubling = 2.0 ** min(max(attempt, 0), 32)  # float ok: seconds
    delay: float = min(_BACKOFF_INITIAL * doubling, _BACKOFF_MAX)  # float ok: seconds
    delay *= 0.5 * (1 + jitter())
    if retry_after is not None:
        delay = max(delay, retry_after)
    return delay


def should_retry(error: errors.SkinMarketsError, *, write: bool, attempt: int, limit: int) -> bool:
    """Only reads are retried, only on ``TransientError``, at most ``limit`` times."""
    if write or attempt >= limit or not isinstance(error, errors.TransientError):
        return False
    if isinstance(error, errors.RateLimited) and error.retry_after is not None:
        return error.retry_after <= MAX_RETRY_AFTER_SECONDS
    return True


# --------------------------------------------------------------------------- transport

#: The vendor's own reading of an answer: the error it means, or None when it is a success.
ErrorReader = Callable[[HttpAnswer, str], errors.SkinMarketsError | None]


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (safe even for a write)."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    reason: object = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError
    )


class Transport:
    """Sends one market's requests: auth, limits, retries, decoding, error translation."""

    def __init__(
        self,
        *,
        vendor: str,
        options: TransportOptions,
        auth: requests.auth.AuthBase | None,
        limiter: SlidingWindowLimiter | None,
        read_error: ErrorReader,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,  # float ok: epoch seconds
        refusal_statuses: frozenset[int] = frozenset(),
    ) -> None:
        self.vendor = vendor
        # 3xx statuses this vendor uses for JSON refusals (Mannco's HTTP 300 business errors):
        # their JSON body goes to the vendor's reader first; a refusal it finds is an answer.
        self.refusal_statuses = refusal_statuses
        self.options = options
        if options.session is not None:
            self.session = options.session  # the caller's headers, User-Agent included, stay
        else:
            self.session = requests.Session()
            # Not setdefault: a new Session already carries requests' own User-Agent.
            self.session.headers["User-Agent"] = f"skinmarkets/{_version}"
        self.auth = auth
        self.limiter = limiter
        self._read_error = read_error
        self._jitter = jitter
        self._sleep = sleep
        self._clock = clock
        self._now = now  # wall clock, for Retry-After dates and epoch resets
        self.log = logging.getLogger(f"skinmarkets.{vendor}")

    def __repr__(self) -> str:
        return f"Transport(vendor={self.vendor!r}, base_url={self.options.base_url!r})"

    def close(self) -> None:
        """Close the HTTP session (only the one this transport created)."""
        if self.options.session is None:
            self.session.close()

    def request(
        self,
        method: Method,
        path: str,
        *,
        operation: str,
        write: bool = False,
        params: Params | None = None,
        json_body: Any = None,
        form: Params | None = None,
    ) -> HttpAnswer:
        """Send one request and return the vendor's successful answer, or raise its error.

        Reads are retried on ``TransientError``; writes never are (see the module docstring).
        """
        attempt = 0
        while True:
            failure = self._attempt(method, path, operation, write, params, json_body, form)
            if isinstance(failure, HttpAnswer):
                return failure
            if not should_retry(
                failure, write=write, attempt=attempt, limit=self.options.max_retries
            ):
                raise failure
            retry_after = failure.retry_after if isinstance(failure, errors.RateLimited) else None
            delay = backoff_delay(attempt, jitter=self._jitter, retry_after=retry_after)
            self.log.debug(
                "%s %s failed (%s); retry %d in %.2f s",
                method,
                scrub(path),
                type(failure).__name__,
                attempt + 1,
                delay,
            )
            self._sleep(delay)
            attempt += 1

    def _attempt(
        self,
        method: Method,
        path: str,
        operation: str,
        write: bool,
        params: Params | None,
        json_body: Any,
        form: Params | None,
    ) -> HttpAnswer | errors.SkinMarketsError:
        url = self.options.base_url + path
        path = scrub(path)
        started = self._clock()
        response: requests.Response | None = None
        failure: requests.RequestException | None = None
        if self.limiter is not None:
            with self.limiter.slot():
                response, failure = self._send(method, url, params, json_body, form)
        else:
            response, failure = self._send(method, url, params, json_body, form)
        elapsed_ms = (self._clock() - started) * 1000
        if failure is not None or response is None:
            self.log.debug(
                "%s %s params=%s -> %s after %.0f ms",
                method,
                path,
                redact_params(params),
                type(failure).__name__,
                elapsed_ms,
            )
            return self._transport_failure(failure, method, path, operation, write)
        try:
            answer = _answer_from(response)
        except requests.RequestException as exc:  # the body was cut off while reading
            return self._transport_failure(exc, method, path, operation, write)
        finally:
            response.close()
        self.log.debug(
            "%s %s params=%s -> %d in %.0f ms",
            method,
            path,
            redact_params(params),
            answer.status,
            elapsed_ms,
        )
        return self._judge(answer, path, operation, write)

    def _send(
        self,
        method: Method,
        url: str,
        params: Params | None,
        json_body: Any,
        form: Params | None,
    ) -> tuple[requests.Response | None, requests.RequestException | None]:
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json_body,
                data=form,
                auth=self.auth,
                timeout=self.options.timeout,
                allow_redirects=False,
                stream=True,  # the body is read by _answer_from (see there)
            )
            return response, None
        except requests.RequestException as exc:
            return None, exc

    def _transport_failure(
        self,
        exc: requests.RequestException | None,
        method: str,
        path: str,
        operation: str,
        write: bool,
    ) -> errors.SkinMarketsError:
        # Built from the exception's class only: its text can carry the full URL.
        kind = type(exc).__name__ if exc is not None else "no response"
        where = f"{self.vendor}: {operation} ({method} {path})"
        if exc is not None and _never_sent(exc):
            error_class = (
                errors.Timeout if isinstance(exc, requests.Timeout) else errors.NetworkError
            )
            return error_class(
                f"{where}: could not connect ({kind}); nothing was sent, safe to retry",
                vendor=self.vendor,
                operation=operation,
            )
        if write:
            return errors.OutcomeUnknown(
                f"{where}: the request may have reached the vendor but no answer came ({kind})",
                custom_id=None,
                vendor=self.vendor,
                operation=operation,
            )
        error_class = errors.Timeout if isinstance(exc, requests.Timeout) else errors.NetworkError
        return error_class(
            f"{where}: {kind}; check the network or try again later",
            vendor=self.vendor,
            operation=operation,
        )

    def _judge(
        self, answer: HttpAnswer, path: str, operation: str, write: bool
    ) -> HttpAnswer | errors.SkinMarketsError:
        where = f"{self.vendor}: {operation}"
        status = answer.status
        if status == 429:
            retry_after = parse_retry_after(answer.headers, now=self._now)
            if retry_after is not None and self.limiter is not None:
                self.limiter.defer(min(retry_after, MAX_RETRY_AFTER_SECONDS))
            wait = f"retry after {retry_after:g} s" if retry_after is not None else "slow down"
            return errors.RateLimited(
                f"{where}: rate limited by the vendor (HTTP 429); {wait}",
                retry_after=retry_after,
                vendor=self.vendor,
                operation=operation,
                http_status=429,
                raw=answer.raw,
            )
        # A 4xx is the vendor refusing (whatever its body), so it goes to the vendor's reader.
        # A 5xx, a 2xx that is not JSON, or a redirect nobody asked for is no usable answer:
        # for a write it may hide a purchase that happened (a 303 after a POST does), so the
        # adapter must look it up.
        # 204 No Content is HTTP's own "done, nothing to return": usable without a body.
        if status in self.refusal_statuses and answer.is_json:
            refusal = self._read_error(answer, operation)
            if refusal is not None:
                # The vendor said "no" in its own envelope: nothing happened, even for a write.
                if isinstance(refusal, errors.RateLimited) and self.limiter is not None:
                    self.limiter.defer(min(refusal.retry_after or 1.0, MAX_RETRY_AFTER_SECONDS))
                return refusal
        no_content = status == 204 and not answer.text.strip()
        unusable = status >= 500 or (
            status < 400 and (status >= 300 or not (answer.is_json or no_content))
        )
        if write and unusable:
            return errors.OutcomeUnknown(
                f"{where}: the vendor answered HTTP {status} with "
                f"{'JSON' if answer.is_json else 'a body that is not JSON'}; "
                "the write may or may not have happened",
                custom_id=None,
                vendor=self.vendor,
                operation=operation,
                raw=answer.raw,
            )
        if status >= 500 or (status < 300 and not answer.is_json and _looks_like_html(answer.text)):
            return errors.ServiceUnavailable(
                f"{where}: the vendor is unavailable (HTTP {status}); try again later",
                vendor=self.vendor,
                operation=operation,
                http_status=status,
                raw=answer.raw,
            )
        if status < 300 and not (answer.is_json or no_content):
            return errors.UnexpectedResponse(
                f"{where}: the answer is not JSON (HTTP {status}); kept in .raw",
                vendor=self.vendor,
                operation=operation,
                http_status=status,
                raw=answer.raw,
            )
        error = self._read_error(answer, operation)
        if error is None and status >= 300:
            hint = "; redirects are not followed, check base_url" if status < 400 else ""
            error = errors.APIError(
                f"{where}: unexpected HTTP {status}{hint}",
                vendor=self.vendor,
                operation=operation,
                code=status,
                http_status=status,
                raw=answer.raw,
            )
        if isinstance(error, errors.RateLimited) and self.limiter is not None:
            self.limiter.defer(min(error.retry_after or 1.0, MAX_RETRY_AFTER_SECONDS))
        return answer if error is None else error
