"""Redaction: secrets and sensitive parameters never reach a log line.

Registered secrets (see :mod:`skinmarkets._secret`) are scrubbed from the records of loggers
we do not own (``urllib3``, ``requests``, and websocket-client's ``websocket``, whose trace
shows a proxy's ``Proxy-Authorization``); :func:`redact_params` makes request parameters safe
to log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from skinmarkets._secret import SENSITIVE_NAMES, is_sensitive_name, scrub

# SENSITIVE_NAMES is defined in _secret: errors mask those names in ``raw`` without requests.
__all__ = ["SENSITIVE_NAMES", "redact_params"]


class _RedactingFilter(logging.Filter):
    """Scrubs registered secrets from records of loggers we do not own (urllib3)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        scrubbed = scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        return True


_REDACTING_FILTER = _RedactingFilter()
# A logger's filters see only records made on that very logger, so every module is listed.
for _name in (
    "urllib3",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
    "requests",
    "websocket",
):
    logging.getLogger(_name).addFilter(_REDACTING_FILTER)


def redact_params(params: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``params`` safe to log: sensitive names masked, secrets scrubbed."""
    if not params:
        return {}
    return {k: "***" if is_sensitive_name(k) else _scrub_value(v) for k, v in params.items()}


def _scrub_value(value: Any) -> Any:
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, Mapping):
        return redact_params(value)
    if isinstance(value, list | tuple):
        return [_scrub_value(v) for v in value]
    return value
