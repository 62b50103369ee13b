"""A paper-trading sandbox: the four vendors' HTTP APIs emulated on 127.0.0.1.

    import skinmarkets as sm
    with sm.sandbox() as sb:
        market = sb.connect("market_tm")          # the real adapter, pointed at the sandbox
        listing = market.list_for_sale("AK-47 | Redline (Field-Tested)")[0]
        market.buy(listing)
        trade, = market.withdraw()
        sb.accept(trade)
        sb.fail_next("swapgg", "buy", "timeout")  # faults on every vendor: see Sandbox.fail_next
        asset = sb.give_item("mannco", "Team Captain")   # the selling side (Seller)
        listing = sb.connect("mannco").sell(asset, sm.Money("9.00", "USD"))
        sb.sell_to_buyer("mannco", listing)       # a third-party buyer: credited minus the fee
        with sb.connect("skinsback").events() as stream:   # realtime: the sandbox's sockets
            ...                                   # PurchaseUpdated, BalanceChanged, ... as it acts

The real adapters talk to it unchanged (``base_url``): same paths, envelopes, units, auth checks
(keys, SkinsBack signatures, Mannco tokens) and refusals as the vendors document. Their realtime
feeds too (``ws_url``): the vendors' sockets are emulated over stdlib websockets on the same
port, pushing what the sandbox's actions cause (``_sockets.py``). Prices and
balances are SANDBOX DATA (``_catalog.py``), invented and deterministic. Nothing leaves the
machine; no new dependency (stdlib ``http.server`` in a daemon thread).

Importing this package is cheap: the server and the emulations load when a sandbox starts,
the adapters when :meth:`Sandbox.connect` is called.

Why this module is callable: ``skinmarkets.sandbox`` must be both the function of the design
(``sm.sandbox()``) and this module (``import skinmarkets.sandbox as sb_mod; sb_mod.Sandbox``),
and an attribute of a package can be only one object. So the package attribute is the module,
and calling it is calling :func:`sandbox`. Type checkers are shown the function
(``skinmarkets/__init__.py``), so ``sm.sandbox()`` is typed ``Sandbox``.
"""

from __future__ import annotations

import os
import sys
import threading
import types
from typing import TYPE_CHECKING, Any

from skinmarkets._seconds import Seconds

if TYPE_CHECKING:
    from skinmarkets.sandbox._sandbox import Sandbox

__all__ = ["Sandbox", "default_sandbox", "sandbox"]


def sandbox(
    *,
    latency: Seconds = 0.0,
    timeout_delay: Seconds = 3.0,
    state_path: str | os.PathLike[str] | None = None,
) -> Sandbox:
    """A started :class:`Sandbox` (use it as a context manager to stop it).

    ``latency``: seconds slept before each answer (benchmarks); ``timeout_delay``: how long a
    request hit by ``fail_next(..., "timeout")`` is held before its connection is dropped;
    ``state_path``: a JSON file the state is loaded from now and written to by
    ``Sandbox.save()`` (paper trading across processes; default: this process only).
    """
    from skinmarkets.sandbox._sandbox import Sandbox

    return Sandbox(latency=latency, timeout_delay=timeout_delay, state_path=state_path).start()


_default: Sandbox | None = None
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """The process-wide sandbox behind ``connect(..., sandbox=True)``, started on first use."""
    global _default
    with _default_lock:
        if _default is None:
            _default = sandbox()
        return _default


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`sandbox` (see the module docstring)."""

    def __call__(
        self,
        *,
        latency: Seconds = 0.0,
        timeout_delay: Seconds = 3.0,
        state_path: str | os.PathLike[str] | None = None,
    ) -> Sandbox:
        return sandbox(latency=latency, timeout_delay=timeout_delay, state_path=state_path)


sys.modules[__name__].__class__ = _CallableModule


def __getattr__(name: str) -> Any:
    if name == "Sandbox":  # imported on first use: skinmarkets itself stays light
        from skinmarkets.sandbox._sandbox import Sandbox

        return Sandbox
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
