"""``connect`` is typed per vendor id: ``connect("mannco", …)`` is a ``Mannco`` for mypy, any
other ``str`` a ``Marketplace``, with the same objects at run time as before."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import skinmarkets as sm
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.market_tm import MarketTM
from skinmarkets.vendors.skinsback import Skinsback
from skinmarkets.vendors.swapgg import SwapGG

ROOT = Path(__file__).resolve().parent.parent

TYPED = """
from typing import assert_type

import skinmarkets as sm
import skinmarkets.sandbox as sb_mod
from skinmarkets.vendors.mannco import Mannco
from skinmarkets.vendors.market_tm import MarketTM
from skinmarkets.vendors.skinsback import Skinsback
from skinmarkets.vendors.swapgg import SwapGG

assert_type(sm.connect("mannco", api_key="k"), Mannco)
assert_type(sm.connect("market_tm", api_key="k"), MarketTM)
assert_type(sm.connect("swapgg", api_key="k"), SwapGG)
assert_type(sm.connect("skinsback", client_id="1", client_secret="s"), Skinsback)
assert_type(sm.connect("mannco", sandbox=True), Mannco)
sm.connect("mannco", api_key="k").resend_trade("1")


def any_vendor(name: str) -> sm.Marketplace:
    return assert_type(sm.connect(name), sm.Marketplace)


with sm.sandbox() as sb:
    assert_type(sb, sb_mod.Sandbox)
    assert_type(sb.connect("swapgg"), SwapGG)
    assert_type(sb.connect(str("swapgg")), sm.Marketplace)
"""

UNTYPED = """
import skinmarkets as sm

sm.connect("market_tm", api_key="k").resend_trade("1")
"""


def _mypy(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy")
    source = tmp_path / "snippet.py"
    source.write_text(code, encoding="utf-8")
    return subprocess.run(  # noqa: S603 - our interpreter, mypy, a file we wrote
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--cache-dir",
            str(tmp_path / "cache"),
            str(source),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_connect_with_a_vendor_id_is_typed_as_its_adapter(tmp_path: Path) -> None:
    done = _mypy(tmp_path, TYPED)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_extra_of_another_vendor_fails_type_checking(tmp_path: Path) -> None:
    done = _mypy(tmp_path, UNTYPED)
    assert done.returncode == 1
    assert '"MarketTM" has no attribute "resend_trade"' in done.stdout


@pytest.mark.parametrize(
    ("vendor", "credentials", "adapter"),
    [
        ("mannco", {"api_key": "k" * 20}, Mannco),
        ("market_tm", {"api_key": "k" * 20}, MarketTM),
        ("swapgg", {"api_key": "k" * 20}, SwapGG),
        ("skinsback", {"client_id": "1234", "client_secret": "s" * 20}, Skinsback),
        ("MANNCO", {"api_key": "k" * 20}, Mannco),
    ],
)
def test_connect_returns_the_same_adapter_at_run_time(
    vendor: str, credentials: dict[str, str], adapter: type
) -> None:
    assert type(sm.connect(vendor, **credentials)) is adapter
