"""Auth objects for ``requests``: how each vendor's credential goes on the wire.

Every credential (and every token got with one) is registered as a secret when the auth object
is made, so that it is scrubbed from logs and errors; each ``__repr__`` masks it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode

import requests
import requests.auth

from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret
from skinmarkets.errors import ConfigurationError

__all__ = [
    "BearerTokenAuth",
    "HeaderKeyAuth",
    "HeadersAuth",
    "QueryKeyAuth",
    "SkinsbackSignatureAuth",
    "skinsback_sign",
]


def _header_value(header: str, secret: Secret) -> str:
    """``secret`` as a header value, or ``ConfigurationError`` before anything is sent.

    http.client refuses a line break (``ValueError`` quoting the whole value: the credential)
    and a character beyond Latin-1 (``UnicodeEncodeError``) only while it writes the request.
    """
    value = secret.reveal()
    if value.isascii() and "\n" not in value and "\r" not in value:
        return value
    if "\n" in value or "\r" in value or any(ord(c) > 0xFF for c in value):
        raise ConfigurationError(
            f"the credential sent in the {header} header holds a line break or a character "
            "that no HTTP header can carry (beyond Latin-1): check that it was copied whole "
            "and alone; nothing was sent"
        )
    return value


class HeaderKeyAuth(requests.auth.AuthBase):
    """Sends the credential in one header (``X-API-KEY: …``, ``Authorization: …``)."""

    def __init__(self, header: str, secret: Secret) -> None:
        self.header = header
        self._secret = secret
        self.sent_secrets: tuple[Secret, ...] = (secret,)
        register_secret(secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers[self.header] = _header_value(self.header, self._secret)
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
        renew_margin: Seconds = 60.0,
        now: Callable[[], Seconds] = time.time,
    ) -> None:
        self._login = login
        self._renew_margin = renew_margin
        self._now = now
        self._lock = threading.Lock()
        self._token: Secret | None = None
        self._expires: Seconds | None = None
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
        # Scrubbed from logs and errors, not from answers: a login answer carries it (a vendor
        # may hand out the same token again), and the client must read it there.
        register_secret(token, from_answers=False)
        self._token = token
        self._expires = _jwt_expiry(token.reveal())
        self.logins += 1

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = "Bearer " + _header_value("Authorization", self.token())
        return r

    def __repr__(self) -> str:
        return "BearerTokenAuth(token=***)"


def _jwt_expiry(token: str) -> Seconds | None:
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
    return Seconds(exp)


class QueryKeyAuth(requests.auth.AuthBase):
    """Sends the credential as a query parameter (only where a vendor accepts nothing else)."""

    def __init__(self, param: str, secret: Secret) -> None:
        self.param = param
        self._secret = secret
        self.sent_secrets: tuple[Secret, ...] = (secret,)
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
        self.sent_secrets: tuple[Secret, ...] = tuple(self._headers.values())
        for secret in self._headers.values():
            register_secret(secret)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        for header, secret in self._headers.items():
            r.headers[header] = _header_value(header, secret)
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
        self.sent_secrets: tuple[Secret, ...] = (client_id, client_secret)
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
