"""A ``Transport`` for a made-up vendor, built the way a vendor adapter builds one."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import requests.auth

from skinmarkets import errors
from skinmarkets._http import HeaderKeyAuth, HttpAnswer, Transport, TransportOptions
from skinmarkets._secret import Secret
from tests.support import FakeClock

VENDOR = "testvendor"
BASE_URL = "https://api.test"
SECRET_VALUE = "sekret-value-1"
#: Wall-clock "now" for Retry-After dates and epoch resets: 2023-11-14 22:13:20 UTC.
EPOCH_NOW = 1_700_000_000.0


def read_error(answer: HttpAnswer, operation: str) -> errors.SkinMarketsError | None:
    """The test vendor's envelope: ``{"ok": false, "error": X}`` is a refusal."""
    data = answer.data
    if isinstance(data, Mapping) and data.get("ok") is False:
        return errors.APIError(
            f"{VENDOR}: {operation} refused: {data.get('error')}",
            vendor=VENDOR,
            operation=operation,
            code=data.get("error"),
            http_status=answer.status,
            raw=answer.raw,
        )
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
        read_error=read_error,
        jitter=jitter,
        sleep=clock.sleep,
        clock=clock,
        now=now,
    )
