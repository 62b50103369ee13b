"""The fault catalogue: every way the one write of a cell is broken, before or after the vendor.

BEFORE faults answer instead of the sandbox (the write never reaches it: nothing happened).
AFTER faults forward the write, let the sandbox act, read its real answer and replace it: the
write happened, and the client is told something else. Names are the cell ids' last part.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from tests.faults.http1 import Answer, dump_json
from tests.faults.proxy import Exchange, Fault
from tests.faults.writes import WriteSpec

__all__ = ["AUTH_FAULTS", "after_faults", "auth_faults", "before_faults"]

HTML_500 = (
    b"<html><head><title>500 Internal Server Error</title></head><body>"
    b"<h1>Internal Server Error</h1><p>The server encountered an internal error.</p>"
    b"</body></html>"
)
HTML_502 = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
#: Mannco's refusal envelope for a token it does not take (the sandbox's own 401 body).
MANNCO_UNAUTHORIZED = b'{"err": true, "success": false, "content": "Unauthorized"}'

Act = Callable[[Exchange, Answer | None], None]


def _answer(made: Answer) -> Act:
    return lambda exchange, real: exchange.answer(made)


def _cut_frame(exchange: Exchange, real: Answer | None) -> None:
    """HTTP 200 promising more body than it sends, then FIN: the body is cut mid-frame."""
    answer = real or Answer.page(
        200, "OK", b'{"success": true, "status": "OK", "id": "7001", "res', "application/json"
    )
    head_and_body = answer.encode(declared_length=len(answer.body) + 64)
    exchange.send(head_and_body[: len(head_and_body) - len(answer.body) // 2])
    exchange.hang_up()


def before_faults() -> dict[str, Fault]:
    """The faults that strike before the vendor acts (same for every vendor)."""
    made = {
        "http_500_html": Answer.page(500, "Internal Server Error", HTML_500, "text/html"),
        "http_502_html": Answer.page(502, "Bad Gateway", HTML_502, "text/html"),
        "http_503_empty": Answer.page(503, "Service Unavailable", b"", None),
        "http_429": Answer.page(
            429,
            "Too Many Requests",
            b'{"error": "Too many requests"}',
            "application/json",
            (("Retry-After", "1"),),
        ),
    }
    acts: dict[str, Act] = {
        "reset": lambda exchange, real: exchange.reset(),
        "close": lambda exchange, real: exchange.hang_up(),
        **{name: _answer(answer) for name, answer in made.items()},
        "cut_200": _cut_frame,
        "timeout": lambda exchange, real: exchange.hold(),
    }
    return {name: Fault(name, "before", act) for name, act in acts.items()}


# ---------------------------------------------------------------------- after: mangled answers


def _get(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _parent(data: Any, path: tuple[str | int, ...]) -> tuple[Any, str | int]:
    return _get(data, path[:-1]), path[-1]


def _remove(path: tuple[str | int, ...]) -> Callable[[Any], Any]:
    def mutate(data: Any) -> Any:
        parent, key = _parent(data, path)
        del parent[key]
        return data

    return mutate


def _set_flags(keys: tuple[str, ...], value: Any) -> Callable[[Any], Any]:
    """Every success flag of the envelope set to ``value`` (``...``: removed)."""

    def mutate(data: Any) -> Any:
        for key in keys:
            if key not in data:
                raise KeyError(f"the real answer has no success flag {key!r}")
            if value is ...:
                del data[key]
            else:
                data[key] = value
        return data

    return mutate


def _negative(path: tuple[str | int, ...]) -> Callable[[Any], Any]:
    """The amount at ``path`` made negative, in the type the vendor wrote it (number or text)."""

    def mutate(data: Any) -> Any:
        parent, key = _parent(data, path)
        value = parent[key]
        if isinstance(value, bool) or value is None:
            raise TypeError(f"the amount at {path} is {value!r}, not a number")
        if isinstance(value, int):
            parent[key] = -abs(value) or -1
        else:  # a decimal string, or a JSON number kept as its digits (http1._ExactNumber)
            parent[key] = type(value)("-" + str(value).lstrip("-"))
        return data

    return mutate


def _rewritten(mutate: Callable[[Any], Any]) -> Act:
    """The sandbox's real answer, its JSON changed by ``mutate``, sent as HTTP 200."""

    def act(exchange: Exchange, real: Answer | None) -> None:
        assert real is not None
        data = real.json()
        if data is None:
            raise ValueError(f"the sandbox's answer is not JSON: {real.body[:200]!r}")
        body = dump_json(mutate(copy.deepcopy(data)))
        exchange.answer(Answer(200, "OK", real.headers, body))

    return act


