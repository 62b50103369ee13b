"""A ``Transport`` for a made-up vendor, built the way a vendor adapter builds one."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests.auth

from skinmarkets import errors
from skinmarkets._http import EnvelopeReader, HeaderKeyAuth, HttpAnswer, Transport, TransportOptions
from skinmarkets._secret import Secret
from tests.support import FakeClock

VENDOR = "testvendor"
BASE_URL = "https://api.test"
SECRET_VALUE = "sekret-value-1"
#: Wall-clock "now" for Retry-After dates and epoch resets: 2023-11-14 22:13:20 UTC.
EPOCH_NOW = 1_700_000_000.0


def read_envelope(answer: HttpAnswer, operation: str) -> Any:
    """The test vendor's envelope: ``{"ok": false, "error": X}`` is a refusal; else the body."""
    data = answer.data
    if isinstance(data, Mapping) and data.get("ok") is False:
        raise errors.APIError(
            f"{VENDOR}: {operation} refused: {data.get('error')}",
            vendor=VENDOR,
            operation=operation,
            code=data.get("error"),
            http_status=answer.status,
            raw=answer.raw,
        )
    return data


def raised_by(
    read: EnvelopeReader, answer: HttpAnswer, operation: str
) -> errors.SkinMarketsError | None:
    """The error an envelope reader raises for ``answer``, or None when it returns a payload."""
    try:
        read(answer, operation)
    except errors.SkinMarketsError as error:
        return error
    return None


def make_transport(
    *,
    clock: FakeClock | None = None,
    jitter: Callable[[], float] = lambda: 0.0,
    auth: requests.auth.AuthBase | None = None,
    now: Callable[[], float] = lambda: EPOCH_NOW,
    **options: object,
) -> Transport:
    """A transport to ``BASE_URL`` with an injected clock, sleep, jitter and wall clock."""
    clock = clock if clock is not None else FakeClock()
    return Transport(
        vendor=VENDOR,
        options=TransportOptions.from_connect(VENDOR, default_base_url=BASE_URL, **options),
        auth=auth if auth is not None else HeaderKeyAuth("X-API-KEY", Secret(SECRET_VALUE)),
        limiter=None,
        read_envelope=read_envelope,
        jitter=jitter,
        sleep=clock.sleep,
        clock=clock,
        now=now,
    )
