"""Transport: sends one market's requests and maps every transport failure to an error.

One ``Transport`` per market object holds its ``requests.Session``, auth object, options and
shared rate limiter; it retries reads (:mod:`.retries`), reads the answer (:mod:`.answers`),
keeps secrets out of its logs (:mod:`.redaction`) and translates every ``requests``/``urllib3``
failure into the :mod:`skinmarkets.errors` tree.

Why writes are never retried: a purchase whose answer was lost may have happened. A write that
may have reached the vendor without a usable answer (read timeout, connection dropped after
sending, HTTP 5xx, a body that is not JSON) raises ``OutcomeUnknown`` here; the adapter then
looks the purchase up by its ``custom_id`` and either returns it or re-raises. A redirect is
never followed and counts as no usable answer for a write (a 303 after a POST can mean "done");
for a read it is an ``APIError``. A 4xx is the vendor refusing whatever its body (HTML or
text included): the vendor's reader maps it, else it is an ``APIError`` — never retried, and
for a write never ``OutcomeUnknown``.

The vendor's envelope reader (``read_envelope=``) judges the answer the transport did not settle
itself (429, 5xx, HTML, a body that is not JSON, a redirect), once: it returns the payload its
client needs, kept as ``HttpAnswer.payload``, or raises the vendor's typed error (a refusal from
its error table, or ``UnexpectedResponse`` for a shape it does not understand).

Every exchange, from connecting to the last byte of the body, ends by ``options.deadline``
(:mod:`.deadline`): when it passes, the socket is cut off and a read is a ``Timeout``, a write
``OutcomeUnknown`` (it may have reached the vendor; the write flow looks it up). The timeouts
alone cannot promise that: they bound each socket read, and a server that trickles one byte
at a time resets them forever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, TypedDict

import attrs
import requests
import requests.auth
import requests.utils
import urllib3.exceptions

from skinmarkets import errors
from skinmarkets._http.answers import (
    FastDecode,
    HttpAnswer,
    _answer_from,
    _looks_like_html,
    parse_retry_after,
)
from skinmarkets._http.deadline import Deadline, DeadlinePassed, watch_session
from skinmarkets._http.options import TransportOptions, shown_url
from skinmarkets._http.proxy import Proxy
from skinmarkets._http.redaction import redact_params
from skinmarkets._http.retries import MAX_RETRY_AFTER_SECONDS, backoff_delay, should_retry
from skinmarkets._ratelimit import Limiter
from skinmarkets._seconds import Seconds
from skinmarkets._secret import Secret, register_secret, scrub
from skinmarkets._version import __version__ as _version

__all__ = ["EnvelopeReader", "Method", "Params", "RequestOptions", "Transport"]

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
Params = Mapping[str, Any]


class RequestOptions(TypedDict, total=False):
    """The keyword options of :meth:`Transport.request` a client passes through as they are."""

    #: True for a write: sent at most once, never retried.
    write: bool
    #: The query string.
    params: Params | None
    #: A JSON body.
    json_body: Any
    #: A form body.
    form: Params | None
    #: A faster reader of this answer's JSON body (``answers.FastDecode``).
    decode: FastDecode | None


#: The vendor's one reading of an answer: the payload its client needs, or it raises the
#: ``SkinMarketsError`` the answer means.
EnvelopeReader = Callable[[HttpAnswer, str], Any]


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the request certainly did not reach the server (safe even for a write).

    A ``ProxyError`` is one: urllib3 raises it only while the connection to the proxy, or its
    CONNECT tunnel, is not yet made (proxy down, refused credentials), before a byte of the
    request leaves for the vendor. A SOCKS proxy's failures are a ``NewConnectionError``.
    """
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.ProxyError):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    reason: object = exc.args[0] if exc.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.NameResolutionError
    )


#: How a proxy's refusal of its credentials reads in the text of urllib3's error: the CONNECT
#: answer ("Tunnel connection failed: 407 …") or PySocks' "SOCKS5 authentication failed".
_PROXY_REFUSED_CREDENTIALS = ("407 Proxy Authentication Required", "authentication failed")


def _proxy_refused_credentials(exc: requests.RequestException) -> bool:
    text = str(exc)
    return any(sign in text for sign in _PROXY_REFUSED_CREDENTIALS)


