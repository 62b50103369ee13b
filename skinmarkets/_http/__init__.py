"""HTTP plumbing: the only package that imports ``requests`` (and ``urllib3``).

It owns, for one market object: the ``requests.Session``, the auth object, timeouts, the shared
rate limiter, retries of reads, JSON decoding with ``parse_float=Decimal``, redaction of secrets
in logs and errors, and the translation of every ``requests``/``urllib3`` failure into the
:mod:`skinmarkets.errors` tree. Why writes are never retried is told in :mod:`.transport`.

- ``auth``: how each vendor's credential goes on the wire (header, query, signature, token)
- ``answers``: ``HttpAnswer``, reading and decoding a body, ``Retry-After``
- ``deadline``: ``Deadline``, the watchdog that ends an exchange at ``deadline=`` seconds
- ``options``: ``TransportOptions``, the validated ``connect()`` options
- ``proxy``: ``Proxy``, the validated ``proxy=`` option (and why it wins over the environment)
- ``redaction``: sensitive names masked and secrets scrubbed in logs
- ``retries``: which failures are retried and how long to wait
- ``transport``: ``Transport``, one request from sending to the vendor's answer or error
- ``urls``: a URL's user and password shown as ``***`` and registered as secrets

Other modules import from here, never from the submodules.
"""

from __future__ import annotations

from skinmarkets._http.answers import (
    LARGE_BODY,
    FastDecode,
    HttpAnswer,
    decode_json,
    parse_retry_after,
)
from skinmarkets._http.auth import (
    BearerTokenAuth,
    HeaderKeyAuth,
    HeadersAuth,
    QueryKeyAuth,
    SkinsbackSignatureAuth,
    skinsback_sign,
)
from skinmarkets._http.deadline import DEFAULT_DEADLINE
from skinmarkets._http.options import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    TransportOptions,
    shown_url,
)
from skinmarkets._http.proxy import Proxy, has_module
from skinmarkets._http.redaction import SENSITIVE_NAMES, redact_params
from skinmarkets._http.retries import MAX_RETRY_AFTER_SECONDS, backoff_delay, should_retry
from skinmarkets._http.transport import (
    EnvelopeReader,
    Method,
    Params,
    RequestOptions,
    Transport,
)
from skinmarkets._secret import register_secret, scrub

__all__ = [
    "DEFAULT_DEADLINE",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "LARGE_BODY",
    "MAX_RETRY_AFTER_SECONDS",
    "SENSITIVE_NAMES",
    "BearerTokenAuth",
    "EnvelopeReader",
    "FastDecode",
    "HeaderKeyAuth",
    "HeadersAuth",
    "HttpAnswer",
    "Method",
    "Params",
    "Proxy",
    "QueryKeyAuth",
    "RequestOptions",
    "SkinsbackSignatureAuth",
    "Transport",
    "TransportOptions",
    "backoff_delay",
    "decode_json",
    "has_module",
    "parse_retry_after",
    "redact_params",
    "register_secret",
    "scrub",
    "should_retry",
    "shown_url",
    "skinsback_sign",
]
