"""Shared set-up for the SkinsBack tests: a mocked HTTP layer and a market that never sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
import requests
import responses

import skinmarkets as sm
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.skinsback import Skinsback, units
from tests.integration.loopback import loopback  # noqa: F401  (the fixture)
from tests.support import FakeClock, load_fixture, response_body
from tests.vendors.skinsback.phpform import php_form, signed_by, unsigned

BASE_URL = "https://skinsback.test"
URL = BASE_URL + "/api.php"
CLIENT_ID = "test-sb-client-4711"
CLIENT_SECRET = "test-sb-secret-9f3e2a"
TRADE_URL = "https://steamcommunity.com/tradeoffer/new/?partner=12345678&token=AbCdEfGh"
NOW = 1_700_000_000

Register = Callable[..., responses.BaseResponse]


def form_is(expected: Mapping[str, Any]) -> Callable[[requests.PreparedRequest], tuple[bool, str]]:
    """A ``responses`` matcher: the signed form, read as PHP reads it, equals ``expected``."""

    def match(request: requests.PreparedRequest) -> tuple[bool, str]:
        sent = php_form(request.body)  # type: ignore[arg-type]
        if not signed_by(sent, CLIENT_ID, CLIENT_SECRET):
            return False, "bad shopid/sign"
        got = unsigned(sent)
        return got == dict(expected), f"form {got} != {dict(expected)}"

    return match


def method_is(method: str) -> Callable[[requests.PreparedRequest], tuple[bool, str]]:
    """A ``responses`` matcher: the request's ``method`` field is ``method``."""

    def match(request: requests.PreparedRequest) -> tuple[bool, str]:
        got = php_form(request.body).get("method")  # type: ignore[arg-type]
        return got == method, f"method {got!r} != {method!r}"

    return match


def sent_forms(mock: responses.RequestsMock, method: str | None = None) -> list[dict[str, Any]]:
    """The forms of the requests sent (only those of ``method`` when given)."""
    forms = [php_form(call.request.body) for call in mock.calls]  # type: ignore[arg-type]
    return [f for f in forms if method is None or f.get("method") == method]


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    """Every HTTP request of the test goes here; an unregistered request is a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


@pytest.fixture
def clock() -> FakeClock:
    """The time seen by the market's rate limiter and retry backoff (sleeping only records)."""
    return FakeClock()


def quiet(market: Skinsback, clock: FakeClock) -> Skinsback:
    """``market`` with a limiter and backoff on ``clock`` and a fixed wall clock (NOW)."""
    transport = market.client.transport
    transport._sleep = clock.sleep
    transport._jitter = lambda: 0.0
    transport.limiter = SlidingWindowLimiter(
        RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
        clock=clock,
        sleep=clock.sleep,
    )
    market._now = lambda: float(NOW)
    return market


@pytest.fixture
def connect(clock: FakeClock) -> Callable[..., Skinsback]:
    """``connect(**options)``: a SkinsBack market on the mocked host (harness credentials)."""

    def make(**options: object) -> Skinsback:
        settings: dict[str, object] = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "trade_url": TRADE_URL,
            "base_url": BASE_URL,
        }
        settings.update(options)
        market = sm.connect("skinsback", **settings)
        assert isinstance(market, Skinsback)
        return quiet(market, clock)

    return make


@pytest.fixture
def market(mock: responses.RequestsMock, connect: Callable[..., Skinsback]) -> Skinsback:
    """A SkinsBack market (cs2, signature auth, trade URL set) on the mocked host."""
    return connect()


@pytest.fixture
def register(mock: responses.RequestsMock) -> Register:
    """``register("balance.ok")`` answers the fixture's request (its signed form matched).

    ``fixture=`` takes an already loaded (possibly edited) fixture; ``match_form=False`` matches
    on the ``method`` field only.
    """

    def add(
        name: str | None = None,
        *,
        fixture: Mapping[str, Any] | None = None,
        match_form: bool = True,
    ) -> responses.BaseResponse:
        data = fixture if fixture is not None else load_fixture("skinsback", str(name))
        form = data["request"]["form"]
        matcher = form_is(form) if match_form else method_is(form["method"])
        return mock.add("POST", URL, match=[matcher], **response_body(data))

    return add
