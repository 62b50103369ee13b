"""The fault harness checked on its own, with a bare HTTP client and no adapter in the way.

If the proxy did not really reset, cut or hold, or misread "done", every cell of the matrix
would pass or fail for the wrong reason; these pin what each fault puts on the wire.
"""

from __future__ import annotations

import http.client
import json
import socket
from urllib.parse import urlsplit

import pytest

from skinmarkets import errors
from skinmarkets.models import Listing, Purchase, TradeStatus
from skinmarkets.money import Money
from skinmarkets.sandbox import Sandbox
from skinmarkets.vendors.skinsback import BatchItemResult
from tests.faults.faults import after_faults, before_faults
from tests.faults.proxy import Cell, Fault, FaultProxy, Seen
from tests.faults.verdicts import Outcome, judge, judge_batch_repeat, mask
from tests.faults.writes import NAMES, spec_for

pytestmark = pytest.mark.integration

SWAPGG_BUY = spec_for("swapgg", "buy")
SKINSBACK_BATCH = spec_for("skinsback", "buy_many")


def _arm(proxy: FaultProxy, sb: Sandbox, fault: Fault | None) -> Cell:
    return proxy.begin(
        upstream=sb.url,
        is_write=SWAPGG_BUY.is_write,
        is_success=SWAPGG_BUY.is_success,
        fault=fault,
        hold_cap=3.0,
        drip_cap=1.0,
    )


def _client(proxy: FaultProxy, timeout: float = 3.0) -> http.client.HTTPConnection:
    parts = urlsplit(proxy.url)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=timeout)


def _buy(client: http.client.HTTPConnection, sb: Sandbox) -> http.client.HTTPResponse:
    """swap.gg's sales/purchase of the cheapest sale, sent by hand."""
    sale = sb.state.listings("swapgg", NAMES["swapgg"])[0].id
    client.request(
        "POST",
        "/swapgg/v1/sales/purchase",
        body=json.dumps({"saleIds": [sale]}),
        headers={
            "Authorization": sb.credentials("swapgg")["api_key"],
            "Content-Type": "application/json",
        },
    )
    return client.getresponse()


def test_other_requests_pass_untouched_and_are_recorded(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, before_faults()["reset"])
    client = _client(proxy)
    client.request(
        "GET", "/swapgg/v1/user/balance", headers={"Authorization": "sandbox-swapgg-key"}
    )
    answer = client.getresponse()
    assert (answer.status, json.loads(answer.read())["status"]) == (200, "OK")
    client.close()
    proxy.finish(cell)
    assert [(s.path, s.write, s.forwarded) for s in cell.seen] == [
        ("/swapgg/v1/user/balance", False, True)
    ]


def test_a_reset_before_is_a_connection_reset_and_nothing_is_done(
    proxy: FaultProxy, sb: Sandbox
) -> None:
    cell = _arm(proxy, sb, before_faults()["reset"])
    balance = sb.balance_of("swapgg")
    with pytest.raises(ConnectionResetError):
        _buy(_client(proxy), sb)
    proxy.finish(cell)
    assert (len(cell.writes), len(cell.reached), cell.done) == (1, 0, False)
    assert sb.balance_of("swapgg") == balance


def test_a_close_before_is_a_disconnect_without_an_answer(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, before_faults()["close"])
    with pytest.raises(http.client.RemoteDisconnected):
        _buy(_client(proxy), sb)
    proxy.finish(cell)


def test_a_cut_frame_is_an_incomplete_read(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, after_faults(SWAPGG_BUY)["cut_frame"])
    answer = _buy(_client(proxy), sb)
    with pytest.raises(http.client.IncompleteRead):
        answer.read()
    proxy.finish(cell)
    assert cell.done


def test_an_after_fault_forwards_once_and_reads_done_from_the_real_answer(
    proxy: FaultProxy, sb: Sandbox
) -> None:
    cell = _arm(proxy, sb, after_faults(SWAPGG_BUY)["flag_removed"])
    balance = sb.balance_of("swapgg")
    body = json.loads(_buy(_client(proxy), sb).read())
    proxy.finish(cell)
    assert "status" not in body and body["result"]["saleIds"]
    assert (len(cell.writes), len(cell.reached), cell.done) == (1, 1, True)
    assert sb.balance_of("swapgg") < balance


def test_a_negative_amount_keeps_every_other_digit(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, after_faults(SWAPGG_BUY)["negative_amount"])
    price = sb.state.listings("swapgg", NAMES["swapgg"])[0].price
    body = json.loads(_buy(_client(proxy), sb).read())
    proxy.finish(cell)
    assert body["result"]["purchaseAmount"] == -int(price * 100)


def test_a_hold_ends_when_the_client_gives_up(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, before_faults()["timeout"])
    client = _client(proxy, timeout=0.3)
    with pytest.raises(socket.timeout):
        _buy(client, sb)
    client.close()
    proxy.finish(cell)
    assert cell.outlived == []