def _replaced(body: bytes, content_type: str) -> Act:
    """HTTP 200 with ``body`` instead of the real one."""

    def act(exchange: Exchange, real: Answer | None) -> None:
        assert real is not None
        exchange.answer(
            Answer(200, "OK", real.headers, b"").with_body(body, content_type=content_type)
        )

    return act


def _cut_json(exchange: Exchange, real: Answer | None) -> None:
    """A well-framed HTTP 200 whose JSON stops halfway (the frame says so: no IO error)."""
    assert real is not None
    exchange.answer(real.with_body(real.body[: max(1, len(real.body) // 2)]))


def _drip(exchange: Exchange, real: Answer | None) -> None:
    assert real is not None
    exchange.drip(real.encode())


def after_faults(spec: WriteSpec) -> dict[str, Fault]:
    """The faults that strike after the vendor acted, for one vendor's write."""
    json_type = "application/json; charset=utf-8"
    acts: dict[str, Act] = {
        "drop": lambda exchange, real: exchange.hang_up(),
        "reset": lambda exchange, real: exchange.reset(),
        "timeout": lambda exchange, real: exchange.hold(),
        "http_500_html": _answer(Answer.page(500, "Internal Server Error", HTML_500, "text/html")),
        "http_502_html": _answer(Answer.page(502, "Bad Gateway", HTML_502, "text/html")),
        "empty_body": _replaced(b"", json_type),
        "cut_json": _cut_json,
        "cut_frame": _cut_frame,
        "non_json": _replaced(b"OK", "text/plain; charset=utf-8"),
        "json_empty_object": _replaced(b"{}", json_type),
        "json_empty_list": _replaced(b"[]", json_type),
        "json_null": _replaced(b"null", json_type),
        "flag_removed": _rewritten(_set_flags(spec.success_keys, ...)),
        "flag_null": _rewritten(_set_flags(spec.success_keys, None)),
        "flag_false_string": _rewritten(_set_flags(spec.success_keys, "false")),
        "flag_empty_list": _rewritten(_set_flags(spec.success_keys, [])),
    }
    if spec.key_path is not None:  # else the flag is the whole answer: flag_removed covers it
        acts["key_removed"] = _rewritten(_remove(spec.key_path))
    if spec.amount_path is not None:
        acts["negative_amount"] = _rewritten(_negative(spec.amount_path))
    acts["drip"] = _drip
    return {name: Fault(name, "after", act) for name, act in acts.items()}


#: Mannco answers a token it does not take with 401/403 and its error envelope; these strike
#: the payment (or another Mannco write) before or after the sandbox acted.
AUTH_FAULTS: dict[str, tuple[int, str]] = {
    "http_401_auth": (401, "Unauthorized"),
    "http_403_auth": (403, "Forbidden"),
}


def auth_faults() -> list[Fault]:
    """Mannco's token refusals, before and after the write went through."""
    faults = []
    for name, (status, reason) in AUTH_FAULTS.items():
        refusal = Answer.page(status, reason, MANNCO_UNAUTHORIZED, "application/json")
        faults += [Fault(name, "before", _answer(refusal)), Fault(name, "after", _answer(refusal))]
    return faults
