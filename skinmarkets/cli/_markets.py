"""Where the CLI's markets come from: the config file, or the built-in sandbox (``--sandbox``).

The config is the first of ``--config PATH``, ``$SKINMARKETS_CONFIG``, ``./skinmarkets.toml``
and the user's own file (:func:`skinmarkets.config.find_config`). The command line is stricter
than ``load_config``'s defaults: a credential written in the file is refused, and a file other
users can read or change is warned about. A market whose variables are unset is skipped with a
warning (and listed in the JSON ``skipped``) unless ``--market`` names it: asked for by name,
it is an error that says what to export.
"""

from __future__ import annotations

import contextlib
import difflib
import importlib
import warnings
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any

import attrs

from skinmarkets._seconds import Seconds
from skinmarkets.cli._output import Output
from skinmarkets.cli._paper import StateNotSaved, locked, reset_hint, state_path
from skinmarkets.config import (
    CONFIG_ENV,
    DEFAULT_PATH,
    Config,
    ConfigWarning,
    connect_all,
    example_config,
    find_config,
    load_config,
    permission_problem,
    user_config_path,
)
from skinmarkets.errors import ConfigurationError
from skinmarkets.money import Rates
from skinmarkets.protocol import Marketplace

__all__ = ["NoConfig", "Session", "choose", "open_markets", "setup_help"]

# SANDBOX DATA: invented rates so the sandbox's EUR and RUB markets compare out of the box,
# used only when the sandbox itself offers none.
_SANDBOX_RATES = Rates({"EUR": "0.92", "RUB": "92.5"}, base="USD")


class NoConfig(Exception):
    """No config file was named and none was found where one is looked for."""


@attrs.frozen
class Session:
    """The markets one command runs against, with the currency and rates to compare them in."""

    markets: Mapping[str, Marketplace]
    currency: str
    rates: Rates | None
    sandbox: bool
    #: markets configured but not asked (a variable unset): name -> what to do
    skipped: Mapping[str, str] = attrs.field(factory=lambda: MappingProxyType({}))
    #: the config file read (None for the sandbox): messages name it
    config_path: Path | None = None


def setup_help() -> str:
    """How to configure markets: where the file is looked for, an example (with the table of
    every installed vendor that states one), the variables."""
    example = example_config()
    indented = "".join(f"    {line}\n" if line else "\n" for line in example.splitlines())
    return (
        "no markets configured.\n\n"
        "skinmarkets reads its markets from --config PATH, else from the file named by\n"
        f"${CONFIG_ENV}, else from ./{DEFAULT_PATH}, else from\n"
        f"{user_config_path()}. Create one, for example:\n\n"
        f"{indented}\n"
        "Credentials are never written in the file: each *_env option names the environment\n"
        "variable that holds it (export TM_KEY=...).\n"
        "To try the commands without an account:\n\n"
        '    skinmarkets compare --sandbox "AK-47 | Redline (Field-Tested)"\n'
    )


def _suggestion(name: str, known: Sequence[str]) -> str:
    lowered = {k.lower(): k for k in known}
    close = lowered.get(name.lower()) or next(
        iter(difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.5)), None
    )
    return f'; did you mean "{lowered.get(close, close)}"?' if close else ""


def choose(known: Sequence[str], wanted: Sequence[str] | None, where: str) -> list[str]:
    """The names of ``wanted`` (all of ``known`` when None); an unknown one is an error."""
    if not wanted:
        return list(known)
    for name in wanted:
        if name not in known:
            raise ConfigurationError(
                f'no market named "{name}" in {where}{_suggestion(name, known)} '
                f"(markets: {', '.join(known) or 'none'})"
            )
    return list(wanted)


def _connect_options(timeout: Seconds | None) -> dict[str, Any]:
    """``--timeout`` as connect options: no single exchange may last longer either."""
    return {} if timeout is None else {"timeout": timeout, "deadline": timeout}