def _read_environment_once(
    session: requests.Session, base_url: str, proxy: Proxy | None = None
) -> None:
    """Read the proxy and CA-bundle variables now, not at every request (as httpx does).

    ``requests`` scans the whole environment twice per request for ``*_proxy`` variables (about
    0.1 ms on a loopback request, a seventh of it) and looks for ``~/.netrc``. A market's session
    reads ``HTTP_PROXY``/``HTTPS_PROXY``/``ALL_PROXY``/``NO_PROXY`` and
    ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` once, when it is connected; a change to them later
    in the process applies to markets connected after it. ``~/.netrc`` is never read: a market's
    credentials are the ones given to ``connect``. A session passed with ``session=`` is used
    as it is.

    ``proxy=`` given, the proxy variables are not read at all: that proxy carries every
    request, whatever ``NO_PROXY`` says (the explicit option wins; see :mod:`.proxy`).
    """
    session.trust_env = False
    if proxy is None:
        session.proxies.update(requests.utils.get_environ_proxies(base_url))
    else:
        session.proxies.update({"http": proxy.url, "https": proxy.url})
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if bundle:
        session.verify = bundle


class Transport:
    """Sends one market's requests: auth, limits, retries, decoding, error translation."""

    def __init__(
        self,
        *,
        vendor: str,
        options: TransportOptions,
        auth: requests.auth.AuthBase | None,
        limiter: Limiter | None,
        read_envelope: EnvelopeReader,
        jitter: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], Seconds] = time.time,
        refusal_statuses: frozenset[int] = frozenset(),
        sent_secrets: Sequence[Secret] = (),
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
            _read_environment_once(self.session, options.base_url, options.proxy)
        # So the deadline can cut a trickling exchange off (an injected session: see there).
        watch_session(self.session, options.base_url, owned=options.session is None)
        self.auth = auth
        # the credentials this vendor is sent: its answers are searched for these (and for
        # those nobody claimed), not for every other market's (see register_secret's owner)
        for secret in (*getattr(auth, "sent_secrets", ()), *sent_secrets):
            register_secret(secret, owner=vendor)
        self.limiter = limiter
        self._read_envelope = read_envelope
        self._jitter = jitter
        self._sleep = sleep
        self._clock = clock
        self._now = now  # wall clock, for Retry-After dates and epoch resets
        self.log = logging.getLogger(f"skinmarkets.{vendor}")

    def __repr__(self) -> str:
        return f"Transport(vendor={self.vendor!r}, base_url={shown_url(self.options.base_url)!r})"

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
        decode: FastDecode | None = None,
    ) -> HttpAnswer:
        """Send one request and return the vendor's successful answer, its ``payload`` read by
        the vendor's envelope reader, or raise its error.

        Reads are retried on ``TransientError``; writes never are (see the module docstring).
        ``decode``: a faster reader of this answer's JSON body (see ``answers.FastDecode``).
        """
        attempt = 0
        while True:
            failure = self._attempt(method, path, operation, write, params, json_body, form, decode)
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
        decode: FastDecode | None = None,
    ) -> HttpAnswer | errors.SkinMarketsError:
        url = self.options.base_url + path
        path = scrub(path)
        started = self._clock()
        response: requests.Response | None = None
        failure: requests.RequestException | None = None
        deadline = Deadline(self.options.deadline)
        with contextlib.ExitStack() as exchange:  # the deadline runs until the body is read
            if self.limiter is not None:
                with self.limiter.slot():  # waiting for a slot is no part of the exchange
                    exchange.enter_context(deadline)
                    response, failure = self._send(method, url, params, json_body, form, deadline)
            else:
                exchange.enter_context(deadline)
                response, failure = self._send(method, url, params, json_body, form, deadline)
            elapsed_ms = (self._clock() - started) * 1000
            if failure is not None or response is None:
                self.log.debug(
                    "%s %s params=%s -> %s after %.0f ms",
                    method,
                    path,
                    redact_params(params),
                    "deadline passed" if deadline.expired else type(failure).__name__,
                    elapsed_ms,
                )
                return self._transport_failure(failure, method, path, operation, write, deadline)
            try:
                answer = _answer_from(response, deadline, self.vendor, decode)
            except (requests.RequestException, DeadlinePassed) as exc:  # cut off while reading
                cut = exc if isinstance(exc, requests.RequestException) else None
                return self._transport_failure(cut, method, path, operation, write, deadline)
            finally:
                response.close()
        if deadline.expired:  # what was read after the cut may look complete; it is not trusted
            return self._transport_failure(None, method, path, operation, write, deadline)
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
        deadline: Deadline,
    ) -> tuple[requests.Response | None, requests.RequestException | None]:
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=json_body,
                data=form,
                auth=self.auth,
                timeout=deadline.capped(self.options.timeout),
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
        deadline: Deadline | None = None,
    ) -> errors.SkinMarketsError:
        # Built from the exception's class only: its text can carry the full URL.
        kind = type(exc).__name__ if exc is not None else "no response"
        where = f"{self.vendor}: {operation} ({method} {path})"
        never_sent = exc is not None and _never_sent(exc)
        if deadline is not None and deadline.expired and not never_sent:
            return self._deadline_failure(where, operation, write, deadline.seconds)
        if never_sent:
            proxy = self.options.proxy
            via = f" through the proxy {proxy.shown}" if proxy is not None else ""
            if proxy is not None and exc is not None and _proxy_refused_credentials(exc):
                return self._proxy_refused(where, operation)
            error_class = (
                errors.Timeout if isinstance(exc, requests.Timeout) else errors.NetworkError
            )
            return error_class(
                f"{where}: could not connect{via} ({kind}); nothing was sent, safe to retry",
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

    def _proxy_refused(self, where: str, operation: str) -> errors.SkinMarketsError:
        """The proxy (not the vendor) refused the credentials of ``proxy=``: nothing was sent."""
        shown = self.options.proxy.shown if self.options.proxy is not None else "in between"
        return errors.AuthenticationError(
            f"{where}: the proxy {shown} refused its credentials (HTTP 407 Proxy Authentication "
            "Required or SOCKS authentication failed); nothing reached the vendor: check the "
            "user and password in proxy=",
            vendor=self.vendor,
            operation=operation,
            code="proxy_authentication",
            http_status=407,
        )

    def _deadline_failure(
        self,
        where: str,
        operation: str,
        write: bool,
        seconds: Seconds,
    ) -> errors.SkinMarketsError:
        if write:
            return errors.OutcomeUnknown(
                f"{where}: no complete answer within the deadline of {seconds:g} s, so the "
                "connection was cut; the write may have happened: look it up before trying again",
                custom_id=None,
                vendor=self.vendor,
                operation=operation,
            )
        return errors.Timeout(
            f"{where}: no complete answer within the deadline of {seconds:g} s, so the "
            "connection was cut; try again later, or connect with a larger deadline= "
            "if the vendor is that slow",
            vendor=self.vendor,
            operation=operation,
        )

    def _judge(
        self, answer: HttpAnswer, path: str, operation: str, write: bool
    ) -> HttpAnswer | errors.SkinMarketsError:
        where = f"{self.vendor}: {operation}"
        status = answer.status
        if status == 407:  # a forwarding proxy's refusal: the request never reached the vendor
            return self._proxy_refused(where, operation)
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
        read: HttpAnswer | errors.SkinMarketsError | None = None
        if status in self.refusal_statuses and answer.is_json:
            read = self._read(answer, operation)
            if isinstance(read, errors.SkinMarketsError):
                # The vendor said "no" in its own envelope: nothing happened, even for a write.
                return read
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
        if read is None:
            read = self._read(answer, operation)
        if isinstance(read, HttpAnswer) and status >= 300:
            hint = "; redirects are not followed, check base_url" if status < 400 else ""
            return errors.APIError(
                f"{where}: unexpected HTTP {status}{hint}",
                vendor=self.vendor,
                operation=operation,
                code=status,
                http_status=status,
                raw=answer.raw,
            )
        return read

    def _read(self, answer: HttpAnswer, operation: str) -> HttpAnswer | errors.SkinMarketsError:
        """``answer`` with the payload the vendor's reader returned, or the error it raised.

        A ``RateLimited`` the vendor said in its envelope defers the shared limiter, as a 429 does.
        """
        try:
            payload = self._read_envelope(answer, operation)
        except errors.SkinMarketsError as error:
            if isinstance(error, errors.RateLimited) and self.limiter is not None:
                self.limiter.defer(min(error.retry_after or 1.0, MAX_RETRY_AFTER_SECONDS))
            return error
        return attrs.evolve(answer, payload=payload)
