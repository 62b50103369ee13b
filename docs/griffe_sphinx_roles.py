"""A griffe extension for the API reference: the docstrings' Sphinx roles read as code.

skinmarkets' docstrings name other objects the Sphinx way (``:class:`Money```, ``:func:`~x.y```).
mkdocstrings renders Markdown, where those would show as ``:class:Money``: this turns each into a
code span (``Money``, the last component when the target starts with ``~``). A ``::`` that ends a
line (reST's "a literal block follows") becomes ``:``; the indented block after it is already a
code block in Markdown. Loaded by mkdocs.yml; the package itself is not changed.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|mod|data|attr|exc|obj|const):`(~?)([^`]+)`")
LITERAL_BLOCK = re.compile(r"(?<=\S)::$", re.M)


def _code_span(match: re.Match[str]) -> str:
    short, target = match.groups()
    return f"`{target.rsplit('.', 1)[-1] if short else target}`"


def markdown_of(docstring: str) -> str:
    """``docstring`` with its Sphinx roles as code spans and ``::`` line ends as ``:``."""
    return LITERAL_BLOCK.sub(":", ROLE.sub(_code_span, docstring))


class SphinxRoles(griffe.Extension):
    """Rewrites every loaded object's docstring with :func:`markdown_of`."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = markdown_of(obj.docstring.value)
