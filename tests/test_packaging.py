"""pyproject.toml: the project's URLs, the socks extra, and an editable install that type
checkers can follow (a plain .pth, not setuptools' import-hook finder)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_project_urls_are_in_the_metadata() -> None:
    urls = PROJECT["project"]["urls"]
    assert urls["Homepage"] == "https://github.com/skinmarkets/skinmarkets"
    assert urls["Documentation"] == "https://skinmarkets.readthedocs.io"
    assert urls["Repository"] == "https://github.com/skinmarkets/skinmarkets"
    assert urls["Changelog"].endswith("/CHANGELOG.md")


def test_socks_is_an_optional_extra_not_a_core_dependency() -> None:
    extras = PROJECT["project"]["optional-dependencies"]
    assert any(r.startswith("requests[socks]") for r in extras["socks"])
    assert any(r.startswith("python-socks") for r in extras["socks"])
    core = {r.split(">")[0].split("[")[0] for r in PROJECT["project"]["dependencies"]}
    assert core == {"requests", "attrs", "cattrs"}


def test_the_package_maps_from_the_root_so_the_editable_install_is_a_pth_file() -> None:
    # setuptools writes a static .pth for a layout with package-dir {"": …}; without it, an
    # import-hook finder that mypy and pyright cannot follow.
    assert PROJECT["tool"]["setuptools"]["package-dir"] == {"": "."}


def test_ci_type_checks_the_examples_through_the_install() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert "(cd examples && mypy --strict --config-file ../pyproject.toml .)" in ci
