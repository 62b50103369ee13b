"""Receive SkinsBack's signed event webhooks with the standard library only.

    SKINSBACK_CLIENT_SECRET=... python examples/skinsback_webhook.py --port 8080   # serve
    python examples/skinsback_webhook.py --replay examples/skinsback_webhook_sample.json

SkinsBack POSTs ``{"event": …, "data": {…}}`` to your "Webhook Events URL", signed with
HMAC-SHA256(client secret, raw body) in the ``Signature`` header (``Authorization`` in some of
its prose). The receiver checks the signature over the raw bytes before reading anything,
answers 403 to an unsigned or tampered body and 200 quickly to a good one, and skips repeats
(delivery may repeat: deduplicate on ``(buy_id, offer_status)``). ``--replay`` starts it on
127.0.0.1, posts the sample's signed deliveries and a tampered copy, and prints the answers.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from skinmarkets import errors
from skinmarkets.vendors.skinsback import (
    BalanceChangeEvent,
    Event,
    PurchaseEvent,
    StatusChangeEvent,
    parse_event,
    verify_event_signature,
)

MAX_BODY = 1_000_000  # events are a few hundred bytes


def describe(event: Event) -> str:
    """One line about ``event`` (where a bot would act on it)."""
    if isinstance(event, PurchaseEvent):
        return (
            f"purchase {event.buy_id} of {event.market_hash_name}: {event.status.name}, "
            f"paid {event.price}, custom_id {event.custom_id}"
        )
    if isinstance(event, StatusChangeEvent):
        return (
            f"purchase {event.buy_id}: {event.status.name} ({event.offer_status}), "
            f"offer {event.trade_offer_id}"
        )
    if isinstance(event, BalanceChangeEvent):
        return f"balance is now {event.balance_value}"
    return f"unknown event {event.event!r}, kept as sent"


class WebhookServer(ThreadingHTTPServer):
    """An HTTP server that knows the client secret and the deliveries already handled."""

    def __init__(self, address: tuple[str, int], client_secret: str) -> None:
        super().__init__(address, Receiver)
        self.client_secret = client_secret
        self.seen: set[tuple[str, ...]] = set()
        self.lock = threading.Lock()


class Receiver(BaseHTTPRequestHandler):
    """POST /: verify, parse, handle once, answer."""

    def do_POST(self) -> None:
        server = self.server
        assert isinstance(server, WebhookServer)
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            return self.answer(413)
        body = self.rfile.read(length)  # the raw bytes: the signature is over exactly these
        signature = self.headers.get("Signature") or self.headers.get("Authorization") or ""
        if not verify_event_signature(body, signature, server.client_secret):
            return self.answer(403)
        try:
            event = parse_event(body)
        except errors.UnexpectedResponse:
            return self.answer(400)
        key = (type(event).__name__, *(str(v) for v in _identity(event)))
        with server.lock:
            repeat = key in server.seen
            server.seen.add(key)
        print("repeat, skipped:" if repeat else "event:", describe(event), flush=True)
        return self.answer(200)

    def answer(self, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the events are printed above; no access log


def _identity(event: Event) -> tuple[object, ...]:
    if isinstance(event, PurchaseEvent | StatusChangeEvent):
        return (event.buy_id, event.offer_status)
    if isinstance(event, BalanceChangeEvent):
        return (event.balance_value,)
    return (event.event, json.dumps(event.raw, sort_keys=True, default=str))


def replay(sample: Path) -> int:
    """Post the sample's deliveries, then a tampered copy of the first, to a local receiver."""
    document = json.loads(sample.read_text(encoding="utf-8"))
    server = WebhookServer(("127.0.0.1", 0), document["client_secret"])
    threading.Thread(target=server.serve_forever, daemon=True).start()
    first = document["deliveries"][0]
    tampered = {**first, "body": first["body"].replace("29.93", "0.01")}
    try:
        for label, delivery in [
            *((f"delivery {n}", d) for n, d in enumerate(document["deliveries"], 1)),
            ("a repeat of delivery 1", first),
            ("delivery 1 tampered with", tampered),
        ]:
            connection = http.client.HTTPConnection(
                "127.0.0.1", server.server_address[1], timeout=5
            )
            connection.request(
                "POST", "/", body=delivery["body"].encode(), headers=delivery["headers"]
            )
            print(f"{label}: HTTP {connection.getresponse().status}", flush=True)
            connection.close()
    finally:
        server.shutdown()
        server.server_close()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description="Receive SkinsBack's signed webhooks.")
    parser.add_argument("--replay", type=Path, help="post a sample file's deliveries and exit")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args()
    if args.replay is not None:
        return replay(args.replay)
    secret = os.environ.get("SKINSBACK_CLIENT_SECRET", "")
    if not secret:
        parser.error("set SKINSBACK_CLIENT_SECRET to your shop's client secret")
    server = WebhookServer((args.host, args.port), secret)
    print(f"listening on http://{args.host}:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        return 130
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
