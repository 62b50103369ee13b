"""Shared set-up for the Mannco tests: a mocked HTTP layer and a market that never sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
import responses

import skinmarkets as sm
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.mannco import Mannco, units
from tests.support import FakeClock, load_fixture, response_body

BASE_URL = "https://mannco.test"
API_KEY = "test-mannco-key"  # the key of the fixtures' login requests
JWT = "eyJhbGciOiJIUzI1NiJ9.e30.sandbox"  # user_login.ok
TOS_TIMESTAMP = 1706745600  # the payment fixtures' tos_timestamp

Register = Callable[..., responses.BaseResponse]


@pytest.fixture
def mock() -> Iterator[responses.RequestsMock]:
    """Every HTTP request of the test goes here; an unregistered URL is a connection error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as requests_mock:
        yield requests_mock


@pytest.fixture
def clock() -> FakeClock:
    """The time seen by the market's rate limiter and retry backoff (sleeping only records)."""
    return FakeClock()


@pytest.fixture
def market(mock: responses.RequestsMock, clock: FakeClock) -> Mannco:
    """A Mannco market on the mocked host; limiter and back-off never really sleep."""
    connected = sm.connect("mannco", api_key=API_KEY, base_url=BASE_URL)
    assert isinstance(connected, Mannco)
    limiter = SlidingWindowLimiter(
        RateLimit(units.RATE_LIMIT_REQUESTS, units.RATE_LIMIT_SECONDS),
        clock=clock,
        sleep=clock.sleep,
    )
    for transport in (connected.client.transport, connected.client.login_transport):
        transport._sleep = clock.sleep
        transport._jitter = lambda: 0.0
        transport.limiter = limiter
    connected._now = lambda: float(TOS_TIMESTAMP)
    return connected


@pytest.fixture
def register(mock: responses.RequestsMock) -> Register:
    """``register("user_balance.ok")`` answers the fixture's request (query and JSON matched;
    the query loosely: extra parameters sent are allowed). ``fixture=`` takes a loaded one."""

    def add(
        name: str | None = None, *, fixture: Mapping[str, Any] | None = None
    ) -> responses.BaseResponse:
        data = fixture if fixture is not None else load_fixture("mannco", str(name))
        request = data["request"]
        matchers = [
            responses.matchers.query_param_matcher(request.get("query") or {}, strict_match=False)
        ]
        if request.get("json") is not None:
            matchers.append(responses.matchers.json_params_matcher(request["json"]))
        return mock.add(
            request["method"], BASE_URL + request["path"], match=matchers, **response_body(data)
        )

    return add


@pytest.fixture
def logged_in(register: Register) -> None:
    """The login answers ``user_login.ok``."""
    register("user_login.ok")


def calls_to(mock: responses.RequestsMock, path: str) -> int:
    """How many requests went to ``path`` (query ignored)."""
    return sum(1 for call in mock.calls if call.request.path_url.split("?")[0] == path)