def test_a_client_that_sits_through_a_drip_is_caught(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, after_faults(SWAPGG_BUY)["drip"])
    with pytest.raises(http.client.BadStatusLine):
        _buy(_client(proxy), sb)  # 1 s of drip cannot carry even the status line
    proxy.finish(cell)
    assert cell.outlived == ["drip"]


def test_a_credential_anywhere_in_the_outcome_is_a_leak(proxy: FaultProxy, sb: Sandbox) -> None:
    cell = _arm(proxy, sb, None)
    error = RuntimeError("wrapped")
    error.__cause__ = ValueError("key=sandbox-swapgg-key")  # only in the chained traceback
    findings = judge(
        SWAPGG_BUY,
        Outcome(error=error),
        cell,
        moved=False,
        custom_id="c",
        secrets={"sandbox-swapgg-key"},
        logs={},
        bound=5.0,
    )
    assert {f.category for f in findings} >= {"leak", "foreign"}
    assert mask("x sandbox-swapgg-key y", {"sandbox-swapgg-key"}) == "x <secret> y"


# ---------------------------------------------------------------------- batch verdicts
# A buy_many is judged per item against the sandbox's purchases: these pin that a wrong item is
# caught, so a green batch column means something.

_LISTING = Listing(
    market="skinsback",
    id="1",
    market_hash_name=NAMES["skinsback"],
    price=Money("12.40", "USD"),
    app_id=730,
)


def _batch_cell(*bodies: bytes) -> Cell:
    """A cell that saw one taken (done) batch request per body, and no fault."""
    cell = Cell(("127.0.0.1", 1), SKINSBACK_BATCH.is_write, SKINSBACK_BATCH.is_success, None, 1, 1)
    for body in bodies:
        cell.seen.append(Seen("POST", "/skinsback/api.php", body, True, None, True, 200, True))
    return cell


def _item(
    custom_id: str, *, bought: bool = False, error: errors.SkinMarketsError | None = None
) -> BatchItemResult:
    purchase = Purchase(
        market="skinsback",
        id=f"p-{custom_id}",
        custom_id=custom_id,
        market_hash_name=NAMES["skinsback"],
        price=Money("12.40", "USD"),
        status=TradeStatus.SENT,
    )
    return BatchItemResult(_LISTING, custom_id, purchase if bought else None, error)


def _judge_batch(outcome: Outcome, bought: dict[str, str | None]) -> set[str]:
    findings = judge(
        SKINSBACK_BATCH,
        outcome,
        _batch_cell(b"method=market_batch_buy"),
        moved=True,
        custom_id="c",
        secrets=set(),
        logs={},
        bound=5.0,
        bought=bought,
        refused=frozenset({"c-2"}),
    )
    return {f.category for f in findings}


def test_a_batch_item_bought_but_reported_refused_is_lost_and_the_reverse_a_phantom() -> None:
    bought = {"c-0": "p-c-0", "c-1": "p-c-1", "c-2": None}
    refused = errors.PriceExceeded("too dear", vendor="skinsback")
    right = [_item("c-0", bought=True), _item("c-1", bought=True), _item("c-2", error=refused)]
    assert _judge_batch(Outcome(result=right), bought) == set()
    unknown = errors.OutcomeUnknown("?", custom_id="c-1")
    hedged = [right[0], _item("c-1", error=unknown), right[2]]
    assert _judge_batch(Outcome(result=hedged), bought) == set()
    lost = [right[0], _item("c-1", error=refused), right[2]]
    assert _judge_batch(Outcome(result=lost), bought) == {"lost"}
    phantom = [*right[:2], _item("c-2", bought=True)]
    assert _judge_batch(Outcome(result=phantom), bought) == {"phantom"}
    assert _judge_batch(Outcome(error=refused), bought) == {"lost"}
    assert _judge_batch(Outcome(error=unknown), bought) == set()


def test_a_repeated_batch_may_resend_only_the_refused_orders() -> None:
    done = {"c-0": "p-c-0", "c-1": "p-c-1", "c-2": None}
    refused = errors.PriceExceeded("too dear", vendor="skinsback")
    first = Outcome(
        result=[_item("c-0", bought=True), _item("c-1", bought=True), _item("c-2", error=refused)]
    )
    second = Outcome(
        result=[_item("c-0", bought=True), _item("c-1", bought=True), _item("c-2", error=refused)]
    )

    def judged(*bodies: bytes) -> set[str]:
        findings = judge_batch_repeat(
            first,
            second,
            _batch_cell(b"method=market_batch_buy"),
            _batch_cell(*bodies),
            moved=True,
            bought=(done, done),
            refused=frozenset({"c-2"}),
            secrets=set(),
            logs={},
            bound=5.0,
        )
        return {f.category for f in findings}

    assert judged() == set()
    assert judged(b"method=market_batch_buy&items%5B0%5D%5Bcustom_id%5D=c-2") == set()
    assert judged(b"method=market_batch_buy&items%5B0%5D%5Bcustom_id%5D=c-1") == {"double"}
    assert judged(b"method=market_buy&custom_id=c-0") == {"double"}
