"""Test support: fixture files, registering them with ``responses``, and a fake clock."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import responses

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def fixture_names(vendor: str) -> list[str]:
    """Every fixture of a vendor, as ``operation.case`` names, sorted."""
    return sorted(p.name.removesuffix(".json") for p in (FIXTURES / vendor).glob("*.json"))


def load_fixture(vendor: str, name: str) -> dict[str, Any]:
    """``fixtures/<vendor>/<name>.json`` decoded (``name`` is ``operation.case``)."""
    with (FIXTURES / vendor / f"{name}.json").open(encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


def response_body(fixture: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments that make ``responses`` answer like the fixture."""
    answer = fixture["response"]
    kwargs: dict[str, Any] = {"status": answer["status"], "headers": answer.get("headers", {})}
    if "json" in answer:
        kwargs["body"] = json.dumps(answer["json"], ensure_ascii=False).encode("utf-8")
        kwargs["content_type"] = "application/json"
    else:
        kwargs["body"] = answer.get("text", "")
        kwargs["content_type"] = "text/html"
    return kwargs


def add_fixture(
    mock: responses.RequestsMock,
    fixture: Mapping[str, Any],
    *,
    base_url: str,
    match_query: bool = False,
) -> responses.BaseResponse:
    """Register the fixture's answer for its method and path (query matched only if asked)."""
    request = fixture["request"]
    matchers = []
    if match_query and request.get("query"):
        matchers.append(responses.matchers.query_param_matcher(request["query"]))
    return mock.add(
        request["method"],
        base_url + request["path"],
        match=matchers,
        **response_body(fixture),
    )


def query_of(fixture: Mapping[str, Any]) -> str:
    """The fixture's query string as it would be sent."""
    return urlencode(fixture["request"].get("query", {}), doseq=True)


class FakeClock:
    """A clock for tests: ``sleep`` advances ``now`` instead of waiting."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)


def exact_json(value: Any, *, ascii_only: bool = True) -> str:
    """JSON text of a decoded value whose numbers may be Decimal, each written exactly as it
    spells (never through a float); ``ascii_only`` as ``json.dumps``' ``ensure_ascii``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=ascii_only)
    if isinstance(value, list):
        return "[" + ",".join(exact_json(v, ascii_only=ascii_only) for v in value) + "]"
    if isinstance(value, dict):
        pairs = (
            f"{json.dumps(str(k), ensure_ascii=ascii_only)}:{exact_json(v, ascii_only=ascii_only)}"
            for k, v in value.items()
        )
        return "{" + ",".join(pairs) + "}"
    raise TypeError(f"not a JSON value: {value!r}")


#: Environment variables a test of the command line starts without.
CLI_ENVIRONMENT = ("SKINMARKETS_CONFIG", "SKINMARKETS_STORE", "COLUMNS", "TM_API_KEY", "SWAP_KEY")


def own_folders(monkeypatch: Any, tmp_path: Path, *, config: str = "config") -> None:
    """A test's own home, config and state folders, and a fresh working directory, with none
    of :data:`CLI_ENVIRONMENT` set: nothing it runs reads or writes the real home."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / config))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    for name in CLI_ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)


def json_paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path (keys and indexes) to a node below the root of decoded JSON, depth first."""
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        yield (*prefix, key)
        yield from json_paths(child, (*prefix, key))


def copy_json(value: Any) -> Any:
    """A deep copy of decoded JSON (dicts and lists copied, scalars shared)."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value
