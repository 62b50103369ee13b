"""A separate Python process driven by a store test (``python -m tests.integration.store_worker``).

The parent (``tests/integration/store_support.py``) starts it with one JSON argument::

    {"vendor": "market_tm", "connect": {"api_key": "...", "base_url": "...", "store": "..."},
     "timeout": 60}

The child connects (``store`` left out of ``connect`` means: whatever the environment says),
prints ``{"event": "ready"}`` and then runs one JSON command per line of its standard input,
answering each with one JSON line on its standard output:

- ``{"op": "balance", "threads": 2, "calls": 6}``: every thread calls ``market.balance()``
  ``calls`` times, all released at once -> ``{"event": "done", "calls": n, "failures": [...]}``
- ``{"op": "buy", "listing": {...}, "custom_id": "..."}`` -> ``{"event": "bought", ...}`` or
  ``{"event": "raised", "error": "OutcomeUnknown", "code": ..., "message": ...}``
- ``{"op": "exit"}``

Every answer carries ``started``/``finished``: ``time.monotonic()`` around the command, which on
Linux is one clock for every process, so the parent can compare them with a loopback server's
arrival times. The child kills itself (``SIGALRM``) after ``timeout`` seconds whatever happens,
so a hung test never leaves it behind.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
import time
import traceback
from decimal import Decimal
from typing import Any

import skinmarkets as sm
from skinmarkets import errors


def _emit(event: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(event, default=str) + "\n")
    sys.stdout.flush()


def _error(exc: BaseException) -> dict[str, Any]:
    return {
        "error": type(exc).__name__,
        "code": getattr(exc, "code", None),
        "custom_id": getattr(exc, "custom_id", None),
        "message": str(exc),
    }


def _listing(data: dict[str, Any]) -> sm.Listing:
    return sm.Listing(
        market=data["market"],
        id=data["id"],
        market_hash_name=data["market_hash_name"],
        price=sm.Money(Decimal(data["price"]), data["currency"]),
        app_id=int(data["app_id"]),
        asset_id=data.get("asset_id"),
        raw=data.get("raw", {}),
    )


def _balance(market: Any, threads: int, calls: int) -> dict[str, Any]:
    barrier = threading.Barrier(threads)
    failures: list[str] = []
    done = [0]
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        for _ in range(calls):
            try:
                market.balance()
            except Exception as exc:
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}")
                return
            with lock:
                done[0] += 1

    workers = [threading.Thread(target=run, daemon=True) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"event": "done", "calls": done[0], "failures": failures}


def _buy(market: Any, command: dict[str, Any]) -> dict[str, Any]:
    listing = _listing(command["listing"])
    try:
        purchase = market.buy(listing, custom_id=command.get("custom_id"))
    except errors.SkinMarketsError as exc:
        return {"event": "raised", **_error(exc)}
    return {
        "event": "bought",
        "id": purchase.id,
        "custom_id": purchase.custom_id,
        "price": str(purchase.price.amount),
        "currency": purchase.price.currency,
    }


def main(argv: list[str]) -> int:
    spec = json.loads(argv[1])
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # default action: the process ends
    signal.alarm(int(spec.get("timeout", 60)))
    try:
        market = sm.connect(spec["vendor"], **spec["connect"])
    except Exception as exc:
        _emit({"event": "connect_failed", **_error(exc)})
        return 1
    _emit({"event": "ready"})
    for line in sys.stdin:
        if not line.strip():
            continue
        command = json.loads(line)
        op = command["op"]
        if op == "exit":
            break
        started = time.monotonic()
        try:
            if op == "balance":
                answer = _balance(market, int(command["threads"]), int(command["calls"]))
            elif op == "buy":
                answer = _buy(market, command)
            else:
                answer = {"event": "bad_command", "op": op}
        except Exception as exc:  # anything unexpected: report it, the parent fails the test
            answer = {"event": "crashed", **_error(exc), "traceback": traceback.format_exc()}
        answer.update(started=started, finished=time.monotonic())
        _emit(answer)
    market.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
