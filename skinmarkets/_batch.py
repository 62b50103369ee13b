"""Buying several listings in one request, each item under the write rules of ``buy``.

:func:`buy_many_once` claims every order's ``custom_id`` in the store's journal first: one
already done returns its purchase and one already ambiguous is looked up, neither is sent again;
one under way elsewhere or naming another listing carries that error. The others are sent in one
request, at most once. An understood answer settles the items it names (a purchase; or that
item's refusal: nothing bought, the id free again; or "this custom_id exists", looked up). An
answer that is neither understood nor a well-formed refusal settles none. Every item left is
looked up by ``custom_id`` in one request: found -> its purchase, else ``OutcomeUnknown`` (or
``DuplicateCustomId`` where the vendor said the id exists). A well-formed refusal of the whole
request is raised: nothing was bought.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import attrs

from skinmarkets import _checks, errors
from skinmarkets._adapter import Adapter
from skinmarkets._purchases import Order
from skinmarkets._writes import WriteJournal, is_ambiguous, target_of
from skinmarkets.models import Listing, Purchase
from skinmarkets.money import Money

__all__ = ["BatchItemResult", "BatchOrder", "buy_many_once", "check_orders"]

A = TypeVar("A")  # the vendor's answer to the batch
R = TypeVar("R")  # the vendor's record of one purchase

#: What one item came to: its purchase, or its error.
Outcome = Purchase | errors.SkinMarketsError

log = logging.getLogger("skinmarkets")


@attrs.frozen
class BatchOrder:
    """One item of ``buy_many``: the listing, its cap (default its price) and its custom_id."""

    listing: Listing
    max_price: Money | None = None
    custom_id: str | None = None


@attrs.frozen
class BatchItemResult:
    """The outcome of one item of ``buy_many``: ``purchase`` or ``error``, never both."""

    listing: Listing
    custom_id: str
    purchase: Purchase | None = None
    error: errors.SkinMarketsError | None = None

    @property
    def ok(self) -> bool:
        """True when the item was bought."""
        return self.purchase is not None


def check_orders(
    market: Adapter,
    orders: object,
    order_of: Callable[[object, object, object], Order],
    operation: str = "buy_many",
) -> list[Order]:
    """Every item of ``orders`` (a list or tuple of ``Listing``, capped at its price, or
    :class:`BatchOrder`) checked by ``order_of(listing, max_price, custom_id)``, each with its
    own ``custom_id``; refused before anything is sent."""
    if not isinstance(orders, list | tuple):
        raise TypeError(
            f"{market.vendor}: {operation} takes a list of Listing or BatchOrder, got "
            f"{type(orders).__name__} {orders!r:.60}"
        )
    checked = [
        order_of(order.listing, order.max_price, order.custom_id)
        if isinstance(order, BatchOrder)
        else order_of(order, None, None)
        for order in orders
    ]
    if len({order.custom_id for order in checked}) != len(checked):
        raise _checks.invalid(market.vendor, operation, "every order needs its own custom_id")
    return checked


def buy_many_once(
    market: Adapter,
    orders: Sequence[Order],
    *,
    send: Callable[[Sequence[Order]], A],
    read: Callable[[A, Sequence[Order]], Iterable[tuple[str | None, R | errors.SkinMarketsError]]],
    lookup: Callable[[Sequence[str]], Mapping[str, R]],
    purchase: Callable[[R, Order], Purchase],
    advice: str,
    operation: str = "buy_many",
) -> list[BatchItemResult]:
    """The outcome of each of ``orders`` (each with its own ``custom_id``), in order.

    ``send`` sends the orders it is given in one request; ``read`` says what its answer settles:
    (the ``custom_id`` or None, the item's record or its refusal), records first; ``lookup``
    reads the records of these ``custom_id``\\ s (absent: unknown); ``purchase`` makes the
    order's purchase from its record. ``advice`` ends an item's ``OutcomeUnknown`` message
    (``{custom_id!r}`` filled in).
    """
    journal = market._journal
    outcomes: dict[str, Outcome] = {}
    to_send: list[Order] = []
    to_look: list[Order] = []  # ambiguous before this call: looked up, never sent again
    for order in orders:
        target = target_of(order.listing)
        try:
            claim = journal.claim(order.custom_id, target, operation=operation)
        except errors.SkinMarketsError as refused:  # another listing's id, or under way
            outcomes[order.custom_id] = refused
            continue
        if claim.kind == "done" and isinstance(claim.result, Purchase):
            outcomes[order.custom_id] = claim.result
        elif claim.kind == "new":
            journal.settle(order.custom_id, "in_flight", target, listing=order.listing)
            to_send.append(order)
        else:
            to_look.append(order)
    exists: set[str] = set()  # the vendor said "custom_id already exists"
    try:
        if to_send:
            try:
                answer = send(to_send)
            except BaseException as failure:
                if not is_ambiguous(failure, market.ambiguous_codes):
                    _forget(journal, failure, to_send, to_look)
                    raise
            else:
                try:
                    exists = _settle(journal, read(answer, to_send), to_send, outcomes, purchase)
                except Exception as unread:  # an answer it cannot read settles no more
                    log.warning(
                        "%s: %s: the answer could not be read (%s); looking the items up",
                        market.vendor,
                        operation,
                        type(unread).__name__,
                    )
        unsettled = [order for order in to_send if order.custom_id not in outcomes] + to_look
        if unsettled:
            _look_up(market, unsettled, outcomes, exists, lookup, purchase, advice, operation)
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        # Interrupted after the claims (Ctrl-C in a notebook): an id not settled yet may have
        # been sent, so it is left to be looked up next time, never "under way" for ever.
        for order in [*to_send, *to_look]:
            if order.custom_id not in outcomes:
                journal.settle(order.custom_id, "ambiguous", target_of(order.listing))
        raise
    return [_result(order, outcomes[order.custom_id]) for order in orders]


def _forget(
    journal: WriteJournal, failure: BaseException, to_send: list[Order], to_look: list[Order]
) -> None:
    """The whole request failed without a doubt: a refusal frees the ids sent; an interruption
    (it may have been sent) leaves them to be looked up next time, as the ids looked up are."""
    for order in to_send:
        if isinstance(failure, errors.SkinMarketsError):
            journal.release(order.custom_id)  # a refusal of the whole request
        else:  # interrupted: it may have been sent
            journal.settle(order.custom_id, "ambiguous", target_of(order.listing))
    for order in to_look:
        journal.settle(order.custom_id, "ambiguous", target_of(order.listing))


def _settle(
    journal: WriteJournal,
    settled: Iterable[tuple[str | None, R | errors.SkinMarketsError]],
    to_send: list[Order],
    outcomes: dict[str, Outcome],
    purchase: Callable[[R, Order], Purchase],
) -> set[str]:
    """Fill ``outcomes`` from what an understood answer settles (a purchase before a refusal
    of the same item); returns the ``custom_id``\\ s the vendor said exist already."""
    sent = {order.custom_id: order for order in to_send}
    exists: set[str] = set()
    for custom_id, outcome in settled:
        if custom_id is None or custom_id not in sent:
            continue
        order = sent[custom_id]
        if not isinstance(outcome, errors.SkinMarketsError):
            outcomes[custom_id] = purchase(outcome, order)
            journal.settle(custom_id, "done", target_of(order.listing), outcomes[custom_id])
        elif custom_id in outcomes:
            continue
        elif isinstance(outcome, errors.DuplicateCustomId):
            exists.add(custom_id)  # looked up with the unsettled ones
        else:
            outcomes[custom_id] = outcome
            journal.release(custom_id)  # refused for this item: nothing bought, the id is free
    return exists


def _look_up(
    market: Adapter,
    unsettled: list[Order],
    outcomes: dict[str, Outcome],
    exists: set[str],
    lookup: Callable[[Sequence[str]], Mapping[str, R]],
    purchase: Callable[[R, Order], Purchase],
    advice: str,
    operation: str,
) -> None:
    """Look the unsettled items up in one request: the purchase, else the item's error."""
    journal = market._journal
    try:
        found = lookup([order.custom_id for order in unsettled])
        looked = "not found by custom_id"
    except Exception as exc:  # a failed lookup proves nothing either way
        found, looked = {}, f"the lookup failed ({type(exc).__name__})"
    for order in unsettled:
        custom_id, target = order.custom_id, target_of(order.listing)
        record = found.get(custom_id)
        why = looked
        if record is not None:
            try:
                outcomes[custom_id] = purchase(record, order)
            except Exception as exc:  # found, but its record cannot be read: still unknown
                why = f"its record could not be read ({type(exc).__name__})"
            else:
                journal.settle(custom_id, "done", target, outcomes[custom_id])
                continue
        journal.settle(custom_id, "ambiguous", target)
        error_class = errors.DuplicateCustomId if custom_id in exists else errors.OutcomeUnknown
        outcomes[custom_id] = error_class(
            f"the outcome of {order.listing.id!r} is unknown ({why}); "
            + advice.format(custom_id=custom_id),
            custom_id=custom_id,
            vendor=market.vendor,
            operation=operation,
        )


def _result(order: Order, outcome: Outcome) -> BatchItemResult:
    return BatchItemResult(
        listing=order.listing,
        custom_id=order.custom_id,
        purchase=outcome if isinstance(outcome, Purchase) else None,
        error=outcome if isinstance(outcome, errors.SkinMarketsError) else None,
    )
