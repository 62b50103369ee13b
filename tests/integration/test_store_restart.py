"""A ``custom_id`` outlives its process: a restart or a crash never pays twice.

swap.gg takes no custom id, so what a ``custom_id`` did is known only to the write journal, which
lives in the store. Against a recording swap.gg stand-in on 127.0.0.1 (sales/browse for the
price re-check, sales/purchase, inventory/browse for the lookup), with separate processes:

- restart: process A's purchase gets no answer (the stand-in holds it past A's read timeout)
  and the item is not in the inventory -> ``OutcomeUnknown``; A exits. A fresh process B with
  the same store and ``custom_id`` sends no purchase: it looks up again -> ``OutcomeUnknown``
  while the item is not there, the purchase once it is.
- crash: A is SIGKILLed while its purchase is held open (its claim stays "in flight" in the
  store). B (``lease=1``) gets ``OutcomeUnknown`` without sending while the lease runs, then
  settles by lookup, and never sends a second purchase.

For an SQLite file and for a real Redis server.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.loopback import LoopbackServer, RecordedRequest, Reply, loopback
from tests.integration.store_support import (
    REPO,
    Worker,
    child_env,
    spawn,
    store_bytes,
    wait_for,
)

pytestmark = pytest.mark.integration

__all__ = ["loopback"]  # the fixture, imported for pytest (the others: conftest.py)

PURCHASE = "/v1/sales/purchase"
BROWSE = "/v1/sales/browse"
INVENTORY = "/v1/inventory/browse"
LEASE = 1.0  # float ok: seconds, the crash tests' lease= (the default is deadline + 30 s)
KEY = "swapgg-store-key-5d1e"

_PAGE = json.loads((REPO / "fixtures" / "swapgg" / "sales_browse.page1.json").read_text())
ITEM: dict[str, Any] = _PAGE["response"]["json"]["result"][0]  # sale rdLnPg1aA, 850 cents
HELD: dict[str, Any] = {k: v for k, v in ITEM.items() if k != "sale"} | {"status": 0}
LISTING = {
    "market": "swapgg",
    "id": ITEM["sale"]["saleId"],
    "market_hash_name": ITEM["marketName"],
    "price": "8.50",
    "currency": "EUR",
    "app_id": 730,
    "asset_id": ITEM["assetId"],
    "raw": ITEM,
}

Start = Callable[[Callable[[RecordedRequest], Reply]], LoopbackServer]


def _page(items: list[dict[str, Any]]) -> Reply:
    return Reply.json(
        {"status": "OK", "result": items, "pagination": {"more": False, "total": len(items)}}
    )


class SwapStandIn:
    """swap.gg on 127.0.0.1: the sale is listed, a purchase is never answered (held until
    teardown), and the inventory holds the bought item only once ``delivered`` is set."""

    def __init__(self, start: Start) -> None:
        self.delivered = threading.Event()
        self.release = threading.Event()  # set at teardown: held purchases end
        self.server = start(self.answer)

    def answer(self, request: RecordedRequest) -> Reply:
        if request.path == BROWSE:
            return _page([copy.deepcopy(ITEM)])
        if request.path == INVENTORY:
            return _page([copy.deepcopy(HELD)] if self.delivered.is_set() else [])
        if request.path == PURCHASE:
            # The answer is lost: held until the client gave up (or was killed).
            self.release.wait(timeout=60)
            return Reply.json({"status": "INTERNAL_ERROR", "message": "too late"}, status=500)
        return Reply.json({"status": "NOT_FOUND", "message": request.path}, status=404)

    def count(self, path: str) -> int:
        return sum(1 for r in self.server.requests if r.path == path)

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture
def swap(loopback: Start) -> Iterator[SwapStandIn]:
    stand_in = SwapStandIn(loopback)
    yield stand_in
    stand_in.release.set()  # before the loopback fixture stops the server


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The store both processes name: an SQLite file, or the test's Redis database."""
    if request.param == "sqlite":
        return str(tmp_path / "journal.sqlite3")
    url: str = request.getfixturevalue("redis_url")
    return url


def buy(worker: Worker, custom_id: str, timeout: float = 30.0) -> dict[str, Any]:  # float ok
    return worker.call({"op": "buy", "listing": LISTING, "custom_id": custom_id}, timeout)