@contextlib.contextmanager
def _sandbox_session(
    output: Output,
    wanted: Sequence[str] | None,
    currency: str | None,
    timeout: Seconds | None,
    explicit_state: str | None,
    writes: bool,
) -> Iterator[Session]:
    """The sandbox's markets, its state loaded from the state file (see ``_paper``).

    A command that ``writes`` holds the file's lock throughout and saves the state at the end,
    whatever happened (a failure, Ctrl-C): what the sandbox did is what happened.
    """
    path = state_path(explicit_state)
    lock = (
        locked(path, waiting=lambda: output.note(f"waiting for another command using {path}…"))
        if writes
        else contextlib.nullcontext()
    )
    with lock:
        sandbox_module: Any = importlib.import_module("skinmarkets.sandbox")
        try:
            started = sandbox_module.sandbox(state_path=path)
        except ConfigurationError as exc:  # the only thing a sandbox reads is its state file
            raise ConfigurationError(f"{exc}; {reset_hint(explicit_state)}") from None
        with started as sb:
            try:
                markets: dict[str, Marketplace] = sb.connect_all(**_connect_options(timeout))
                chosen = choose(list(markets), wanted, "the sandbox")
                yield Session(
                    markets={name: markets[name] for name in chosen},
                    currency=(currency or "USD").upper(),
                    rates=getattr(sb, "rates", None) or _SANDBOX_RATES,
                    sandbox=True,
                )
            finally:
                if writes:
                    try:
                        sb.save()
                    except OSError as exc:
                        raise StateNotSaved(
                            f"the sandbox state could not be saved to {str(path)!r}: "
                            f"{exc.strerror or exc}; this run's paper trades are not kept"
                        ) from None


def _config_path(explicit: str | None) -> Path | None:
    if explicit is not None:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigurationError(
                f"config file {explicit!r} not found (named by --config); check the path, or "
                "run without --config to see how to write one"
            )
        return path
    found = find_config()
    if found is not None and not found.is_file():
        raise ConfigurationError(
            f"config file {str(found)!r} not found (named by ${CONFIG_ENV}); "
            f"check the path, or unset {CONFIG_ENV} to use ./"
            f"{DEFAULT_PATH}"
        )
    return found


def _read_config(path: Path, output: Output) -> Config:
    """The config at ``path``, the CLI's way: inline credentials refused, warnings printed."""
    problem = permission_problem(path)
    if problem:
        output.warn(problem)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConfigWarning)
        config = load_config(path, skip_unset=True, allow_inline_secrets=False)
    for warning in caught:
        if issubclass(warning.category, ConfigWarning):
            output.warn(str(warning.message))
        else:
            warnings.warn_explicit(
                warning.message, warning.category, warning.filename, warning.lineno
            )
    return config


@contextlib.contextmanager
def open_markets(
    output: Output,
    *,
    sandbox: bool,
    config_path: str | None,
    currency: str | None,
    wanted: Sequence[str] | None = None,
    timeout: Seconds | None = None,
    sandbox_state: str | None = None,
    writes: bool = False,
) -> Iterator[Session]:
    """The configured markets, or the sandbox's when ``sandbox``; raises ``NoConfig`` if none.

    ``wanted``: the ``--market`` names (None: all); ``timeout``: ``--timeout`` seconds;
    ``sandbox_state``: ``--sandbox-state PATH``; ``writes``: the command changes the sandbox's
    state, which is then saved (see ``_paper``).
    """
    if sandbox:
        with _sandbox_session(output, wanted, currency, timeout, sandbox_state, writes) as session:
            yield session
        return
    path = _config_path(config_path)
    if path is None:
        raise NoConfig
    config = _read_config(path, output)
    configured = [m.name for m in config.markets]
    known = [*configured, *config.skipped, *config.disabled]
    for name in wanted or ():
        if name in config.disabled:
            raise ConfigurationError(
                f'market "{name}" has enabled = false in {path}: set enabled = true in its '
                "[[markets]] table to use it"
            )
        if name in config.skipped:
            raise ConfigurationError(f'market "{name}" cannot be asked: {config.skipped[name]}')
    chosen = choose(known, wanted, str(path))
    skipped = {} if wanted else dict(config.skipped)
    for name, reason in skipped.items():
        output.warn(f"skipped {name}: {reason}")
    if not [name for name in chosen if name in configured]:
        raise ConfigurationError(
            f"no market to ask: every market in {path} is skipped or disabled; export the "
            "variables named above, or set enabled = true"
        )
    chosen_config = attrs.evolve(
        config, markets=tuple(m for m in config.markets if m.name in chosen)
    )
    markets = connect_all(chosen_config, options=_connect_options(timeout))
    yield Session(
        markets=markets,
        currency=(currency or config.currency or "USD").upper(),
        rates=config.rates,
        sandbox=False,
        skipped=MappingProxyType(skipped),
        config_path=path,
    )
