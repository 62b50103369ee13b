"""Shared set-up for the Market TM tests: a mocked HTTP layer and a market that never sleeps."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest
import responses

import skinmarkets as sm
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.market_tm import MarketTM
from tests.support import FakeClock, load_fixture, response_body

BASE_URL = "https://tm.test"
API_KEY = "test-key-123456"

Register = Callable[..., responses.BaseResponse]


def wire_query(query: Mapping[str, Any]) -> dict[str, Any]:
    """A fixture query as ``responses`` parses a request: a repeated key is a list, one is not."""
    return {k: v[0] if isinstance(v, list) and len(v) == 1 else v for k, v in query.items()}


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
def market(mock: responses.RequestsMock, clock: FakeClock) -> MarketTM:
    """A CS2 market on the mocked host whose limiter and retry backoff never really sleep."""
    connected = sm.connect("market_tm", api_key=API_KEY, game="cs2", base_url=BASE_URL)
    assert isinstance(connected, MarketTM)
    transport = connected.client.transport
    transport._sleep = clock.sleep
    transport._jitter = lambda: 0.0
    transport.limiter = SlidingWindowLimiter(RateLimit(5, 1.0), clock=clock, sleep=clock.sleep)
    return connected


@pytest.fixture
def register(mock: responses.RequestsMock) -> Register:
    """``register("buy.ok")`` answers the fixture's request (path, and query unless told not to).

    ``fixture=`` takes an already loaded (possibly edited) fixture instead of a name;
    ``match_query=False`` accepts any query on the path.
    """

    def add(
        name: str | None = None,
        *,
        fixture: Mapping[str, Any] | None = None,
        match_query: bool = True,
    ) -> responses.BaseResponse:
        data = fixture if fixture is not None else load_fixture("market_tm", str(name))
        request = data["request"]
        matchers = []
        if match_query:
            matchers.append(
                responses.matchers.query_param_matcher(wire_query(request.get("query", {})))
            )
        if "json" in request:
            matchers.append(responses.matchers.json_params_matcher(request["json"]))
        return mock.add(
            request["method"], BASE_URL + request["path"], match=matchers, **response_body(data)
        )

    return add


def calls_to(mock: responses.RequestsMock, path: str) -> int:
    """How many requests went to ``path`` (query ignored)."""
    return sum(1 for call in mock.calls if call.request.path_url.split("?")[0] == path)
