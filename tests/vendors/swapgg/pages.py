"""A ``responses`` callback that serves browse pages by the request's skip/limit."""

from __future__ import annotations

import copy
import json
from collections.abc import Sequence
from typing import Any

import requests
import responses

from tests.support import load_fixture

NAME = "AK-47 | Redline (Field-Tested)"


def sale_items() -> list[dict[str, Any]]:
    """The four Redline sales of sales_browse.page1 + page2, cheapest first."""
    items: list[dict[str, Any]] = []
    for page in ("sales_browse.page1", "sales_browse.page2"):
        items += copy.deepcopy(load_fixture("swapgg", page)["response"]["json"]["result"])
    return items


def held(item: dict[str, Any]) -> dict[str, Any]:
    """``item`` as it sits in the buyer's on-site inventory (no sale, status 0)."""
    copied = copy.deepcopy(item)
    copied.pop("sale", None)
    copied["status"] = 0
    return copied


def envelope(result: Any, *, more: bool | None = None, total: int | None = None) -> bytes:
    body: dict[str, Any] = {"time": 1575652535000, "status": "OK", "result": result}
    if more is not None:
        body["pagination"] = {"more": more, "total": total}
    return json.dumps(body).encode()


def serve_pages(
    mock: responses.RequestsMock,
    url: str,
    items: Sequence[dict[str, Any]],
    *,
    per_page: int | None = None,
    always_more: bool = False,
    bodies: list[dict[str, Any]] | None = None,
) -> None:
    """Answer POST ``url`` with ``items[skip:skip+limit]``, at most ``per_page`` of them."""

    def callback(request: requests.PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        body = json.loads(request.body or b"{}")
        if bodies is not None:
            bodies.append(body)
        page = body.get("pagination") or {}
        skip, limit = page.get("skip", 0), page.get("limit", 25)
        size = limit if per_page is None else min(limit, per_page)
        chunk = list(items[skip : skip + size])
        more = always_more or skip + len(chunk) < len(items)
        return 200, {}, envelope(chunk, more=more, total=len(items))

    mock.add_callback("POST", url, callback=callback, content_type="application/json")