@pytest.mark.parametrize("delivered", [False, True], ids=["not-in-inventory", "in-inventory"])
def test_a_restarted_process_never_resends_a_purchase_whose_answer_was_lost(
    delivered: bool, swap: SwapStandIn, store: str, workers: list[Worker], tmp_path: Path
) -> None:
    env = child_env(tmp_path / "home")
    options = {"api_key": KEY, "base_url": swap.url, "store": store, "deadline": 5}

    first = spawn(workers, env, "swapgg", name="A", timeout=1, **options)
    first.ready()
    lost = buy(first, "restart-1")
    assert lost["event"] == "raised" and lost["error"] == "OutcomeUnknown", lost
    assert lost["custom_id"] == "restart-1"
    assert first.finish() == 0, first.stderr
    assert swap.count(PURCHASE) == 1, "A sent its purchase once"
    assert swap.count(INVENTORY) >= 1, "A looked the lost purchase up"

    if delivered:
        swap.delivered.set()
    lookups_before = swap.count(INVENTORY)
    second = spawn(workers, env, "swapgg", name="B", **options)  # a new process: the restart
    second.ready()
    again = buy(second, "restart-1")

    assert swap.count(PURCHASE) == 1, "the restarted process sent the purchase again"
    assert swap.count(INVENTORY) > lookups_before, "B settles by looking the item up"
    if delivered:
        assert again["event"] == "bought", again
        assert (again["id"], again["custom_id"]) == (LISTING["id"], "restart-1")
        assert (again["price"], again["currency"]) == ("8.50", "EUR")
    else:
        assert again["event"] == "raised" and again["error"] == "OutcomeUnknown", again
        assert again["custom_id"] == "restart-1"
    assert second.finish() == 0, second.stderr
    held = store_bytes(store)
    assert b"restart-1" in held, "the journal is in the store that was named"
    assert KEY.encode() not in held, "the API key itself was written to the store"


@pytest.mark.parametrize("delivered", [False, True], ids=["not-in-inventory", "in-inventory"])
def test_a_process_killed_mid_buy_is_settled_by_lookup_after_the_lease(
    delivered: bool, swap: SwapStandIn, store: str, workers: list[Worker], tmp_path: Path
) -> None:
    env = child_env(tmp_path / "home")
    options = {"api_key": KEY, "base_url": swap.url, "store": store, "deadline": 5, "lease": LEASE}
    killed = spawn(workers, env, "swapgg", name="A", **options)
    # B is started (and connected) before A buys, so its first call can come within the lease.
    survivor = spawn(workers, env, "swapgg", name="B", **options)
    killed.ready()
    survivor.ready()
    if delivered:
        swap.delivered.set()  # what A's purchase did at the vendor, whatever A saw

    claimed_after = time.monotonic()  # A's claim is made after this
    killed.send({"op": "buy", "listing": LISTING, "custom_id": "crash-1"})
    wait_for(lambda: swap.count(PURCHASE) == 1, 15, "A's purchase to arrive")
    killed.kill()  # SIGKILL: A's claim is left in flight in the store
    died = time.monotonic()

    # Within the lease: the id is under way elsewhere -> OutcomeUnknown, nothing sent. (B's
    # call ends ~0.1 s after A's claim; on a machine so slow that it ends past the lease, any
    # outcome but a second purchase is right, and only that is checked.)
    during = buy(survivor, "crash-1")
    if during["finished"] < claimed_after + LEASE:
        assert during["event"] == "raised" and during["error"] == "OutcomeUnknown", during
        assert during["custom_id"] == "crash-1"
    assert swap.count(PURCHASE) == 1, "a purchase was sent while A's claim could be live"

    # After the lease (counted at the latest from A's death): settled by lookup, never re-sent.
    time.sleep(max(0.0, died + LEASE + 0.3 - time.monotonic()))
    lookups_before = swap.count(INVENTORY)
    after = buy(survivor, "crash-1")
    assert swap.count(PURCHASE) == 1, "the claim of a dead process was sent again"
    if delivered:
        assert after["event"] == "bought", after
        assert (after["id"], after["custom_id"]) == (LISTING["id"], "crash-1")
        # Settled: a third call returns the purchase too, without sending.
        assert buy(survivor, "crash-1")["event"] == "bought"
    else:
        assert after["event"] == "raised" and after["error"] == "OutcomeUnknown", after
        assert swap.count(INVENTORY) > lookups_before, "the dead process's claim was looked up"
        # Still unknown, still never sent: the id never pays twice.
        assert buy(survivor, "crash-1")["error"] == "OutcomeUnknown"
    assert swap.count(PURCHASE) == 1
    assert survivor.finish() == 0, survivor.stderr
