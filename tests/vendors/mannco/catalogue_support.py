"""A Mannco stand-in on ``responses`` with a catalogue of many items: item details by slug,
pricing/bulk by id, listings, login. Counts what it was asked, and can hold requests at a
barrier to show they are in flight together."""

from __future__ import annotations

import json
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs
import requests
import responses

import skinmarkets as sm
from skinmarkets._ratelimit import RateLimit, SlidingWindowLimiter
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.mannco.item_ids import slug
from tests.support import FakeClock, load_fixture
from tests.vendors.mannco.conftest import API_KEY, BASE_URL, JWT

NOT_FOUND = {"err": True, "success": False, "content": "Item not found"}


@attrs.frozen
class Item:
    """One catalogue item of the stand-in."""

    id: str
    name: str
    game: int
    ask_cents: int


def cs_items(count: int, *, first_id: int = 200_000) -> list[Item]:
    """``count`` CS2 items with distinct names and ids."""
    return [
        Item(str(first_id + n), f"Test Rifle {n:04d} (Field-Tested)", 730, 100 + n)
        for n in range(count)
    ]


def _ok(content: Any) -> tuple[int, dict[str, str], str]:
    return 200, {}, json.dumps({"err": False, "success": True, "content": content})


class FakeMannco:
    """Answers a Mannco market at ``base_url`` from ``items``; records every request."""

    def __init__(
        self, mock: responses.RequestsMock, items: Iterable[Item], *, base_url: str = BASE_URL
    ) -> None:
        self.items = list(items)
        self.by_slug = {f"{i.game}-{slug(i.name)}": i for i in self.items}
        self.by_id = {i.id: i for i in self.items}
        self.bulk_chunks: list[list[str]] = []
        self.details: Counter[str] = Counter()
        self.hold: Callable[[str], None] = lambda path: None  # called in each request's thread
        self.listing_total: int | None = None  # ``count`` of the first listing page
        self._lock = threading.Lock()
        login = load_fixture("mannco", "user_login.ok")["response"]["json"]
        mock.add(responses.POST, base_url + "/user/login", json=login)
        mock.add_callback(
            responses.GET,
            _prefix(base_url + "/item/details/"),
            callback=self._details,
        )
        mock.add_callback(responses.GET, base_url + "/item/pricing/bulk", callback=self._bulk)
        mock.add_callback(
            responses.GET, _prefix(base_url + "/item/listing/"), callback=self._listing
        )

    @property
    def details_calls(self) -> int:
        """How many GET /item/details requests came."""
        return sum(self.details.values())

    def _details(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        path = urlsplit(str(request.url)).path
        self.hold(path)
        wanted = path.rsplit("/", 1)[1]
        with self._lock:
            self.details[wanted] += 1
        item = self.by_slug.get(wanted)
        if item is None:
            return 404, {}, json.dumps(NOT_FOUND)
        info = {"id": int(item.id), "name": item.name, "game": item.game, "url": wanted}
        return _ok({"informations": info})

    def _bulk(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        self.hold("/item/pricing/bulk")
        query = parse_qs(urlsplit(str(request.url)).query)
        ids = query["items"][0].split(",")
        with self._lock:
            self.bulk_chunks.append(ids)
        assert len(ids) <= 100, "Mannco takes at most 100 ids"
        rows = [
            {
                "item_id": int(i),
                "pricing": {
                    "lowest_sale_price": self.by_id[i].ask_cents,
                    "lowest_buy_order": self.by_id[i].ask_cents - 10,
                },
            }
            for i in ids
            if i in self.by_id
        ]
        return _ok({"total_items": len(rows), "items": rows})

    def _listing(self, request: requests.PreparedRequest) -> tuple[int, dict[str, str], str]:
        parts = urlsplit(str(request.url))
        query = parse_qs(parts.query)
        page, count = int(query["page"][0]), int(query["count"][0])
        self.hold(f"{parts.path}?page={page}")
        item = self.by_id[parts.path.rsplit("/", 1)[1]]
        total = self.listing_total or 0
        rows = [
            {
                "id": n,
                "assetId": f"{item.id}-{n}",
                "item_id": int(item.id),
                "state": 1,
                "price": item.ask_cents + n,
                "game": item.game,
            }
            for n in range(page * count, min(total, (page + 1) * count))
        ]
        return _ok({"count": total, "values": rows} if page == 0 else {"values": rows})


def _prefix(url: str) -> Any:
    import re

    return re.compile(re.escape(url) + r".*")


def connect(store: str = "memory", *, base_url: str = BASE_URL, **options: Any) -> Mannco:
    """A Mannco market on ``store`` whose requests ``responses`` answers."""
    market = sm.connect("mannco", api_key=API_KEY, base_url=base_url, store=store, **options)
    assert isinstance(market, Mannco)
    return market


class RecordingLimiter:
    """A limiter around ``inner`` that records each slot: how many at once, and when."""

    def __init__(self, inner: SlidingWindowLimiter, clock: FakeClock) -> None:
        self.inner = inner
        self.clock = clock
        self.in_flight = 0
        self.most_in_flight = 0
        self.slots: list[tuple[float, float]] = []  # float ok: (granted, released) fake seconds
        self._lock = threading.Lock()

    @property
    def limit(self) -> RateLimit:
        return self.inner.limit

    @contextmanager
    def _slot(self) -> Iterator[None]:
        with self.inner.slot():
            with self._lock:
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                granted = self.clock()
            try:
                yield
            finally:
                with self._lock:
                    self.in_flight -= 1
                    self.slots.append((granted, self.clock()))

    def slot(self) -> AbstractContextManager[None]:
        return self._slot()

    def defer(self, seconds: float) -> None:  # float ok
        self.inner.defer(seconds)


def recording_limiter(market: Mannco, limit: RateLimit) -> RecordingLimiter:
    """Put a recording limiter of ``limit`` (on a fake clock that never sleeps) on ``market``."""
    clock = FakeClock()
    limiter = RecordingLimiter(SlidingWindowLimiter(limit, clock=clock, sleep=clock.sleep), clock)
    for transport in (market.client.transport, market.client.login_transport):
        transport.limiter = limiter
    return limiter


def most_in_any_window(slots: list[tuple[float, float]], per: float) -> int:  # float ok
    """The most requests that could have reached the server within ``per`` seconds: at each
    grant, the slots granted by then whose release is less than ``per`` before it."""
    return max((sum(1 for g, r in slots if g <= t and r + per > t) for t, _ in slots), default=0)


__all__ = [
    "JWT",
    "FakeMannco",
    "Item",
    "RecordingLimiter",
    "connect",
    "cs_items",
    "most_in_any_window",
    "recording_limiter",
]
