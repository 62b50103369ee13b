"""Walking returned models and live objects, for the money and secrets checks."""

from __future__ import annotations

import enum
import logging
import socket
import types
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import attrs

from skinmarkets._secret import Secret

_SCALARS = (str, bytes, int, float, Decimal, bool, type(None), enum.Enum, datetime, date, time)


def walk(value: object, path: str = "value") -> Iterator[tuple[str, object]]:
    """Every node reachable from a model: attrs fields (``raw`` too), mapping keys and values,
    sequence and set items; yields ``(path, node)`` for containers and leaves alike."""
    yield path, value
    if isinstance(value, _SCALARS):
        return
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from walk(key, f"{path}<key {key!r}>")
            yield from walk(item, f"{path}[{key!r}]")
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def floats_in(value: object) -> list[str]:
    """Paths of every binary float reachable from ``value``."""
    return [path for path, node in walk(value) if isinstance(node, float)]  # float ok


_OPAQUE = (
    type,
    types.ModuleType,
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    socket.socket,
    timedelta,
    # Process-wide registries (every logger, handler and captured record): not the market's.
    logging.Logger,
    logging.Manager,
)


def reachable(root: object, *, depth: int = 6) -> Iterator[object]:
    """Objects reachable from ``root`` through attributes and containers, never into a Secret.

    Stops at classes, modules, functions, sockets and loggers, and ``depth`` levels down.
    """
    seen: set[int] = set()
    stack: list[tuple[object, int]] = [(root, 0)]
    while stack:
        obj, level = stack.pop()
        if id(obj) in seen or isinstance(obj, _OPAQUE):
            continue
        seen.add(id(obj))
        yield obj
        if level >= depth or isinstance(obj, (*_SCALARS, Secret)):
            continue
        children: list[object] = []
        if isinstance(obj, Mapping):
            children.extend(obj.keys())
            children.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            children.extend(obj)
        children.extend(_attributes(obj))
        stack.extend((child, level + 1) for child in children)


def _attributes(obj: object) -> list[object]:
    values: list[object] = []
    instance_dict = getattr(obj, "__dict__", None)
    if isinstance(instance_dict, dict):
        values.extend(instance_dict.values())
    for klass in type(obj).__mro__:
        for name in getattr(klass, "__slots__", ()):
            if isinstance(name, str) and hasattr(obj, name):
                values.append(getattr(obj, name))
    return values
