"""The documentation site: what CI builds, what the dev install brings, and how docstrings read.

``.ci/run`` builds it (``mkdocs build --strict``: a broken page, link or docstring warning fails
CI); these tests check the wiring around that build and the docstring rewriting it relies on.
"""

from __future__ import annotations

import importlib.util
import re
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
EXTRAS = PROJECT["project"]["optional-dependencies"]
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
MKDOCS = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")


def test_the_dev_install_brings_the_docs_extra() -> None:
    assert set(EXTRAS["docs"]) <= set(EXTRAS["dev"])
    assert any(r.startswith("mkdocstrings[python]") for r in EXTRAS["docs"])


def test_the_dev_install_brings_pyright_with_its_own_node() -> None:
    # pyright's wheel bundles pyright; without node it would fetch one through nodeenv
    assert any(r.startswith("pyright[nodejs]") for r in EXTRAS["dev"])


def test_ci_builds_the_docs_strictly_without_keeping_the_site() -> None:
    build = [line for line in CI if line.startswith("mkdocs build")]
    assert build == ['mkdocs build --strict --site-dir "$scratch/site"']
    assert "site/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_ci_runs_pyright_on_a_copy_of_the_examples_outside_the_checkout() -> None:
    assert 'scratch="$(mktemp -d)"' in CI and 'cp examples/*.py "$scratch/"' in CI
    (pyright,) = [line for line in CI if "pyright --pythonpath" in line]
    assert pyright.startswith('(cd "$scratch" && PYRIGHT_PYTHON_IGNORE_WARNINGS=1 pyright')


def test_the_theme_is_built_into_mkdocs() -> None:
    theme = re.search(r"^theme:\n\s+name: (\w+)", MKDOCS, re.M)
    assert theme is not None and theme.group(1) in {"mkdocs", "readthedocs"}


def test_every_public_area_has_a_reference_page() -> None:
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (ROOT / "docs" / "api").glob("*.md")}
    documented = {m for text in pages.values() for m in re.findall(r"^::: ([\w.]+)", text, re.M)}
    assert {
        "skinmarkets",
        "skinmarkets.errors",
        "skinmarkets.compare",
        "skinmarkets.config",
        "skinmarkets.sandbox",
        "skinmarkets.events",
        "skinmarkets._store",
        "skinmarkets.vendors.market_tm",
        "skinmarkets.vendors.swapgg",
        "skinmarkets.vendors.skinsback",
        "skinmarkets.vendors.mannco",
    } <= documented
    for page in pages:
        assert f"api/{page}.md" in MKDOCS, f"docs/api/{page}.md is not in mkdocs.yml's nav"


@pytest.fixture(scope="module")
def roles() -> ModuleType:
    pytest.importorskip("griffe")
    spec = importlib.util.spec_from_file_location(
        "griffe_sphinx_roles", ROOT / "docs" / "griffe_sphinx_roles.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("docstring", "markdown"),
    [
        ("a :class:`Money` or :func:`~skinmarkets.compare.compare`", "a `Money` or `compare`"),
        ("see :mod:`skinmarkets._store`.", "see `skinmarkets._store`."),
        ("the tree::\n\n    Error\n", "the tree:\n\n    Error\n"),
        ("a ``literal`` and a plain :: in prose", "a ``literal`` and a plain :: in prose"),
    ],
)
def test_docstring_roles_become_code_spans(
    roles: ModuleType, docstring: str, markdown: str
) -> None:
    assert roles.markdown_of(docstring) == markdown
